package io.sparkprop.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.Weights;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Central-difference check of the backpropagated gradient, for every hidden activation × every
 * output/loss pair, on a network with two hidden layers, at batch sizes 1 and 7.
 */
class GradientCheckTest {
  private static final double STEP = 1e-5;
  private static final double MAX_RELATIVE_ERROR = 1e-6;
  private static final double ABSOLUTE_FLOOR = 1e-7;
  private static final int[] LAYERS = {4, 5, 3, 3};

  /**
   * float32 against float64, entry by entry: each operation rounds to 2⁻²⁴ ≈ 6e-8 relative, and a
   * gradient entry is a sum of products through three layers (the worst entry here is 2.8e-5).
   */
  private static final double FLOAT_RELATIVE_ERROR = 1e-4;

  /** Entries below this are held to it; the gradients here are around 1e-3 to 1. */
  private static final double FLOAT_FLOOR = 1e-8;

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    Object[][] outputs = {
      {Activation.SIGMOID, Loss.CROSS_ENTROPY},
      {Activation.SOFTMAX, Loss.CROSS_ENTROPY},
      {Activation.IDENTITY, Loss.SQUARED_ERROR},
      {Activation.SIGMOID, Loss.SQUARED_ERROR},
    };
    for (Activation hidden :
        new Activation[] {
          Activation.SIGMOID, Activation.TANH, Activation.RELU, Activation.IDENTITY
        }) {
      for (Object[] out : outputs) {
        for (int batch : new int[] {1, 7}) {
          cases.add(Arguments.of(hidden, out[0], out[1], batch));
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} hidden, {1} + {2}, batch {3}")
  @MethodSource("cases")
  void accumulateGradient_anyActivationAndLoss_matchesCentralDifferences(
      Activation hidden, Activation output, Loss loss, int batch) {
    NetworkSpec spec = NetworkSpec.of(LAYERS, hidden, output, loss);
    SplittableRandom random = new SplittableRandom(42 + batch);
    double[] weights = Initializer.initialize(spec, 7);
    for (int i = 0; i < weights.length; i++) {
      weights[i] += 0.1 * (random.nextDouble() - 0.5); // non-zero biases too
    }
    double[] input = new double[spec.numInputs() * batch];
    for (int i = 0; i < input.length; i++) {
      input[i] = 2 * random.nextDouble() - 1;
    }
    double[] targets = targets(spec, batch, random);
    Network network = new Network(spec);
    Workspace<double[]> workspace = Workspace.of(spec, batch);

    double[] gradient = new double[weights.length];
    network.accumulateGradient(weights, input, targets, batch, workspace, gradient);

    for (int i = 0; i < weights.length; i++) {
      double saved = weights[i];
      weights[i] = saved + STEP;
      double plus = network.loss(weights, input, targets, batch, workspace);
      weights[i] = saved - STEP;
      double minus = network.loss(weights, input, targets, batch, workspace);
      weights[i] = saved;
      double numeric = (plus - minus) / (2 * STEP);
      double error =
          Math.abs(numeric - gradient[i])
              / Math.max(ABSOLUTE_FLOOR, Math.max(Math.abs(numeric), Math.abs(gradient[i])));
      assertTrue(
          error < MAX_RELATIVE_ERROR,
          "parameter "
              + i
              + ": backprop "
              + gradient[i]
              + " vs numeric "
              + numeric
              + " (relative error "
              + error
              + ")");
    }
  }

  /**
   * The float32 path against the double path, which the test above checks against central
   * differences: the same loss and gradient up to float rounding (relative 2⁻²⁴ per operation).
   */
  @ParameterizedTest(name = "{0} hidden, {1} + {2}, batch {3}")
  @MethodSource("cases")
  void accumulateGradient_float32_matchesFloat64UpToFloatRounding(
      Activation hidden, Activation output, Loss loss, int batch) {
    NetworkSpec spec = NetworkSpec.of(LAYERS, hidden, output, loss);
    SplittableRandom random = new SplittableRandom(42 + batch);
    double[] weights = Initializer.initialize(spec, 7);
    double[] input = new double[spec.numInputs() * batch];
    for (int i = 0; i < input.length; i++) {
      input[i] = 2 * random.nextDouble() - 1;
    }
    double[] targets = targets(spec, batch, random);
    Network network = new Network(spec);

    double[] exact = new double[weights.length];
    double exactLoss =
        network.accumulateGradient(
            weights, input, targets, batch, Workspace.of(spec, batch), exact);
    Arithmetic<float[]> floats = Arithmetic.FLOAT32;
    float[] rounded = floats.allocate(weights.length);
    double roundedLoss =
        network.accumulateGradient(
            floats.fromDoubles(weights),
            floats.fromDoubles(input),
            targets,
            batch,
            Workspace.of(floats, spec, batch),
            rounded);

    // The loss is summed in double from float outputs: about 1e-8 relative here.
    assertEquals(exactLoss, roundedLoss, 1e-6 * Math.abs(exactLoss));
    double error = Weights.maxEntryError(exact, rounded, FLOAT_FLOOR);
    assertTrue(error < FLOAT_RELATIVE_ERROR, "worst entry's relative error " + error);
  }

  private static double[] targets(NetworkSpec spec, int batch, SplittableRandom random) {
    int k = spec.numOutputs();
    double[] y = new double[k * batch];
    for (int j = 0; j < batch; j++) {
      if (spec.outputActivation() == Activation.SOFTMAX) {
        y[j * k + random.nextInt(k)] = 1.0;
      } else {
        for (int r = 0; r < k; r++) {
          y[j * k + r] =
              spec.loss() == Loss.CROSS_ENTROPY
                  ? random.nextInt(2)
                  : spec.outputActivation() == Activation.SIGMOID
                      ? random.nextDouble()
                      : 2 * random.nextDouble() - 1;
        }
      }
    }
    return y;
  }
}
