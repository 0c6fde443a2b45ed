package io.sparkprop.spark.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.Weights;
import io.sparkprop.data.ExampleBlock;
import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Initializer;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.optim.OptimizerSpec;
import io.sparkprop.spark.LocalSpark;
import io.sparkprop.spark.TestData;
import io.sparkprop.spark.Trainer;
import io.sparkprop.spark.TrainerConfig;
import io.sparkprop.spark.TrainingListener;
import io.sparkprop.spark.TrainingState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run stopped after a checkpoint and resumed ends where the uninterrupted run ends. */
class CheckpointTest {
  private static final double SAME_MODEL = 1e-9;
  private static final NetworkSpec SPEC =
      NetworkSpec.of(new int[] {6, 5, 3}, Activation.TANH, Activation.SOFTMAX, Loss.CROSS_ENTROPY);

  /** Momentum (state) with 50 % samples (the step decides the sample): 2 steps an epoch. */
  private static final OptimizerSpec OPTIMIZER =
      new OptimizerSpec(OptimizerSpec.Kind.MOMENTUM, 0.3, 0.9);

  private static JavaSparkContext jsc;
  private static JavaRDD<ExampleBlock> data;

  @BeforeAll
  static void start() {
    jsc = LocalSpark.start("checkpoint");
    data =
        jsc.parallelize(TestData.blocks(SPEC, TestData.examples(SPEC, 90, 8), 30, 30, 30), 2)
            .cache();
  }

  @AfterAll
  static void stop() {
    jsc.stop();
  }

  private static TrainerConfig config(int steps) {
    return TrainerConfig.builder(SPEC, OPTIMIZER)
        .batchFraction(0.5)
        .steps(steps)
        .seed(3)
        .blockSize(32)
        .build();
  }

  /** Trains from {@code from} with the listeners given, and returns the weights. */
  private static double[] fit(int steps, TrainingState from, TrainingListener... listeners) {
    Trainer trainer = new Trainer(jsc, config(steps));
    for (TrainingListener l : listeners) {
      trainer.addListener(l);
    }
    return trainer.fit(data, from).weights();
  }

  private static double[] fit(int steps, double[] start, TrainingListener... listeners) {
    return fit(steps, TrainingState.start(start), listeners);
  }

  /** Checkpoints every {@code every} epochs (or steps), keeping the run's history in them. */
  private static Checkpointing checkpointing(
      CheckpointFiles files, int every, boolean bySteps, History history) {
    return new Checkpointing(files, every, bySteps, history, null);
  }

  private static CheckpointFiles files(Path dir, int keep) {
    return new CheckpointFiles(dir.toString(), keep, jsc.hadoopConfiguration(), SPEC, OPTIMIZER, 3);
  }

  @Test
  void resume_afterCheckpoint_endsWithTheUninterruptedModel(@TempDir Path dir) throws IOException {
    double[] start = Initializer.initialize(SPEC, 1);
    double[] uninterrupted = fit(20, start);

    History firstHistory = new History();
    fit(8, start, firstHistory, checkpointing(files(dir, 2), 1, false, firstHistory));
    Checkpoint newest = files(dir, 2).newest();
    assertNotNull(newest);
    assertEquals(8, newest.step());
    assertEquals(4, newest.history().size());
    History resumedHistory = new History();
    double[] resumed = fit(20, newest.training(), resumedHistory);

    assertTrue(Weights.maxRelativeDifference(uninterrupted, resumed) <= SAME_MODEL);
    assertEquals(5, resumedHistory.epochs().get(0).epoch(), "continues at epoch 5");
  }

  @Test
  void resume_fromMidEpochCheckpoint_givesTheSameModelAndEpochLosses(@TempDir Path dir)
      throws IOException {
    double[] start = Initializer.initialize(SPEC, 1);
    History reference = new History();
    double[] uninterrupted = fit(20, start, reference);

    // Two steps an epoch: step 5 is the middle of epoch 3.
    History firstHistory = new History();
    fit(6, start, firstHistory, checkpointing(files(dir, 5), 5, true, firstHistory));
    Checkpoint mid = files(dir, 5).newest();
    assertEquals(5, mid.step());
    assertEquals(2, mid.epoch(), "two epochs complete");
    History resumedHistory = new History();
    double[] resumed = fit(20, mid.training(), resumedHistory);

    assertTrue(Weights.maxRelativeDifference(uninterrupted, resumed) <= SAME_MODEL);
    assertEquals(3, resumedHistory.epochs().get(0).epoch());
    assertEquals(
        reference.epochs().get(2).trainLoss(),
        resumedHistory.epochs().get(0).trainLoss(),
        1e-12,
        "epoch 3's loss includes the step taken before the checkpoint");
  }

  @Test
  void resume_fromTheLastStepOfARunEndingMidEpoch_completesThatEpochOnce(@TempDir Path dir)
      throws IOException {
    double[] start = Initializer.initialize(SPEC, 1);
    History reference = new History();
    double[] uninterrupted = fit(20, start, reference);

    // Five steps end in the middle of epoch 3: the run reports a part-epoch 3 ...
    History shortRun = new History();
    fit(5, start, shortRun, checkpointing(files(dir, 5), 1, true, shortRun));
    assertEquals(3, shortRun.last().epoch());
    // ... but its checkpoint keeps epoch 3 open, so that a longer run finishes it.
    Checkpoint last = files(dir, 5).newest();
    assertEquals(5, last.step());
    assertEquals(2, last.epoch());
    assertEquals(2, last.history().size());
    History resumedHistory = new History();
    double[] resumed = fit(20, last.training(), resumedHistory);

    assertTrue(Weights.maxRelativeDifference(uninterrupted, resumed) <= SAME_MODEL);
    assertEquals(8, resumedHistory.epochs().size(), "epochs 3 to 10, each once");
    assertEquals(3, resumedHistory.epochs().get(0).epoch());
    assertEquals(
        reference.epochs().get(2).trainLoss(), resumedHistory.epochs().get(0).trainLoss(), 1e-12);
  }

  @Test
  void resume_ofAFinishedRunShorterThanAnEpoch_reportsItsEpochAgain(@TempDir Path dir)
      throws IOException {
    double[] start = Initializer.initialize(SPEC, 1);
    History first = new History();
    double[] finished = fit(1, start, first, checkpointing(files(dir, 2), 1, true, first));

    History again = new History();
    Trainer.Result resumed =
        new Trainer(jsc, config(1)).addListener(again).fit(data, files(dir, 2).newest().training());

    assertTrue(Weights.maxRelativeDifference(finished, resumed.weights()) <= SAME_MODEL);
    assertEquals(1, again.epochs().size());
    assertEquals(first.last().trainLoss(), again.last().trainLoss(), 1e-12);
    assertEquals(1, resumed.epoch());
  }

  @Test
  void newest_corruptNewestFile_isSkippedForTheOneBefore(@TempDir Path dir) throws IOException {
    History history = new History();
    fit(
        6,
        Initializer.initialize(SPEC, 1),
        history,
        checkpointing(files(dir, 5), 1, false, history));
    String fingerprint = files(dir, 5).fingerprint();
    Files.writeString(
        dir.resolve("checkpoint-" + fingerprint + "-99.json"), "{\"format\":\"sparkprop-checkp");
    Checkpoint newest = files(dir, 5).newest();
    assertEquals(6, newest.step());
  }

  /**
   * A run's file past the step it writes (one that could not be read when it resumed) is not on its
   * path: it goes at the next write, and cannot outlive good checkpoints.
   */
  @Test
  void write_removesThisRunsUnreadableFilePastTheStepWritten(@TempDir Path dir) throws IOException {
    String garbage = "checkpoint-" + files(dir, 2).fingerprint() + "-99.json";
    Files.writeString(dir.resolve(garbage), "not json");
    History history = new History();
    fit(
        4,
        Initializer.initialize(SPEC, 1),
        history,
        checkpointing(files(dir, 2), 1, true, history));
    assertEquals(List.of(4L, 3L), ownSteps(dir, files(dir, 2)));
    assertTrue(Files.notExists(dir.resolve(garbage)));
  }

  /**
   * Runs of other settings share the directory: each prunes only its own files, so a run with fewer
   * steps keeps its checkpoints beside another run's newer ones, and leaves theirs and any other
   * file alone.
   */
  @Test
  void write_prunesOnlyThisRunsCheckpoints(@TempDir Path dir) throws IOException {
    History first = new History();
    fit(6, Initializer.initialize(SPEC, 1), first, checkpointing(files(dir, 2), 1, true, first));
    Files.writeString(dir.resolve("checkpoint-7.json"), "a version 1 name");
    Files.writeString(dir.resolve("notes.txt"), "the user's");

    CheckpointFiles other = files(dir, 2).withRun(Map.of("learning-rate", "0.05"));
    History second = new History();
    fit(3, Initializer.initialize(SPEC, 1), second, checkpointing(other, 1, true, second));

    assertEquals(List.of(3L, 2L), ownSteps(dir, other), "the new run keeps its own newest two");
    assertEquals(List.of(6L, 5L), ownSteps(dir, files(dir, 2)), "the first run's are untouched");
    assertTrue(Files.exists(dir.resolve("checkpoint-7.json")));
    assertTrue(Files.exists(dir.resolve("notes.txt")));
    assertEquals(
        "learning-rate is unset there, '0.05' here",
        other.whyNotThisRun(files(dir, 2).own().get(0)));
    assertTrue(
        other
            .whyNotThisRun(new org.apache.hadoop.fs.Path(dir.resolve("checkpoint-7.json").toUri()))
            .startsWith("Unrecognized token"),
        "a file that does not read says why");
  }

  /** The steps of {@code files}' checkpoints in {@code dir}, newest first, from the file names. */
  private static List<Long> ownSteps(Path dir, CheckpointFiles files) throws IOException {
    String prefix = "checkpoint-" + files.fingerprint() + "-";
    try (Stream<Path> all = Files.list(dir)) {
      return all.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith(prefix) && n.endsWith(".json"))
          .map(n -> Long.parseLong(n.substring(prefix.length(), n.length() - 5)))
          .sorted(java.util.Comparator.reverseOrder())
          .toList();
    }
  }

  @Test
  void write_keepsOnlyTheNewestK(@TempDir Path dir) throws IOException {
    CheckpointFiles writer = files(dir, 2).withSettings(java.util.Map.of("learning-rate", "0.3"));
    History history = new History();
    fit(10, Initializer.initialize(SPEC, 1), history, checkpointing(writer, 1, false, history));
    String prefix = "checkpoint-" + writer.fingerprint() + "-";
    assertTrue(
        Files.readString(dir.resolve(prefix + "10.json"))
            .contains("\"settings\":{\"learning-rate\":\"0.3\"}"),
        "the run's settings are kept");
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(
          List.of(prefix + "10.json", prefix + "8.json"),
          files.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void newest_checkpointOfAnotherNetwork_isSkipped(@TempDir Path dir) throws IOException {
    History history = new History();
    fit(
        2,
        Initializer.initialize(SPEC, 1),
        history,
        checkpointing(files(dir, 2), 1, false, history));
    NetworkSpec other =
        NetworkSpec.of(
            new int[] {6, 4, 3}, Activation.TANH, Activation.SOFTMAX, Loss.CROSS_ENTROPY);
    CheckpointFiles otherFiles =
        new CheckpointFiles(dir.toString(), 2, jsc.hadoopConfiguration(), other, OPTIMIZER, 3);
    assertEquals(null, otherFiles.newest());
    assertTrue(
        otherFiles.whyNotThisRun(files(dir, 2).own().get(0)).startsWith("network is '" + SPEC),
        "the difference is named");
  }
}
