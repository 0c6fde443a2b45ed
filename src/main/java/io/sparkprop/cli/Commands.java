package io.sparkprop.cli;

import io.sparkprop.data.BadRecords;
import io.sparkprop.data.DataShape;
import io.sparkprop.data.DataSource;
import io.sparkprop.data.Precision;
import io.sparkprop.model.Model;
import io.sparkprop.model.ModelFile;
import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Blas;
import io.sparkprop.nn.Initializer;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.optim.OptimizerSpec;
import io.sparkprop.spark.Checkpoint;
import io.sparkprop.spark.CheckpointFiles;
import io.sparkprop.spark.Datasets;
import io.sparkprop.spark.EpochStats;
import io.sparkprop.spark.Evaluation;
import io.sparkprop.spark.HistoryFile;
import io.sparkprop.spark.Predictor;
import io.sparkprop.spark.Trainer;
import io.sparkprop.spark.TrainerConfig;
import io.sparkprop.spark.TrainingReport;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The four subcommands. Options are fully validated before Spark starts. */
final class Commands {
  private static final Logger LOG = LoggerFactory.getLogger(Commands.class);

  private Commands() {}

  static void train(Options o, PrintStream out) throws UsageException, IOException {
    BadRecords badRecords = Settings.badRecords(o);
    DataSource train = Settings.dataSource(o, "train", "train-labels").withBadRecords(badRecords);
    DataSource test =
        o.has("test")
            ? Settings.dataSource(o, "test", "test-labels").withBadRecords(badRecords)
            : null;
    String modelOut = o.required("model-out");
    boolean overwrite = o.getBoolean("overwrite");
    OptimizerSpec optimizer = Settings.optimizer(o);
    int steps = Settings.steps(o, optimizer);
    Precision precision = Settings.precision(o, "precision");
    int partitions = o.getInt("partitions", 0);
    int blockSize = o.getInt("block-size", 1);
    int treeDepth = o.getInt("tree-depth", 1);
    long seed = o.getLong("seed");
    StorageLevel level = Settings.storageLevel(o);
    int logEvery = o.getInt("log-every", 0);
    double validationFraction = o.getDouble("validation-fraction");
    if (!(validationFraction >= 0 && validationFraction < 1)) {
      throw new UsageException(
          o.where("validation-fraction") + " must be in [0, 1), found " + validationFraction);
    }
    String checkpointDir = o.get("checkpoint-dir");
    int checkpointEvery = o.getInt("checkpoint-every", 1);
    String checkpointUnit = o.get("checkpoint-unit");
    if (!checkpointUnit.equals("epoch") && !checkpointUnit.equals("step")) {
      throw new UsageException(
          o.where("checkpoint-unit") + " must be epoch or step, found '" + checkpointUnit + "'");
    }
    int keepCheckpoints = o.getInt("keep-checkpoints", 1);
    boolean resume = o.getBoolean("resume");
    if (resume && checkpointDir == null) {
      throw new UsageException("--resume needs --checkpoint-dir");
    }
    int patience = o.getInt("early-stopping-patience", 0);
    double minDelta = o.getDouble("min-delta");
    if (patience > 0 && validationFraction == 0 && test == null) {
      throw new UsageException(
          "--early-stopping-patience needs a held-out set: --validation-fraction or --test");
    }
    // Without a warm start the architecture is checked before Spark starts; with one, it is
    // checked against the model, read through Spark's Hadoop settings (credentials, HDFS).
    NetworkSpec requested = o.has("init-model") ? null : Settings.network(o);

    try (JavaSparkContext jsc = startSpark(o, "train")) {
      refuseExisting(modelOut, overwrite, "--overwrite", jsc.hadoopConfiguration());
      for (String companion :
          List.of(HistoryFile.pathFor(modelOut), TrainingReport.pathFor(modelOut))) {
        refuseExisting(companion, overwrite, "--overwrite", jsc.hadoopConfiguration());
      }
      Model initial =
          o.has("init-model")
              ? ModelFile.read(o.get("init-model"), jsc.hadoopConfiguration())
              : null;
      NetworkSpec spec = initial == null ? requested : warmStartSpec(o, initial);
      TrainerConfig config =
          new TrainerConfig(
              spec, optimizer, steps, seed, treeDepth, blockSize, logEvery, patience, minDelta,
              precision);
      LOG.info(
          "network {} ({} parameters), optimizer {} η={} batch fraction {}, {} steps, {} on BLAS {},"
              + " element-wise loops {}",
          spec,
          spec.numParameters(),
          optimizer.kind().id(),
          optimizer.learningRate(),
          optimizer.batchFraction(),
          steps,
          precision.id(),
          Blas.implementationName(),
          Activation.implementationName());
      DataShape shape = Datasets.shapeOf(spec);
      Datasets.Cached trainData;
      Datasets.Cached validationData = null;
      if (validationFraction > 0) {
        Datasets.Split split =
            Datasets.loadSplitAndCache(
                jsc, train, shape, partitions, blockSize, level, validationFraction, seed);
        trainData = split.train();
        validationData = split.validation();
      } else {
        trainData = Datasets.loadAndCache(jsc, "train", train, shape, partitions, blockSize, level);
      }
      Datasets.requireTwoClasses(trainData, shape, train.path());
      Datasets.Cached testData =
          test == null
              ? null
              : Datasets.loadAndCache(jsc, "test", test, shape, partitions, blockSize, level);
      double[] start = initial == null ? Initializer.initialize(spec, seed) : initial.weights();
      Trainer.History history = new Trainer.History();
      Trainer trainer = new Trainer(jsc, config);
      if (checkpointDir != null) {
        CheckpointFiles files =
            new CheckpointFiles(
                    checkpointDir,
                    keepCheckpoints,
                    jsc.hadoopConfiguration(),
                    spec,
                    optimizer,
                    seed)
                .withSettings(o.effective());
        trainer.checkpointTo(files, checkpointEvery, checkpointUnit.equals("step"));
        Checkpoint newest = resume ? files.newest() : null;
        if (newest != null) {
          trainer.resumeFrom(newest);
          newest.history().forEach(history);
        } else if (resume) {
          LOG.info("no usable checkpoint in {}; starting from the beginning", checkpointDir);
        }
      }
      double[] weights =
          trainer.fit(
              trainData.blocks(),
              validationData == null ? null : validationData.blocks(),
              testData == null ? null : testData.blocks(),
              start,
              history);

      // Under early stopping the kept weights are the best epoch's, not the last one's.
      EpochStats last = history.epochs().get(trainer.keptEpoch() - 1);
      Map<String, String> metadata = new LinkedHashMap<>();
      metadata.put("createdBy", "sparkprop " + version());
      metadata.put("createdAt", Instant.now().toString());
      metadata.put("optimizer", optimizer.kind().id());
      metadata.put("learningRate", Double.toString(optimizer.learningRate()));
      metadata.put("batchFraction", Double.toString(optimizer.batchFraction()));
      metadata.put("steps", Integer.toString(steps));
      metadata.put("seed", Long.toString(seed));
      metadata.put("trainExamples", Long.toString(trainData.examples()));
      metadata.put("epoch", Integer.toString(last.epoch()));
      metadata.put("trainLoss", Double.toString(last.trainLoss()));
      if (validationData != null) {
        metadata.put("validationExamples", Long.toString(validationData.examples()));
        metadata.put("validationLoss", Double.toString(last.validationLoss()));
      }
      if (testData != null) {
        metadata.put("testLoss", Double.toString(last.testLoss()));
        metadata.put("testAccuracy", Double.toString(last.testAccuracy()));
      }
      if (initial != null) {
        metadata.put("initModel", o.get("init-model"));
      }
      ModelFile.write(
          new Model(spec, weights, metadata), modelOut, jsc.hadoopConfiguration(), overwrite);
      String historyPath = HistoryFile.pathFor(modelOut);
      HistoryFile.write(history.epochs(), historyPath, jsc.hadoopConfiguration(), overwrite);
      Evaluation testEvaluation =
          testData == null
              ? null
              : Trainer.evaluate(jsc, spec, testData.blocks(), weights, blockSize, treeDepth);
      String reportPath = TrainingReport.pathFor(modelOut);
      TrainingReport.write(
          history.epochs(),
          new TrainingReport.Summary(
              modelOut,
              spec,
              o.effective(),
              trainData.examples(),
              validationData == null ? -1 : validationData.examples(),
              testData == null ? -1 : testData.examples(),
              trainer.keptEpoch(),
              testEvaluation,
              Blas.implementationName()),
          reportPath,
          jsc.hadoopConfiguration(),
          overwrite);
      EpochStats end = history.last();
      out.printf(
          Locale.ROOT,
          "trained %s for %d steps in %s%s: train loss %.5f%s%n",
          spec.layersString(),
          end.step(),
          clock(end.elapsedSeconds()),
          last == end ? "" : "; kept epoch " + last.epoch(),
          last.trainLoss(),
          testSummary(last));
      out.println(
          "model written to "
              + modelOut
              + ", history to "
              + historyPath
              + ", report to "
              + reportPath);
    }
  }

  /** The spec of a warm start: the model's, with any architecture flags required to agree. */
  private static NetworkSpec warmStartSpec(Options o, Model initial) throws UsageException {
    NetworkSpec spec = initial.spec();
    if (o.has("layers") || o.has("activation") || o.has("output") || o.has("loss")) {
      NetworkSpec requested = Settings.network(withModelDefaults(o, spec));
      if (!requested.equals(spec)) {
        throw new UsageException(
            "--init-model "
                + o.get("init-model")
                + " is "
                + spec
                + " but the options ask for "
                + requested);
      }
    }
    return spec;
  }

  private static Options withModelDefaults(Options o, NetworkSpec spec) throws UsageException {
    java.util.List<String> args = new java.util.ArrayList<>();
    args.add("--layers");
    args.add(o.has("layers") ? o.get("layers") : spec.layersString().replace('-', ','));
    args.add("--activation");
    args.add(o.has("activation") ? o.get("activation") : spec.hiddenActivation().id());
    args.add("--output");
    args.add(o.has("output") ? o.get("output") : spec.outputActivation().id());
    args.add("--loss");
    args.add(o.has("loss") ? o.get("loss") : spec.loss().id());
    return Options.parse("train", args.toArray(new String[0]));
  }

  static void evaluate(Options o, PrintStream out) throws UsageException, IOException {
    DataSource test =
        Settings.dataSource(o, "test", "test-labels").withBadRecords(Settings.badRecords(o));
    String modelPath = o.required("model");
    int partitions = o.getInt("partitions", 0);
    int blockSize = o.getInt("block-size", 1);
    int treeDepth = o.getInt("tree-depth", 1);
    StorageLevel level = Settings.storageLevel(o);
    try (JavaSparkContext jsc = startSpark(o, "evaluate")) {
      Model model = ModelFile.read(modelPath, jsc.hadoopConfiguration());
      NetworkSpec spec = model.spec();
      Datasets.Cached data =
          Datasets.loadAndCache(
              jsc, "test", test, Datasets.shapeOf(spec), partitions, blockSize, level);
      Evaluation e =
          Trainer.evaluate(jsc, spec, data.blocks(), model.weights(), blockSize, treeDepth);
      out.printf(Locale.ROOT, "examples %d%nloss %.6f%n", e.count(), e.meanLoss());
      if (e.isClassification()) {
        out.printf(Locale.ROOT, "accuracy %.4f%n", e.accuracy());
        out.println("confusion matrix (rows: true class, columns: predicted class)");
        for (int actual = 0; actual < e.classes(); actual++) {
          StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%4d:", actual));
          for (int predicted = 0; predicted < e.classes(); predicted++) {
            row.append(String.format(Locale.ROOT, " %6d", e.confusion(actual, predicted)));
          }
          out.println(row);
        }
      } else {
        out.printf(Locale.ROOT, "rmse %.6f%n", e.rmse(spec.numOutputs()));
      }
    }
  }

  static void predict(Options o, PrintStream out) throws UsageException, IOException {
    DataSource input = Settings.dataSource(o, "input", null);
    String modelPath = o.required("model");
    String predictions = o.required("predictions");
    int blockSize = o.getInt("block-size", 1);
    try (JavaSparkContext jsc = startSpark(o, "predict")) {
      Model model = ModelFile.read(modelPath, jsc.hadoopConfiguration());
      refuseExisting(predictions, false, null, jsc.hadoopConfiguration());
      Predictor.predict(jsc, model.spec(), model.weights(), input, blockSize, predictions);
      out.println("predictions written to " + predictions);
    }
  }

  static void inspect(Options o, PrintStream out) throws UsageException, IOException {
    String path = o.required("model");
    Model model = ModelFile.read(path, new Configuration());
    if (o.getBoolean("json")) {
      ModelFile.writeJson(model, out);
      out.flush();
      return;
    }
    NetworkSpec spec = model.spec();
    out.println("model " + path);
    out.println("format " + ModelFile.FORMAT + " v" + ModelFile.VERSION);
    out.println("layers " + spec.layersString());
    out.println("hidden activation " + spec.hiddenActivation().id());
    out.println("output activation " + spec.outputActivation().id());
    out.println("loss " + spec.loss().id());
    out.println("parameters " + spec.numParameters());
    model.metadata().forEach((k, v) -> out.println("metadata " + k + " = " + v));
  }

  private static JavaSparkContext startSpark(Options o, String command)
      throws UsageException, IOException {
    SparkConf conf = new SparkConf().setAppName("sparkprop " + command);
    if (o.has("master")) {
      conf.setMaster(o.get("master"));
    }
    if (!conf.contains("spark.master")) {
      throw new UsageException(
          "no Spark master: submit with spark-submit --master …, or pass "
              + "--master local[*] to run in this JVM");
    }
    conf.setIfMissing("spark.ui.showConsoleProgress", "false");
    adoptWorkerSecret(conf, System.getenv(WORKER_SECRET_ENV));
    JavaSparkContext jsc = new JavaSparkContext(conf);
    String refusal = refusal(jsc.master(), jsc.sc().applicationId(), jsc.sc().isStopped());
    if (refusal != null) {
      jsc.stop();
      throw new IOException(refusal);
    }
    return jsc;
  }

  /**
   * Why a just-started context cannot run jobs, or null. When a standalone master never registers
   * the application (wrong secret, master unreachable), Spark's constructor still returns and a
   * background thread stops the context a moment later; a job submitted in that window may wait
   * forever. Only a registered application has a master-assigned id ({@code app-…}); otherwise the
   * id is Spark's local fallback {@code spark-application-…}.
   */
  static String refusal(String master, String applicationId, boolean stopped) {
    if (master.startsWith("spark://") && applicationId.startsWith("spark-application-")) {
      return "the standalone master "
          + master
          + " did not register the application (see the errors above; a missing or wrong"
          + " spark.authenticate.secret is a common cause)";
    }
    if (stopped) {
      return "Spark stopped while starting (see the errors above)";
    }
    return null;
  }

  /** Where a standalone Worker puts the authentication secret for the processes it launches. */
  static final String WORKER_SECRET_ENV = "_SPARK_AUTH_SECRET";

  /**
   * In standalone cluster deploy mode the Worker removes spark.authenticate.secret from the
   * driver's command line and passes it in the environment, but Spark 4.1 requires the config key
   * and the driver fails to start (SPARK-25078). The driver takes the secret it was given.
   */
  static void adoptWorkerSecret(SparkConf conf, String workerSecret) {
    if (conf.getBoolean("spark.authenticate", false)
        && !conf.contains("spark.authenticate.secret")
        && workerSecret != null
        && !workerSecret.isEmpty()) {
      conf.set("spark.authenticate.secret", workerSecret);
    }
  }

  /**
   * Fails when {@code path} exists and may not be replaced; {@code flag} is the way out, if any.
   */
  private static void refuseExisting(
      String path, boolean overwrite, String flag, Configuration conf) throws IOException {
    Path p = new Path(path);
    if (!overwrite && p.getFileSystem(conf).exists(p)) {
      throw new IOException(
          path
              + " already exists"
              + (flag == null ? "; choose a new path" : " (pass " + flag + " to replace it)"));
    }
  }

  private static String testSummary(EpochStats last) {
    String validation =
        Double.isNaN(last.validationLoss())
            ? ""
            : String.format(Locale.ROOT, ", validation loss %.5f", last.validationLoss());
    if (Double.isNaN(last.testLoss())) {
      return validation;
    }
    String accuracy =
        Double.isNaN(last.testAccuracy())
            ? ""
            : String.format(Locale.ROOT, ", test accuracy %.2f%%", 100 * last.testAccuracy());
    return validation + String.format(Locale.ROOT, ", test loss %.5f%s", last.testLoss(), accuracy);
  }

  private static String clock(double seconds) {
    return String.format(Locale.ROOT, "%.1fs", seconds);
  }

  static String version() {
    String v = Main.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
