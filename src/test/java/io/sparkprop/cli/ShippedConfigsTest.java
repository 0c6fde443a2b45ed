package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkprop.nn.Precision;
import io.sparkprop.optim.OptimizerSpec;
import io.sparkprop.spark.TrainerConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The training configurations in conf/ are read by the same option parser the CLI uses, name a
 * valid training (an unknown key or a bad value would fail here, not in a user's first run), and
 * say what their comments and docs/benchmark.md say they run.
 */
class ShippedConfigsTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "conf/mnist.properties, 784-256-128-10, ADAM, 0.002, 0.01, 1200, FLOAT64",
    "conf/mnist-fast.properties, 784-128-10, MOMENTUM, 0.5, 0.05, 160, FLOAT32"
  })
  void config_parsesIntoTheTrainingItDescribes(
      String file,
      String layers,
      OptimizerSpec.Kind kind,
      double rate,
      double fraction,
      int steps,
      Precision precision)
      throws UsageException {
    Options o = Options.parse("train", new String[] {"--config", file});
    OptimizerSpec optimizer = Settings.optimizer(o);
    TrainerConfig config = Settings.trainerConfig(o, Settings.network(o, null), optimizer);

    int[] sizes = java.util.Arrays.stream(layers.split("-")).mapToInt(Integer::parseInt).toArray();
    assertArrayEquals(sizes, config.network().layerSizes());
    assertEquals(kind, optimizer.kind());
    assertEquals(rate, optimizer.learningRate());
    assertEquals(fraction, config.batchFraction());
    assertEquals(steps, config.steps(), "epochs × round(1 / batch fraction)");
    assertEquals(precision, config.precision());
    assertEquals("idx", o.get("format"));
  }
}
