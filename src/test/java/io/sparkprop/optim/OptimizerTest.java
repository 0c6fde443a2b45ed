package io.sparkprop.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Golden values after steps 1 and 2 from w = (1, −2) with the constant gradient g = (0.5, −1),
 * worked by hand: gd with η = 0.1 gives w − η g = (0.95, −1.9), then (0.9, −1.8); momentum with η =
 * 0.1, μ = 0.9 gives v1 = −η g = (−0.05, 0.1), w1 = (0.95, −1.9), v2 = μ v1 − η g = (−0.095, 0.19),
 * w2 = (0.855, −1.71).
 */
class OptimizerTest {
  private static final double TOLERANCE = 1e-15;
  private static final double[] GRADIENT = {0.5, -1.0};

  @Test
  void gradientDescent_twoSteps_matchHandValues() {
    double[] w = {1.0, -2.0};
    Optimizer gd = new GradientDescent(0.1);
    gd.step(w, GRADIENT);
    assertArrayEquals(new double[] {0.95, -1.9}, w, TOLERANCE);
    gd.step(w, GRADIENT);
    assertArrayEquals(new double[] {0.9, -1.8}, w, TOLERANCE);
  }

  @Test
  void momentum_twoSteps_matchHandValues() {
    double[] w = {1.0, -2.0};
    Optimizer momentum = new Momentum(0.1, 0.9, 2);
    momentum.step(w, GRADIENT);
    assertArrayEquals(new double[] {0.95, -1.9}, w, TOLERANCE);
    momentum.step(w, GRADIENT);
    assertArrayEquals(new double[] {0.855, -1.71}, w, TOLERANCE);
  }

  @Test
  void momentum_copy_hasIndependentState() {
    Optimizer original = new Momentum(0.1, 0.9, 2);
    original.step(new double[] {1.0, -2.0}, GRADIENT);
    Optimizer copy = original.copy();
    original.step(new double[] {1.0, -2.0}, GRADIENT);
    assertArrayEquals(new double[] {-0.05, 0.1}, copy.exportState().get("velocity"), TOLERANCE);
    assertArrayEquals(
        new double[] {-0.095, 0.19}, original.exportState().get("velocity"), TOLERANCE);
  }

  @Test
  void momentum_restoredState_continuesLikeTheOriginal() {
    Optimizer original = new Momentum(0.1, 0.9, 2);
    double[] w = {1.0, -2.0};
    original.step(w, GRADIENT);
    Optimizer restored = new Momentum(0.1, 0.9, 2);
    restored.restoreState(original.exportState());
    double[] w2 = w.clone();
    original.step(w, GRADIENT);
    restored.step(w2, GRADIENT);
    assertArrayEquals(w, w2, 0.0);
  }

  @Test
  void momentum_restoreWrongLength_isRejected() {
    Optimizer m = new Momentum(0.1, 0.9, 2);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> m.restoreState(Map.of("velocity", new double[3])));
    assertEquals(
        "momentum state must hold only 'velocity' of 2 entries, found [velocity] with 3 "
            + "entries",
        e.getMessage());
  }

  @Test
  void spec_gdWithSampling_isRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new OptimizerSpec(OptimizerSpec.Kind.GD, 0.1, 0, 0.5));
    assertEquals(
        "gd uses every example in each step; found batch fraction 0.5 (use --optimizer "
            + "sgd to sample)",
        e.getMessage());
  }

  @Test
  void spec_stepsPerEpoch_isInverseFraction() {
    assertEquals(100, new OptimizerSpec(OptimizerSpec.Kind.SGD, 0.1, 0, 0.01).stepsPerEpoch());
    assertEquals(3, new OptimizerSpec(OptimizerSpec.Kind.SGD, 0.1, 0, 0.3).stepsPerEpoch());
    assertEquals(1, new OptimizerSpec(OptimizerSpec.Kind.GD, 0.1, 0, 1).stepsPerEpoch());
  }
}
