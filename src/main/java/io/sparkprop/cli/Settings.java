package io.sparkprop.cli;

import io.sparkprop.data.BadRecords;
import io.sparkprop.data.CachePrecision;
import io.sparkprop.data.DataSource;
import io.sparkprop.data.Sparsity;
import io.sparkprop.data.TableColumns;
import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.nn.Precision;
import io.sparkprop.optim.LearningRateSchedule;
import io.sparkprop.optim.OptimizerSpec;
import io.sparkprop.spark.TrainerConfig;
import java.util.Locale;
import org.apache.spark.storage.StorageLevel;

/** Turns parsed options into the validated spec records; every error is a usage error. */
final class Settings {
  private Settings() {}

  /** The data source named by {@code pathOption} (and its labels option, for idx). */
  static DataSource dataSource(Options o, String pathOption, String labelsOption)
      throws UsageException {
    String path = o.required(pathOption);
    CachePrecision precision = parse(o, "cache-precision", CachePrecision::parse);
    Sparsity sparsity = parse(o, "sparse", Sparsity::parse);
    try {
      DataSource.Format format = DataSource.Format.ofOption(o.get("format"));
      DataSource source =
          switch (format) {
            case LIBSVM -> DataSource.libsvm(path);
            case CSV ->
                DataSource.csv(
                    path,
                    delimiter(o),
                    o.getInt("label-column", 0, Options.MAX_COLUMN),
                    o.getBoolean("header"));
            case IDX -> DataSource.idx(path, labelsOption == null ? null : o.get(labelsOption));
            case TABLE -> DataSource.table(path, tableColumns(o));
          };
      return source.withPrecision(precision).withSparsity(sparsity);
    } catch (IllegalArgumentException e) {
      throw new UsageException(o.where("format") + ": " + e.getMessage());
    }
  }

  /** The comma-separated column names {@code option} gives; empty when it is not given. */
  static java.util.List<String> columns(Options o, String option) throws UsageException {
    java.util.List<String> names = new java.util.ArrayList<>();
    if (o.has(option)) {
      for (String name : o.get(option).split(",", -1)) {
        if (name.isBlank()) {
          throw new UsageException(o.where(option) + " names an empty column: " + o.get(option));
        }
        names.add(name.trim());
      }
    }
    return names;
  }

  /** The columns of a table source: --features-col or --feature-cols, and the others. */
  private static TableColumns tableColumns(Options o) throws UsageException {
    String reader = o.get("format").trim().toLowerCase(java.util.Locale.ROOT);
    java.util.List<String> featureCols = columns(o, "feature-cols");
    if (o.has("features-col") == o.has("feature-cols")) {
      throw new UsageException(
          "--format "
              + reader
              + " reads a table: name its features with --features-col NAME (a vector or array"
              + " column) or --feature-cols A,B,… (numeric columns), one of the two");
    }
    String weight = o.has("weight-col") ? o.get("weight-col") : null;
    String key = o.has("key-col") ? o.get("key-col") : null;
    return new TableColumns(
        reader,
        o.has("features-col") ? o.get("features-col") : null,
        featureCols,
        o.get("label-col"),
        weight,
        key);
  }

  /**
   * A CSV label column must be one of the n_0 + 1 columns a row of the network's data has.
   *
   * @throws UsageException naming the option, the column count and the range
   */
  static void checkLabelColumn(Options o, DataSource source, NetworkSpec spec)
      throws UsageException {
    int columns = spec.numInputs() + 1;
    if (source.format() == DataSource.Format.CSV && source.labelColumn() >= columns) {
      throw new UsageException(
          o.where("label-column")
              + " is "
              + source.labelColumn()
              + ", past the last column: a row of "
              + spec.numInputs()
              + " features and a label has columns 0.."
              + (columns - 1));
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

  /** A named value of {@code option}: an error names the option and the allowed values. */
  static <T> T parse(Options o, String option, java.util.function.Function<String, T> parser)
      throws UsageException {
    try {
      return parser.apply(o.get(option));
    } catch (IllegalArgumentException e) {
      throw new UsageException(o.where(option) + ": " + e.getMessage());
    }
  }

  private static char delimiter(Options o) throws UsageException {
    String d = o.get("delimiter");
    if (d.equals("\\t") || d.equalsIgnoreCase("tab")) {
      return '\t';
    }
    if (d.equalsIgnoreCase("space")) {
      return ' ';
    }
    if (d.length() != 1) {
      throw new UsageException(
          o.where("delimiter") + " must be one character (or \\t), found '" + d + "'");
    }
    return d.charAt(0);
  }

  /**
   * The architecture from --layers, --activation, --output and --loss. What is not given comes from
   * {@code defaults} (a warm start's model), or, without one, from the options' defaults: softmax
   * output for 2+ outputs (else sigmoid), squared error for identity output (else cross-entropy).
   */
  static NetworkSpec network(Options o, NetworkSpec defaults) throws UsageException {
    boolean fromModel = defaults != null;
    int[] layers = fromModel && !o.has("layers") ? defaults.layerSizes() : layers(o);
    try {
      Activation hidden =
          fromModel && !o.has("activation")
              ? defaults.hiddenActivation()
              : Activation.parse(o.get("activation"));
      Activation output =
          o.has("output")
              ? Activation.parse(o.get("output"))
              : fromModel
                  ? defaults.outputActivation()
                  : layers[layers.length - 1] > 1 ? Activation.SOFTMAX : Activation.SIGMOID;
      Loss loss =
          o.has("loss")
              ? Loss.parse(o.get("loss"))
              : fromModel
                  ? defaults.loss()
                  : output == Activation.IDENTITY ? Loss.SQUARED_ERROR : Loss.CROSS_ENTROPY;
      return new NetworkSpec(layers, hidden, output, loss);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  static int[] layers(Options o) throws UsageException {
    String text = o.required("layers");
    // -1: a trailing comma leaves an empty part, refused like any other non-integer.
    String[] parts = text.split(",", -1);
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
      int stepsPerEpoch = TrainerConfig.stepsPerEpoch(batchFraction(o, kind));
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

  /** --batch-fraction, by default 0.01 for sgd and 1 for the others. */
  static double batchFraction(Options o, OptimizerSpec.Kind kind) throws UsageException {
    if (o.has("batch-fraction")) {
      return o.getDouble("batch-fraction");
    }
    return kind == OptimizerSpec.Kind.SGD ? 0.01 : 1.0;
  }

  /**
   * The trainer's settings for {@code network}, from --batch-fraction, --epochs or --iterations,
   * --seed, --tree-depth, --block-size and --precision.
   */
  static TrainerConfig trainerConfig(Options o, NetworkSpec network, OptimizerSpec optimizer)
      throws UsageException {
    double fraction = batchFraction(o, optimizer.kind());
    TrainerConfig.Builder builder =
        TrainerConfig.builder(network, optimizer)
            .batchFraction(fraction)
            .steps(steps(o, TrainerConfig.stepsPerEpoch(fraction)))
            .seed(o.getLong("seed"))
            .treeDepth(o.getInt("tree-depth", 1, Options.MAX_TREE_DEPTH))
            .blockSize(o.getInt("block-size", 1, Options.MAX_BLOCK_SIZE))
            .precision(parse(o, "precision", Precision::parse));
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /** The number of steps: --iterations when given, else --epochs × steps per epoch. */
  static int steps(Options o, int stepsPerEpoch) throws UsageException {
    if (o.has("iterations")) {
      return o.getInt("iterations", 1);
    }
    int epochs = o.getInt("epochs", 1);
    try {
      return Math.multiplyExact(epochs, stepsPerEpoch);
    } catch (ArithmeticException e) {
      throw new UsageException(
          o.where("epochs")
              + " "
              + epochs
              + " × "
              + stepsPerEpoch
              + " steps per epoch is more than "
              + Integer.MAX_VALUE
              + " steps");
    }
  }

  static StorageLevel storageLevel(Options o) throws UsageException {
    try {
      return StorageLevel.fromString(o.get("storage-level").trim().toUpperCase(Locale.ROOT));
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
