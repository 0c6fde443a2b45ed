package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import io.sparkprop.spark.LocalSpark;
import io.sparkprop.spark.load.TableLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model trained on the real MNIST files, exported for Spark MLlib and for ONNX, scores the 10,000
 * test images as {@code sparkprop predict} does: MLlib's own reader and transform within 1e-9 (and
 * the same classes), ONNX Runtime in float32 within 1e-5.
 */
class ExportIT {
  private static final int N = 10_000;
  private static final int PIXELS = 784;

  private static CliRun ok(CliRun run) {
    assertEquals(0, run.code(), run.err());
    return run;
  }

  @Test
  void mnistModel_exportedForMllibAndOnnx_scoresTheTestSetAsPredict(@TempDir Path dir)
      throws IOException, OrtException {
    Path mnist = Path.of(System.getProperty("sparkprop.mnist.dir", "data/mnist"));
    Path images = mnist.resolve("t10k-images-idx3-ubyte");
    assertTrue(Files.isRegularFile(images), "MNIST must be fetched by scripts/fetch-mnist.sh");
    Path model = dir.resolve("mnist.json");
    ok(
        Args.of("train")
            .local()
            .with("--format", "idx", "--train", mnist.resolve("train-images-idx3-ubyte").toString())
            .with("--layers", "784,64,10", "--activation", "sigmoid", "--output", "softmax")
            .with("--optimizer", "adam", "--learning-rate", "0.005", "--batch-fraction", "0.01")
            .with("--epochs", "1", "--model-out", model.toString())
            .run());
    Scored predicted = predicted(images, model, dir.resolve("predictions"));
    assertEquals(N, predicted.classes().length);

    Path mllib = dir.resolve("mllib");
    ok(
        Args.of("export")
            .with("--model", model.toString(), "--format", "mllib", "--out", mllib.toString())
            .run());
    Path onnx = dir.resolve("mnist.onnx");
    ok(
        Args.of("export")
            .with("--model", model.toString(), "--format", "onnx", "--out", onnx.toString())
            .run());

    double[][] x = pixels(images);
    int right = 0;
    byte[] labels = Files.readAllBytes(mnist.resolve("t10k-labels-idx1-ubyte"));
    for (int i = 0; i < N; i++) {
      right += predicted.classes()[i] == labels[8 + i] ? 1 : 0;
    }
    assertTrue(right > 0.85 * N, "a trained model, not noise: " + right + " of " + N);
    checkMllib(mllib, x, predicted);
    Scored onnxScores = Scored.onnx(onnx, x);
    double worst = onnxScores.maxDifference(predicted);
    assertTrue(worst <= 1e-5, "ONNX Runtime's probabilities differ from predict's by " + worst);
    // float32 may flip only a near tie, closer than the 1e-5 above.
    int different = onnxScores.differentClasses(predicted);
    assertTrue(different <= 2, different + " images classified differently");
  }

  /** The test images as IDX is read: pixel p as p × (1/255). */
  private static double[][] pixels(Path images) throws IOException {
    byte[] bytes = Files.readAllBytes(images);
    double[][] x = new double[N][PIXELS];
    for (int i = 0; i < N; i++) {
      for (int p = 0; p < PIXELS; p++) {
        x[i][p] = (bytes[16 + i * PIXELS + p] & 0xff) * (1.0 / 255); // after the 16-byte header
      }
    }
    return x;
  }

  /** {@code predict}'s text lines, in input order: the class, then the ten probabilities. */
  private static Scored predicted(Path images, Path model, Path out) throws IOException {
    ok(
        Args.of("predict")
            .local()
            .with("--format", "idx", "--input", images.toString())
            .with("--model", model.toString(), "--predictions", out.toString())
            .run());
    return Scored.predictText(out);
  }

  private static void checkMllib(Path dir, double[][] x, Scored predicted) {
    JavaSparkContext jsc = LocalSpark.start("export-mnist");
    try {
      List<Row> rows = new ArrayList<>(N);
      for (int i = 0; i < N; i++) {
        rows.add(RowFactory.create(i, Vectors.dense(x[i]).compressed()));
      }
      StructType schema =
          new StructType()
              .add("id", DataTypes.IntegerType)
              .add("features", SQLDataTypes.VectorType());
      List<Row> scored =
          MultilayerPerceptronClassificationModel.load(dir.toString())
              .transform(TableLoader.session(jsc).createDataFrame(rows, schema))
              .orderBy("id")
              .select("probability", "prediction")
              .collectAsList();
      double worst = 0;
      for (int i = 0; i < N; i++) {
        double[] p = ((Vector) scored.get(i).get(0)).toArray();
        for (int k = 0; k < 10; k++) {
          worst = Math.max(worst, Math.abs(p[k] - predicted.probability()[i][k]));
        }
        assertEquals(predicted.classes()[i], scored.get(i).getDouble(1), "image " + i);
      }
      assertTrue(worst <= 1e-9, "MLlib's probabilities differ from predict's by " + worst);
    } finally {
      jsc.stop();
    }
  }
}
