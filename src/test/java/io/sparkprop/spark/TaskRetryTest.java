package io.sparkprop.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.Weights;
import io.sparkprop.data.BadRecords;
import io.sparkprop.data.DataShape;
import io.sparkprop.data.DataSource;
import io.sparkprop.data.ExampleBlock;
import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Initializer;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.optim.OptimizerSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task that fails once is run again by Spark, and what it computed before failing is never
 * counted: the gradient's m and sums, and the skipped-record counts, equal an undisturbed run's.
 * local[2,2] lets each task fail once and be retried.
 */
class TaskRetryTest {
  private static final NetworkSpec SPEC =
      NetworkSpec.of(new int[] {6, 5, 3}, Activation.TANH, Activation.SOFTMAX, Loss.CROSS_ENTROPY);
  private static final AtomicInteger FAILURES = new AtomicInteger();
  private static JavaSparkContext jsc;

  @BeforeAll
  static void start() {
    jsc = LocalSpark.start("task-retry", "local[2,2]", new SparkConf());
  }

  @BeforeEach
  void resetFailures() {
    FAILURES.set(0);
  }

  @AfterAll
  static void stop() {
    jsc.stop();
  }

  /**
   * Passes a partition's elements through, but the first attempt of the chosen partition throws
   * after handing out {@code before} of them, so the task has done part of its work when it fails.
   */
  private static final class FailOnce<T> implements FlatMapFunction<Iterator<T>, T> {
    private static final long serialVersionUID = 1L;
    private final int partition;
    private final int before;

    FailOnce(int partition, int before) {
      this.partition = partition;
      this.before = before;
    }

    @Override
    public Iterator<T> call(Iterator<T> in) {
      TaskContext task = TaskContext.get();
      boolean fail = task.partitionId() == partition && task.attemptNumber() == 0;
      return new Iterator<>() {
        private int handedOut;

        @Override
        public boolean hasNext() {
          if (fail && handedOut == before) {
            // Spark drops a failed task's accumulator updates; local mode shares this JVM.
            FAILURES.incrementAndGet();
            throw new IllegalStateException("injected failure of partition " + partition);
          }
          return in.hasNext();
        }

        @Override
        public T next() {
          handedOut++;
          return in.next();
        }
      };
    }
  }

  @Test
  void gradient_taskFailingOnceMidPartition_isRetriedAndCountedOnce() {
    List<ExampleBlock> blocks =
        TestData.blocks(SPEC, TestData.examples(SPEC, 100, 7), 16, 16, 16, 16, 16, 16, 4);
    JavaRDD<ExampleBlock> data = jsc.parallelize(blocks, 3).cache();
    Trainer trainer =
        new Trainer(
            jsc,
            new TrainerConfig(
                SPEC, new OptimizerSpec(OptimizerSpec.Kind.GD, 0.1, 0, 1), 1, 3, 2, 16, 0));
    double[] weights = Initializer.initialize(SPEC, 3);
    GradientSum undisturbed = trainer.gradient(data, weights, 1);

    // Partition 1 holds two blocks; its first attempt fails after summing the first.
    GradientSum retried = trainer.gradient(data.mapPartitions(new FailOnce<>(1, 1)), weights, 1);

    assertEquals(1, FAILURES.get(), "the injected failure happened once");
    assertEquals(100, undisturbed.count());
    assertEquals(100, retried.count(), "m counts every example once after the retry");
    assertEquals(undisturbed.meanLoss(), retried.meanLoss(), 1e-12 * undisturbed.meanLoss());
    assertTrue(
        Weights.maxRelativeDifference(undisturbed.meanGradient(), retried.meanGradient()) < 1e-12);
  }

  @Test
  void skippedRecords_splitParsedAgainAfterAFailure_areCountedOnce(@TempDir Path dir)
      throws IOException {
    List<String> lines = new ArrayList<>();
    for (int i = 1; i <= 12; i++) {
      lines.add(i % 4 == 0 ? "1 2:x" : (i % 2) + " 1:" + i);
    }
    Path file = dir.resolve("train.libsvm");
    Files.write(file, lines);
    BadRecords policy = new BadRecords(true, 10);
    DataSource source = DataSource.libsvm(file.toString()).withBadRecords(policy);
    DataShape shape = new DataShape(3, 2, DataShape.LabelKind.CLASS_INDEX);
    SkippedRecords skipped = SkippedRecords.register(jsc);
    JavaRDD<ExampleBlock> blocks = DataLoader.load(jsc, source, shape, 0, 4, true, skipped);
    // The failing attempt has parsed the whole split (and reported its 3 skips) when it throws.
    long examples =
        blocks.mapPartitions(new FailOnce<>(0, 3)).map(ExampleBlock::size).reduce(Integer::sum);

    assertEquals(1, FAILURES.get(), "the injected failure happened once");
    assertEquals(9, examples);
    assertEquals(
        3,
        skipped.check(file.toString(), policy, jsc.hadoopConfiguration()),
        "lines 4, 8 and 12, once each");
    // A second job parses the same split again (as the cached sides of a validation split do).
    assertEquals(3, blocks.count());
    assertEquals(
        3, skipped.check(file.toString(), policy, jsc.hadoopConfiguration()), "still once each");
  }
}
