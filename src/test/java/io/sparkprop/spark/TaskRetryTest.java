package io.sparkprop.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.Weights;
import io.sparkprop.data.ExampleBlock;
import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Initializer;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.optim.OptimizerSpec;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A task that fails once is run again by Spark, and what it computed before failing is never
 * counted: the gradient's m and sums equal an undisturbed run's. local[2,2] lets each task fail
 * once and be retried.
 */
class TaskRetryTest {
  private static final NetworkSpec SPEC =
      NetworkSpec.of(new int[] {6, 5, 3}, Activation.TANH, Activation.SOFTMAX, Loss.CROSS_ENTROPY);
  private static JavaSparkContext jsc;

  @BeforeAll
  static void start() {
    jsc = LocalSpark.start("task-retry", "local[2,2]", new SparkConf());
  }

  @BeforeEach
  void resetFailures() {
    FailOnce.FAILURES.set(0);
  }

  @AfterAll
  static void stop() {
    jsc.stop();
  }

  @Test
  void gradient_taskFailingOnceMidPartition_isRetriedAndCountedOnce() {
    List<ExampleBlock> blocks =
        TestData.blocks(SPEC, TestData.examples(SPEC, 100, 7), 16, 16, 16, 16, 16, 16, 4);
    JavaRDD<ExampleBlock> data = jsc.parallelize(blocks, 3).cache();
    Trainer trainer =
        new Trainer(
            jsc,
            TrainerConfig.builder(SPEC, new OptimizerSpec(OptimizerSpec.Kind.GD, 0.1, 0))
                .seed(3)
                .blockSize(16)
                .build());
    double[] weights = Initializer.initialize(SPEC, 3);
    GradientSum undisturbed = trainer.gradient(data, weights, 1);

    // Partition 1 holds two blocks; its first attempt fails after summing the first.
    GradientSum retried = trainer.gradient(data.mapPartitions(new FailOnce<>(1, 1)), weights, 1);

    assertEquals(1, FailOnce.FAILURES.get(), "the injected failure happened once");
    assertEquals(100, undisturbed.count());
    assertEquals(100, retried.count(), "m counts every example once after the retry");
    assertEquals(undisturbed.meanLoss(), retried.meanLoss(), 1e-12 * undisturbed.meanLoss());
    assertTrue(
        Weights.maxRelativeDifference(undisturbed.meanGradient(), retried.meanGradient()) < 1e-12);
  }
}
