package io.sparkprop.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The first layer over a sparse input's nonzeros gives what the dense GEMMs give on the same
 * values: outputs, loss and every gradient entry within 1e-12 relative in float64 (only the order
 * of the additions differs); its gradient matches central differences; and with binary values (no
 * value array) it reads every nonzero as 1.
 */
class SparseInputTest {
  private static final NetworkSpec SPEC =
      NetworkSpec.of(
          new int[] {40, 6, 5, 3}, Activation.TANH, Activation.SOFTMAX, Loss.CROSS_ENTROPY);

  /**
   * Block widths: 9 runs the first layer example by example; 600 (past {@link
   * SparseFirstLayer#BY_FEATURE_COLUMNS}, with about 5 nonzeros an example over 40 features) runs
   * it feature by feature.
   */
  private static final int NARROW = 9;

  private static final int WIDE = 600;

  /** Sparse columns with about 1 in 8 entries nonzero, column 4 empty; values or all ones. */
  private static SparseColumns randomSparse(SplittableRandom random, boolean binary, int cols) {
    int[] starts = new int[cols + 1];
    List<Integer> rows = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    for (int c = 0; c < cols; c++) {
      for (int r = 0; r < SPEC.numInputs() && c != 4; r++) {
        if (random.nextInt(8) == 0) {
          rows.add(r);
          values.add(binary ? 1.0 : random.nextDouble(-2, 2));
        }
      }
      starts[c + 1] = rows.size();
    }
    double[] doubles = values.stream().mapToDouble(Double::doubleValue).toArray();
    return new SparseColumns(
        starts, rows.stream().mapToInt(Integer::intValue).toArray(), null, binary ? null : doubles);
  }

  private static double[] dense(SparseColumns x, int cols) {
    double[] out = new double[SPEC.numInputs() * cols];
    for (int c = 0; c < cols; c++) {
      for (int k = x.starts()[c]; k < x.starts()[c + 1]; k++) {
        out[c * SPEC.numInputs() + x.rows()[k]] = x.doubles() == null ? 1.0 : x.doubles()[k];
      }
    }
    return out;
  }

  private static double[] targets(SplittableRandom random, int cols) {
    double[] y = new double[SPEC.numOutputs() * cols];
    for (int c = 0; c < cols; c++) {
      y[c * SPEC.numOutputs() + random.nextInt(SPEC.numOutputs())] = 1;
    }
    return y;
  }

  @ParameterizedTest
  @ValueSource(ints = {NARROW, WIDE})
  void sparseAndDense_giveTheSameLossAndGradient_float64(int cols) {
    for (boolean binary : new boolean[] {false, true}) {
      SplittableRandom random = new SplittableRandom(binary ? 3 : 4);
      SparseColumns x = randomSparse(random, binary, cols);
      double[] y = targets(random, cols);
      double[] columnWeights = new double[cols];
      double[] pattern = {1, 2, 0.5, 1, 3, 1, 1, 0, 1};
      for (int c = 0; c < cols; c++) {
        columnWeights[c] = pattern[c % pattern.length];
      }
      double[] w = Initializer.initialize(SPEC, 9);
      Network network = new Network(SPEC);
      Workspace<double[]> ws = Workspace.of(Arithmetic.FLOAT64, SPEC, cols);
      double[] sparseGradient = new double[w.length];
      double sparseLoss =
          network.accumulateGradient(w, x, y, columnWeights, cols, ws, sparseGradient);
      double[] sparseOutputs = ws.outputs().clone();
      double[] denseGradient = new double[w.length];
      double denseLoss =
          network.accumulateGradient(
              w, dense(x, cols), null, y, columnWeights, cols, ws, denseGradient);
      assertEquals(denseLoss, sparseLoss, 1e-12 * Math.abs(denseLoss), "binary " + binary);
      for (int i = 0; i < SPEC.numOutputs() * cols; i++) {
        assertEquals(ws.outputs()[i], sparseOutputs[i], 1e-12, "output " + i);
      }
      for (int i = 0; i < w.length; i++) {
        assertEquals(
            denseGradient[i],
            sparseGradient[i],
            1e-12 * Math.max(1e-3, Math.abs(denseGradient[i])),
            "gradient " + i + ", binary " + binary);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {NARROW, WIDE})
  void sparseAndDense_agreeInFloat32(int cols) {
    SplittableRandom random = new SplittableRandom(5);
    SparseColumns x = randomSparse(random, false, cols);
    float[] values = new float[x.doubles().length];
    for (int k = 0; k < values.length; k++) {
      values[k] = (float) x.doubles()[k];
    }
    SparseColumns asFloats = new SparseColumns(x.starts(), x.rows(), values, null);
    double[] y = targets(random, cols);
    double[] w = Initializer.initialize(SPEC, 10);
    float[] wf = Arithmetic.FLOAT32.fromDoubles(w);
    double[] denseInput = dense(x, cols);
    float[] denseFloats = new float[denseInput.length];
    for (int i = 0; i < denseInput.length; i++) {
      denseFloats[i] = (float) denseInput[i];
    }
    Network network = new Network(SPEC);
    Workspace<float[]> ws = Workspace.of(Arithmetic.FLOAT32, SPEC, cols);
    float[] sparseGradient = new float[w.length];
    float[] denseGradient = new float[w.length];
    double sparseLoss = network.accumulateGradient(wf, asFloats, y, null, cols, ws, sparseGradient);
    double denseLoss =
        network.accumulateGradient(wf, denseFloats, null, y, null, cols, ws, denseGradient);
    assertEquals(denseLoss, sparseLoss, 1e-5 * Math.abs(denseLoss));
    // Relative to the largest entry: an entry that is a small sum of large float terms of both
    // signs carries their rounding, which grows with the block's width.
    float largest = 0;
    for (float g : denseGradient) {
      largest = Math.max(largest, Math.abs(g));
    }
    for (int i = 0; i < w.length; i++) {
      assertEquals(denseGradient[i], sparseGradient[i], 1e-5 * largest, "gradient " + i);
    }
  }

  /**
   * {@link Network#accumulateGradientByFeature}: the columns it writes are the ordinary path's ∂W¹
   * columns of the features the input holds, in increasing feature order, overwriting what was
   * there; after them every entry after W¹ is added to, as the ordinary path adds it; nothing
   * beyond is written, and the loss is the ordinary path's. Within 1e-12 relative in float64 (the
   * narrow block's ordinary path sums example by example, so the order of additions differs), 1e-5
   * of the largest entry in float32.
   */
  @ParameterizedTest
  @ValueSource(ints = {NARROW, WIDE})
  void byFeatureColumns_areTheTouchedColumnsOfTheGradient(int cols) {
    SplittableRandom random = new SplittableRandom(12);
    SparseColumns x = randomSparse(random, false, cols);
    int[] touched = Arrays.stream(x.rows(), 0, x.starts()[cols]).distinct().sorted().toArray();
    if (cols == NARROW) {
      assertTrue(touched.length < SPEC.numInputs(), "some features untouched");
    }
    double[] y = targets(random, cols);
    double[] w = Initializer.initialize(SPEC, 13);
    int rows = SPEC.size(1);
    int after = rows * SPEC.numInputs();
    int tail = w.length - after;
    int packed = touched.length * rows;
    Network network = new Network(SPEC);
    Workspace<double[]> ws = Workspace.of(Arithmetic.FLOAT64, SPEC, cols);
    double[] expected = new double[w.length];
    double expectedLoss = network.accumulateGradient(w, x, y, null, cols, ws, expected);
    double[] columns = new double[packed + tail + 5];
    Arrays.fill(columns, 99.0);
    Arrays.fill(columns, packed, packed + tail, 0.5);
    double loss =
        network.accumulateGradientByFeature(
            w, x, y, null, cols, ws, new PackedGradient<>(columns, touched.length));
    assertEquals(expectedLoss, loss, 1e-12 * Math.abs(expectedLoss));
    for (int c = 0; c < touched.length; c++) {
      for (int r = 0; r < rows; r++) {
        double e = expected[touched[c] * rows + r];
        assertEquals(e, columns[c * rows + r], 1e-12 * Math.max(1e-3, Math.abs(e)), "column " + c);
      }
    }
    for (int i = 0; i < tail; i++) {
      double e = expected[after + i] + 0.5;
      assertEquals(e, columns[packed + i], 1e-12 * Math.max(1e-3, Math.abs(e)), "entry " + i);
    }
    for (int i = packed + tail; i < columns.length; i++) {
      assertEquals(99.0, columns[i], "beyond the packed gradient, untouched");
    }

    SparseColumns asFloats = new SparseColumns(x.starts(), x.rows(), toFloats(x.doubles()), null);
    float[] wf = Arithmetic.FLOAT32.fromDoubles(w);
    Workspace<float[]> wsf = Workspace.of(Arithmetic.FLOAT32, SPEC, cols);
    float[] floatsExpected = new float[w.length];
    network.accumulateGradient(wf, asFloats, y, null, cols, wsf, floatsExpected);
    float[] floatColumns = new float[packed + tail];
    network.accumulateGradientByFeature(
        wf, asFloats, y, null, cols, wsf, new PackedGradient<>(floatColumns, touched.length));
    float largest = 0;
    for (float g : floatsExpected) {
      largest = Math.max(largest, Math.abs(g));
    }
    for (int c = 0; c < touched.length; c++) {
      for (int r = 0; r < rows; r++) {
        assertEquals(
            floatsExpected[touched[c] * rows + r], floatColumns[c * rows + r], 1e-5 * largest);
      }
    }
    for (int i = 0; i < tail; i++) {
      assertEquals(
          floatsExpected[after + i], floatColumns[packed + i], 1e-5 * largest, "entry " + i);
    }
  }

  private static float[] toFloats(double[] values) {
    float[] floats = new float[values.length];
    for (int k = 0; k < values.length; k++) {
      floats[k] = (float) values[k];
    }
    return floats;
  }

  /** Central differences of the sparse path's own loss, entry by entry. */
  @ParameterizedTest
  @ValueSource(ints = {NARROW, WIDE})
  void sparseGradient_matchesCentralDifferences(int cols) {
    SplittableRandom random = new SplittableRandom(6);
    SparseColumns x = randomSparse(random, false, cols);
    double[] y = targets(random, cols);
    double[] w = Initializer.initialize(SPEC, 11);
    Network network = new Network(SPEC);
    Workspace<double[]> ws = Workspace.of(Arithmetic.FLOAT64, SPEC, cols);
    // Each example weighted NARROW / cols: the loss keeps the narrow block's scale, so the central
    // differences keep their accuracy on the wide one.
    double[] columnWeights = new double[cols];
    Arrays.fill(columnWeights, (double) NARROW / cols);
    double[] gradient = new double[w.length];
    network.accumulateGradient(w, x, y, columnWeights, cols, ws, gradient);
    double step = 1e-5;
    int checked = 0;
    for (int i = 0; i < w.length; i++) {
      double saved = w[i];
      w[i] = saved + step;
      double up = network.loss(w, x, y, columnWeights, cols, ws);
      w[i] = saved - step;
      double down = network.loss(w, x, y, columnWeights, cols, ws);
      w[i] = saved;
      double numeric = (up - down) / (2 * step);
      double error = Math.abs(numeric - gradient[i]) / Math.max(1e-7, Math.abs(numeric));
      // h = 1e-5 on a loss of about 10 leaves the differences ~1e-9 of truncation and rounding.
      assertTrue(
          error < 1e-6 || Math.abs(numeric - gradient[i]) < 1e-8,
          "entry " + i + ": " + error + " numeric " + numeric + " analytic " + gradient[i]);
      checked += gradient[i] != 0 ? 1 : 0;
    }
    assertTrue(checked > w.length / 2, "most entries are exercised: " + checked);
  }
}
