package io.sparkprop.nn;

import dev.ludovic.netlib.blas.BLAS;

/**
 * Forward and backward propagation over a block of B examples stacked as the columns of a
 * column-major matrix, following the four equations of seed 000:
 *
 * <pre>
 *   Z^l = W^l A^{l−1} + b^l 1ᵀ,  A^l = g(Z^l)                      (one GEMM per layer)
 *   Δ^L = ∂C/∂Z^L                                                   ({@link Loss#lossAndDelta})
 *   Δ^l = ((W^{l+1})ᵀ Δ^{l+1}) ⊙ g'(Z^l)                            (one GEMM per layer)
 *   ∂C/∂W^l += Δ^l (A^{l−1})ᵀ,   ∂C/∂b^l += Δ^l 1                   (one GEMM per layer, β = 1)
 * </pre>
 *
 * Gradients are sums over the block's examples; dividing by m is the caller's job. Stateless and
 * thread-safe; all scratch space lives in a {@link Workspace}.
 */
public final class Network {
  private final NetworkSpec spec;
  private final BLAS blas = Blas.get();

  public Network(NetworkSpec spec) {
    this.spec = spec;
  }

  public NetworkSpec spec() {
    return spec;
  }

  /**
   * Runs the forward pass; afterwards {@link Workspace#outputs()} holds a^L for each column.
   *
   * @param weights the flat parameters (layout in {@link NetworkSpec}); read only
   * @param input column-major n_0 × cols; read only
   * @param cols number of examples in the block, 1 … workspace capacity
   */
  public void forward(double[] weights, double[] input, int cols, Workspace workspace) {
    checkColumns(cols, workspace);
    int numLayers = spec.numLayers();
    double[] previous = input;
    for (int l = 1; l <= numLayers; l++) {
      int rows = spec.size(l);
      int inner = spec.size(l - 1);
      double[] out = l == numLayers ? workspace.outputLogits : workspace.activations[l];
      int biasOffset = spec.biasOffset(l);
      for (int c = 0; c < cols; c++) {
        System.arraycopy(weights, biasOffset, out, c * rows, rows);
      }
      blas.dgemm(
          "N",
          "N",
          rows,
          cols,
          inner,
          1.0,
          weights,
          spec.weightOffset(l),
          rows,
          previous,
          0,
          inner,
          1.0,
          out,
          0,
          rows);
      if (l == numLayers) {
        System.arraycopy(out, 0, workspace.activations[l], 0, rows * cols);
      }
      spec.activation(l).apply(workspace.activations[l], rows, cols);
      previous = workspace.activations[l];
    }
  }

  /**
   * Forward and backward pass: adds the block's summed gradient into {@code gradient} and returns
   * the block's summed loss.
   *
   * @param weights the flat parameters; read only
   * @param input column-major n_0 × cols; read only
   * @param targets column-major n_L × cols; read only
   * @param gradient same layout as weights; accumulated into, not cleared
   * @return Σ over the block of the per-example cost
   */
  public double accumulateGradient(
      double[] weights,
      double[] input,
      double[] targets,
      int cols,
      Workspace workspace,
      double[] gradient) {
    double loss = loss(weights, input, targets, cols, workspace);
    int numLayers = spec.numLayers();
    for (int l = numLayers; l >= 1; l--) {
      int rows = spec.size(l);
      int inner = spec.size(l - 1);
      double[] delta = workspace.deltas[l];
      double[] previous = l == 1 ? input : workspace.activations[l - 1];
      blas.dgemm(
          "N",
          "T",
          rows,
          inner,
          cols,
          1.0,
          delta,
          0,
          rows,
          previous,
          0,
          inner,
          1.0,
          gradient,
          spec.weightOffset(l),
          rows);
      addRowSums(delta, rows, cols, gradient, spec.biasOffset(l));
      if (l > 1) {
        double[] below = workspace.deltas[l - 1];
        blas.dgemm(
            "T",
            "N",
            inner,
            cols,
            rows,
            1.0,
            weights,
            spec.weightOffset(l),
            rows,
            delta,
            0,
            rows,
            0.0,
            below,
            0,
            inner);
        spec.activation(l - 1)
            .multiplyByDerivative(below, workspace.activations[l - 1], inner * cols);
      }
    }
    return loss;
  }

  /**
   * Forward pass only, returning the block's summed loss; {@link Workspace#outputs()} then holds
   * a^L for each column and the workspace's last δ buffer holds δ^L.
   */
  public double loss(
      double[] weights, double[] input, double[] targets, int cols, Workspace workspace) {
    forward(weights, input, cols, workspace);
    int numLayers = spec.numLayers();
    return spec.loss()
        .lossAndDelta(
            spec.outputActivation(),
            workspace.outputLogits,
            workspace.activations[numLayers],
            targets,
            workspace.deltas[numLayers],
            spec.numOutputs(),
            cols);
  }

  /**
   * The class a column of outputs (or one-hot targets) stands for: the arg-max row, or for a single
   * output whether it is at least ½.
   *
   * @param values column-major rows × (at least col + 1); read only
   */
  public static int classOf(double[] values, int rows, int col) {
    int base = col * rows;
    if (rows == 1) {
      return values[base] >= 0.5 ? 1 : 0;
    }
    int best = 0;
    for (int r = 1; r < rows; r++) {
      if (values[base + r] > values[base + best]) {
        best = r;
      }
    }
    return best;
  }

  private static void addRowSums(double[] matrix, int rows, int cols, double[] into, int offset) {
    for (int c = 0; c < cols; c++) {
      int base = c * rows;
      for (int r = 0; r < rows; r++) {
        into[offset + r] += matrix[base + r];
      }
    }
  }

  private static void checkColumns(int cols, Workspace workspace) {
    if (cols <= 0 || cols > workspace.capacity()) {
      throw new IllegalArgumentException(
          "block size must be in 1.." + workspace.capacity() + ", found " + cols);
    }
  }
}
