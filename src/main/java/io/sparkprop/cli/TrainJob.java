package io.sparkprop.cli;

import io.sparkprop.data.BadRecords;
import io.sparkprop.data.DataSource;
import io.sparkprop.model.Model;
import io.sparkprop.model.ModelFile;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.optim.OptimizerSpec;
import io.sparkprop.report.HistoryFile;
import io.sparkprop.report.TrainingReport;
import io.sparkprop.spark.TrainerConfig;
import io.sparkprop.spark.load.DataLoader;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.storage.StorageLevel;

/**
 * Everything {@code sparkprop train} was asked to do, validated before Spark starts: every option
 * in range, the inputs there, the outputs free (or {@code --overwrite}) and not under a file, a
 * warm start's model read and its architecture checked.
 *
 * @param test the held-out set evaluated after every epoch, or null
 * @param validationFraction the share of {@code train} split off for validation, 0 for none
 * @param initModel the warm start's model, or null
 * @param initModelPath where it was read from, or null
 * @param partitions partitions of the cached data, 0 to keep the input's split
 * @param logEvery progress lines every this many steps, 0 for about five an epoch
 * @param patience early stopping's patience, 0 for none
 * @param checkpoints where and how often to checkpoint, or null for never
 * @param settings every option's effective value, kept in checkpoints and the report
 */
record TrainJob(
    DataSource train,
    DataSource test,
    double validationFraction,
    TrainerConfig trainer,
    Model initModel,
    String initModelPath,
    int partitions,
    StorageLevel storageLevel,
    int logEvery,
    int patience,
    double minDelta,
    double maxLossGrowth,
    CheckpointSettings checkpoints,
    String modelOut,
    boolean overwrite,
    Map<String, String> settings) {

  /**
   * @param every the checkpoint interval
   * @param bySteps whether {@code every} counts steps rather than epochs
   * @param keep how many of the newest checkpoints stay
   * @param resume continue from the newest usable checkpoint, if any
   */
  record CheckpointSettings(
      String directory, int every, boolean bySteps, int keep, boolean resume) {}

  /** The history file beside the model. */
  String historyPath() {
    return HistoryFile.pathFor(modelOut);
  }

  /** The HTML report beside the model. */
  String reportPath() {
    return TrainingReport.pathFor(modelOut);
  }

  /**
   * Validates the train options, then (with the master known) the files they name.
   *
   * @throws UsageException for a bad option value or combination (exit 2)
   * @throws IOException for an output that may not be written (exit 1)
   */
  static TrainJob from(Options o, SparkConf spark) throws UsageException, IOException {
    BadRecords badRecords = Settings.badRecords(o);
    DataSource train = Settings.dataSource(o, "train", "train-labels").withBadRecords(badRecords);
    DataSource test =
        o.has("test")
            ? Settings.dataSource(o, "test", "test-labels").withBadRecords(badRecords)
            : null;
    String modelOut = modelOut(o);
    OptimizerSpec optimizer = Settings.optimizer(o);
    double validationFraction = validationFraction(o);
    CheckpointSettings checkpoints = checkpointSettings(o);
    int patience = patience(o, validationFraction > 0 || test != null);
    // Without a warm start the architecture is checked before anything is read.
    TrainerConfig config =
        o.has("init-model")
            ? null
            : Settings.trainerConfig(o, Settings.network(o, null), optimizer);
    SparkStart.requireMaster(spark);
    Configuration hadoop = SparkStart.hadoopConfiguration(spark);
    Model initial = o.has("init-model") ? ModelFile.read(o.get("init-model"), hadoop) : null;
    if (initial != null) {
      config = Settings.trainerConfig(o, warmStartSpec(o, initial), optimizer);
    }
    Settings.checkLabelColumn(o, train, config.network());
    checkDriverHeap(config, patience > 0, Runtime.getRuntime().maxMemory());
    TrainJob job =
        new TrainJob(
            train,
            test,
            validationFraction,
            config,
            initial,
            o.has("init-model") ? o.get("init-model") : null,
            o.getInt("partitions", 0, Options.MAX_PARTITIONS),
            Settings.storageLevel(o),
            o.getInt("log-every", 0),
            patience,
            o.getDouble("min-delta"),
            maxLossGrowth(o),
            checkpoints,
            modelOut,
            o.getBoolean("overwrite"),
            o.effective());
    job.checkFiles(hadoop);
    return job;
  }

  /** --early-stopping-patience, which needs a held-out set to watch. */
  private static int patience(Options o, boolean heldOut) throws UsageException {
    int patience = o.getInt("early-stopping-patience", 0);
    if (patience > 0 && !heldOut) {
      throw new UsageException(
          "--early-stopping-patience needs a held-out set: --validation-fraction or --test");
    }
    return patience;
  }

  /** --model-out, which must name a file. */
  private static String modelOut(Options o) throws UsageException {
    String modelOut = o.required("model-out");
    if (modelOut.endsWith("/")) {
      throw new UsageException(
          "--model-out "
              + modelOut
              + " names a directory; name the model file (e.g. "
              + modelOut
              + "model.json)");
    }
    return modelOut;
  }

  /** --validation-fraction, in [0, 1). */
  private static double validationFraction(Options o) throws UsageException {
    double fraction = o.getDouble("validation-fraction");
    if (!(fraction >= 0 && fraction < 1)) {
      throw new UsageException(
          o.where("validation-fraction") + " must be in [0, 1), found " + fraction);
    }
    return fraction;
  }

  /**
   * The driver holds several arrays as long as the parameters: the weights, the gradient sum, the
   * broadcast's serialized copy, the optimizer's state and early stopping's best weights. A network
   * whose arrays cannot fit its heap is refused before Spark starts rather than dying of
   * OutOfMemoryError after loading the data. The estimate is a floor: JVM and Spark overheads come
   * on top.
   *
   * @param heap the driver's maximum heap in bytes
   */
  static void checkDriverHeap(TrainerConfig config, boolean earlyStopping, long heap)
      throws UsageException {
    int arrays = driverArrays(config.optimizer(), earlyStopping);
    long parameters = config.network().numParameters();
    long need = 8L * parameters * arrays;
    if (need > heap) {
      throw new UsageException(
          String.format(
              java.util.Locale.ROOT,
              "a %s network has %d parameters; training it with %s keeps about %d arrays of them"
                  + " on the driver, %.1f GB, more than its heap of %.1f GB (raise"
                  + " --driver-memory or spark.driver.memory; SPARKPROP_JAVA_OPTS=-Xmx… for"
                  + " scripts/sparkprop)",
              config.network().layersString(),
              parameters,
              config.optimizer().kind().id(),
              arrays,
              need / 1e9,
              heap / 1e9));
    }
  }

  /** The arrays of {@link #checkDriverHeap}: weights, gradient, broadcast, state, best weights. */
  private static int driverArrays(OptimizerSpec optimizer, boolean earlyStopping) {
    int state =
        switch (optimizer.kind()) {
          case GD, SGD -> 0;
          case MOMENTUM, NESTEROV -> 1;
          case ADAM -> 2;
          case LBFGS -> 2 * optimizer.historySize() + 2;
        };
    return 3 + state + (earlyStopping ? 1 : 0);
  }

  /**
   * What a step holds on the driver at its peak once the partitions are known: the arrays of {@link
   * #checkDriverHeap}, and the partial sums treeAggregate sends the driver ({@link
   * TrainerConfig#sumsAtDriver}), as many at once as Spark has result threads
   * (spark.resultGetter.threads), each held three times while it is read (the message's bytes, the
   * task result's bytes, the sum's doubles). A sum merged from several partitions is dense: n
   * doubles.
   *
   * @return null when that fits the heap, else a warning saying what to change
   */
  static String driverPeakWarning(
      TrainerConfig config, boolean earlyStopping, int partitions, int resultThreads, long heap) {
    long array = 8L * config.network().numParameters();
    long arrays = driverArrays(config.optimizer(), earlyStopping) * array;
    int sums = config.sumsAtDriver(partitions);
    long need = arrays + 3L * array * Math.min(sums, resultThreads);
    if (need <= heap) {
      return null;
    }
    int threads = Math.min(sums, resultThreads) - 1;
    while (threads > 0 && arrays + 3L * array * threads > heap) {
      threads--;
    }
    return String.format(
        java.util.Locale.ROOT,
        "a step may hold up to %.1f GB on the driver, more than its heap of %.1f GB: %.1f GB of"
            + " arrays as long as the %d parameters, and %d partition sums from treeAggregate"
            + " (--tree-depth %d over %d partitions) read %d at a time, %.1f GB each while read;"
            + " give the driver %.1f GB or more (--driver-memory)%s",
        need / 1e9,
        heap / 1e9,
        arrays / 1e9,
        config.network().numParameters(),
        sums,
        config.treeDepth(),
        partitions,
        Math.min(sums, resultThreads),
        3 * array / 1e9,
        Math.ceil(need / 1e8) / 10,
        threads > 0 ? ", or set spark.resultGetter.threads=" + threads : "");
  }

  /** --max-loss-growth: 0 (off) or a finite factor above 1. */
  private static double maxLossGrowth(Options o) throws UsageException {
    double growth = o.getDouble("max-loss-growth");
    if (growth != 0 && !(growth > 1 && Double.isFinite(growth))) {
      throw new UsageException(
          o.where("max-loss-growth") + " must be 0 (off) or a finite number > 1, found " + growth);
    }
    return growth;
  }

  private static CheckpointSettings checkpointSettings(Options o) throws UsageException {
    String directory = o.get("checkpoint-dir");
    int every = o.getInt("checkpoint-every", 1);
    String unit = o.get("checkpoint-unit");
    if (!unit.equals("epoch") && !unit.equals("step")) {
      throw new UsageException(
          o.where("checkpoint-unit") + " must be epoch or step, found '" + unit + "'");
    }
    int keep = o.getInt("keep-checkpoints", 1);
    boolean resume = o.getBoolean("resume");
    if (resume && directory == null) {
      throw new UsageException("--resume needs --checkpoint-dir");
    }
    return directory == null
        ? null
        : new CheckpointSettings(directory, every, unit.equals("step"), keep, resume);
  }

  /** The spec of a warm start: the model's, with any architecture flags required to agree. */
  private static NetworkSpec warmStartSpec(Options o, Model initial) throws UsageException {
    NetworkSpec spec = initial.spec();
    NetworkSpec requested = Settings.network(o, spec);
    if (!requested.equals(spec)) {
      throw new UsageException(
          "--init-model "
              + o.get("init-model")
              + " is "
              + spec
              + " but the options ask for "
              + requested);
    }
    return spec;
  }

  /**
   * The input files must be there (a catalog table is looked up once Spark runs); the model, its
   * history and its report may replace nothing without --overwrite, may not be a directory, may not
   * be an input file or go in an input directory, and need a writable directory to go in; so does
   * the checkpoint directory, which may not be a file.
   */
  private void checkFiles(Configuration hadoop) throws IOException, UsageException {
    Map<Path, String> inputs = new HashMap<>();
    for (DataSource input : test == null ? List.of(train) : List.of(train, test)) {
      if (input.table() == null || !input.table().isCatalogTable()) {
        String flag = input == train ? "--train" : "--test";
        for (Path file : DataLoader.listDataFiles(input.path(), hadoop)) {
          inputs.put(qualified(file, hadoop), "is the " + flag + " input");
        }
        Path given = new Path(input.path());
        FileSystem fs = given.getFileSystem(hadoop);
        if (fs.exists(given) && fs.getFileStatus(given).isDirectory()) {
          inputs.put(qualified(given, hadoop), "would go in the " + flag + " directory");
        }
        if (input.idxLabelsPath() != null) {
          inputs.put(
              qualified(new Path(input.idxLabelsPath()), hadoop), "is the " + flag + " labels");
        }
      }
    }
    for (String output : List.of(modelOut, historyPath(), reportPath())) {
      Path path = qualified(new Path(output), hadoop);
      String clash = inputs.getOrDefault(path, inputs.get(path.getParent()));
      if (clash != null) {
        throw new UsageException(
            output + " " + clash + "; write the model elsewhere, not over or among the data");
      }
      checkOutput(output, hadoop);
    }
    if (checkpoints != null) {
      Path dir = new Path(checkpoints.directory());
      FileSystem fs = dir.getFileSystem(hadoop);
      String what = "--checkpoint-dir " + dir;
      if (fs.exists(dir)) {
        if (!fs.getFileStatus(dir).isDirectory()) {
          throw new IOException(what + " is a file, not a directory");
        }
        OutputPaths.requireWritable(dir, fs, what);
      } else {
        OutputPaths.requireWritableAncestor(dir, fs, what);
      }
    }
  }

  private static Path qualified(Path path, Configuration hadoop) throws IOException {
    return path.getFileSystem(hadoop).makeQualified(path);
  }

  private void checkOutput(String output, Configuration hadoop) throws IOException {
    Path path = new Path(output);
    FileSystem fs = path.getFileSystem(hadoop);
    if (fs.exists(path)) {
      if (fs.getFileStatus(path).isDirectory()) {
        throw new IOException(output + " is a directory; name a file to write the model to");
      }
      if (!overwrite) {
        throw new IOException(output + " already exists (pass --overwrite to replace it)");
      }
    }
    OutputPaths.requireWritableAncestor(path, fs, output);
  }
}
