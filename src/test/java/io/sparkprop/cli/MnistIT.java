package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's demo on the real MNIST files (fetched by scripts/fetch-mnist.sh before the
 * integration tests): conf/mnist.properties (Adam with L2) in local[2] must reach at least 98.0 %
 * accuracy on the 10,000 test images, as measured by a separate {@code evaluate} run over the
 * written model.
 */
class MnistIT {
  private static final double REQUIRED_ACCURACY = 0.980;

  private static String run(String... args) {
    CliRun run = CliRun.of(args);
    assertEquals(0, run.code(), run.err());
    return run.out();
  }

  @Test
  void mnistConfig_localTwoCores_reaches98PercentTestAccuracy(@TempDir Path dir) {
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
  }
}
