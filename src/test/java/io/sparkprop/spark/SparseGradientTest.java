package io.sparkprop.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.data.Example;
import io.sparkprop.data.ExampleBlock;
import io.sparkprop.data.Sparsity;
import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Initializer;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.nn.Precision;
import io.sparkprop.optim.OptimizerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import scala.Tuple2;

/**
 * Partitions whose examples touch few of 2,000 input features send the first layer's touched
 * columns only, and the step's gradient is still the single-JVM gradient within 1e-12: over sparse
 * partitions only, and with a partition of dense examples merged in; full and sampled steps; tree
 * depths 2 and 3 (merges on the executors and on the driver). A full pass over a partition of
 * sparse blocks alone writes its columns straight into the array it sends, feature by feature (one
 * chunk holds the partition); one with the dense block moves them out of the accumulator.
 */
class SparseGradientTest {
  /** Relative to each entry's scale (TestData.gradientError); rounding stays near 1e-14. */
  private static final double GRADIENT_TOLERANCE = 1e-12;

  private static final NetworkSpec SPEC =
      NetworkSpec.of(
          new int[] {2000, 7, 3}, Activation.TANH, Activation.SOFTMAX, Loss.CROSS_ENTROPY);

  /** Uneven blocks of the 140 sparse examples, then one block of the 10 dense ones. */
  private static final int[] BLOCK_SIZES = {16, 7, 16, 3, 16, 1, 16, 16, 9, 16, 16, 8, 10};

  private static JavaSparkContext jsc;
  private static List<Example> examples;
  private static List<ExampleBlock> blocks;

  @BeforeAll
  static void start() {
    jsc = LocalSpark.start("sparse-gradient");
    examples = examples();
    blocks = TestData.blocks(SPEC, examples, Sparsity.AUTO, BLOCK_SIZES);
    assertTrue(blocks.subList(0, 12).stream().allMatch(ExampleBlock::isSparse));
    assertTrue(!blocks.get(12).isSparse(), "the dense examples' block should be dense");
  }

  @AfterAll
  static void stop() {
    jsc.stop();
  }

  /**
   * 140 examples of 6 nonzeros among 2,000 features (binary in even examples, real in odd ones),
   * then 10 examples whose every feature is nonzero.
   */
  private static List<Example> examples() {
    SplittableRandom random = new SplittableRandom(8);
    List<Example> list = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      double[] y = new double[3];
      y[random.nextInt(3)] = 1.0;
      int[] indices;
      double[] values;
      if (i < 140) {
        indices = random.ints(0, 2000).distinct().limit(6).sorted().toArray();
        values = new double[6];
        for (int k = 0; k < 6; k++) {
          values[k] = i % 2 == 0 ? 1.0 : random.nextDouble(-2, 2);
        }
      } else {
        indices = null;
        values = random.doubles(2000, 0.1, 1).toArray();
      }
      list.add(new Example(500 + 3L * i, y, indices, values));
    }
    return list;
  }

  /**
   * The sparse blocks over {@code partitions - 1} partitions and an empty last one; the dense block
   * in the first partition, or left out.
   */
  private static JavaRDD<ExampleBlock> partitioned(int partitions, boolean withDense) {
    List<Tuple2<Integer, ExampleBlock>> keyed = new ArrayList<>();
    for (int i = 0; i < blocks.size() - 1; i++) {
      keyed.add(new Tuple2<>(partitions == 1 ? 0 : i % (partitions - 1), blocks.get(i)));
    }
    if (withDense) {
      keyed.add(new Tuple2<>(0, blocks.get(blocks.size() - 1)));
    }
    return jsc.parallelizePairs(keyed, 2)
        .partitionBy(new HashPartitioner(partitions))
        .values()
        .cache();
  }

  @ParameterizedTest(name = "{0} partitions, depth {1}, dense partition {2}, fraction {3}")
  @CsvSource({
    "1, 2, false, 1.0",
    "3, 2, false, 1.0",
    "8, 3, false, 1.0",
    "3, 2, true, 1.0",
    "8, 3, true, 1.0",
    "8, 3, true, 0.5",
    "3, 2, false, 0.5"
  })
  void gradient_withTouchedColumnsOnTheWire_equalsSingleJvmGradient(
      int partitions, int depth, boolean withDense, double fraction) {
    double[] weights = Initializer.initialize(SPEC, 5);
    OptimizerSpec.Kind kind = fraction < 1 ? OptimizerSpec.Kind.SGD : OptimizerSpec.Kind.GD;
    TrainerConfig config =
        TrainerConfig.builder(SPEC, new OptimizerSpec(kind, 0.1, 0))
            .batchFraction(fraction)
            .seed(11)
            .treeDepth(depth)
            .blockSize(16)
            .build();
    GradientSum sum =
        new Trainer(jsc, config).gradient(partitioned(partitions, withDense), weights, 3);

    List<Example> used = withDense ? examples : examples.subList(0, 140);
    long expectedCount =
        used.stream().filter(e -> Sampling.of(11, 3, fraction).keep(e.id())).count();
    assertEquals(expectedCount, sum.count(), "every example counted exactly once");
    // Every partition but the empty last one sends (a sampled step may leave one more empty).
    int sending = sum.partitions();
    assertTrue(
        fraction < 1 ? sending >= partitions - 2 : sending == Math.max(1, partitions - 1),
        "partitions that sent a gradient: " + sending);
    int expectedSparse = withDense ? sending - 1 : sending;
    assertEquals(expectedSparse, sum.sparsePartitions(), "partitions that sent touched columns");
    long dense = (long) SPEC.numParameters() * Double.BYTES;
    assertTrue(
        sum.sentBytes() < (sending - expectedSparse) * dense + expectedSparse * dense / 2,
        "a sparse partition sends under half the dense bytes: " + sum.sentBytes());

    double error =
        TestData.gradientError(
            SPEC,
            used,
            weights,
            e -> Sampling.of(11, 3, fraction).keep(e.id()),
            sum.meanGradient());
    assertTrue(error < GRADIENT_TOLERANCE, "worst entry's error relative to its scale " + error);
  }

  /**
   * Steps in a row reuse the arrays earlier tasks sent their columns in: each step's gradient is
   * still its own single-JVM gradient, with nothing left over from the step before.
   */
  @Test
  void gradients_inARow_eachEqualsItsSingleJvmGradient() {
    TrainerConfig config =
        TrainerConfig.builder(SPEC, new OptimizerSpec(OptimizerSpec.Kind.GD, 0.1, 0))
            .blockSize(16)
            .build();
    Trainer trainer = new Trainer(jsc, config);
    JavaRDD<ExampleBlock> data = partitioned(3, false);
    List<Example> used = examples.subList(0, 140);
    for (long seed = 1; seed <= 3; seed++) {
      double[] weights = Initializer.initialize(SPEC, seed);
      GradientSum sum = trainer.gradient(data, weights, 1);
      assertEquals(2, sum.sparsePartitions());
      double error = TestData.gradientError(SPEC, used, weights, e -> true, sum.meanGradient());
      assertTrue(error < GRADIENT_TOLERANCE, "step with seed " + seed + ": " + error);
    }
  }

  /**
   * In float32 the sparse partitions send their touched columns as floats: about half the bytes of
   * the same step in float64, and the same gradient within float rounding.
   */
  @Test
  void float32Gradient_sendsFloatColumns() {
    double[] weights = Initializer.initialize(SPEC, 4);
    JavaRDD<ExampleBlock> data = partitioned(3, false);
    GradientSum[] sums = new GradientSum[2];
    Precision[] precisions = {Precision.FLOAT64, Precision.FLOAT32};
    for (int i = 0; i < 2; i++) {
      TrainerConfig config =
          TrainerConfig.builder(SPEC, new OptimizerSpec(OptimizerSpec.Kind.GD, 0.1, 0))
              .blockSize(16)
              .precision(precisions[i])
              .build();
      sums[i] = new Trainer(jsc, config).gradient(data, weights, 1);
      assertEquals(2, sums[i].sparsePartitions(), precisions[i].id());
    }
    double ratio = (double) sums[1].sentBytes() / sums[0].sentBytes();
    assertTrue(ratio > 0.5 && ratio < 0.6, "float32 bytes sent against float64's: " + ratio);
    double error =
        io.sparkprop.Weights.maxRelativeDifference(sums[0].meanGradient(), sums[1].meanGradient());
    assertTrue(error < 1e-5, "float32 against float64: " + error);
  }

  /**
   * A partition one chunk sends as columns takes no n_1 × n_0 accumulator: the one the executor
   * keeps is still there after its task; a partition with the dense block runs into it, and its sum
   * holds it.
   */
  @Test
  void columnsPartition_takesNoAccumulator() {
    double[] weights = Initializer.initialize(SPEC, 6);
    Broadcast<WeightArray> broadcast = jsc.broadcast(new WeightArray(weights));
    try {
      PartitionGradient pass =
          new PartitionGradient(SPEC, broadcast, 16, 1, 1.0, 1, 1, Precision.FLOAT64);
      while (GradientBuffers.take(false, weights.length) != null) {
        // only the accumulator given below is kept
      }
      double[] kept = new double[weights.length];
      GradientBuffers.give(kept);
      GradientSum sum = pass.call(blocks.subList(0, 12).iterator()).next();
      assertTrue(sum.isSparse(), "sent as columns");
      assertEquals(140, sum.count());
      assertTrue(kept == GradientBuffers.take(false, weights.length), "the accumulator, untaken");

      GradientBuffers.give(kept);
      GradientSum withDense = pass.call(blocks.iterator()).next();
      assertEquals(150, withDense.count());
      assertFalse(withDense.isSparse(), "the dense block touches every feature");
      assertTrue(kept == withDense.gradient, "the accumulator, taken and sent");
    } finally {
      broadcast.destroy();
    }
  }
}
