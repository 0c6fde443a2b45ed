package io.sparkprop.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An input block that leaves out rows which are zero in all its columns gives the loss, outputs and
 * gradient of the full block: the rows left out add nothing, and their columns of ∂C/∂W¹ are left
 * exactly as they were.
 */
class DroppedRowsTest {
  private static final int[] LAYERS = {12, 6, 5, 3};
  private static final int COLS = 9;

  /** Runs (first row, count) of the rows kept: 1–3, 6, 9–10; rows 0, 4, 5, 7, 8, 11 are zero. */
  private static final int[] RUNS = {1, 3, 6, 1, 9, 2};

  private static final int[] KEPT = {1, 2, 3, 6, 9, 10};

  @ParameterizedTest(name = "{0} hidden")
  @ValueSource(strings = {"SIGMOID", "TANH", "RELU"})
  void someRowsLeftOut_givesTheFullBlocksLossOutputsAndGradient(String hidden) {
    NetworkSpec spec =
        NetworkSpec.of(LAYERS, Activation.valueOf(hidden), Activation.SOFTMAX, Loss.CROSS_ENTROPY);
    SplittableRandom random = new SplittableRandom(5);
    double[] weights = Initializer.initialize(spec, 3);
    double[] dense = new double[LAYERS[0] * COLS];
    for (int j = 0; j < COLS; j++) {
      for (int row : KEPT) {
        dense[j * LAYERS[0] + row] = 2 * random.nextDouble() - 1;
      }
    }
    double[] compact = keptRows(dense, KEPT);
    double[] targets = oneHot(spec, random);

    Compared doubles = compare(Arithmetic.FLOAT64, spec, weights, dense, compact, RUNS, targets);
    assertEquals(doubles.denseLoss, doubles.compactLoss, 1e-12 * Math.abs(doubles.denseLoss));
    assertArrayEquals(doubles.denseOutputs, doubles.compactOutputs, 1e-14);
    assertArrayEquals(doubles.denseGradient, doubles.compactGradient, 1e-12);
    assertUntouched(spec, doubles.start, doubles.compactGradient, KEPT);

    Compared floats = compare(Arithmetic.FLOAT32, spec, weights, dense, compact, RUNS, targets);
    assertEquals(floats.denseLoss, floats.compactLoss, 1e-5 * Math.abs(floats.denseLoss));
    assertArrayEquals(floats.denseOutputs, floats.compactOutputs, 1e-6);
    assertArrayEquals(floats.denseGradient, floats.compactGradient, 1e-5);
    assertUntouched(spec, floats.start, floats.compactGradient, KEPT);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"double", "float"})
  void everyRowLeftOut_givesTheBlockOfZeroInputs(String type) {
    NetworkSpec spec =
        NetworkSpec.of(LAYERS, Activation.TANH, Activation.SOFTMAX, Loss.CROSS_ENTROPY);
    double[] weights = Initializer.initialize(spec, 8);
    double[] targets = oneHot(spec, new SplittableRandom(2));
    Arithmetic<?> arithmetic = type.equals("double") ? Arithmetic.FLOAT64 : Arithmetic.FLOAT32;
    Compared c =
        compare(
            arithmetic,
            spec,
            weights,
            new double[LAYERS[0] * COLS],
            new double[0],
            new int[0],
            targets);
    assertEquals(c.denseLoss, c.compactLoss, 0.0);
    assertArrayEquals(c.denseOutputs, c.compactOutputs, 0.0);
    assertUntouched(spec, c.start, c.compactGradient, new int[0]);
    assertArrayEquals(c.denseGradient, c.compactGradient, 0.0);
  }

  /** Rows {@code kept} of each column of the n_0 × COLS matrix, in order. */
  private static double[] keptRows(double[] dense, int[] kept) {
    double[] out = new double[kept.length * COLS];
    for (int j = 0; j < COLS; j++) {
      for (int t = 0; t < kept.length; t++) {
        out[j * kept.length + t] = dense[j * LAYERS[0] + kept[t]];
      }
    }
    return out;
  }

  private static double[] oneHot(NetworkSpec spec, SplittableRandom random) {
    double[] targets = new double[spec.numOutputs() * COLS];
    for (int j = 0; j < COLS; j++) {
      targets[j * spec.numOutputs() + random.nextInt(spec.numOutputs())] = 1;
    }
    return targets;
  }

  /** W¹'s gradient columns for the rows not in {@code kept} are exactly as they started. */
  private static void assertUntouched(
      NetworkSpec spec, double[] start, double[] gradient, int[] kept) {
    int rows = spec.size(1);
    for (int i = 0; i < LAYERS[0]; i++) {
      if (java.util.Arrays.binarySearch(kept, i) >= 0) {
        continue;
      }
      for (int r = 0; r < rows; r++) {
        int k = spec.layout().layer(1).weightOffset() + i * rows + r;
        assertEquals(start[k], gradient[k], 0.0, "∂C/∂W¹ entry (" + r + ", " + i + ") changed");
      }
    }
  }

  private record Compared(
      double denseLoss,
      double compactLoss,
      double[] denseOutputs,
      double[] compactOutputs,
      double[] denseGradient,
      double[] compactGradient,
      double[] start) {}

  /**
   * Loss, outputs and gradient (added to a random start) of the dense block and of the compact one
   * in {@code arithmetic}, all as doubles.
   */
  private static <A> Compared compare(
      Arithmetic<A> arithmetic,
      NetworkSpec spec,
      double[] weights,
      double[] dense,
      double[] compact,
      int[] runs,
      double[] targets) {
    Network network = new Network(spec);
    Workspace<A> workspace = Workspace.of(arithmetic, spec, COLS);
    A w = arithmetic.fromDoubles(weights);
    double[] start = new double[weights.length];
    SplittableRandom random = new SplittableRandom(9);
    for (int i = 0; i < start.length; i++) {
      start[i] = random.nextDouble() - 0.5;
    }
    A denseGradient = arithmetic.fromDoubles(start.clone());
    double denseLoss =
        network.accumulateGradient(
            w, arithmetic.fromDoubles(dense), targets, COLS, workspace, denseGradient);
    double[] denseOutputs = workspace.outputs().clone();
    A compactGradient = arithmetic.fromDoubles(start.clone());
    double compactLoss =
        network.accumulateGradient(
            w,
            arithmetic.fromDoubles(compact),
            runs,
            targets,
            null,
            COLS,
            workspace,
            compactGradient);
    double[] compactOutputs = workspace.outputs().clone();
    int length = weights.length;
    double[] dg = arithmetic.toDoubles(denseGradient, length, new double[length]);
    double[] cg = arithmetic.toDoubles(compactGradient, length, new double[length]);
    double[] s = arithmetic.toDoubles(arithmetic.fromDoubles(start), length, new double[length]);
    int n = spec.numOutputs() * COLS;
    return new Compared(
        denseLoss,
        compactLoss,
        java.util.Arrays.copyOf(denseOutputs, n),
        java.util.Arrays.copyOf(compactOutputs, n),
        dg,
        cg,
        s);
  }
}
