package io.sparkprop.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.Weights;
import io.sparkprop.data.Example;
import io.sparkprop.data.ExampleBlock;
import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Initializer;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.nn.Precision;
import io.sparkprop.optim.OptimizerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A weighted example counts like that many copies of it: the step's gradient and loss over examples
 * with integer weights (0 included) equal those over the data set in which each example is repeated
 * its weight's number of times.
 */
class WeightedGradientTest {
  private static final NetworkSpec SPEC =
      NetworkSpec.of(new int[] {6, 5, 3}, Activation.TANH, Activation.SOFTMAX, Loss.CROSS_ENTROPY);

  private static JavaSparkContext jsc;

  @BeforeAll
  static void start() {
    jsc = LocalSpark.start("weighted-gradient");
  }

  @AfterAll
  static void stop() {
    jsc.stop();
  }

  @ParameterizedTest
  @EnumSource(Precision.class)
  void weightedGradient_equalsTheGradientOverRepeatedExamples(Precision precision) {
    List<Example> examples = TestData.examples(SPEC, 90, 17);
    SplittableRandom random = new SplittableRandom(4);
    List<Example> weighted = new ArrayList<>();
    List<Example> repeated = new ArrayList<>();
    for (Example e : examples) {
      int w = random.nextInt(4);
      ExampleBlock one = TestData.blocks(SPEC, List.of(e), 1).get(0);
      weighted.add(new Example(e.id(), e.target(), null, one.features(), w));
      for (int c = 0; c < w; c++) {
        repeated.add(e.withId(e.id() * 4 + c));
      }
    }
    TrainerConfig config =
        TrainerConfig.builder(SPEC, new OptimizerSpec(OptimizerSpec.Kind.GD, 0.1, 0))
            .blockSize(16)
            .precision(precision)
            .build();
    double[] w = Initializer.initialize(SPEC, 5);
    GradientPass pass = new GradientPass(jsc, config);
    GradientSum byWeight = pass.sum(rdd(weighted), w, 1);
    GradientSum byCopies = pass.sum(rdd(repeated), w, 1);

    assertEquals(repeated.size(), byWeight.weight(), 0, "Σ w is the number of copies");
    assertEquals(weighted.size(), byWeight.count());
    double tolerance = precision == Precision.FLOAT64 ? 1e-12 : 1e-5;
    double error = Weights.maxEntryError(byCopies.meanGradient(), byWeight.meanGradient(), 1e-10);
    assertTrue(error < tolerance, "gradient: " + error);
    assertEquals(byCopies.meanLoss(), byWeight.meanLoss(), tolerance * byCopies.meanLoss());
  }

  private static JavaRDD<ExampleBlock> rdd(List<Example> examples) {
    List<ExampleBlock> blocks = new ArrayList<>();
    for (int from = 0; from < examples.size(); from += 16) {
      List<Example> part = examples.subList(from, Math.min(from + 16, examples.size()));
      blocks.add(TestData.blocks(SPEC, part, part.size()).get(0));
    }
    return jsc.parallelize(blocks, 3);
  }
}
