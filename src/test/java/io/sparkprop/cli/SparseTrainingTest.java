package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.CapturedLog;
import io.sparkprop.Weights;
import io.sparkprop.model.ModelFile;
import io.sparkprop.spark.run.ProgressLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sparse blocks change how the data is kept and how the first layer runs, not what is computed:
 * training on sparse and on dense blocks of the same LIBSVM file ends with the same model within
 * 1e-9 relative (full passes and sampled steps, binary and real values), and evaluate and predict
 * give the same numbers.
 */
class SparseTrainingTest {
  private static final double SAME_MODEL = 1e-9;

  /**
   * 400 examples of 3,000 features, 12 nonzeros each; the class is whether feature 1..50 is set.
   */
  private static Path sparseData(Path dir, boolean binary) throws IOException {
    SplittableRandom random = new SplittableRandom(binary ? 1 : 2);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      int[] indices = random.ints(1, 3001).distinct().limit(12).sorted().toArray();
      StringBuilder line = new StringBuilder(indices[0] <= 250 ? "1" : "0");
      for (int index : indices) {
        line.append(' ').append(index).append(':');
        line.append(binary ? "1" : Double.toString(random.nextDouble(0.1, 2)));
      }
      lines.add(line.toString());
    }
    return Files.write(dir.resolve(binary ? "binary.libsvm" : "real.libsvm"), lines);
  }

  private static double[] weights(String model) throws IOException {
    return ModelFile.read(model, new Configuration()).weights();
  }

  @Test
  void sparseAndDenseBlocks_trainTheSameModel_andEvaluateAndPredictAlike(@TempDir Path dir)
      throws IOException {
    for (boolean binary : new boolean[] {true, false}) {
      Path data = sparseData(dir, binary);
      for (String fraction : List.of("1", "0.5")) {
        List<double[]> models = new ArrayList<>();
        for (String sparse : List.of("off", "on", "auto")) {
          String model = dir.resolve((binary ? "b" : "r") + fraction + sparse + ".json").toString();
          CliRun train =
              Args.train(data, model)
                  .with("--layers", "3000,8,2", "--output", "softmax", "--optimizer", "momentum")
                  .with("--learning-rate", "0.5", "--epochs", "4", "--seed", "3")
                  .with("--batch-fraction", fraction, "--partitions", "2", "--sparse", sparse)
                  .run();
          assertEquals(0, train.code(), train.err());
          models.add(weights(model));
        }
        for (int k = 1; k < 3; k++) {
          double difference = Weights.maxRelativeDifference(models.get(0), models.get(k));
          assertTrue(
              difference <= SAME_MODEL,
              "binary " + binary + ", fraction " + fraction + ", case " + k + ": " + difference);
        }
      }
      // One model read through dense and sparse blocks: the same evaluation and predictions.
      String model = dir.resolve((binary ? "b" : "r") + "1off.json").toString();
      List<String> evaluations = new ArrayList<>();
      List<List<String>> predictions = new ArrayList<>();
      for (String sparse : List.of("off", "on")) {
        CliRun evaluate =
            Args.of("evaluate")
                .local()
                .with("--test", data.toString(), "--model", model, "--sparse", sparse)
                .run();
        assertEquals(0, evaluate.code(), evaluate.err());
        evaluations.add(evaluate.out());
        String out = dir.resolve((binary ? "b" : "r") + "-p-" + sparse).toString();
        CliRun predict =
            Args.of("predict")
                .local()
                .with("--input", data.toString(), "--model", model, "--predictions", out)
                .with("--sparse", sparse)
                .run();
        assertEquals(0, predict.code(), predict.err());
        predictions.add(lines(Path.of(out)));
      }
      assertEquals(evaluations.get(0), evaluations.get(1), "loss to 6 places, accuracy, matrix");
      assertEquals(400, predictions.get(1).size());
      for (int i = 0; i < 400; i++) {
        String[] dense = predictions.get(0).get(i).split(",");
        String[] sparse = predictions.get(1).get(i).split(",");
        assertEquals(dense[0], sparse[0], "class of row " + i);
        for (int k = 1; k < dense.length; k++) {
          assertEquals(
              Double.parseDouble(dense[k]), Double.parseDouble(sparse[k]), 1e-12, "row " + i);
        }
      }
    }
  }

  /**
   * A sampled step gathers its examples from sparse blocks as sparse columns: over 2^21 features a
   * dense gather of one 128-example block would need 2.1 GB, past this test's 2 GB heap.
   */
  @Test
  void sampledSteps_overAMillionFeatures_gatherSparse(@TempDir Path dir) throws IOException {
    SplittableRandom random = new SplittableRandom(4);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      int[] indices = random.ints(1, (1 << 21) + 1).distinct().limit(10).sorted().toArray();
      StringBuilder line = new StringBuilder(indices[0] <= 1 << 19 ? "1" : "0");
      for (int index : indices) {
        line.append(' ').append(index).append(":1");
      }
      lines.add(line.toString());
    }
    Path data = Files.write(dir.resolve("wide.libsvm"), lines);
    String model = dir.resolve("wide.json").toString();
    CliRun train;
    String log;
    try (CapturedLog progress = new CapturedLog(ProgressLog.class)) {
      train =
          Args.train(data, model)
              .with("--layers", (1 << 21) + ",2,1", "--output", "sigmoid", "--optimizer", "sgd")
              .with("--learning-rate", "0.5", "--epochs", "2", "--seed", "3", "--sparse", "on")
              .with("--batch-fraction", "0.5", "--partitions", "2")
              .run();
      log = progress.text();
    }
    assertEquals(0, train.code(), train.err());
    assertEquals((1 << 21) * 2 + 2 + 2 + 1, weights(model).length);
    // The progress line names what a step moved: 4,194,309 weights of 8 bytes out; back, from
    // each partition, about 75 examples' 750 columns of ∂W¹ (20 bytes a column with its index)
    // and the 5 entries after W¹, some 15 KB, where the dense gradient is 33.6 MB.
    assertTrue(log.contains("33.6 MB of weights broadcast"), log);
    Matcher back =
        Pattern.compile(
                "([0-9.]+) KB of gradients from 2 partitions \\(2 of them touched columns only\\)")
            .matcher(log);
    assertTrue(back.find(), log);
    double kilobytes = Double.parseDouble(back.group(1));
    assertTrue(kilobytes > 2 * 600 * 20 / 1e3 && kilobytes < 2 * 900 * 20 / 1e3, log);
  }

  /**
   * convert writes a sparse block's examples straight as sparse vectors: training from the table
   * gives the model training from the LIBSVM text gives.
   */
  @Test
  void convert_ofSparseBlocks_writesTheSameExamples(@TempDir Path dir) throws IOException {
    Path data = sparseData(dir, false);
    String table = dir.resolve("real.parquet").toString();
    CliRun convert =
        Args.of("convert")
            .local()
            .with("--input", data.toString(), "--layers", "3000,8,2", "--table-out", table)
            .run();
    assertEquals(0, convert.code(), convert.err());
    List<double[]> models = new ArrayList<>();
    for (boolean fromTable : new boolean[] {false, true}) {
      String model = dir.resolve(fromTable + ".json").toString();
      CliRun train =
          Args.train(fromTable ? Path.of(table) : data, model)
              .with("--layers", "3000,8,2", "--output", "softmax", "--optimizer", "gd")
              .with("--learning-rate", "0.5", "--epochs", "3", "--seed", "3")
              .with("--cache-precision", "float64", "--partitions", "2")
              .with(
                  fromTable
                      ? new String[] {"--format", "parquet", "--features-col", "features"}
                      : new String[0])
              .run();
      assertEquals(0, train.code(), train.err());
      models.add(weights(model));
    }
    double difference = Weights.maxRelativeDifference(models.get(0), models.get(1));
    assertTrue(difference <= SAME_MODEL, "text against table: " + difference);
  }

  /** The part files' lines, in order. */
  private static List<String> lines(Path dir) throws IOException {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> parts = Files.list(dir)) {
      for (Path part :
          parts.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList()) {
        lines.addAll(Files.readAllLines(part));
      }
    }
    return lines;
  }
}
