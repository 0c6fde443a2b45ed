package io.sparkprop.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.Weights;
import io.sparkprop.data.Example;
import io.sparkprop.data.ExampleBlock;
import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Arithmetic;
import io.sparkprop.nn.Initializer;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.nn.ParameterLayout;
import io.sparkprop.nn.Precision;
import io.sparkprop.optim.OptimizerSpec;
import io.sparkprop.optim.WeightDecay;
import io.sparkprop.report.EpochStats;
import io.sparkprop.spark.eval.Evaluator;
import io.sparkprop.spark.run.EarlyStopping;
import io.sparkprop.spark.run.HeldOutEvaluation;
import io.sparkprop.spark.run.History;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.HashPartitioner;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import scala.Tuple2;

/**
 * The distributed step computes exactly the gradient a single JVM computes example by example,
 * whatever the partitioning; sampling and training are reproducible from the seed; and every
 * broadcast of weights is destroyed.
 */
class DistributedGradientTest {
  /**
   * Entry by entry, relative to the entry's scale (TestData.gradientError): summing in another
   * order changes only the last bits.
   */
  private static final double GRADIENT_TOLERANCE = 1e-12;

  /** float32 against float64, entry by entry (see GradientCheckTest; the worst here is 1.3e-5). */
  private static final double FLOAT_TOLERANCE = 1e-4;

  private static final double FLOAT_FLOOR = 1e-8;
  private static final double REPRODUCIBILITY_TOLERANCE = 1e-9;
  private static final NetworkSpec SPEC =
      NetworkSpec.of(
          new int[] {6, 5, 4, 3}, Activation.TANH, Activation.SOFTMAX, Loss.CROSS_ENTROPY);
  private static final int BLOCK = 16;

  /** Uneven block sizes, including a block of one example; 100 examples in all. */
  private static final int[] BLOCK_SIZES = {16, 7, 16, 3, 16, 1, 16, 16, 9};

  private static JavaSparkContext jsc;
  private static List<Example> examples;
  private static List<ExampleBlock> blocks;

  @BeforeAll
  static void start() {
    jsc = LocalSpark.start("distributed-gradient");
    examples = TestData.examples(SPEC, 100, 3);
    blocks = TestData.blocks(SPEC, examples, BLOCK_SIZES);
    assertTrue(
        blocks.stream().anyMatch(b -> b.storedRuns() != null)
            && blocks.stream().anyMatch(b -> b.storedRuns() == null),
        "the test data should hold blocks that leave zero rows out and blocks that keep all");
  }

  @AfterAll
  static void stop() {
    jsc.stop();
  }

  /** Blocks spread over {@code partitions} partitions, the last of which is left empty. */
  private static JavaRDD<ExampleBlock> partitioned(int partitions) {
    List<Tuple2<Integer, ExampleBlock>> keyed = new ArrayList<>();
    for (int i = 0; i < blocks.size(); i++) {
      keyed.add(new Tuple2<>(partitions == 1 ? 0 : i % (partitions - 1), blocks.get(i)));
    }
    JavaRDD<ExampleBlock> rdd =
        jsc.parallelizePairs(keyed, 2).partitionBy(new HashPartitioner(partitions)).values();
    if (partitions > 1) {
      long emptyPartitions = rdd.glom().collect().stream().filter(List::isEmpty).count();
      assertTrue(emptyPartitions >= 1, "the test data should include an empty partition");
    }
    return rdd.cache();
  }

  /** {@link TestData#gradientError} against the sampled examples of the given step. */
  private static double gradientError(
      double[] weights, double fraction, long seed, int step, double[] actual) {
    return TestData.gradientError(
        SPEC, examples, weights, e -> Sampling.of(seed, step, fraction).keep(e.id()), actual);
  }

  /** The reference: one example at a time in this JVM, summed, divided by the count. */
  private static double[] singleJvmMeanGradient(
      double[] weights, double fraction, long seed, int step) {
    return TestData.singleJvmMeanGradient(
        SPEC, examples, weights, e -> Sampling.of(seed, step, fraction).keep(e.id()));
  }

  private static Trainer trainer(OptimizerSpec optimizer, int steps, int depth) {
    return trainer(optimizer, 1.0, steps, depth);
  }

  private static Trainer trainer(OptimizerSpec optimizer, double fraction, int steps, int depth) {
    return new Trainer(jsc, config(optimizer, fraction, steps, depth).build());
  }

  private static TrainerConfig.Builder config(
      OptimizerSpec optimizer, double fraction, int steps, int depth) {
    return TrainerConfig.builder(SPEC, optimizer)
        .batchFraction(fraction)
        .steps(steps)
        .seed(11)
        .treeDepth(depth)
        .blockSize(BLOCK);
  }

  @ParameterizedTest(name = "{0} partitions")
  @ValueSource(ints = {1, 3, 8})
  void gradient_anyPartitioning_equalsSingleJvmGradient(int partitions) {
    double[] weights = Initializer.initialize(SPEC, 5);
    GradientSum sum =
        trainer(new OptimizerSpec(OptimizerSpec.Kind.GD, 0.1, 0), 1, 2)
            .gradient(partitioned(partitions), weights, 1);

    assertEquals(100, sum.count(), "m must count every example exactly once");
    double error = gradientError(weights, 1.0, 0, 1, sum.meanGradient());
    assertTrue(error < GRADIENT_TOLERANCE, "worst entry's error relative to its scale " + error);
  }

  @ParameterizedTest(name = "{0} partitions")
  @ValueSource(ints = {1, 3, 8})
  void gradient_sampledStep_equalsSingleJvmGradientOfSameSample(int partitions) {
    double[] weights = Initializer.initialize(SPEC, 5);
    double fraction = 0.3;
    GradientSum sum =
        trainer(new OptimizerSpec(OptimizerSpec.Kind.SGD, 0.1, 0), fraction, 1, 3)
            .gradient(partitioned(partitions), weights, 4);

    long expectedCount =
        examples.stream().filter(e -> Sampling.of(11, 4, fraction).keep(e.id())).count();
    assertEquals(expectedCount, sum.count());
    assertTrue(expectedCount > 10 && expectedCount < 60, "a 30% sample of 100 examples");
    double error = gradientError(weights, fraction, 11, 4, sum.meanGradient());
    assertTrue(error < GRADIENT_TOLERANCE, "worst entry's error relative to its scale " + error);
  }

  /**
   * In float32 the same examples are counted exactly once and the gradient is the double one up to
   * float rounding (about 1e-7 relative per operation), on any partitioning, full or sampled.
   */
  @ParameterizedTest(name = "{0} partitions, fraction {1}")
  @CsvSource({"1, 1.0", "3, 1.0", "8, 1.0", "3, 0.3", "8, 0.3"})
  void gradient_float32_equalsSingleJvmDoubleGradientUpToFloatRounding(
      int partitions, double fraction) {
    double[] weights = Initializer.initialize(SPEC, 5);
    OptimizerSpec.Kind kind = fraction < 1 ? OptimizerSpec.Kind.SGD : OptimizerSpec.Kind.GD;
    Trainer trainer =
        new Trainer(
            jsc,
            config(new OptimizerSpec(kind, 0.1, 0), fraction, 1, 2)
                .precision(Precision.FLOAT32)
                .build());
    GradientSum sum = trainer.gradient(partitioned(partitions), weights, 4);

    long expectedCount =
        examples.stream().filter(e -> Sampling.of(11, 4, fraction).keep(e.id())).count();
    assertEquals(expectedCount, sum.count(), "m must count every sampled example exactly once");
    double[] expected = singleJvmMeanGradient(weights, fraction, 11, 4);
    double difference = Weights.maxEntryError(expected, sum.meanGradient(), FLOAT_FLOOR);
    assertTrue(difference < FLOAT_TOLERANCE, "float32 against float64: " + difference);
  }

  /** A float32 pass broadcasts the weights as floats, rounded once on the driver. */
  @Test
  void float32Gradient_broadcastsFloats() {
    double[] weights = Initializer.initialize(SPEC, 3);
    Trainer trainer =
        new Trainer(
            jsc,
            config(new OptimizerSpec(OptimizerSpec.Kind.GD, 0.1, 0), 1.0, 1, 2)
                .precision(Precision.FLOAT32)
                .build());
    List<WeightArray> seen = new ArrayList<>();
    trainer.observeBroadcasts(b -> seen.add(b.value()));
    trainer.gradient(partitioned(3), weights, 1);

    assertEquals(1, seen.size());
    assertEquals((long) weights.length * Float.BYTES, seen.get(0).bytes());
    assertArrayEquals(Arithmetic.FLOAT32.fromDoubles(weights), seen.get(0).in(Arithmetic.FLOAT32));
  }

  @Test
  void fit_sameSeedDifferentPartitioning_givesSameWeights() {
    OptimizerSpec sgd = new OptimizerSpec(OptimizerSpec.Kind.MOMENTUM, 0.2, 0.9);
    double[] start = Initializer.initialize(SPEC, 5);
    double[] a = trainer(sgd, 0.5, 20, 2).fit(partitioned(3), start).weights();
    double[] b = trainer(sgd, 0.5, 20, 2).fit(partitioned(8), start).weights();
    double[] c = trainer(sgd, 0.5, 20, 2).fit(partitioned(3), start).weights();

    assertTrue(Weights.maxRelativeDifference(a, b) < REPRODUCIBILITY_TOLERANCE);
    assertTrue(Weights.maxRelativeDifference(a, c) < REPRODUCIBILITY_TOLERANCE);
    assertTrue(Weights.maxRelativeDifference(start, a) > 1e-3, "training must move the weights");
  }

  @Test
  void fit_everyStep_destroysItsBroadcast() {
    List<Broadcast<WeightArray>> seen = new ArrayList<>();
    Trainer trainer = trainer(new OptimizerSpec(OptimizerSpec.Kind.GD, 0.1, 0), 5, 2);
    trainer.observeBroadcasts(seen::add);
    trainer.fit(partitioned(3), Initializer.initialize(SPEC, 5));

    assertEquals(5, seen.size());
    for (Broadcast<WeightArray> b : seen) {
      SparkException e = assertThrows(SparkException.class, b::value);
      assertTrue(e.getMessage().contains("destroyed"), e.getMessage());
    }
  }

  @Test
  void fit_hugeLearningRate_stopsWithTheDivergingStep() {
    NetworkSpec regression =
        NetworkSpec.of(
            new int[] {6, 5, 3}, Activation.IDENTITY, Activation.IDENTITY, Loss.SQUARED_ERROR);
    List<ExampleBlock> data = TestData.blocks(regression, TestData.examples(regression, 32, 1), 32);
    Trainer trainer =
        new Trainer(
            jsc,
            TrainerConfig.builder(regression, new OptimizerSpec(OptimizerSpec.Kind.GD, 1e3, 0))
                .steps(500)
                .blockSize(32)
                .build());
    DivergenceException e =
        assertThrows(
            DivergenceException.class,
            () -> trainer.fit(jsc.parallelize(data, 2), Initializer.initialize(regression, 1)));
    assertTrue(e.step() > 1 && e.step() < 500, "step " + e.step());
    assertTrue(
        e.getMessage().startsWith("training diverged at step " + e.step() + ": "), e.getMessage());
    assertTrue(e.getMessage().contains("try a smaller --learning-rate"));
  }

  @Test
  void fit_lbfgsOnSoftmaxRegressionWithL2_reachesZeroGradient() {
    NetworkSpec convex =
        NetworkSpec.of(
            new int[] {6, 3}, Activation.SIGMOID, Activation.SOFTMAX, Loss.CROSS_ENTROPY);
    JavaRDD<ExampleBlock> data =
        jsc.parallelize(TestData.blocks(convex, TestData.examples(convex, 100, 3), 40, 60), 2);
    OptimizerSpec lbfgs =
        new OptimizerSpec(
            OptimizerSpec.Kind.LBFGS,
            1,
            0,
            0.9,
            0.999,
            1e-8,
            0.01,
            0,
            io.sparkprop.optim.LearningRateSchedule.CONSTANT_RATE,
            10,
            0);
    Trainer trainer =
        new Trainer(jsc, TrainerConfig.builder(convex, lbfgs).steps(60).blockSize(64).build());
    double[] end = trainer.fit(data, Initializer.initialize(convex, 2)).weights();

    double[] gradient = trainer.gradient(data, end, 1).meanGradient();
    ParameterLayout layout = convex.layout();
    new WeightDecay(0.01, layout.weightOffsets(), layout.weightCounts()).apply(end, gradient);
    double norm = Math.sqrt(java.util.Arrays.stream(gradient).map(g -> g * g).sum());
    assertTrue(norm < 1e-7, "gradient norm at the end " + norm);
  }

  @Test
  void fit_validationLossRising_stopsEarlyAndReturnsTheBestEpoch() {
    // Validation examples have the training features with other labels: fitting the training
    // labels raises the validation loss after the first epochs.
    List<Example> flipped = new ArrayList<>();
    for (Example e : examples) {
      double[] y = e.target();
      double[] other = new double[y.length];
      for (int k = 0; k < y.length; k++) {
        other[(k + 1) % y.length] = y[k];
      }
      ExampleBlock one = TestData.blocks(SPEC, List.of(e), 1).get(0);
      flipped.add(new Example(e.id(), other, null, one.features()));
    }
    JavaRDD<ExampleBlock> validation =
        jsc.parallelize(TestData.blocks(SPEC, flipped, BLOCK_SIZES), 2).cache();
    OptimizerSpec gd = new OptimizerSpec(OptimizerSpec.Kind.GD, 1.0, 0);
    History history = new History();
    EarlyStopping stopping = new EarlyStopping(3, 0.0);
    Trainer trainer =
        trainer(gd, 200, 2)
            .addListener(
                new HeldOutEvaluation(new Evaluator(jsc, SPEC, BLOCK, 2), validation, null))
            .addListener(history)
            .addListener(stopping);
    double[] start = Initializer.initialize(SPEC, 5);
    Trainer.Result kept = stopping.kept(trainer.fit(partitioned(2), start));

    int epochsRun = history.epochs().size();
    assertTrue(epochsRun < 200, "stopped early after " + epochsRun + " epochs");
    int best = 1;
    for (EpochStats e : history.epochs()) {
      if (e.validationLoss() < history.epochs().get(best - 1).validationLoss()) {
        best = e.epoch();
      }
    }
    assertEquals(best, kept.epoch());
    assertEquals(best + 3, epochsRun, "three epochs of patience after the best");
    double[] replay = trainer(gd, best, 2).fit(partitioned(2), start).weights();
    assertTrue(
        Weights.maxRelativeDifference(replay, kept.weights()) < GRADIENT_TOLERANCE,
        "the kept weights are those after epoch " + best);
  }

  /**
   * L2 weight decay is part of the training cost (C + (λ/2)Σw² over the weights, not the biases),
   * and of nothing held out: an epoch's training loss is the penalised cost at the weights its step
   * started from; its test loss, the plain cost at the weights it ended with.
   */
  @Test
  void fit_weightDecay_isInTheTrainingLossOnly() {
    JavaRDD<ExampleBlock> data = partitioned(3);
    double lambda = 0.05;
    OptimizerSpec decayed =
        new OptimizerSpec(
            OptimizerSpec.Kind.GD,
            0.1,
            0,
            0.9,
            0.999,
            1e-8,
            lambda,
            0,
            io.sparkprop.optim.LearningRateSchedule.CONSTANT_RATE,
            10,
            1e-9);
    double[] start = Initializer.initialize(SPEC, 5);
    Evaluator evaluator = new Evaluator(jsc, SPEC, BLOCK, 2);
    History history = new History();
    double[] end =
        trainer(decayed, 1, 2)
            .addListener(new HeldOutEvaluation(evaluator, null, data))
            .addListener(history)
            .fit(data, start)
            .weights();

    double sumOfSquares = 0;
    int offset = 0;
    int[] sizes = SPEC.layerSizes();
    for (int l = 1; l < sizes.length; l++) {
      for (int i = 0; i < sizes[l] * sizes[l - 1]; i++) {
        sumOfSquares += start[offset + i] * start[offset + i];
      }
      offset += sizes[l] * sizes[l - 1] + sizes[l]; // the biases are not decayed
    }
    double penalty = 0.5 * lambda * sumOfSquares;
    assertTrue(penalty > 0.01, "a penalty large enough to see: " + penalty);
    EpochStats epoch = history.last();
    double plainAtStart = evaluator.evaluate(data, start).meanLoss();
    assertEquals(plainAtStart + penalty, epoch.trainLoss(), 1e-12 * epoch.trainLoss());
    double plainAtEnd = evaluator.evaluate(data, end).meanLoss();
    assertEquals(plainAtEnd, epoch.testLoss(), 1e-12 * plainAtEnd, "no penalty held out");
  }

  @Test
  void fit_gd_lowersTheLoss() {
    JavaRDD<ExampleBlock> data = partitioned(3);
    double[] start = Initializer.initialize(SPEC, 5);
    Trainer trainer = trainer(new OptimizerSpec(OptimizerSpec.Kind.GD, 0.5, 0), 30, 2);
    double before = trainer.gradient(data, start, 1).meanLoss();
    double[] end = trainer.fit(data, start).weights();
    double after = trainer.gradient(data, end, 1).meanLoss();
    assertTrue(after < before - 0.05, "loss " + before + " → " + after);
  }
}
