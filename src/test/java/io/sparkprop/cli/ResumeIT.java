package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.Weights;
import io.sparkprop.model.ModelFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training driver (its own JVM, started by scripts/sparkprop) killed with SIGKILL after a few
 * checkpoints, then run again with --resume, ends with the model of an uninterrupted run.
 */
class ResumeIT {
  private static final double SAME_MODEL = 1e-9;

  @Test
  void driverKilledMidRun_resumeEndsWithTheUninterruptedModel(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("train.libsvm");
    SplittableRandom random = new SplittableRandom(2);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      StringBuilder line = new StringBuilder(Integer.toString(random.nextInt(3)));
      for (int f = 1; f <= 20; f++) {
        line.append(' ').append(f).append(':').append(random.nextDouble() - 0.5);
      }
      lines.add(line.toString());
    }
    Files.write(data, lines);
    List<String> args =
        List.of(
            "train",
            "--master",
            "local[2]",
            "--train",
            data.toString(),
            "--layers",
            "20,16,3",
            "--activation",
            "tanh",
            "--optimizer",
            "momentum",
            "--learning-rate",
            "0.2",
            "--batch-fraction",
            "0.25",
            "--epochs",
            "60",
            "--seed",
            "5",
            "--partitions",
            "2");

    String reference = dir.resolve("reference.json").toString();
    CliRun uninterrupted = CliRun.of(with(args, "--model-out", reference));
    assertEquals(0, uninterrupted.code(), uninterrupted.err());

    Path checkpoints = dir.resolve("checkpoints");
    String resumed = dir.resolve("resumed.json").toString();
    List<String> command = new ArrayList<>(List.of("bash", "scripts/sparkprop"));
    command.addAll(
        List.of(with(args, "--model-out", resumed, "--checkpoint-dir", checkpoints.toString())));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("killed.log").toFile());
    builder.environment().put("SPARKPROP_JAVA_OPTS", "-Xmx1g");
    Process driver = builder.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (checkpointCount(checkpoints) < 3) {
      assertTrue(
          driver.isAlive(),
          "the run ended before it could be killed: "
              + Files.readString(dir.resolve("killed.log")));
      assertTrue(System.nanoTime() < deadline, "no checkpoints within 120 s");
      Thread.sleep(20);
    }
    driver.destroyForcibly(); // SIGKILL: the launcher exec'd java, so this is the driver JVM
    assertTrue(driver.waitFor(30, TimeUnit.SECONDS));
    assertFalse(Files.exists(Path.of(resumed)), "killed mid-run: no model yet");

    CliRun resume =
        CliRun.of(
            with(
                args,
                "--model-out",
                resumed,
                "--checkpoint-dir",
                checkpoints.toString(),
                "--resume"));
    assertEquals(0, resume.code(), resume.err());

    double[] expected = ModelFile.read(reference, new Configuration()).weights();
    double[] actual = ModelFile.read(resumed, new Configuration()).weights();
    double difference = Weights.maxRelativeDifference(expected, actual);
    assertTrue(difference <= SAME_MODEL, "relative difference " + difference);
    List<String> history = Files.readAllLines(dir.resolve("resumed.history.csv"));
    assertEquals(61, history.size(), "the resumed run's history holds all 60 epochs");
  }

  private static long checkpointCount(Path dir) throws java.io.IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> p.getFileName().toString().matches("checkpoint-\\d+\\.json"))
          .count();
    }
  }

  private static String[] with(List<String> args, String... more) {
    List<String> all = new ArrayList<>(args);
    all.addAll(List.of(more));
    return all.toArray(new String[0]);
  }
}
