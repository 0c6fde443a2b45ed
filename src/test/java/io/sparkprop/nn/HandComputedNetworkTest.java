package io.sparkprop.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkprop.optim.GradientDescent;
import org.junit.jupiter.api.Test;

/**
 * A 1-1-1 network (w1 = 0.5, b1 = 0.1, w2 = −0.3, b2 = 0.2, x = 1) whose expected values were
 * worked out separately from backpropagation's scalar equations: z = w a + b, a = σ(z), δ^L = a^L −
 * y (sigmoid output, cross-entropy) or δ^L = 2(a^L − y) (identity output, squared error), δ^1 = w2
 * δ^2 σ'(z^1), ∂C/∂w = δ a^{l−1}, ∂C/∂b = δ, w ← w − η ∂C/∂w.
 */
class HandComputedNetworkTest {
  private static final double TOLERANCE = 1e-15;

  /** Layout: W^1, b^1, W^2, b^2. */
  private static final double[] WEIGHTS = {0.5, 0.1, -0.3, 0.2};

  private static final double[] INPUT = {1.0};

  /**
   * The working, sigmoid output, cross-entropy, y = 1 (each value to double precision, as a
   * calculator or Python gives it):
   *
   * <pre>
   *   z¹ = 0.5·1 + 0.1 = 0.6                       a¹ = σ(0.6) = 0.6456563062257954
   *   z² = −0.3·a¹ + 0.2 = 0.006303108132261398    a² = σ(z²) = 0.5015757718160597
   *   C  = −ln a² = 0.6900005926321096
   *   δ² = a² − y = −0.4984242281839403
   *   ∂C/∂w² = δ²·a¹ = −0.32181074610268584        ∂C/∂b² = δ²
   *   δ¹ = w²·δ²·a¹(1 − a¹) = 0.03420948254107753  ∂C/∂w¹ = δ¹·x = δ¹, ∂C/∂b¹ = δ¹
   *   w ← w − 0.5·∂C/∂w: 0.5 − 0.5·δ¹ = 0.48289525872946126, 0.1 − 0.5·δ¹ = 0.08289525872946124,
   *                      −0.3 − 0.5·∂C/∂w² = −0.13909462694865707, 0.2 − 0.5·δ² = 0.44921211409197015
   * </pre>
   */
  @Test
  void gdStep_sigmoidCrossEntropy_matchesHandComputedValues() {
    NetworkSpec spec =
        NetworkSpec.of(
            new int[] {1, 1, 1}, Activation.SIGMOID, Activation.SIGMOID, Loss.CROSS_ENTROPY);
    double[] gradient = new double[4];
    double loss =
        new Network(spec)
            .accumulateGradient(
                WEIGHTS, INPUT, new double[] {1.0}, 1, Workspace.of(spec, 1), gradient);

    assertEquals(0.6900005926321096, loss, TOLERANCE);
    assertArrayEquals(
        new double[] {
          0.03420948254107753, 0.03420948254107753, -0.32181074610268584, -0.4984242281839403
        },
        gradient,
        TOLERANCE);

    double[] weights = WEIGHTS.clone();
    new GradientDescent().step(weights, gradient, 0.5);
    assertArrayEquals(
        new double[] {
          0.48289525872946126, 0.08289525872946124, -0.13909462694865707, 0.44921211409197015
        },
        weights,
        TOLERANCE);
  }

  /**
   * The working, identity output, squared error, y = 0.25; the hidden layer as above:
   *
   * <pre>
   *   a² = z² = 0.006303108132261398
   *   C  = (a² − y)² = 0.05938817510599628
   *   δ² = 2(a² − y) = −0.4873937837354772
   *   ∂C/∂w² = δ²·a¹ = −0.3146888700840624         ∂C/∂b² = δ²
   *   δ¹ = w²·δ²·a¹(1 − a¹) = 0.03345240498456523  ∂C/∂w¹ = ∂C/∂b¹ = δ¹
   * </pre>
   */
  @Test
  void accumulateGradient_identitySquaredError_matchesHandComputedValues() {
    NetworkSpec spec =
        NetworkSpec.of(
            new int[] {1, 1, 1}, Activation.SIGMOID, Activation.IDENTITY, Loss.SQUARED_ERROR);
    double[] gradient = new double[4];
    double loss =
        new Network(spec)
            .accumulateGradient(
                WEIGHTS, INPUT, new double[] {0.25}, 1, Workspace.of(spec, 1), gradient);

    assertEquals(0.05938817510599628, loss, TOLERANCE);
    assertArrayEquals(
        new double[] {
          0.03345240498456523, 0.03345240498456523, -0.3146888700840624, -0.4873937837354772
        },
        gradient,
        TOLERANCE);
  }

  @Test
  void accumulateGradient_calledTwice_addsRatherThanOverwrites() {
    NetworkSpec spec =
        NetworkSpec.of(
            new int[] {1, 1, 1}, Activation.SIGMOID, Activation.SIGMOID, Loss.CROSS_ENTROPY);
    Network network = new Network(spec);
    Workspace<double[]> workspace = Workspace.of(spec, 1);
    double[] once = new double[4];
    network.accumulateGradient(WEIGHTS, INPUT, new double[] {1.0}, 1, workspace, once);
    double[] twice = new double[4];
    network.accumulateGradient(WEIGHTS, INPUT, new double[] {1.0}, 1, workspace, twice);
    network.accumulateGradient(WEIGHTS, INPUT, new double[] {1.0}, 1, workspace, twice);
    for (int i = 0; i < 4; i++) {
      assertEquals(2 * once[i], twice[i], TOLERANCE);
    }
  }

  /**
   * z = w x + b with w = 1 + 2⁻³⁰, b = 2⁻³⁰, x = 1, y = 0 and C = z². In doubles z = 1 + 2⁻²⁹; in
   * floats w rounds to 1 and 1 + 2⁻³⁰ rounds to 1, so z = 1, C = 1 and ∂C/∂w = ∂C/∂b = 2z = 2
   * exactly.
   */
  @Test
  void accumulateGradient_float32_roundsTheMatricesToFloats() {
    NetworkSpec spec =
        NetworkSpec.of(
            new int[] {1, 1}, Activation.IDENTITY, Activation.IDENTITY, Loss.SQUARED_ERROR);
    double tiny = Math.scalb(1.0, -30);
    double[] weights = {1 + tiny, tiny};
    double[] target = {0.0};

    double[] inDoubles = new double[2];
    double lossInDoubles =
        new Network(spec)
            .accumulateGradient(weights, INPUT, target, 1, Workspace.of(spec, 1), inDoubles);
    double z = 1 + 2 * tiny;
    assertEquals(z * z, lossInDoubles, 0.0);
    assertArrayEquals(new double[] {2 * z, 2 * z}, inDoubles, 0.0);

    Arithmetic<float[]> floats = Arithmetic.FLOAT32;
    float[] inFloats = floats.allocate(2);
    double lossInFloats =
        new Network(spec)
            .accumulateGradient(
                floats.fromDoubles(weights),
                floats.fromDoubles(INPUT),
                target,
                1,
                Workspace.of(floats, spec, 1),
                inFloats);
    assertEquals(1.0, lossInFloats, 0.0);
    assertArrayEquals(new float[] {2f, 2f}, inFloats, 0f);
  }
}
