package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.Weights;
import io.sparkprop.model.ModelFile;
import java.io.IOException;
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
 * checkpoints, then run again with --resume, says it resumes from the newest checkpoint and ends
 * with the model of an uninterrupted run; the killed run's lock is taken over. A resume with no
 * checkpoint starts afresh; one with only another run's is refused.
 */
class ResumeIT {
  private static final double SAME_MODEL = 1e-9;

  /** A checkpoint's name, the step its group 1. */
  private static final String CHECKPOINT = "checkpoint-[0-9a-f]+-(\\d+)\\.json";

  @Test
  void driverKilledMidRun_resumeEndsWithTheUninterruptedModel(@TempDir Path dir) throws Exception {
    Path data = writeData(dir.resolve("train.libsvm"));
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

    long newest = newestCheckpointStep(checkpoints);
    Launched resume =
        launch(
            dir.resolve("resume.log"),
            with(
                args,
                "--model-out",
                resumed,
                "--checkpoint-dir",
                checkpoints.toString(),
                "--resume"));
    assertEquals(0, resume.code(), resume.output());
    assertTrue(newest >= 3, "the killed run had got to step " + newest);
    assertTrue(resume.output().contains("taking over "), "the dead run's lock: " + resume.output());
    assertFalse(Files.exists(checkpoints.resolve("sparkprop.lock")), "the lock goes with the run");
    assertTrue(
        resume.output().contains("resuming after step " + newest + " "),
        "resumed from the newest checkpoint, step " + newest + ": " + resume.output());

    assertSameModel(reference, resumed);
    List<String> history = Files.readAllLines(dir.resolve("resumed.history.csv"));
    assertEquals(61, history.size(), "the resumed run's history holds all 60 epochs");
  }

  /**
   * A nightly job may always pass --resume: with no checkpoint it says so and starts from the
   * beginning. A directory holding only another run's checkpoints (another seed, another optimizer)
   * is refused, naming the difference, rather than silently started over; without --resume that run
   * trains beside them and leaves them alone.
   */
  @Test
  void resume_withNoCheckpointStartsAfresh_withOnlyAnotherRunsIsRefused(@TempDir Path dir)
      throws Exception {
    Path data = writeData(dir.resolve("train.libsvm"));
    String reference = dir.resolve("reference.json").toString();
    CliRun fresh = CliRun.of(shortRun(data, "5", "momentum", reference));
    assertEquals(0, fresh.code(), fresh.err());

    Path none = dir.resolve("none");
    String fromNone = dir.resolve("from-none.json").toString();
    Launched empty =
        launch(
            dir.resolve("none.log"),
            with(
                List.of(shortRun(data, "5", "momentum", fromNone)),
                "--checkpoint-dir",
                none.toString(),
                "--resume"));
    assertEquals(0, empty.code(), empty.output());
    assertTrue(empty.output().contains("no checkpoint of this run in " + none), empty.output());
    assertSameModel(reference, fromNone);

    String[][] foreign = {
      {"6", "momentum", "seed is '6' there, '5' here"},
      {"5", "nesterov", "optimizer is 'nesterov' there, 'momentum' here"}
    };
    for (String[] other : foreign) {
      String name = "seed" + other[0] + "-" + other[1];
      Path checkpoints = dir.resolve(name);
      CliRun writer =
          CliRun.of(
              with(
                  List.of(shortRun(data, other[0], other[1], dir.resolve(name + ".json") + "")),
                  "--checkpoint-dir",
                  checkpoints.toString()));
      assertEquals(0, writer.code(), writer.err());
      long theirs = newestCheckpointStep(checkpoints);
      assertTrue(theirs > 0, "checkpoints of another run: " + name);

      String model = dir.resolve("over-" + name + ".json").toString();
      List<String> resume = List.of(shortRun(data, "5", "momentum", model));
      CliRun refused =
          CliRun.of(with(resume, "--checkpoint-dir", checkpoints.toString(), "--resume"));
      assertEquals(2, refused.code(), refused.err());
      assertTrue(refused.err().contains("holds no checkpoint of this run"), refused.err());
      assertTrue(refused.err().contains(other[2]), refused.err());
      assertFalse(Files.exists(Path.of(model)), "a refused run writes no model");

      long before = checkpointCount(checkpoints);
      CliRun beside = CliRun.of(with(resume, "--checkpoint-dir", checkpoints.toString()));
      assertEquals(0, beside.code(), beside.err());
      assertSameModel(reference, model);
      assertEquals(2 * before, checkpointCount(checkpoints), "as many of this run's as of theirs");
      assertEquals(theirs, newestCheckpointStep(checkpoints), "theirs untouched");
    }
  }

  /** Three epochs of 4 sampled steps, in local[2]. */
  private static String[] shortRun(Path data, String seed, String optimizer, String model) {
    return new String[] {
      "train",
      "--master",
      "local[2]",
      "--train",
      data.toString(),
      "--layers",
      "20,16,3",
      "--optimizer",
      optimizer,
      "--learning-rate",
      "0.2",
      "--batch-fraction",
      "0.25",
      "--epochs",
      "3",
      "--partitions",
      "2",
      "--seed",
      seed,
      "--model-out",
      model
    };
  }

  private static void assertSameModel(String expectedPath, String actualPath) throws IOException {
    double[] expected = ModelFile.read(expectedPath, new Configuration()).weights();
    double[] actual = ModelFile.read(actualPath, new Configuration()).weights();
    double difference = Weights.maxRelativeDifference(expected, actual);
    assertTrue(difference <= SAME_MODEL, "relative difference " + difference);
  }

  private record Launched(int code, String output) {}

  /** Runs sparkprop in its own JVM through the launcher, its log and output in {@code log}. */
  private static Launched launch(Path log, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", "scripts/sparkprop"));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("SPARKPROP_JAVA_OPTS", "-Xmx1g");
    Process process = builder.start();
    assertTrue(process.waitFor(180, TimeUnit.SECONDS), "timed out: " + Files.readString(log));
    return new Launched(process.exitValue(), Files.readString(log));
  }

  private static long newestCheckpointStep(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(name -> name.matches(CHECKPOINT))
          .mapToLong(name -> Long.parseLong(name.replaceAll(CHECKPOINT, "$1")))
          .max()
          .orElse(0);
    }
  }

  /** 2000 examples of 20 random features and one of 3 random classes. */
  private static Path writeData(Path data) throws IOException {
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
    return data;
  }

  private static long checkpointCount(Path dir) throws java.io.IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().matches(CHECKPOINT)).count();
    }
  }

  private static String[] with(List<String> args, String... more) {
    List<String> all = new ArrayList<>(args);
    all.addAll(List.of(more));
    return all.toArray(new String[0]);
  }
}
