package io.sparkprop.nn;

import java.util.Arrays;

/**
 * A block's input as compressed sparse columns: column c's nonzeros sit at {@code rows[k]} for k in
 * {@code starts[c] … starts[c + 1]}, with values {@code doubles[k]} or {@code floats[k]} (exactly
 * one of the two, or neither when every value is 1: binary features). Rows increase within a
 * column. The arrays are the caller's and are read only. A view that can be pointed at the next
 * block's arrays ({@link #of}), so a pass over sparse blocks keeps one, in its {@link Workspace},
 * rather than allocating one a block.
 *
 * <p>For a wide block the view also gives the same nonzeros ordered by feature ({@link
 * #sortByRow}), so that the first layer visits W¹'s and ∂W¹'s columns in address order, each once
 * per block, instead of once per nonzero in random order: a stable radix sort, O(nonzeros), kept
 * until the view is pointed elsewhere. The sort writes into the view, so one view serves one
 * thread, like the workspace that holds it.
 */
public final class SparseColumns {
  /** {@link #sortByRow}'s radix: two passes sort any row index. */
  private static final int DIGIT_BITS = 16;

  private static final int DIGITS = 1 << DIGIT_BITS;

  private int[] starts;
  private int[] rows;
  private float[] floats;
  private double[] doubles;

  /** The nonzeros' indices k ordered by (row, column); valid for {@link #sortedFor} columns. */
  private int[] byRow = new int[0];

  /** The column of each nonzero, in {@link #byRow} order. */
  private int[] columnByRow = new int[0];

  private int[] scratch = new int[0];
  private int[] counts;
  private int sortedFor = -1;

  public SparseColumns(int[] starts, int[] rows, float[] floats, double[] doubles) {
    of(starts, rows, floats, doubles);
  }

  /** Points this view at other arrays; returns it. */
  public SparseColumns of(int[] starts, int[] rows, float[] floats, double[] doubles) {
    this.starts = starts;
    this.rows = rows;
    this.floats = floats;
    this.doubles = doubles;
    this.sortedFor = -1;
    return this;
  }

  /**
   * Orders the nonzeros of the first {@code cols} columns by row (feature), columns increasing
   * within a row: afterwards {@link #byRow()} and {@link #columnByRow()} list them. Does nothing
   * when already done for this view's arrays and {@code cols}.
   */
  void sortByRow(int cols) {
    if (sortedFor == cols) {
      return;
    }
    int n = starts[cols];
    if (byRow.length < n) {
      byRow = new int[n];
      columnByRow = new int[n];
      scratch = new int[n];
    }
    int highest = 0;
    for (int k = 0; k < n; k++) {
      highest |= rows[k];
      scratch[k] = k;
    }
    if (counts == null) {
      counts = new int[DIGITS + 1];
    }
    // Least significant digit first; each pass is stable, so columns stay increasing in a row.
    int[] from = scratch;
    int[] to = byRow;
    for (int shift = 0;
        shift < Integer.SIZE && (shift == 0 || (highest >>> shift) != 0);
        shift += DIGIT_BITS) {
      radixPass(from, to, n, shift);
      int[] swap = from;
      from = to;
      to = swap;
    }
    if (from != byRow) {
      System.arraycopy(from, 0, byRow, 0, n);
    }
    for (int c = 0; c < cols; c++) {
      for (int k = starts[c]; k < starts[c + 1]; k++) {
        scratch[k] = c;
      }
    }
    for (int i = 0; i < n; i++) {
      columnByRow[i] = scratch[byRow[i]];
    }
    sortedFor = cols;
  }

  /** One stable counting-sort pass of {@code from}'s nonzeros on the row digit at {@code shift}. */
  private void radixPass(int[] from, int[] to, int n, int shift) {
    Arrays.fill(counts, 0);
    for (int i = 0; i < n; i++) {
      counts[((rows[from[i]] >>> shift) & (DIGITS - 1)) + 1]++;
    }
    for (int d = 0; d < DIGITS; d++) {
      counts[d + 1] += counts[d];
    }
    for (int i = 0; i < n; i++) {
      int k = from[i];
      to[counts[(rows[k] >>> shift) & (DIGITS - 1)]++] = k;
    }
  }

  /** After {@link #sortByRow}: the nonzeros' indices ordered by row, then column. */
  int[] byRow() {
    return byRow;
  }

  /** After {@link #sortByRow}: the column of each nonzero of {@link #byRow()}, in that order. */
  int[] columnByRow() {
    return columnByRow;
  }

  public int[] starts() {
    return starts;
  }

  public int[] rows() {
    return rows;
  }

  public float[] floats() {
    return floats;
  }

  public double[] doubles() {
    return doubles;
  }

  /** The value of nonzero k. */
  double value(int k) {
    return doubles != null ? doubles[k] : floats != null ? floats[k] : 1.0;
  }
}
