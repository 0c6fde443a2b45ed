package io.sparkprop.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LossTest {
  private static final double TOLERANCE = 1e-12;

  @Test
  void softmaxCrossEntropy_hugeLogits_staysFiniteAndExact() {
    double[] z = {1000.0, -1000.0};
    double[] a = z.clone();
    Activation.SOFTMAX.apply(a, 2, 1);
    double[] delta = new double[2];
    // y selects the class with logit −1000: C = logsumexp(z) − z_1 = 2000 exactly.
    double loss =
        Loss.CROSS_ENTROPY.lossAndDelta(Activation.SOFTMAX, z, a, new double[] {0, 1}, delta, 2, 1);
    assertEquals(2000.0, loss, TOLERANCE);
    assertEquals(1.0, delta[0], TOLERANCE);
    assertEquals(-1.0, delta[1], TOLERANCE);
  }

  /**
   * Softmax and its cross-entropy on columns of every kind (narrow and 800 wide, ties at the
   * maximum, the target at an entry whose softmax underflows to 0) against a log-sum-exp written
   * here with StrictMath and no read-back from the softmax.
   */
  @Test
  void softmaxCrossEntropy_variedColumns_matchesIndependentLogSumExp() {
    int rows = 10;
    int cols = 40;
    java.util.Random random = new java.util.Random(11);
    double[] z = new double[rows * cols];
    double[] y = new double[rows * cols];
    for (int c = 0; c < cols; c++) {
      double width = c % 4 == 0 ? 800 : c % 4 == 1 ? 0.01 : 5;
      for (int r = 0; r < rows; r++) {
        z[c * rows + r] = random.nextGaussian() * width;
      }
      if (c % 5 == 2) {
        z[c * rows + 3] = z[c * rows + 7] = 1e3; // a tie at the maximum
      }
      y[c * rows + random.nextInt(rows)] = 1;
    }
    double[] a = z.clone();
    Activation.SOFTMAX.apply(a, rows, cols);
    double[] delta = new double[rows * cols];
    double loss = Loss.CROSS_ENTROPY.lossAndDelta(Activation.SOFTMAX, z, a, y, delta, rows, cols);

    double expected = 0;
    for (int c = 0; c < cols; c++) {
      int off = c * rows;
      double max = Double.NEGATIVE_INFINITY;
      for (int r = 0; r < rows; r++) {
        max = Math.max(max, z[off + r]);
      }
      double sum = 0;
      for (int r = 0; r < rows; r++) {
        sum += StrictMath.exp(z[off + r] - max);
      }
      double logSumExp = max + StrictMath.log(sum);
      for (int r = 0; r < rows; r++) {
        double softmax = StrictMath.exp(z[off + r] - max) / sum;
        assertEquals(softmax, a[off + r], 1e-15, "softmax at column " + c + " row " + r);
        assertEquals(softmax - y[off + r], delta[off + r], 1e-15, "δ at column " + c);
        if (y[off + r] != 0) {
          double columnLoss = logSumExp - z[off + r];
          assertTrue(Double.isFinite(columnLoss));
          expected += columnLoss;
        }
      }
    }
    assertEquals(expected, loss, 1e-12 * Math.abs(expected));
  }

  @Test
  void sigmoidCrossEntropy_saturatedOutput_givesLogitNotInfinity() {
    double[] z = {-800.0};
    double[] a = z.clone();
    Activation.SIGMOID.apply(a, 1, 1);
    // −ln σ(−800) = ln(1 + e^{800}) = 800 to double precision; ln(a) would be −∞.
    double loss =
        Loss.CROSS_ENTROPY.lossAndDelta(
            Activation.SIGMOID, z, a, new double[] {1}, new double[1], 1, 1);
    assertEquals(800.0, loss, TOLERANCE);
  }

  @Test
  void networkSpec_softmaxWithSquaredError_isRejectedWithReason() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                NetworkSpec.of(
                    new int[] {2, 3}, Activation.SIGMOID, Activation.SOFTMAX, Loss.SQUARED_ERROR));
    assertTrue(
        e.getMessage().contains("squared-error cannot be used with output softmax"),
        e.getMessage());
  }

  @Test
  void networkSpec_oneLayerSize_isRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                NetworkSpec.of(
                    new int[] {2}, Activation.SIGMOID, Activation.SOFTMAX, Loss.CROSS_ENTROPY));
    assertEquals("layer sizes must have at least 2 entries, found 1", e.getMessage());
  }

  @Test
  void networkSpec_layout_matchesMllibWeightsThenBiasesPerLayer() {
    NetworkSpec spec =
        NetworkSpec.of(
            new int[] {3, 4, 2}, Activation.SIGMOID, Activation.SOFTMAX, Loss.CROSS_ENTROPY);
    ParameterLayout layout = spec.layout();
    assertEquals(0, layout.layer(1).weightOffset());
    assertEquals(12, layout.layer(1).biasOffset());
    assertEquals(16, layout.layer(2).weightOffset());
    assertEquals(24, layout.layer(2).biasOffset());
    assertEquals(26, spec.numParameters());
    assertEquals(26, layout.size());
    // W¹ is 4 × 3 column-major: entry (row 1, column 2) sits at 2·4 + 1.
    assertEquals(9, layout.layer(1).weightIndex(1, 2));
  }
}
