package io.sparkprop.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Initial weights: uniform on ±√(6/(n_in + n_out)) (Glorot) for sigmoid, tanh, identity and output
 * layers, ±√(6/n_in) (He) for ReLU layers; biases zero; the seed decides them all.
 */
class InitializerTest {

  /** Checks one layer's weights against a uniform distribution on ±limit, and its zero biases. */
  private static void assertUniform(double[] w, ParameterLayout.Layer layer, double limit) {
    int n = layer.weightCount();
    double sum = 0;
    double sumOfSquares = 0;
    double largest = 0;
    for (int i = layer.weightOffset(); i < layer.weightOffset() + n; i++) {
      assertTrue(Math.abs(w[i]) <= limit, "weight " + i + " = " + w[i] + " beyond ±" + limit);
      sum += w[i];
      sumOfSquares += w[i] * w[i];
      largest = Math.max(largest, Math.abs(w[i]));
    }
    // Uniform on ±L: the mean is 0 with standard error L/√(3n); the mean square is L²/3 with
    // standard error L²·√(4/45)/√n; each within 5 standard errors. The largest |w| falls below
    // (1 − 20/n)·L with probability (1 − 20/n)ⁿ ≈ e⁻²⁰.
    assertEquals(0, sum / n, 5 * limit / Math.sqrt(3.0 * n), "mean");
    double meanSquareError = limit * limit * Math.sqrt(4.0 / 45) / Math.sqrt(n);
    assertEquals(limit * limit / 3, sumOfSquares / n, 5 * meanSquareError, "mean square");
    assertTrue(
        largest > (1 - 20.0 / n) * limit,
        "the range reaches the limit: " + largest + " of " + limit);
    for (int r = 0; r < layer.rows(); r++) {
      assertEquals(0.0, w[layer.biasOffset() + r], 0.0, "bias " + r);
    }
  }

  @Test
  void initialize_tanhLayers_areGlorotUniform_withZeroBiases() {
    NetworkSpec spec =
        NetworkSpec.of(
            new int[] {200, 100, 50, 10}, Activation.TANH, Activation.SOFTMAX, Loss.CROSS_ENTROPY);
    double[] w = Initializer.initialize(spec, 3);
    ParameterLayout layout = spec.layout();
    assertUniform(w, layout.layer(1), Math.sqrt(6.0 / (200 + 100)));
    assertUniform(w, layout.layer(2), Math.sqrt(6.0 / (100 + 50)));
    assertUniform(w, layout.layer(3), Math.sqrt(6.0 / (50 + 10)));
  }

  @Test
  void initialize_reluLayers_areHeUniform_andTheOutputLayerGlorot() {
    NetworkSpec spec =
        NetworkSpec.of(
            new int[] {200, 100, 50, 10}, Activation.RELU, Activation.SOFTMAX, Loss.CROSS_ENTROPY);
    double[] w = Initializer.initialize(spec, 3);
    ParameterLayout layout = spec.layout();
    assertUniform(w, layout.layer(1), Math.sqrt(6.0 / 200));
    assertUniform(w, layout.layer(2), Math.sqrt(6.0 / 100));
    assertUniform(w, layout.layer(3), Math.sqrt(6.0 / (50 + 10)));
  }

  @Test
  void initialize_sameSeed_sameWeights_otherSeed_otherWeights() {
    NetworkSpec spec =
        NetworkSpec.of(
            new int[] {5, 4, 3}, Activation.SIGMOID, Activation.SOFTMAX, Loss.CROSS_ENTROPY);
    assertArrayEquals(Initializer.initialize(spec, 9), Initializer.initialize(spec, 9), 0.0);
    assertFalse(Arrays.equals(Initializer.initialize(spec, 9), Initializer.initialize(spec, 10)));
  }
}
