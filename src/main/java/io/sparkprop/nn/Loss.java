package io.sparkprop.nn;

import io.sparkprop.common.Named;

/**
 * The cost of one example and the output error δ^L = ∂C/∂z^L it induces, for each supported pair of
 * output activation and loss. All values are per example and summed over a block; the trainer
 * divides by m.
 *
 * <ul>
 *   <li>sigmoid + cross-entropy: C = −Σ_k [y_k ln a_k + (1 − y_k) ln(1 − a_k)], δ = a − y. Also
 *       serves multi-label targets.
 *   <li>softmax + cross-entropy: C = −Σ_k y_k ln a_k, δ = a·Σ_k y_k − y (= a − y for one-hot y).
 *   <li>identity or sigmoid + squared error: C = Σ_k (a_k − y_k)², δ = 2(a − y) ⊙ g'(z). No factor
 *       ½: the gradient carries the 2 of ∂(a − y)²/∂a.
 * </ul>
 *
 * Cross-entropy is evaluated from the logits z, never from ln(a) of an entry that may saturate to 0
 * or 1, so it stays finite; with softmax, {@code activations} must be the softmax of {@code
 * logits}, whose largest entry (at least 1/rows) gives ln Σ e^z.
 */
public enum Loss implements Named {
  CROSS_ENTROPY("cross-entropy"),
  SQUARED_ERROR("squared-error");

  private final String id;

  Loss(String id) {
    this.id = id;
  }

  @Override
  public String id() {
    return id;
  }

  /** Whether this loss is defined here for the given output activation. */
  public boolean supports(Activation output) {
    return switch (this) {
      case CROSS_ENTROPY -> output == Activation.SIGMOID || output == Activation.SOFTMAX;
      case SQUARED_ERROR -> output == Activation.IDENTITY || output == Activation.SIGMOID;
    };
  }

  /**
   * Computes the summed loss of a block and writes δ^L.
   *
   * @param output the output activation g of layer L
   * @param logits z^L, column-major rows × cols; read only
   * @param activations a^L = g(z^L), same layout; read only
   * @param targets y, same layout; read only
   * @param delta receives δ^L, same layout; overwritten
   * @return Σ over the block's examples of the per-example cost
   */
  public double lossAndDelta(
      Activation output,
      double[] logits,
      double[] activations,
      double[] targets,
      double[] delta,
      int rows,
      int cols) {
    return lossAndDelta(output, logits, activations, targets, delta, rows, cols, null);
  }

  /**
   * Like {@link #lossAndDelta(Activation, double[], double[], double[], double[], int, int)} for
   * weighted examples: returns Σ w_j C_j and writes w_j δ_j into column j, so that the gradient
   * backpropagated from it is Σ w_j ∇C_j.
   *
   * @param weights w_j for each column, or null for all 1
   */
  public double lossAndDelta(
      Activation output,
      double[] logits,
      double[] activations,
      double[] targets,
      double[] delta,
      int rows,
      int cols,
      double[] weights) {
    double loss = 0;
    for (int c = 0; c < cols; c++) {
      double columnLoss = columnLossAndDelta(output, logits, activations, targets, delta, c, rows);
      loss += weights == null ? columnLoss : weights[c] * columnLoss;
    }
    if (this == SQUARED_ERROR) {
      output.multiplyByDerivative(delta, activations, rows * cols);
    }
    if (weights != null) {
      for (int c = 0; c < cols; c++) {
        for (int r = c * rows; r < (c + 1) * rows; r++) {
          delta[r] *= weights[c];
        }
      }
    }
    return loss;
  }

  /** Column c's loss and δ (for squared error, before the output derivative is applied). */
  private double columnLossAndDelta(
      Activation output,
      double[] logits,
      double[] activations,
      double[] targets,
      double[] delta,
      int c,
      int rows) {
    int off = c * rows;
    double loss = 0;
    if (this == SQUARED_ERROR) {
      for (int i = off; i < off + rows; i++) {
        double diff = activations[i] - targets[i];
        loss += diff * diff;
        delta[i] = 2.0 * diff;
      }
    } else if (output == Activation.SIGMOID) {
      for (int i = off; i < off + rows; i++) {
        double z = logits[i];
        // −[y ln σ(z) + (1−y) ln(1−σ(z))] = max(z,0) − z·y + ln(1 + e^{−|z|})
        loss += Math.max(z, 0) - z * targets[i] + Math.log1p(Math.exp(-Math.abs(z)));
        delta[i] = activations[i] - targets[i];
      }
    } else {
      loss = softmaxCrossEntropyColumn(logits, activations, targets, delta, off, rows);
    }
    return loss;
  }

  /**
   * One column's −Σ y ln softmax(z) = Σ y (logsumexp(z) − z) and δ. The softmax has already been
   * computed (a = e^{z − max}/Σ), so ln Σ is read back from the entry at the maximum, whose a is
   * e⁰/Σ ≥ 1/rows and never underflows: logsumexp(z) = max − ln a_max, one logarithm instead of the
   * column's exponentials again.
   */
  private static double softmaxCrossEntropyColumn(
      double[] logits, double[] activations, double[] targets, double[] delta, int off, int rows) {
    int argMax = off;
    double targetSum = 0;
    for (int r = 0; r < rows; r++) {
      if (logits[off + r] > logits[argMax]) {
        argMax = off + r;
      }
      targetSum += targets[off + r];
    }
    double logSumExp = logits[argMax] - Math.log(activations[argMax]);
    double loss = 0;
    for (int r = 0; r < rows; r++) {
      double y = targets[off + r];
      // −y ln softmax(z) = y (logsumexp(z) − z); skipped for y = 0 so −∞ logits cannot give 0·∞.
      if (y != 0) {
        loss += y * (logSumExp - logits[off + r]);
      }
      delta[off + r] = activations[off + r] * targetSum - y;
    }
    return loss;
  }

  /**
   * Parses a loss name, case-insensitively.
   *
   * @throws IllegalArgumentException naming the allowed values
   */
  public static Loss parse(String name) {
    return Named.parse(Loss.class, "loss", name);
  }
}
