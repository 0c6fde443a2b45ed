package io.sparkprop.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.optim.OptimizerSpec;
import org.junit.jupiter.api.Test;

/** The trainer's settings: sampling agrees with the optimizer; an epoch is 1/fraction steps. */
class TrainerConfigTest {
  private static final NetworkSpec SPEC =
      NetworkSpec.of(new int[] {2, 1}, Activation.SIGMOID, Activation.SIGMOID, Loss.CROSS_ENTROPY);

  private static TrainerConfig config(OptimizerSpec.Kind kind, double fraction) {
    return TrainerConfig.builder(SPEC, new OptimizerSpec(kind, 0.1, 0))
        .batchFraction(fraction)
        .build();
  }

  @Test
  void config_gdWithSampling_isRejected() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> config(OptimizerSpec.Kind.GD, 0.5));
    assertEquals(
        "gd uses every example in each step; found batch fraction 0.5 (use --optimizer "
            + "sgd to sample)",
        e.getMessage());
  }

  @Test
  void stepsPerEpoch_isInverseFraction() {
    assertEquals(100, config(OptimizerSpec.Kind.SGD, 0.01).stepsPerEpoch());
    assertEquals(3, config(OptimizerSpec.Kind.SGD, 0.3).stepsPerEpoch());
    assertEquals(1, config(OptimizerSpec.Kind.GD, 1).stepsPerEpoch());
  }
}
