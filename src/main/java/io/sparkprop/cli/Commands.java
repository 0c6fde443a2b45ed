package io.sparkprop.cli;

import io.sparkprop.data.CachePrecision;
import io.sparkprop.data.DataSource;
import io.sparkprop.ml.MllibExport;
import io.sparkprop.model.Model;
import io.sparkprop.model.ModelFile;
import io.sparkprop.model.ModelFormatException;
import io.sparkprop.model.OnnxExport;
import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.spark.eval.Evaluation;
import io.sparkprop.spark.eval.Evaluator;
import io.sparkprop.spark.eval.PredictionFormat;
import io.sparkprop.spark.eval.Predictor;
import io.sparkprop.spark.load.Datasets;
import io.sparkprop.spark.load.ExamplesTable;
import io.sparkprop.spark.load.TableLoader;
import io.sparkprop.spark.run.Checkpoint;
import io.sparkprop.spark.run.CheckpointFiles;
import io.sparkprop.spark.run.CheckpointLock;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/** The six subcommands. Options are fully validated before Spark starts. */
final class Commands {
  private Commands() {}

  /**
   * Validates the job before Spark starts, takes the checkpoint directory's lock and decides where
   * to start, trains, then writes the model, its history and its report.
   */
  static void train(Options o, PrintStream out) throws UsageException, IOException {
    SparkConf conf = SparkStart.conf(o, "train");
    TrainJob job = TrainJob.from(o, conf);
    CheckpointFiles files = CheckpointStart.files(job, SparkStart.hadoopConfiguration(conf));
    try (CheckpointLock lock =
        files == null
            ? null
            : CheckpointLock.acquire(files.directory(), SparkStart.hadoopConfiguration(conf))) {
      Checkpoint resumed = CheckpointStart.decide(job, files);
      try (JavaSparkContext jsc = SparkStart.start(conf)) {
        TrainingResult result = new TrainingRun(jsc, job, files, resumed).run();
        TrainOutputs.write(job, result, jsc.hadoopConfiguration(), out);
      }
    }
  }

  static void evaluate(Options o, PrintStream out) throws UsageException, IOException {
    DataSource test =
        Settings.dataSource(o, "test", "test-labels").withBadRecords(Settings.badRecords(o));
    String modelPath = o.required("model");
    int partitions = o.getInt("partitions", 0, Options.MAX_PARTITIONS);
    int blockSize = o.getInt("block-size", 1, Options.MAX_BLOCK_SIZE);
    int treeDepth = o.getInt("tree-depth", 1, Options.MAX_TREE_DEPTH);
    StorageLevel level = Settings.storageLevel(o);
    try (JavaSparkContext jsc = SparkStart.start(SparkStart.conf(o, "evaluate"))) {
      Model model = ModelFile.read(modelPath, jsc.hadoopConfiguration());
      NetworkSpec spec = model.spec();
      Settings.checkLabelColumn(o, test, spec);
      Datasets.Cached data =
          Datasets.loadAndCache(
              jsc, "test", test, Datasets.shapeOf(spec), partitions, blockSize, level);
      Evaluation e =
          new Evaluator(jsc, spec, blockSize, treeDepth).evaluate(data.blocks(), model.weights());
      out.printf(Locale.ROOT, "examples %d%n", e.count());
      if (e.weight() != e.count()) {
        out.printf(Locale.ROOT, "total weight %s (loss, accuracy and rmse weighted)%n", e.weight());
      }
      out.printf(Locale.ROOT, "loss %.6f%n", e.meanLoss());
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
    int blockSize = o.getInt("block-size", 1, Options.MAX_BLOCK_SIZE);
    PredictionFormat format =
        o.has("predictions-format")
            ? Settings.parse(o, "predictions-format", PredictionFormat::parse)
            : input.table() != null ? PredictionFormat.PARQUET : PredictionFormat.TEXT;
    List<String> keep = Settings.columns(o, "keep-cols");
    if (!keep.isEmpty() && input.table() == null) {
      throw new UsageException(
          "--keep-cols carries table columns through: it needs table input (--format parquet,"
              + " orc, table, …)");
    }
    int partitions = o.getInt("partitions", 0, Options.MAX_PARTITIONS);
    if (partitions > 0 && input.table() != null) {
      throw new UsageException(
          "--partitions splits file input for predict; a table is read in Spark's own splits"
              + " (spark.sql.files.maxPartitionBytes sets their size)");
    }
    SparkConf conf = SparkStart.conf(o, "predict");
    SparkStart.requireMaster(conf);
    OutputPaths.requireNew(predictions, SparkStart.hadoopConfiguration(conf));
    try (JavaSparkContext jsc = SparkStart.start(conf)) {
      Model model = ModelFile.read(modelPath, jsc.hadoopConfiguration());
      Settings.checkLabelColumn(o, input, model.spec());
      Predictor.predict(
          jsc,
          model.spec(),
          model.weights(),
          input,
          blockSize,
          new Predictor.Output(predictions, format, keep, partitions));
      out.println("predictions written to " + predictions + " as " + format.id());
    }
  }

  /**
   * Reads a data set as training would (the network given by --layers and --output decides how
   * labels read) and writes it as a table with columns label and features.
   */
  static void convert(Options o, PrintStream out) throws UsageException, IOException {
    DataSource input =
        Settings.dataSource(o, "input", null)
            .withBadRecords(Settings.badRecords(o))
            .withPrecision(CachePrecision.FLOAT64);
    String table = o.required("table-out");
    String format = Settings.parse(o, "table-format", Commands::tableFormat);
    int[] layers = Settings.layers(o);
    Activation output;
    try {
      output =
          o.has("output")
              ? Activation.parse(o.get("output"))
              : layers[layers.length - 1] > 1 ? Activation.SOFTMAX : Activation.SIGMOID;
    } catch (IllegalArgumentException e) {
      throw new UsageException(o.where("output") + ": " + e.getMessage());
    }
    Loss loss = output == Activation.IDENTITY ? Loss.SQUARED_ERROR : Loss.CROSS_ENTROPY;
    NetworkSpec spec = new NetworkSpec(layers, Activation.SIGMOID, output, loss);
    SparkConf conf = SparkStart.conf(o, "convert");
    SparkStart.requireMaster(conf);
    OutputPaths.requireNew(table, SparkStart.hadoopConfiguration(conf));
    try (JavaSparkContext jsc = SparkStart.start(conf)) {
      Datasets.Cached data =
          Datasets.loadAndCache(
              jsc,
              "input",
              input,
              Datasets.shapeOf(spec),
              o.getInt("partitions", 0, Options.MAX_PARTITIONS),
              o.getInt("block-size", 1, Options.MAX_BLOCK_SIZE),
              StorageLevel.MEMORY_AND_DISK());
      ExamplesTable.write(jsc, data.blocks(), Datasets.shapeOf(spec), format, table);
      out.printf(
          Locale.ROOT,
          "%d examples written to %s as %s (columns label, features)%n",
          data.examples(),
          table,
          format);
    }
  }

  private static String tableFormat(String name) {
    String f = name.trim().toLowerCase(Locale.ROOT);
    if (!List.of("parquet", "orc", "json").contains(f)) {
      throw new IllegalArgumentException(
          "table format must be one of parquet, orc, json (formats that hold vectors), found '"
              + name
              + "'");
    }
    return f;
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
    String mllibVersion = model.metadata().get("mllibSparkVersion");
    out.println(
        "format "
            + (model.metadata().containsKey("importedFrom")
                ? "Spark MLlib MultilayerPerceptronClassificationModel (Spark " + mllibVersion + ")"
                : ModelFile.FORMAT + " v" + ModelFile.VERSION));
    out.println("layers " + spec.layersString());
    out.println("hidden activation " + spec.hiddenActivation().id());
    out.println("output activation " + spec.outputActivation().id());
    out.println("loss " + spec.loss().id());
    out.println("parameters " + spec.numParameters());
    model.metadata().forEach((k, v) -> out.println("metadata " + k + " = " + v));
  }

  /**
   * Writes a model where other tools score it: a Spark MLlib model directory, or an ONNX file. What
   * the format cannot represent is refused before anything is written.
   */
  static void export(Options o, PrintStream out) throws UsageException, IOException {
    String modelPath = o.required("model");
    String target = o.required("out");
    o.required("format");
    String format = Settings.parse(o, "format", Commands::exportFormat);
    boolean overwrite = o.getBoolean("overwrite");
    SparkConf conf = SparkStart.conf(o, "export");
    Configuration hadoop = SparkStart.hadoopConfiguration(conf);
    Model model = ModelFile.read(modelPath, hadoop);
    try {
      if (format.equals("onnx")) {
        OnnxExport.write(model, target, hadoop, overwrite);
        out.printf(
            Locale.ROOT,
            "%s written to %s as ONNX (opset %d): input features [N, %d], outputs %s%n",
            modelPath,
            target,
            OnnxExport.OPSET,
            model.spec().numInputs(),
            String.join(", ", OnnxExport.outputNames(model.spec())));
        return;
      }
      MllibExport.check(model.spec());
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(modelPath, e.getMessage());
    }
    MllibDirectories.requireWritable(target, hadoop, overwrite);
    conf.setIfMissing("spark.master", "local[1]");
    try (JavaSparkContext jsc = SparkStart.start(conf)) {
      SparkSession spark = TableLoader.session(jsc);
      MllibDirectories.write(
          target, jsc.hadoopConfiguration(), overwrite, dir -> MllibExport.save(model, dir, spark));
    }
    out.printf(
        Locale.ROOT,
        "%s written to %s as a Spark MLlib MultilayerPerceptronClassificationModel (layers %s)%n",
        modelPath,
        target,
        model.spec().layersString());
  }

  private static String exportFormat(String name) {
    String f = name.trim().toLowerCase(Locale.ROOT);
    if (!f.equals("mllib") && !f.equals("onnx")) {
      throw new IllegalArgumentException("must be mllib or onnx, found '" + name + "'");
    }
    return f;
  }

  static String version() {
    String v = Main.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
