package io.sparkprop.cli;

import io.sparkprop.data.BadRecords;
import io.sparkprop.data.DataSource;
import io.sparkprop.data.Precision;
import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.optim.LearningRateSchedule;
import io.sparkprop.optim.OptimizerSpec;
import org.apache.spark.storage.StorageLevel;

/** Turns parsed options into the validated spec records; every error is a usage error. */
final class Settings {
  private Settings() {}

  /** The data source named by {@code pathOption} (and its labels option, for idx). */
  static DataSource dataSource(Options o, String pathOption, String labelsOption)
      throws UsageException {
    String path = o.required(pathOption);
    Precision precision = precision(o, "cache-precision");
    try {
      DataSource.Format format = DataSource.Format.parse(o.get("format"));
      DataSource source =
          switch (format) {
            case LIBSVM -> DataSource.libsvm(path);
            case CSV ->
                DataSource.csv(
                    path, delimiter(o), o.getInt("label-column", 0), o.getBoolean("header"));
            case IDX -> DataSource.idx(path, labelsOption == null ? null : o.get(labelsOption));
          };
      return source.withPrecision(precision);
    } catch (IllegalArgumentException e) {
      throw new UsageException(o.where("format") + ": " + e.getMessage());
    }
  }

  /** The policy for malformed text records: --on-bad-record and --max-bad-records. */
  static BadRecords badRecords(Options o) throws UsageException {
    long max = o.getLong("max-bad-records");
    try {
      return BadRecords.parse(o.get("on-bad-record"), max);
    } catch (IllegalArgumentException e) {
      String option = max < 0 ? "max-bad-records" : "on-bad-record";
      throw new UsageException(o.where(option) + ": " + e.getMessage());
    }
  }

  /** The precision named by {@code option}. */
  static Precision precision(Options o, String option) throws UsageException {
    try {
      return Precision.parse(o.get(option));
    } catch (IllegalArgumentException e) {
      throw new UsageException(o.where(option) + ": " + e.getMessage());
    }
  }

  private static char delimiter(Options o) throws UsageException {
    String d = o.get("delimiter");
    if (d.equals("\\t") || d.equalsIgnoreCase("tab")) {
      return '\t';
    }
    if (d.length() != 1) {
      throw new UsageException(
          o.where("delimiter") + " must be one character (or \\t), found '" + d + "'");
    }
    return d.charAt(0);
  }

  /** The architecture from --layers, --activation, --output and --loss. */
  static NetworkSpec network(Options o) throws UsageException {
    int[] layers = layers(o);
    try {
      Activation hidden = Activation.parse(o.get("activation"));
      Activation output =
          o.has("output")
              ? Activation.parse(o.get("output"))
              : layers[layers.length - 1] > 1 ? Activation.SOFTMAX : Activation.SIGMOID;
      Loss loss =
          o.has("loss")
              ? Loss.parse(o.get("loss"))
              : output == Activation.IDENTITY ? Loss.SQUARED_ERROR : Loss.CROSS_ENTROPY;
      return new NetworkSpec(layers, hidden, output, loss);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  private static int[] layers(Options o) throws UsageException {
    String text = o.required("layers");
    String[] parts = text.split(",");
    int[] sizes = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        sizes[i] = Integer.parseInt(parts[i].trim());
      } catch (NumberFormatException e) {
        throw new UsageException(
            o.where("layers")
                + " expects comma-separated integers like "
                + "784,128,10, found '"
                + text
                + "'");
      }
    }
    return sizes;
  }

  /** The optimizer, its regularisation and schedule, from the train options. */
  static OptimizerSpec optimizer(Options o) throws UsageException {
    try {
      OptimizerSpec.Kind kind = OptimizerSpec.Kind.parse(o.get("optimizer"));
      double fraction =
          o.has("batch-fraction")
              ? o.getDouble("batch-fraction")
              : kind == OptimizerSpec.Kind.SGD ? 0.01 : 1.0;
      int stepsPerEpoch = OptimizerSpec.stepsPerEpoch(fraction);
      LearningRateSchedule schedule =
          new LearningRateSchedule(
              LearningRateSchedule.Kind.parse(o.get("schedule")),
              o.getDouble("decay-rate"),
              o.has("decay-steps") ? o.getInt("decay-steps", 1) : stepsPerEpoch,
              o.getInt("warmup-steps", 0),
              o.getDouble("min-learning-rate"));
      return new OptimizerSpec(
          kind,
          o.getDouble("learning-rate"),
          o.getDouble("momentum"),
          fraction,
          o.getDouble("beta1"),
          o.getDouble("beta2"),
          o.getDouble("epsilon"),
          o.getDouble("weight-decay"),
          o.getDouble("clip-norm"),
          schedule,
          o.getInt("history-size", 1),
          o.getDouble("tolerance"));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /** The number of steps: --iterations when given, else --epochs × steps per epoch. */
  static int steps(Options o, OptimizerSpec optimizer) throws UsageException {
    if (o.has("iterations")) {
      return o.getInt("iterations", 1);
    }
    int epochs = o.getInt("epochs", 1);
    try {
      return Math.multiplyExact(epochs, optimizer.stepsPerEpoch());
    } catch (ArithmeticException e) {
      throw new UsageException(
          o.where("epochs")
              + " "
              + epochs
              + " × "
              + optimizer.stepsPerEpoch()
              + " steps per epoch is more than "
              + Integer.MAX_VALUE
              + " steps");
    }
  }

  static StorageLevel storageLevel(Options o) throws UsageException {
    try {
      return StorageLevel.fromString(
          o.get("storage-level").trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new UsageException(
          o.where("storage-level")
              + ": unknown storage level '"
              + o.get("storage-level")
              + "' (expected e.g. MEMORY_AND_DISK, MEMORY_ONLY, DISK_ONLY, "
              + "MEMORY_AND_DISK_SER)");
    }
  }
}
