package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import io.sparkprop.model.Model;
import io.sparkprop.model.ModelFile;
import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.spark.LocalSpark;
import io.sparkprop.spark.load.TableLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sparkprop export} through the command line: a trained model exported for Spark MLlib and
 * for ONNX scores in MLlib (1e-9) and in ONNX Runtime (1e-5) as {@code sparkprop predict} does; the
 * MLlib directory is read back by {@code inspect} and warm-starts {@code train}; and what cannot be
 * exported, or would replace something, is refused before anything is written.
 */
class ExportTest {
  private static final int FEATURES = 4;
  private static final int EXAMPLES = 60;

  /** Three classes, each pulling its own feature up; LIBSVM lines and the features as read. */
  private static double[][] data(Path file) throws IOException {
    SplittableRandom random = new SplittableRandom(21);
    double[][] x = new double[EXAMPLES][FEATURES];
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < EXAMPLES; i++) {
      int label = i % 3;
      text.append(label);
      for (int j = 0; j < FEATURES; j++) {
        // Values a float holds exactly: predict caches features as float32.
        x[i][j] = Math.round((random.nextDouble(-1, 1) + (j == label ? 1.5 : 0)) * 64) / 64.0;
        text.append(String.format(Locale.ROOT, " %d:%s", j + 1, x[i][j]));
      }
      text.append('\n');
    }
    Files.writeString(file, text);
    return x;
  }

  private static CliRun ok(CliRun run) {
    assertEquals(0, run.code(), run.err());
    return run;
  }

  private static CliRun train(Path data, Path model, String hidden) {
    return Args.train(data, model.toString())
        .with("--layers", FEATURES + ",5,3", "--activation", hidden, "--output", "softmax")
        .with("--optimizer", "adam", "--learning-rate", "0.05", "--iterations", "30")
        .run();
  }

  /** {@code predict}'s text output for the data. */
  private static Scored predicted(Path data, Path model, Path out) throws IOException {
    return predicted(data, model, out, true);
  }

  private static Scored predicted(Path data, Path model, Path out, boolean withClass)
      throws IOException {
    ok(
        Args.of("predict")
            .local()
            .with("--model", model.toString(), "--input", data.toString())
            .with("--predictions", out.toString())
            .run());
    return Scored.predictText(out, withClass);
  }

  @Test
  void mllibAndOnnx_scoreAsPredict_andTheMllibDirectoryReadsBack(@TempDir Path dir)
      throws IOException, OrtException {
    Path data = dir.resolve("three.libsvm");
    double[][] x = data(data);
    Path model = dir.resolve("m.json");
    ok(train(data, model, "sigmoid"));
    Scored predicted = predicted(data, model, dir.resolve("predictions"));
    assertEquals(EXAMPLES, predicted.classes().length);

    Path mllib = dir.resolve("mllib");
    CliRun export =
        ok(
            Args.of("export")
                .with("--model", model.toString(), "--format", "mllib", "--out", mllib.toString())
                .run());
    assertTrue(export.out().contains("written to " + mllib), export.out());
    Path onnx = dir.resolve("m.onnx");
    export =
        ok(
            Args.of("export")
                .with("--model", model.toString(), "--format", "onnx", "--out", onnx.toString())
                .run());
    assertEquals(
        model
            + " written to "
            + onnx
            + " as ONNX (opset 13): input features [N, 4], outputs probability, prediction\n",
        export.out());

    checkMllib(mllib, x, predicted);
    Scored onnxScores = Scored.onnx(onnx, x);
    assertTrue(onnxScores.maxDifference(predicted) <= 1e-5, "ONNX Runtime against predict");
    assertEquals(0, onnxScores.differentClasses(predicted));

    String inspect = ok(Args.of("inspect").with("--model", mllib.toString()).run()).out();
    assertTrue(
        inspect.contains("format Spark MLlib MultilayerPerceptronClassificationModel"), inspect);
    assertTrue(
        inspect.contains("layers 4-5-3\nhidden activation sigmoid\noutput activation softmax"),
        inspect);

    // A warm start from the MLlib directory: one step of η = 1e-9 from its weights.
    Path warm = dir.resolve("warm.json");
    ok(
        Args.train(data, warm.toString())
            .with("--init-model", mllib.toString(), "--learning-rate", "1e-9")
            .with("--iterations", "1", "--seed", "99")
            .run());
    Configuration conf = new Configuration();
    double[] before = ModelFile.read(model.toString(), conf).weights();
    Model after = ModelFile.read(warm.toString(), conf);
    assertEquals(mllib.toString(), after.metadata().get("initModel"));
    for (int i = 0; i < before.length; i++) {
      assertEquals(before[i], after.weights()[i], 1e-6, "parameter " + i);
    }
  }

  /** MLlib's own reader and transform give predict's probabilities and classes. */
  private static void checkMllib(Path dir, double[][] x, Scored predicted) {
    JavaSparkContext jsc = LocalSpark.start("export-check");
    try {
      SparkSession spark = TableLoader.session(jsc);
      MultilayerPerceptronClassificationModel mllib =
          MultilayerPerceptronClassificationModel.load(dir.toString());
      List<Row> rows = new ArrayList<>();
      for (int i = 0; i < x.length; i++) {
        rows.add(RowFactory.create(i, Vectors.dense(x[i])));
      }
      StructType schema =
          new StructType()
              .add("id", org.apache.spark.sql.types.DataTypes.IntegerType)
              .add("features", SQLDataTypes.VectorType());
      List<Row> scored =
          mllib
              .transform(spark.createDataFrame(rows, schema))
              .orderBy("id")
              .select("probability", "prediction")
              .collectAsList();
      for (int i = 0; i < x.length; i++) {
        double[] p = ((Vector) scored.get(i).get(0)).toArray();
        for (int k = 0; k < 3; k++) {
          assertEquals(predicted.probability()[i][k], p[k], 1e-9, "example " + i + " class " + k);
        }
        assertEquals(predicted.classes()[i], scored.get(i).getDouble(1), "example " + i);
      }
    } finally {
      jsc.stop();
    }
  }

  @Test
  void onnx_everyActivationWithEveryOutput_scoresAsPredict(@TempDir Path dir)
      throws IOException, OrtException {
    Path data = dir.resolve("three.libsvm");
    double[][] x = data(data);
    int checked = 0;
    for (Activation hidden :
        List.of(Activation.SIGMOID, Activation.TANH, Activation.RELU, Activation.IDENTITY)) {
      for (Activation output :
          List.of(Activation.SOFTMAX, Activation.SIGMOID, Activation.IDENTITY)) {
        for (int units : output == Activation.SOFTMAX ? new int[] {3} : new int[] {1, 3}) {
          Model model = randomModel(hidden, output, units, 31 + checked);
          String name = "m" + checked++;
          Path file = dir.resolve(name + ".json");
          ModelFile.write(model, file.toString(), new Configuration(), false);
          boolean oneClass =
              output != Activation.IDENTITY
                  ? units == 1 || output == Activation.SOFTMAX
                  : units > 1;
          Scored predicted = predicted(data, file, dir.resolve(name + "-predictions"), oneClass);
          Path onnx = dir.resolve(name + ".onnx");
          ok(
              Args.of("export")
                  .with("--model", file.toString(), "--format", "onnx", "--out", onnx.toString())
                  .run());
          Scored scored =
              Scored.onnx(onnx, x, output == Activation.IDENTITY ? "output" : "probability");
          String what = model.spec().toString();
          assertTrue(
              scored.maxDifference(predicted) <= 1e-5,
              what + ": " + scored.maxDifference(predicted));
          assertEquals(oneClass, scored.classes() != null, what);
          if (oneClass) {
            assertEquals(0, scored.differentClasses(predicted), what);
          }
        }
      }
    }
    assertEquals(20, checked);
  }

  /**
   * Weights large enough that every unit matters, over the data's 4 features and 4 hidden units.
   */
  private static Model randomModel(Activation hidden, Activation output, int units, long seed) {
    NetworkSpec spec =
        new NetworkSpec(
            new int[] {FEATURES, 4, units},
            hidden,
            output,
            output == Activation.IDENTITY ? Loss.SQUARED_ERROR : Loss.CROSS_ENTROPY);
    SplittableRandom random = new SplittableRandom(seed);
    double[] w = new double[spec.numParameters()];
    for (int i = 0; i < w.length; i++) {
      w[i] = random.nextDouble(-1, 1);
    }
    return new Model(spec, w, Map.of());
  }

  @Test
  void whatCannotBeExported_orWouldReplaceSomething_isRefusedBeforeWriting(@TempDir Path dir)
      throws IOException {
    Path data = dir.resolve("three.libsvm");
    data(data);
    Path tanh = dir.resolve("tanh.json");
    ok(train(data, tanh, "tanh"));
    Path out = dir.resolve("out");
    CliRun refused =
        Args.of("export")
            .with("--model", tanh.toString(), "--format", "mllib", "--out", out.toString())
            .run();
    assertEquals(1, refused.code());
    assertEquals(
        "sparkprop export: "
            + tanh
            + ": Spark MLlib's MLP cannot represent this 4-5-3 hidden=tanh output=softmax"
            + " loss=cross-entropy model: hidden activation tanh (MLlib's hidden layers are"
            + " sigmoid); export it as ONNX (--format onnx)\n",
        refused.err());
    assertEquals(false, Files.exists(out));

    Path sigmoid = dir.resolve("sigmoid.json");
    ok(train(data, sigmoid, "sigmoid"));
    String[] mllib = {"--model", sigmoid.toString(), "--format", "mllib", "--out", out.toString()};
    ok(Args.of("export").with(mllib).run());
    refused = Args.of("export").with(mllib).run();
    assertEquals(1, refused.code());
    assertEquals(
        "sparkprop export: " + out + " already exists (pass --overwrite to replace it)\n",
        refused.err());
    ok(Args.of("export").with(mllib).with("--overwrite").run());
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(
          List.of(),
          left.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList(),
          "no temporary directory left beside the export");
    }
    assertArrayEquals(
        ModelFile.read(sigmoid.toString(), new Configuration()).weights(),
        ModelFile.read(out.toString(), new Configuration()).weights(),
        0.0);

    CliRun badFormat =
        Args.of("export")
            .with("--model", sigmoid.toString(), "--format", "pmml", "--out", "x")
            .run();
    assertEquals(2, badFormat.code());
    assertTrue(
        badFormat
            .err()
            .startsWith("sparkprop export: --format: must be mllib or onnx, found 'pmml'"),
        badFormat.err());
    CliRun noFormat = Args.of("export").with("--model", sigmoid.toString(), "--out", "x").run();
    assertEquals(2, noFormat.code());
    assertTrue(
        noFormat.err().startsWith("sparkprop export: --format is required for 'export'"),
        noFormat.err());
  }
}
