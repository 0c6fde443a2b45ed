package io.sparkprop.spark;

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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
      new OptimizerSpec(OptimizerSpec.Kind.MOMENTUM, 0.3, 0.9, 0.5);

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

  private static Trainer trainer(int steps) {
    return new Trainer(jsc, new TrainerConfig(SPEC, OPTIMIZER, steps, 3, 2, 32, 0));
  }

  private static CheckpointFiles files(Path dir, int keep) {
    return new CheckpointFiles(dir.toString(), keep, jsc.hadoopConfiguration(), SPEC, OPTIMIZER, 3);
  }

  @Test
  void resume_afterCheckpoint_endsWithTheUninterruptedModel(@TempDir Path dir) throws IOException {
    double[] start = Initializer.initialize(SPEC, 1);
    double[] uninterrupted = trainer(20).fit(data, null, start, s -> {});

    trainer(8).checkpointTo(files(dir, 2), 1).fit(data, null, start, s -> {});
    Checkpoint newest = files(dir, 2).newest();
    assertNotNull(newest);
    assertEquals(8, newest.step());
    assertEquals(4, newest.history().size());
    Trainer.History resumedHistory = new Trainer.History();
    double[] resumed =
        trainer(20).resumeFrom(newest).fit(data, null, new double[start.length], resumedHistory);

    assertTrue(Weights.maxRelativeDifference(uninterrupted, resumed) <= SAME_MODEL);
    assertEquals(5, resumedHistory.epochs().get(0).epoch(), "continues at epoch 5");
  }

  @Test
  void resume_fromMidEpochCheckpoint_givesTheSameModelAndEpochLosses(@TempDir Path dir)
      throws IOException {
    double[] start = Initializer.initialize(SPEC, 1);
    Trainer.History reference = new Trainer.History();
    double[] uninterrupted = trainer(20).fit(data, null, start, reference);

    // Two steps an epoch: step 5 is the middle of epoch 3.
    trainer(6).checkpointTo(files(dir, 5), 5, true).fit(data, null, start, s -> {});
    Checkpoint mid = files(dir, 5).newest();
    assertEquals(5, mid.step());
    assertEquals(2, mid.epoch(), "two epochs complete");
    Trainer.History resumedHistory = new Trainer.History();
    double[] resumed =
        trainer(20).resumeFrom(mid).fit(data, null, new double[start.length], resumedHistory);

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
    Trainer.History reference = new Trainer.History();
    double[] uninterrupted = trainer(20).fit(data, null, start, reference);

    // Five steps end in the middle of epoch 3: the run reports a part-epoch 3 ...
    Trainer.History shortRun = new Trainer.History();
    trainer(5).checkpointTo(files(dir, 5), 1, true).fit(data, null, start, shortRun);
    assertEquals(3, shortRun.last().epoch());
    // ... but its checkpoint keeps epoch 3 open, so that a longer run finishes it.
    Checkpoint last = files(dir, 5).newest();
    assertEquals(5, last.step());
    assertEquals(2, last.epoch());
    assertEquals(2, last.history().size());
    Trainer.History resumedHistory = new Trainer.History();
    double[] resumed =
        trainer(20).resumeFrom(last).fit(data, null, new double[start.length], resumedHistory);

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
    Trainer.History first = new Trainer.History();
    double[] finished =
        trainer(1).checkpointTo(files(dir, 2), 1, true).fit(data, null, start, first);

    Trainer.History again = new Trainer.History();
    Trainer resumedTrainer = trainer(1).resumeFrom(files(dir, 2).newest());
    double[] resumed = resumedTrainer.fit(data, null, new double[start.length], again);

    assertTrue(Weights.maxRelativeDifference(finished, resumed) <= SAME_MODEL);
    assertEquals(1, again.epochs().size());
    assertEquals(first.last().trainLoss(), again.last().trainLoss(), 1e-12);
    assertEquals(1, resumedTrainer.keptEpoch());
  }

  @Test
  void newest_corruptNewestFile_isSkippedForTheOneBefore(@TempDir Path dir) throws IOException {
    trainer(6)
        .checkpointTo(files(dir, 5), 1)
        .fit(data, null, Initializer.initialize(SPEC, 1), s -> {});
    Files.writeString(dir.resolve("checkpoint-99.json"), "{\"format\":\"sparkprop-checkp");
    Checkpoint newest = files(dir, 5).newest();
    assertEquals(6, newest.step());
  }

  @Test
  void write_keepsOnlyTheNewestK(@TempDir Path dir) throws IOException {
    CheckpointFiles writer = files(dir, 2).withSettings(java.util.Map.of("learning-rate", "0.3"));
    trainer(10).checkpointTo(writer, 1).fit(data, null, Initializer.initialize(SPEC, 1), s -> {});
    assertTrue(
        Files.readString(dir.resolve("checkpoint-10.json"))
            .contains("\"settings\":{\"learning-rate\":\"0.3\"}"),
        "the run's settings are kept");
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(
          List.of("checkpoint-10.json", "checkpoint-8.json"),
          files.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void newest_checkpointOfAnotherNetwork_isSkipped(@TempDir Path dir) throws IOException {
    trainer(2)
        .checkpointTo(files(dir, 2), 1)
        .fit(data, null, Initializer.initialize(SPEC, 1), s -> {});
    NetworkSpec other =
        NetworkSpec.of(
            new int[] {6, 4, 3}, Activation.TANH, Activation.SOFTMAX, Loss.CROSS_ENTROPY);
    CheckpointFiles otherFiles =
        new CheckpointFiles(dir.toString(), 2, jsc.hadoopConfiguration(), other, OPTIMIZER, 3);
    assertEquals(null, otherFiles.newest());
  }
}
