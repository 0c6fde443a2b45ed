package io.sparkprop.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.data.Example;
import io.sparkprop.data.ExampleBlock;
import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Initializer;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.optim.OptimizerSpec;
import io.sparkprop.spark.eval.Evaluation;
import io.sparkprop.spark.eval.Evaluator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Data cached in wider blocks than a pass is configured for (blocks of 32 and 40, passes set up for
 * 16): a full pass still gives the single-JVM gradient, and an evaluation the same loss and
 * accuracy as one configured for the cached width, where both used to fail on an array index.
 */
class WiderBlocksTest {
  private static final NetworkSpec SPEC =
      NetworkSpec.of(new int[] {6, 5, 3}, Activation.TANH, Activation.SOFTMAX, Loss.CROSS_ENTROPY);

  private static JavaSparkContext jsc;
  private static List<Example> examples;
  private static JavaRDD<ExampleBlock> cached;

  @BeforeAll
  static void start() {
    jsc = LocalSpark.start("wider-blocks");
    examples = TestData.examples(SPEC, 112, 4);
    cached = jsc.parallelize(TestData.blocks(SPEC, examples, 32, 40, 8, 32), 2).cache();
  }

  @AfterAll
  static void stop() {
    jsc.stop();
  }

  @Test
  void fullPass_narrowerConfiguredBlocks_equalsSingleJvmGradient() {
    double[] weights = Initializer.initialize(SPEC, 3);
    TrainerConfig config =
        TrainerConfig.builder(SPEC, new OptimizerSpec(OptimizerSpec.Kind.GD, 0.1, 0))
            .blockSize(16)
            .build();
    GradientSum sum = new Trainer(jsc, config).gradient(cached, weights, 1);

    assertEquals(examples.size(), sum.count(), "every example counted exactly once");
    double error = TestData.gradientError(SPEC, examples, weights, e -> true, sum.meanGradient());
    assertTrue(error < 1e-12, "worst entry's error relative to its scale " + error);
  }

  @Test
  void evaluation_narrowerConfiguredBlocks_equalsTheCachedWidthsEvaluation() {
    double[] weights = Initializer.initialize(SPEC, 3);
    Evaluation narrow = new Evaluator(jsc, SPEC, 16, 2).evaluate(cached, weights);
    Evaluation wide = new Evaluator(jsc, SPEC, 40, 2).evaluate(cached, weights);

    assertEquals(examples.size(), narrow.count());
    assertEquals(wide.meanLoss(), narrow.meanLoss(), 1e-12 * wide.meanLoss());
    assertEquals(wide.accuracy(), narrow.accuracy(), 0.0);
  }
}
