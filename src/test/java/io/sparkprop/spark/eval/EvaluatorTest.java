package io.sparkprop.spark.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.ReferenceNetwork;
import io.sparkprop.data.DataSource;
import io.sparkprop.data.Example;
import io.sparkprop.data.ExampleBlock;
import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.spark.LocalSpark;
import io.sparkprop.spark.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Evaluation and prediction of hand-written models on small data sets they get partly wrong,
 * against {@link ReferenceNetwork}, an independent one-example-at-a-time implementation: loss,
 * accuracy, confusion matrix, RMSE and the predicted activations.
 */
class EvaluatorTest {
  private static final double SAME = 1e-12;

  /** 2-3-3, tanh hidden layer, softmax output. */
  private static final NetworkSpec CLASSIFIER =
      NetworkSpec.of(new int[] {2, 3, 3}, Activation.TANH, Activation.SOFTMAX, Loss.CROSS_ENTROPY);

  /**
   * W¹ column by column (the weights from input 1 into the 3 neurons, then from input 2), b¹, then
   * W² column by column (from hidden neuron 1, 2, 3) and b².
   */
  private static final double[] CLASSIFIER_WEIGHTS = {
    1.0, -1.0, 0.5, 0.5, 1.0, -1.5, 0.0, 0.25, -0.25, 2.0, -1.0, 0.0, -1.0, 2.0, 0.5, 0.0, 0.5, 2.0,
    0.1, 0.0, -0.1
  };

  private static final double[][] X = {
    {1, 0}, {0, 1}, {-1, -1}, {0.5, 0.5}, {-0.5, 1}, {1, -1}, {0.25, -0.75}, {-1, 0.5}, {0, 0}
  };
  private static final int[] LABELS = {0, 1, 2, 0, 1, 2, 1, 0, 2};

  /** 2-2-1 regression: identity hidden and output layers, squared error. */
  private static final NetworkSpec REGRESSION =
      NetworkSpec.of(
          new int[] {2, 2, 1}, Activation.IDENTITY, Activation.IDENTITY, Loss.SQUARED_ERROR);

  /** W¹ (2 × 2, column by column), b¹, W² (1 × 2), b². */
  private static final double[] REGRESSION_WEIGHTS = {
    0.5, -1.0, 2.0, 0.25, 0.1, 0.0, 1.5, -2.0, 0.3
  };

  private static final double[] REAL_TARGETS = {1.0, -2.0, 0.5, 3.0, 0.0, -1.0, 2.0, 0.25, -0.5};

  /** 2-2-2 multi-label: sigmoid hidden and output layers, cross-entropy, 0/1 targets. */
  private static final NetworkSpec MULTI_LABEL =
      NetworkSpec.of(
          new int[] {2, 2, 2}, Activation.SIGMOID, Activation.SIGMOID, Loss.CROSS_ENTROPY);

  private static final double[] MULTI_LABEL_WEIGHTS = {
    0.5, -1.0, 2.0, 0.25, 0.1, 0.0, 1.5, 0.5, -2.0, 1.0, 0.3, -0.2
  };

  private static JavaSparkContext jsc;

  @BeforeAll
  static void start() {
    jsc = LocalSpark.start("evaluator");
  }

  @AfterAll
  static void stop() {
    jsc.stop();
  }

  private static double[] oneHot(int label) {
    double[] y = new double[3];
    y[label] = 1;
    return y;
  }

  /** The examples in uneven blocks (4, 1, 4) over two partitions. */
  private static JavaRDD<ExampleBlock> blocks(NetworkSpec spec, List<double[]> targets) {
    List<Example> examples = new ArrayList<>();
    for (int i = 0; i < X.length; i++) {
      examples.add(new Example(i, targets.get(i), null, X[i].clone()));
    }
    return jsc.parallelize(TestData.blocks(spec, examples, 4, 1, 4), 2);
  }

  private static List<double[]> classTargets() {
    List<double[]> targets = new ArrayList<>();
    for (int label : LABELS) {
      targets.add(oneHot(label));
    }
    return targets;
  }

  @Test
  void evaluate_classifierGettingSomeWrong_matchesTheReferenceExample_byExample() {
    ReferenceNetwork reference =
        new ReferenceNetwork(new int[] {2, 3, 3}, "tanh", "softmax", CLASSIFIER_WEIGHTS);
    double loss = 0;
    long[][] confusion = new long[3][3];
    int correct = 0;
    for (int i = 0; i < X.length; i++) {
      loss += reference.loss(X[i], oneHot(LABELS[i]));
      int predicted = reference.predictedClass(X[i]);
      confusion[LABELS[i]][predicted]++;
      correct += predicted == LABELS[i] ? 1 : 0;
    }
    assertTrue(correct > 0 && correct < X.length, "the model should get some right, some wrong");

    Evaluation e =
        new Evaluator(jsc, CLASSIFIER, 4, 2)
            .evaluate(blocks(CLASSIFIER, classTargets()), CLASSIFIER_WEIGHTS);

    assertEquals(X.length, e.count());
    assertEquals(loss / X.length, e.meanLoss(), SAME * loss);
    assertEquals((double) correct / X.length, e.accuracy(), 0.0);
    for (int actual = 0; actual < 3; actual++) {
      assertArrayEquals(confusion[actual], e.confusionMatrix()[actual], "true class " + actual);
    }
  }

  @Test
  void evaluate_regression_matchesTheReferenceLossAndRmse() {
    ReferenceNetwork reference =
        new ReferenceNetwork(new int[] {2, 2, 1}, "identity", "identity", REGRESSION_WEIGHTS);
    double squared = 0;
    List<double[]> targets = new ArrayList<>();
    for (int i = 0; i < X.length; i++) {
      double[] y = {REAL_TARGETS[i]};
      targets.add(y);
      squared += reference.loss(X[i], y);
    }

    Evaluation e =
        new Evaluator(jsc, REGRESSION, 4, 2)
            .evaluate(blocks(REGRESSION, targets), REGRESSION_WEIGHTS);

    assertEquals(false, e.isClassification());
    assertEquals(squared / X.length, e.meanLoss(), SAME * squared);
    assertEquals(Math.sqrt(squared / X.length), e.rmse(1), SAME);
  }

  /** Several sigmoid outputs, each its own yes/no: the loss, and the error per output value. */
  @Test
  void evaluate_multiLabel_matchesTheReferenceLossAndRmsePerOutput() {
    ReferenceNetwork reference =
        new ReferenceNetwork(new int[] {2, 2, 2}, "sigmoid", "sigmoid", MULTI_LABEL_WEIGHTS);
    double loss = 0;
    double squared = 0;
    List<double[]> targets = new ArrayList<>();
    for (int i = 0; i < X.length; i++) {
      double[] y = {LABELS[i] == 1 ? 1 : 0, LABELS[i] == 2 ? 1 : 0};
      targets.add(y);
      loss += reference.loss(X[i], y);
      double[] a = reference.outputs(X[i]);
      squared += (a[0] - y[0]) * (a[0] - y[0]) + (a[1] - y[1]) * (a[1] - y[1]);
    }

    Evaluation e =
        new Evaluator(jsc, MULTI_LABEL, 4, 2)
            .evaluate(blocks(MULTI_LABEL, targets), MULTI_LABEL_WEIGHTS);

    assertEquals(false, e.isClassification());
    assertEquals(loss / X.length, e.meanLoss(), SAME * loss);
    // Root mean squared error per output value: 9 examples × 2 outputs.
    assertEquals(Math.sqrt(squared / (X.length * 2)), e.rmse(2), SAME);
  }

  @Test
  void predict_classifier_writesTheReferenceClassAndActivationsInInputOrder(@TempDir Path dir)
      throws IOException {
    List<String[]> lines = predict(dir, CLASSIFIER, CLASSIFIER_WEIGHTS);
    ReferenceNetwork reference =
        new ReferenceNetwork(new int[] {2, 3, 3}, "tanh", "softmax", CLASSIFIER_WEIGHTS);

    assertEquals(X.length, lines.size());
    for (int i = 0; i < X.length; i++) {
      String[] fields = lines.get(i);
      assertEquals(4, fields.length, "the class, then 3 activations: " + String.join(",", fields));
      assertEquals(reference.predictedClass(X[i]), Integer.parseInt(fields[0]), "row " + i);
      double[] a = reference.outputs(X[i]);
      for (int k = 0; k < 3; k++) {
        assertEquals(a[k], Double.parseDouble(fields[k + 1]), SAME * a[k], "row " + i);
      }
    }
  }

  @Test
  void predict_regression_writesJustTheOutputs(@TempDir Path dir) throws IOException {
    List<String[]> lines = predict(dir, REGRESSION, REGRESSION_WEIGHTS);
    ReferenceNetwork reference =
        new ReferenceNetwork(new int[] {2, 2, 1}, "identity", "identity", REGRESSION_WEIGHTS);

    assertEquals(X.length, lines.size());
    for (int i = 0; i < X.length; i++) {
      assertEquals(1, lines.get(i).length, "the output and no class, for regression");
      double a = reference.outputs(X[i])[0];
      assertEquals(a, Double.parseDouble(lines.get(i)[0]), SAME * Math.abs(a) + 1e-15);
    }
  }

  /** Predicts {@code X} written as LIBSVM (label 0) and reads the part files in name order. */
  private static List<String[]> predict(Path dir, NetworkSpec spec, double[] weights)
      throws IOException {
    Path input = dir.resolve("input.libsvm");
    List<String> rows = new ArrayList<>();
    for (double[] x : X) {
      rows.add("0 1:" + x[0] + " 2:" + x[1]);
    }
    Files.write(input, rows);
    Path out = dir.resolve("predictions");
    Predictor.predict(jsc, spec, weights, DataSource.libsvm(input.toString()), 4, out.toString());
    List<String[]> lines = new ArrayList<>();
    try (Stream<Path> parts = Files.list(out)) {
      for (Path part :
          parts.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList()) {
        Files.readAllLines(part).forEach(line -> lines.add(line.split(",")));
      }
    }
    return lines;
  }

  @Test
  void evaluate_weightedExamples_weighsLossAccuracyAndRmseByTheWeights() {
    double[] w = {2, 0, 1, 3, 0.5, 1, 1, 4, 0};
    List<Example> examples = new ArrayList<>();
    for (int i = 0; i < X.length; i++) {
      examples.add(new Example(i, oneHot(LABELS[i]), null, X[i].clone(), w[i]));
    }
    JavaRDD<ExampleBlock> blocks =
        jsc.parallelize(TestData.blocks(CLASSIFIER, examples, 4, 1, 4), 2);
    ReferenceNetwork reference =
        new ReferenceNetwork(new int[] {2, 3, 3}, "tanh", "softmax", CLASSIFIER_WEIGHTS);
    double loss = 0;
    double right = 0;
    double total = 0;
    for (int i = 0; i < X.length; i++) {
      loss += w[i] * reference.loss(X[i], oneHot(LABELS[i]));
      right += reference.predictedClass(X[i]) == LABELS[i] ? w[i] : 0;
      total += w[i];
    }
    Evaluation e = new Evaluator(jsc, CLASSIFIER, 4, 2).evaluate(blocks, CLASSIFIER_WEIGHTS);
    assertEquals(X.length, e.count(), "the count is of examples");
    assertEquals(total, e.weight(), 0);
    assertEquals(loss / total, e.meanLoss(), SAME * loss);
    assertEquals(right / total, e.accuracy(), SAME);
  }

  /** X as a Parquet table: a string key, a vector column (sparse in odd rows), a label. */
  private static String table(Path dir, String name, boolean withBadRow) {
    List<org.apache.spark.sql.Row> rows = new ArrayList<>();
    for (int i = 0; i < X.length; i++) {
      org.apache.spark.ml.linalg.Vector v = org.apache.spark.ml.linalg.Vectors.dense(X[i]);
      rows.add(
          org.apache.spark.sql.RowFactory.create(
              "k" + i, i % 2 == 1 ? v.toSparse() : v, (double) LABELS[i]));
    }
    if (withBadRow) {
      rows.add(
          org.apache.spark.sql.RowFactory.create(
              "bad", org.apache.spark.ml.linalg.Vectors.dense(1, 2, 3), 0.0));
    }
    org.apache.spark.sql.types.StructType schema =
        new org.apache.spark.sql.types.StructType()
            .add("key", org.apache.spark.sql.types.DataTypes.StringType)
            .add("features", org.apache.spark.ml.linalg.SQLDataTypes.VectorType())
            .add("label", org.apache.spark.sql.types.DataTypes.DoubleType);
    String path = dir.resolve(name).toString();
    io.sparkprop.spark.load.TableLoader.session(jsc)
        .createDataFrame(rows, schema)
        .repartition(2)
        .write()
        .parquet(path);
    return path;
  }

  private static DataSource tableSource(String path) {
    return DataSource.table(
        path, io.sparkprop.data.TableColumns.vector("parquet", "features", "label"));
  }

  @Test
  void predict_tableToParquet_keepsTheKeyAndWritesSparkMlColumns(@TempDir Path dir)
      throws IOException {
    String input = table(dir, "input", false);
    String out = dir.resolve("table-predictions").toString();
    Predictor.predict(
        jsc,
        CLASSIFIER,
        CLASSIFIER_WEIGHTS,
        tableSource(input),
        4,
        new Predictor.Output(out, PredictionFormat.PARQUET, List.of("key"), 0));
    ReferenceNetwork reference =
        new ReferenceNetwork(new int[] {2, 3, 3}, "tanh", "softmax", CLASSIFIER_WEIGHTS);
    org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> read =
        io.sparkprop.spark.load.TableLoader.session(jsc).read().parquet(out);
    assertEquals(
        "key string, prediction double, probability vector, rawPrediction vector",
        java.util.Arrays.stream(read.schema().fields())
            .map(
                f ->
                    f.name()
                        + " "
                        + (f.dataType() instanceof org.apache.spark.sql.types.UserDefinedType<?>
                            ? "vector"
                            : f.dataType().simpleString()))
            .collect(java.util.stream.Collectors.joining(", ")));
    List<org.apache.spark.sql.Row> rows = read.collectAsList();
    assertEquals(X.length, rows.size());
    List<String[]> textLines = predict(dir, CLASSIFIER, CLASSIFIER_WEIGHTS);
    for (org.apache.spark.sql.Row row : rows) {
      int i = Integer.parseInt(row.getString(0).substring(1));
      double[] a = reference.outputs(X[i]);
      assertEquals(reference.predictedClass(X[i]), row.getDouble(1), 0, "row " + i);
      double[] probability = ((org.apache.spark.ml.linalg.Vector) row.get(2)).toArray();
      double[] raw = ((org.apache.spark.ml.linalg.Vector) row.get(3)).toArray();
      double max = Math.max(raw[0], Math.max(raw[1], raw[2]));
      double sum = 0;
      for (double z : raw) {
        sum += Math.exp(z - max);
      }
      String[] text = textLines.get(i);
      assertEquals(Integer.parseInt(text[0]), row.getDouble(1), 0, "as the text predictions");
      for (int k = 0; k < 3; k++) {
        assertEquals(Double.parseDouble(text[k + 1]), probability[k], SAME, "as the text");
        assertEquals(a[k], probability[k], SAME, "probability, row " + i);
        // rawPrediction is z: softmax of it gives the probabilities.
        assertEquals(a[k], Math.exp(raw[k] - max) / sum, SAME, "softmax(raw), row " + i);
      }
    }
  }

  @Test
  void predict_tableToCsvAndText_flattensTheVectorsAndKeepsFullPrecision(@TempDir Path dir)
      throws IOException {
    String input = table(dir, "input", false);
    ReferenceNetwork reference =
        new ReferenceNetwork(new int[] {2, 3, 3}, "tanh", "softmax", CLASSIFIER_WEIGHTS);
    String csv = dir.resolve("csv").toString();
    Predictor.predict(
        jsc,
        CLASSIFIER,
        CLASSIFIER_WEIGHTS,
        tableSource(input),
        4,
        new Predictor.Output(csv, PredictionFormat.CSV, List.of("key"), 0));
    List<org.apache.spark.sql.Row> rows =
        io.sparkprop.spark.load.TableLoader.session(jsc)
            .read()
            .option("header", "true")
            .option("inferSchema", "true")
            .csv(csv)
            .select("key", "prediction", "probability_0", "probability_1", "probability_2")
            .collectAsList();
    assertEquals(X.length, rows.size());
    for (org.apache.spark.sql.Row row : rows) {
      int i = Integer.parseInt(row.getString(0).substring(1));
      double[] a = reference.outputs(X[i]);
      for (int k = 0; k < 3; k++) {
        assertEquals(a[k], row.getDouble(2 + k), SAME, "row " + i);
      }
    }

    String text = dir.resolve("text").toString();
    Predictor.predict(
        jsc,
        CLASSIFIER,
        CLASSIFIER_WEIGHTS,
        tableSource(input),
        4,
        new Predictor.Output(text, PredictionFormat.TEXT, List.of("key"), 0));
    List<String> lines = new ArrayList<>();
    try (Stream<Path> parts = Files.list(Path.of(text))) {
      for (Path part :
          parts.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList()) {
        lines.addAll(Files.readAllLines(part));
      }
    }
    assertEquals(X.length, lines.size());
    for (String line : lines) {
      String[] fields = line.split(",");
      int i = Integer.parseInt(fields[0].substring(1));
      assertEquals(reference.predictedClass(X[i]), Integer.parseInt(fields[1]));
      double[] a = reference.outputs(X[i]);
      for (int k = 0; k < 3; k++) {
        assertEquals(a[k], Double.parseDouble(fields[2 + k]), SAME, "row " + i);
      }
    }
  }

  @Test
  void predict_singleSigmoid_writesSparkMlBinaryColumns(@TempDir Path dir) {
    NetworkSpec binary =
        NetworkSpec.of(
            new int[] {2, 2, 1}, Activation.TANH, Activation.SIGMOID, Loss.CROSS_ENTROPY);
    double[] weights = {0.5, -1.0, 2.0, 0.25, 0.1, 0.0, 1.5, -2.0, 0.3};
    String out = dir.resolve("binary").toString();
    Predictor.predict(
        jsc,
        binary,
        weights,
        tableSource(table(dir, "input", false)),
        4,
        new Predictor.Output(out, PredictionFormat.PARQUET, List.of("key"), 0));
    ReferenceNetwork reference =
        new ReferenceNetwork(new int[] {2, 2, 1}, "tanh", "sigmoid", weights);
    for (org.apache.spark.sql.Row row :
        io.sparkprop.spark.load.TableLoader.session(jsc).read().parquet(out).collectAsList()) {
      int i = Integer.parseInt(row.getString(0).substring(1));
      double p = reference.outputs(X[i])[0];
      double[] probability = ((org.apache.spark.ml.linalg.Vector) row.get(2)).toArray();
      double[] raw = ((org.apache.spark.ml.linalg.Vector) row.get(3)).toArray();
      assertEquals(p >= 0.5 ? 1.0 : 0.0, row.getDouble(1));
      assertEquals(1 - p, probability[0], SAME);
      assertEquals(p, probability[1], SAME);
      assertEquals(-raw[0], raw[1], 0);
      assertEquals(p, 1 / (1 + Math.exp(-raw[1])), SAME, "raw is z, p = σ(z)");
    }
  }

  @Test
  void predict_failingOnABadRow_leavesNothingAtTheOutputPath(@TempDir Path dir) throws IOException {
    String input = table(dir, "input", true);
    Path out = dir.resolve("predictions");
    Exception e =
        org.junit.jupiter.api.Assertions.assertThrows(
            Exception.class,
            () ->
                Predictor.predict(
                    jsc,
                    CLASSIFIER,
                    CLASSIFIER_WEIGHTS,
                    tableSource(input),
                    4,
                    new Predictor.Output(
                        out.toString(), PredictionFormat.PARQUET, List.of("key"), 0)));
    Throwable t = e;
    while (t.getCause() != null && !(t instanceof io.sparkprop.data.DataFormatException)) {
      t = t.getCause();
    }
    assertTrue(
        t.getMessage().contains("(key bad)") || t.getMessage().contains("expected 2 features"),
        t.getMessage());
    assertTrue(!Files.exists(out), "nothing at the output path");
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(List.of("input"), left.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void predict_toAnExistingPath_isRefusedAndLeavesItAlone(@TempDir Path dir) throws IOException {
    Path out = Files.createDirectory(dir.resolve("predictions"));
    Files.writeString(out.resolve("keep"), "keep me");
    Exception e =
        org.junit.jupiter.api.Assertions.assertThrows(
            java.io.UncheckedIOException.class,
            () ->
                Predictor.predict(
                    jsc,
                    CLASSIFIER,
                    CLASSIFIER_WEIGHTS,
                    tableSource(table(dir, "input", false)),
                    4,
                    new Predictor.Output(out.toString(), PredictionFormat.PARQUET, List.of(), 0)));
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    try (Stream<Path> left = Files.list(out)) {
      assertEquals(List.of("keep"), left.map(p -> p.getFileName().toString()).toList());
    }
  }
}
