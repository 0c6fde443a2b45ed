package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.ReferenceNetwork;
import io.sparkprop.model.Model;
import io.sparkprop.model.ModelFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's demo on the real MNIST files (fetched by scripts/fetch-mnist.sh before the
 * integration tests): conf/mnist.properties (Adam with L2) in local[2] must reach at least 98.0 %
 * accuracy on the 10,000 test images, as measured by a separate {@code evaluate} run over the
 * written model, and by an independent forward pass over the raw IDX files, which the history's
 * last test loss and accuracy must also equal.
 */
class MnistIT {
  private static final double REQUIRED_ACCURACY = 0.980;

  private static String run(String... args) {
    CliRun run = CliRun.of(args);
    assertEquals(0, run.code(), run.err());
    return run.out();
  }

  @Test
  void mnistConfig_localTwoCores_reaches98PercentTestAccuracy(@TempDir Path dir)
      throws IOException {
    Path mnist = Path.of(System.getProperty("sparkprop.mnist.dir", "data/mnist"));
    assertTrue(
        Files.isRegularFile(mnist.resolve("train-images-idx3-ubyte")),
        "MNIST must be fetched by scripts/fetch-mnist.sh (the build does it)");
    String model = dir.resolve("mnist.json").toString();
    run("train", "--config", "conf/mnist.properties", "--master", "local[2]", "--model-out", model);

    String evaluation =
        run(
            "evaluate",
            "--config",
            "conf/mnist.properties",
            "--master",
            "local[2]",
            "--model",
            model);
    Matcher examples = Pattern.compile("examples (\\d+)").matcher(evaluation);
    Matcher accuracy = Pattern.compile("accuracy ([0-9.]+)").matcher(evaluation);
    assertTrue(examples.find() && accuracy.find(), evaluation);
    assertEquals(10_000, Long.parseLong(examples.group(1)));
    double measured = Double.parseDouble(accuracy.group(1));
    assertTrue(measured >= REQUIRED_ACCURACY, "test accuracy " + measured);

    // The same, computed independently from the model file and the raw IDX test files.
    Model trained = ModelFile.read(model, new Configuration());
    ReferenceNetwork reference =
        new ReferenceNetwork(trained.spec().layerSizes(), "relu", "softmax", trained.weights());
    byte[] images = Files.readAllBytes(mnist.resolve("t10k-images-idx3-ubyte"));
    byte[] labels = Files.readAllBytes(mnist.resolve("t10k-labels-idx1-ubyte"));
    int correct = 0;
    double loss = 0;
    for (int i = 0; i < 10_000; i++) {
      double[] x = new double[784];
      for (int p = 0; p < 784; p++) {
        x[p] = (images[16 + i * 784 + p] & 0xff) / 255.0; // after the 16-byte IDX header
      }
      int label = labels[8 + i];
      double[] y = new double[10];
      y[label] = 1;
      loss += reference.loss(x, y);
      correct += reference.predictedClass(x) == label ? 1 : 0;
    }
    double independent = correct / 10_000.0;
    assertEquals(independent, measured, 0.00005, "evaluate's accuracy, printed to 4 places");
    assertTrue(independent >= REQUIRED_ACCURACY, "independent test accuracy " + independent);
    String[] last = lastRow(Path.of(model.replace(".json", ".history.csv")));
    assertEquals(independent, Double.parseDouble(last[6]), 0.0, "the history's test accuracy");
    assertEquals(loss / 10_000, Double.parseDouble(last[5]), 1e-9, "the history's test loss");
  }

  private static String[] lastRow(Path csv) throws IOException {
    List<String> rows = Files.readAllLines(csv);
    return rows.get(rows.size() - 1).split(",", -1);
  }
}
