package io.sparkprop.nn;

/**
 * The first layer of {@link Network} on a sparse input ({@link SparseColumns}): z¹ += W¹ X and
 * ∂C/∂W¹ += Δ¹ Xᵀ over X's nonzeros, each an axpy of a W¹ or Δ¹ column (cost ∝ nonzeros × n_1, not
 * n_0 × B × n_1). Example by example, or feature by feature ({@link #runsByFeature}) for a wide
 * block whose features recur, so that W¹'s and ∂W¹'s columns are visited in address order. W¹ is
 * column-major n_1 × n_0, so a nonzero x_kc touches W¹'s contiguous column k.
 */
public final class SparseFirstLayer {
  private SparseFirstLayer() {}

  /**
   * z¹ += W¹ X for sparse X: for each nonzero x_kc, x_kc times W¹'s column k into z¹'s column c.
   */
  static <A> void addSparseProducts(
      Arithmetic<A> arithmetic,
      A weights,
      ParameterLayout.Layer layer,
      SparseColumns x,
      int cols,
      A out) {
    int rows = layer.rows();
    if (runsByFeature(x.starts()[cols], cols, layer.cols())) {
      addSparseProductsByFeature(arithmetic, weights, layer, x, cols, out);
      return;
    }
    int[] r = x.rows();
    for (int c = 0; c < cols; c++) {
      int k = x.starts()[c];
      int end = x.starts()[c + 1];
      for (; k + 4 <= end; k += 4) {
        arithmetic.gather4(
            x.value(k),
            layer.columnOffset(r[k]),
            x.value(k + 1),
            layer.columnOffset(r[k + 1]),
            x.value(k + 2),
            layer.columnOffset(r[k + 2]),
            x.value(k + 3),
            layer.columnOffset(r[k + 3]),
            weights,
            out,
            c * rows,
            rows);
      }
      for (; k < end; k++) {
        arithmetic.axpy(x.value(k), weights, layer.columnOffset(x.rows()[k]), out, c * rows, rows);
      }
    }
  }

  /**
   * ∂C/∂W¹ += Δ¹ Xᵀ for sparse X: for each nonzero x_kc, x_kc times Δ¹'s column c into column k.
   */
  static <A> void addSparseGradient(
      Arithmetic<A> arithmetic,
      A delta,
      ParameterLayout.Layer layer,
      SparseColumns x,
      int cols,
      A gradient) {
    int rows = layer.rows();
    if (runsByFeature(x.starts()[cols], cols, layer.cols())) {
      addSparseGradientByFeature(arithmetic, delta, layer, x, cols, gradient, false);
      return;
    }
    int[] r = x.rows();
    for (int c = 0; c < cols; c++) {
      int k = x.starts()[c];
      int end = x.starts()[c + 1];
      for (; k + 4 <= end; k += 4) {
        arithmetic.scatter4(
            x.value(k),
            layer.columnOffset(r[k]),
            x.value(k + 1),
            layer.columnOffset(r[k + 1]),
            x.value(k + 2),
            layer.columnOffset(r[k + 2]),
            x.value(k + 3),
            layer.columnOffset(r[k + 3]),
            delta,
            c * rows,
            gradient,
            rows);
      }
      for (; k < end; k++) {
        arithmetic.axpy(
            x.value(k), delta, c * rows, gradient, layer.columnOffset(x.rows()[k]), rows);
      }
    }
  }

  /** The fewest examples a block's sparse first layer runs feature by feature for. */
  static final int BY_FEATURE_COLUMNS = 512;

  /**
   * The fewest nonzeros a feature has on average in a block that runs feature by feature: at 2 (a
   * partition of 10,000 examples × 40 nonzeros over 200,000 float64 features, one chunk) the
   * feature order measured 40, 70 and 63 ms of task CPU against 51, 28 and 30 ms example by example
   * (A/B, three rounds on a busy machine).
   */
  static final int BY_FEATURE_NONZEROS_A_FEATURE = 4;

  /**
   * Whether a sparse block's first layer runs feature by feature ({@link SparseColumns#sortByRow}):
   * W¹'s and ∂W¹'s columns are then read once a block, in address order, rather than once a nonzero
   * at random. That pays when the block is wide and its features recur (measured: 2.2× less task
   * CPU at 50,000 features × 40 nonzeros × 8,192 examples); when most features occur once or twice,
   * the sort costs more than the order saves (0.078–0.082 s of task CPU against 0.059 s at 2^20
   * features). {@link Network#accumulateGradientByFeature} runs the gradient by feature whatever
   * this says.
   *
   * @param nonZeros the block's nonzeros
   * @param cols the block's examples
   * @param numInputs n_0
   */
  public static boolean runsByFeature(long nonZeros, int cols, int numInputs) {
    return cols >= BY_FEATURE_COLUMNS
        && nonZeros >= (long) BY_FEATURE_NONZEROS_A_FEATURE * numInputs;
  }

  /**
   * z¹ += W¹ X for sparse X, feature by feature: W¹'s column k goes, times x_kc, into the columns c
   * of z¹ whose examples have feature k (four at a time). Each z¹ column still sums its features in
   * increasing order, as {@link #addSparseProducts} does.
   */
  private static <A> void addSparseProductsByFeature(
      Arithmetic<A> arithmetic,
      A weights,
      ParameterLayout.Layer layer,
      SparseColumns x,
      int cols,
      A out) {
    int rows = layer.rows();
    x.sortByRow(cols);
    int[] order = x.byRow();
    int[] column = x.columnByRow();
    int[] r = x.rows();
    int n = x.starts()[cols];
    int i = 0;
    while (i < n) {
      int feature = r[order[i]];
      int end = i + 1;
      while (end < n && r[order[end]] == feature) {
        end++;
      }
      int from = layer.columnOffset(feature);
      for (; i + 4 <= end; i += 4) {
        arithmetic.scatter4(
            x.value(order[i]),
            column[i] * rows,
            x.value(order[i + 1]),
            column[i + 1] * rows,
            x.value(order[i + 2]),
            column[i + 2] * rows,
            x.value(order[i + 3]),
            column[i + 3] * rows,
            weights,
            from,
            out,
            rows);
      }
      for (; i < end; i++) {
        arithmetic.axpy(x.value(order[i]), weights, from, out, column[i] * rows, rows);
      }
    }
  }

  /**
   * ∂C/∂W¹ += Δ¹ Xᵀ for sparse X, feature by feature: column k of ∂W¹ gathers x_kc times Δ¹'s
   * columns c for the examples c with feature k (four at a time), so each ∂W¹ column is written
   * once per block. When {@code packed}, the columns of the features X holds are not W¹'s layout in
   * {@code gradient} but consecutive n_1-wide columns from its start, in increasing feature order,
   * each set to its sum (overwritten, not added to).
   */
  static <A> void addSparseGradientByFeature(
      Arithmetic<A> arithmetic,
      A delta,
      ParameterLayout.Layer layer,
      SparseColumns x,
      int cols,
      A gradient,
      boolean packed) {
    int rows = layer.rows();
    x.sortByRow(cols);
    int[] order = x.byRow();
    int[] column = x.columnByRow();
    int[] r = x.rows();
    int n = x.starts()[cols];
    int i = 0;
    int next = 0;
    while (i < n) {
      int feature = r[order[i]];
      int end = i + 1;
      while (end < n && r[order[end]] == feature) {
        end++;
      }
      int into = packed ? rows * next++ : layer.columnOffset(feature);
      if (packed) {
        arithmetic.clear(gradient, into, rows);
      }
      for (; i + 4 <= end; i += 4) {
        arithmetic.gather4(
            x.value(order[i]),
            column[i] * rows,
            x.value(order[i + 1]),
            column[i + 1] * rows,
            x.value(order[i + 2]),
            column[i + 2] * rows,
            x.value(order[i + 3]),
            column[i + 3] * rows,
            delta,
            gradient,
            into,
            rows);
      }
      for (; i < end; i++) {
        arithmetic.axpy(x.value(order[i]), delta, column[i] * rows, gradient, into, rows);
      }
    }
  }
}
