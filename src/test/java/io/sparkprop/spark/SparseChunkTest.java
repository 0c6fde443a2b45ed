package io.sparkprop.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.Weights;
import io.sparkprop.data.Example;
import io.sparkprop.data.ExampleBlock;
import io.sparkprop.data.Sparsity;
import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Initializer;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.Network;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.nn.SparseFirstLayer;
import io.sparkprop.nn.Workspace;
import io.sparkprop.optim.OptimizerSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A full pass gathers consecutive sparse blocks into chunks wide enough for the first layer to run
 * feature by feature, and the step's gradient is still the single-JVM gradient within 1e-12 of each
 * entry's scale (the mean of its terms' absolute values: what summation's rounding is relative to),
 * with every example counted once: partitions of 700–1,400 sparse examples (weighted, binary and
 * real values) over 300 features, with dense blocks between them, at block sizes 16 and 128.
 */
class SparseChunkTest {
  private static final NetworkSpec SPEC =
      NetworkSpec.of(
          new int[] {300, 7, 3}, Activation.TANH, Activation.SOFTMAX, Loss.CROSS_ENTROPY);
  private static final int EXAMPLES = 1_400;

  private static JavaSparkContext jsc;
  private static List<Example> examples;

  @BeforeAll
  static void start() {
    jsc = LocalSpark.start("sparse-chunk");
    examples = examples();
  }

  @AfterAll
  static void stop() {
    jsc.stop();
  }

  /**
   * 6 nonzeros an example among 300 features, binary in even examples and real in odd ones, weights
   * 0.5 to 2; every 100th example has every feature nonzero, so its block is dense.
   */
  private static List<Example> examples() {
    SplittableRandom random = new SplittableRandom(21);
    List<Example> list = new ArrayList<>();
    for (int i = 0; i < EXAMPLES; i++) {
      double[] y = new double[3];
      y[random.nextInt(3)] = 1.0;
      int[] indices = null;
      double[] values;
      if (i >= 640 && i < 800) {
        values = random.doubles(300, 0.1, 1).toArray();
      } else {
        indices = random.ints(0, 300).distinct().limit(6).sorted().toArray();
        values = new double[6];
        for (int k = 0; k < 6; k++) {
          values[k] = i % 2 == 0 ? 1.0 : random.nextDouble(-2, 2);
        }
      }
      list.add(new Example(7L * i, y, indices, values, random.nextDouble(0.5, 2)));
    }
    return list;
  }

  /** Blocks of {@code size}, the last one shorter; a block holding a dense example is dense. */
  private static List<ExampleBlock> blocks(int size) {
    List<Integer> sizes = new ArrayList<>();
    for (int left = EXAMPLES; left > 0; left -= size) {
      sizes.add(Math.min(size, left));
    }
    return TestData.blocks(
        SPEC, examples, Sparsity.AUTO, sizes.stream().mapToInt(Integer::intValue).toArray());
  }

  /** The data qualifies: a partition's chunk runs feature by feature at either block size. */
  @Test
  void chunksOfThisData_runByFeature() {
    for (int blockSize : new int[] {16, 128}) {
      int capacity = PartitionGradient.chunkCapacity(SPEC, blockSize);
      assertEquals(PartitionGradient.CHUNK_EXAMPLES, capacity);
      assertTrue(SparseFirstLayer.runsByFeature(6L * 700, 700, SPEC.numInputs()));
      List<ExampleBlock> blocks = blocks(blockSize);
      assertTrue(blocks.stream().anyMatch(b -> !b.isSparse()), "dense blocks in between");
      assertTrue(blocks.stream().filter(ExampleBlock::isSparse).count() > blocks.size() / 2);
    }
  }

  @ParameterizedTest(name = "{0} partitions, block size {1}")
  @CsvSource({"1, 16", "2, 16", "2, 128"})
  void chunkedPass_equalsSingleJvmGradient(int partitions, int blockSize) {
    double[] weights = Initializer.initialize(SPEC, 6);
    TrainerConfig config =
        TrainerConfig.builder(SPEC, new OptimizerSpec(OptimizerSpec.Kind.GD, 0.1, 0))
            .seed(3)
            .blockSize(blockSize)
            .build();
    GradientSum sum =
        new Trainer(jsc, config)
            .gradient(jsc.parallelize(blocks(blockSize), partitions).cache(), weights, 1);
    assertEquals(EXAMPLES, sum.count(), "every example counted exactly once");
    double weightSum = examples.stream().mapToDouble(Example::weight).sum();
    assertEquals(weightSum, sum.weight(), 1e-9 * weightSum);
    double error =
        Weights.maxScaledError(
            weightedMean(weights, false), sum.meanGradient(), weightedMean(weights, true));
    assertTrue(error < 1e-12, "worst entry's error relative to its scale " + error);
  }

  /**
   * A partition of more sparse examples than a chunk holds flushes each full chunk as it goes, and
   * the features of every flushed chunk still count as touched: the columns the partition sends are
   * all of them. 70,000 examples of one nonzero over 1,000 features, the first 65,536 (one full
   * chunk) among features 0–49 and the rest among 500–549, in one partition.
   */
  @Test
  void partitionOverAChunk_sendsEveryChunksColumns() {
    NetworkSpec spec =
        NetworkSpec.of(
            new int[] {1000, 2, 2}, Activation.TANH, Activation.SOFTMAX, Loss.CROSS_ENTROPY);
    SplittableRandom random = new SplittableRandom(31);
    List<Example> many = new ArrayList<>();
    for (int i = 0; i < 70_000; i++) {
      double[] y = new double[2];
      y[random.nextInt(2)] = 1.0;
      int feature = (i < PartitionGradient.CHUNK_EXAMPLES ? 0 : 500) + random.nextInt(50);
      many.add(new Example(i, y, new int[] {feature}, new double[] {random.nextDouble(-2, 2)}));
    }
    assertEquals(PartitionGradient.CHUNK_EXAMPLES, PartitionGradient.chunkCapacity(spec, 128));
    int[] sizes = new int[70_000 / 128 + 1];
    Arrays.fill(sizes, 128);
    sizes[sizes.length - 1] = 70_000 % 128;
    List<ExampleBlock> blocks = TestData.blocks(spec, many, Sparsity.AUTO, sizes);
    assertTrue(blocks.stream().allMatch(ExampleBlock::isSparse));
    double[] weights = Initializer.initialize(spec, 7);
    TrainerConfig config =
        TrainerConfig.builder(spec, new OptimizerSpec(OptimizerSpec.Kind.GD, 0.1, 0))
            .blockSize(128)
            .build();
    GradientSum sum =
        new Trainer(jsc, config).gradient(jsc.parallelize(blocks, 1).cache(), weights, 1);
    assertEquals(70_000, sum.count());
    assertTrue(sum.isSparse(), "100 of 1,000 features touched: sent as columns");
    double error = TestData.gradientError(spec, many, weights, e -> true, sum.meanGradient());
    assertTrue(error < 1e-12, "worst entry's error relative to its scale " + error);
  }

  /**
   * Σ w_e ∇C_e / Σ w_e, one example at a time on dense features, in one JVM; or, {@code absolute},
   * Σ w_e |∇C_e| / Σ w_e, the scale of its rounding (see {@link
   * TestData#singleJvmMeanAbsoluteGradient}).
   */
  private static double[] weightedMean(double[] weights, boolean absolute) {
    Network network = new Network(SPEC);
    Workspace<double[]> workspace = Workspace.of(SPEC, 1);
    double[] sum = new double[weights.length];
    double[] one = new double[weights.length];
    double weightSum = 0;
    for (Example e : examples) {
      double[] x = TestData.blocks(SPEC, List.of(e), 1).get(0).features();
      double[] w = {e.weight()};
      Arrays.fill(one, 0);
      network.accumulateGradient(weights, x, null, e.target(), w, 1, workspace, one);
      for (int i = 0; i < sum.length; i++) {
        sum[i] += absolute ? Math.abs(one[i]) : one[i];
      }
      weightSum += e.weight();
    }
    for (int i = 0; i < sum.length; i++) {
      sum[i] /= weightSum;
    }
    return sum;
  }

  /** A wide network's chunk keeps its activations and deltas within the budget. */
  @Test
  void chunkCapacity_keepsTheWorkspaceWithinItsBudget() {
    NetworkSpec wide =
        NetworkSpec.of(
            new int[] {1000, 4096, 4096, 10},
            Activation.RELU,
            Activation.SOFTMAX,
            Loss.CROSS_ENTROPY);
    int perExample = 2 * (4096 + 4096 + 10) * Double.BYTES;
    assertEquals(
        (int) (PartitionGradient.CHUNK_BYTES / perExample),
        PartitionGradient.chunkCapacity(wide, 128));
    assertEquals(600, PartitionGradient.chunkCapacity(wide, 600), "never below the block size");
  }
}
