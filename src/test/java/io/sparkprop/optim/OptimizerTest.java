package io.sparkprop.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    Optimizer gd = new GradientDescent();
    gd.step(w, GRADIENT, 0.1);
    assertArrayEquals(new double[] {0.95, -1.9}, w, TOLERANCE);
    gd.step(w, GRADIENT, 0.1);
    assertArrayEquals(new double[] {0.9, -1.8}, w, TOLERANCE);
  }

  @Test
  void momentum_twoSteps_matchHandValues() {
    double[] w = {1.0, -2.0};
    Optimizer momentum = new Momentum(0.9, 2);
    momentum.step(w, GRADIENT, 0.1);
    assertArrayEquals(new double[] {0.95, -1.9}, w, TOLERANCE);
    momentum.step(w, GRADIENT, 0.1);
    assertArrayEquals(new double[] {0.855, -1.71}, w, TOLERANCE);
  }

  @Test
  void momentum_copy_hasIndependentState() {
    Optimizer original = new Momentum(0.9, 2);
    original.step(new double[] {1.0, -2.0}, GRADIENT, 0.1);
    Optimizer copy = original.copy();
    original.step(new double[] {1.0, -2.0}, GRADIENT, 0.1);
    assertArrayEquals(new double[] {-0.05, 0.1}, copy.exportState().get("velocity"), TOLERANCE);
    assertArrayEquals(
        new double[] {-0.095, 0.19}, original.exportState().get("velocity"), TOLERANCE);
  }

  @Test
  void momentum_restoredState_continuesLikeTheOriginal() {
    Optimizer original = new Momentum(0.9, 2);
    double[] w = {1.0, -2.0};
    original.step(w, GRADIENT, 0.1);
    Optimizer restored = new Momentum(0.9, 2);
    restored.restoreState(original.exportState());
    double[] w2 = w.clone();
    original.step(w, GRADIENT, 0.1);
    restored.step(w2, GRADIENT, 0.1);
    assertArrayEquals(w, w2, 0.0);
  }

  @Test
  void momentum_restoreWrongLength_isRejected() {
    Optimizer m = new Momentum(0.9, 2);
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
  void adam_twoStepsWithDifferentGradients_matchReference() {
    // Kingma & Ba, Algorithm 1, η = 0.1, β₁ = 0.9, β₂ = 0.999, ε = 1e-8, g₁ = (0.5, −1),
    // g₂ = (−0.2, 0.4), worked scalar by scalar:
    // step 1: m₁ = 0.1 g₁ = (0.05, −0.1), v₁ = 0.001 g₁² = (0.00025, 0.001); m̂₁ = m₁/0.1 = g₁,
    //   v̂₁ = v₁/0.001 = g₁², so w₁ = w − 0.1 g₁/(|g₁| + ε) = (0.900000002, −1.900000001);
    // step 2: m₂ = 0.9 m₁ + 0.1 g₂ = (0.025, −0.05), v₂ = 0.999 v₁ + 0.001 g₂² =
    //   (0.00028975, 0.001159); m̂₂ = m₂/(1 − 0.9²) = m₂/0.19, v̂₂ = v₂/(1 − 0.999²) = v₂/0.001999.
    double[] w = {1.0, -2.0};
    Optimizer adam = new Adam(0.9, 0.999, 1e-8, 2);
    adam.step(w, GRADIENT, 0.1);
    assertArrayEquals(new double[] {0.900000002, -1.900000001}, w, 1e-15);
    adam.step(w, new double[] {-0.2, 0.4}, 0.1);
    double[] m2 = {0.025, -0.05};
    double[] v2 = {0.00028975, 0.001159};
    double[] expected = {0.900000002, -1.900000001};
    for (int i = 0; i < 2; i++) {
      expected[i] -= 0.1 * (m2[i] / 0.19) / (StrictMath.sqrt(v2[i] / 0.001999) + 1e-8);
    }
    assertArrayEquals(expected, w, 1e-13);
    assertArrayEquals(new double[] {2}, adam.exportState().get("t"));
  }

  @Test
  void adam_copy_continuesIndependently() {
    Optimizer adam = new Adam(0.9, 0.999, 1e-8, 2);
    adam.step(new double[] {1.0, -2.0}, GRADIENT, 0.1);
    Optimizer copy = adam.copy();
    double[] a = {0.9, -1.9};
    double[] b = a.clone();
    adam.step(a, GRADIENT, 0.1);
    adam.step(new double[2], GRADIENT, 0.1);
    copy.step(b, GRADIENT, 0.1);
    assertArrayEquals(a, b, 0.0);
    assertArrayEquals(new double[] {3}, adam.exportState().get("t"));
    assertArrayEquals(new double[] {2}, copy.exportState().get("t"));
  }

  @Test
  void nesterov_twoSteps_matchHandValues() {
    // v₁ = −ηg = (−0.05, 0.1), w₁ = w + μv₁ − ηg = (0.905, −1.81);
    // v₂ = μv₁ − ηg = (−0.095, 0.19), w₂ = w₁ + μv₂ − ηg = (0.7695, −1.539).
    double[] w = {1.0, -2.0};
    Optimizer nesterov = new Nesterov(0.9, 2);
    nesterov.step(w, GRADIENT, 0.1);
    assertArrayEquals(new double[] {0.905, -1.81}, w, TOLERANCE);
    nesterov.step(w, GRADIENT, 0.1);
    assertArrayEquals(new double[] {0.7695, -1.539}, w, TOLERANCE);
  }

  @Test
  void schedules_giveHandComputedRates() {
    LearningRateSchedule warmup =
        new LearningRateSchedule(LearningRateSchedule.Kind.CONSTANT, 1, 1, 2, 0);
    assertEquals(0.5, warmup.rate(1, 1, 10), TOLERANCE);
    assertEquals(1.0, warmup.rate(1, 2, 10), TOLERANCE);
    assertEquals(1.0, warmup.rate(1, 3, 10), TOLERANCE);

    LearningRateSchedule step =
        new LearningRateSchedule(LearningRateSchedule.Kind.STEP, 0.5, 2, 0, 0);
    assertArrayEquals(
        new double[] {1, 1, 0.5, 0.5, 0.25},
        new double[] {
          step.rate(1, 1, 10),
          step.rate(1, 2, 10),
          step.rate(1, 3, 10),
          step.rate(1, 4, 10),
          step.rate(1, 5, 10)
        },
        TOLERANCE);

    LearningRateSchedule exponential =
        new LearningRateSchedule(LearningRateSchedule.Kind.EXPONENTIAL, 0.5, 2, 0, 0);
    assertEquals(1.0, exponential.rate(1, 1, 10), TOLERANCE);
    assertEquals(Math.sqrt(0.5), exponential.rate(1, 2, 10), TOLERANCE);
    assertEquals(0.5, exponential.rate(1, 3, 10), TOLERANCE);

    LearningRateSchedule cosine =
        new LearningRateSchedule(LearningRateSchedule.Kind.COSINE, 1, 1, 0, 0);
    assertEquals(1.0, cosine.rate(1, 1, 10), TOLERANCE);
    assertEquals(0.5, cosine.rate(1, 6, 10), TOLERANCE); // ½(1 + cos(π·5/10))
    assertEquals(0.024471741852423234, cosine.rate(1, 10, 10), TOLERANCE); // ½(1 + cos(0.9π))
    LearningRateSchedule floor =
        new LearningRateSchedule(LearningRateSchedule.Kind.COSINE, 1, 1, 2, 0.1);
    assertEquals(1.0, floor.rate(1, 3, 10), TOLERANCE, "decay starts after the warm-up");
    assertEquals(0.1 + 0.9 * 0.5, floor.rate(1, 7, 10), TOLERANCE); // s = 4 of 8
    // What --min-learning-rate documents: the last step (s = S − 1 = 7 of S = 8) runs just above
    // η_min, at η_min + (η − η_min)·½(1 + cos(7π/8)).
    double last = 0.1 + 0.9 * 0.5 * (1 + Math.cos(7 * Math.PI / 8));
    assertEquals(last, floor.rate(1, 10, 10), TOLERANCE);
    assertTrue(floor.rate(1, 10, 10) > 0.1, "not reached at the last step");
  }

  @Test
  void weightDecay_addsLambdaWToWeightsOnly_andReturnsPenalty() {
    double[] w = {1.0, -2.0, 3.0};
    double[] g = {0.0, 0.0, 0.0};
    WeightDecay decay = new WeightDecay(0.1, new int[] {0}, new int[] {2});
    assertEquals(0.05 * (1 + 4), decay.apply(w, g), TOLERANCE);
    assertArrayEquals(new double[] {0.1, -0.2, 0.0}, g, TOLERANCE, "the bias at 2 is not decayed");
  }

  @Test
  void clipToNorm_longGradient_isScaledToTheNorm() {
    double[] g = {3.0, 4.0};
    assertEquals(5.0, GradientClipping.clipToNorm(g, 10), TOLERANCE);
    assertArrayEquals(new double[] {3.0, 4.0}, g, TOLERANCE, "short enough: unchanged");
    assertEquals(5.0, GradientClipping.clipToNorm(g, 1), TOLERANCE);
    assertArrayEquals(new double[] {0.6, 0.8}, g, TOLERANCE);
  }

  @Test
  void restoredState_ofEveryStatefulOptimizer_continuesExactlyLikeTheOriginal() {
    java.util.function.Supplier<?>[] makers = {
      () -> new Momentum(0.9, 2), () -> new Nesterov(0.9, 2), () -> new Adam(0.9, 0.999, 1e-8, 2)
    };
    for (java.util.function.Supplier<?> make : makers) {
      Optimizer original = (Optimizer) make.get();
      double[] w = {1.0, -2.0};
      original.step(w, GRADIENT, 0.1);
      original.step(w, new double[] {-0.2, 0.4}, 0.1);
      Optimizer restored = (Optimizer) make.get();
      restored.restoreState(original.exportState());
      Optimizer copy = original.copy();
      double[] viaOriginal = w.clone();
      double[] viaRestored = w.clone();
      double[] viaCopy = w.clone();
      original.step(viaOriginal, GRADIENT, 0.1);
      restored.step(viaRestored, GRADIENT, 0.1);
      copy.step(viaCopy, GRADIENT, 0.1);
      assertArrayEquals(viaOriginal, viaRestored, 0.0, original.name() + " restored");
      assertArrayEquals(viaOriginal, viaCopy, 0.0, original.name() + " copied");
      assertTrue(viaOriginal[0] != w[0], original.name() + " moved");
    }
  }
}
