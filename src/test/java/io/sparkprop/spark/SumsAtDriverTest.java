package io.sparkprop.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.optim.OptimizerSpec;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link TrainerConfig#sumsAtDriver} counts what Spark's own treeAggregate sends the driver: the
 * merges the driver makes (outside any task) are one per partial sum it receives.
 */
class SumsAtDriverTest {
  private static final AtomicInteger DRIVER_MERGES = new AtomicInteger();
  private static JavaSparkContext jsc;

  @BeforeAll
  static void start() {
    jsc = LocalSpark.start("sums-at-driver");
  }

  @AfterAll
  static void stop() {
    jsc.stop();
  }

  private static Long merge(Long a, Long b) {
    if (TaskContext.get() == null) {
      DRIVER_MERGES.incrementAndGet();
    }
    return a + b;
  }

  private static TrainerConfig config(int depth) {
    return TrainerConfig.builder(
            NetworkSpec.of(
                new int[] {2, 1}, Activation.TANH, Activation.IDENTITY, Loss.SQUARED_ERROR),
            new OptimizerSpec(OptimizerSpec.Kind.GD, 0.1, 0))
        .treeDepth(depth)
        .build();
  }

  @Test
  void sumsAtDriver_isTheNumberOfMergesTheDriverMakes() {
    int checked = 0;
    for (int partitions : new int[] {1, 2, 5, 9, 16, 17, 40}) {
      JavaRDD<Long> rdd =
          jsc.parallelize(IntStream.range(0, 80).mapToObj(i -> (long) i).toList(), partitions);
      for (int depth : new int[] {1, 2, 3}) {
        DRIVER_MERGES.set(0);
        long sum = rdd.treeAggregate(0L, SumsAtDriverTest::merge, SumsAtDriverTest::merge, depth);
        assertEquals(79 * 80 / 2, sum);
        assertEquals(
            DRIVER_MERGES.get(),
            config(depth).sumsAtDriver(partitions),
            partitions + " partitions at depth " + depth);
        checked++;
      }
    }
    assertEquals(21, checked);
    // The cases the warning's documentation names: 4 of 16 at depth 2, 16 of 16 at depth 1.
    assertEquals(List.of(4, 16), List.of(config(2).sumsAtDriver(16), config(1).sumsAtDriver(16)));
  }
}
