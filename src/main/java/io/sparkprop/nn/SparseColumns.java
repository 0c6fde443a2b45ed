package io.sparkprop.nn;

/**
 * A block's input as compressed sparse columns: column c's nonzeros sit at {@code rows[k]} for k in
 * {@code starts[c] … starts[c + 1]}, with values {@code doubles[k]} or {@code floats[k]} (exactly
 * one of the two, or neither when every value is 1: binary features). Rows increase within a
 * column. The arrays are the caller's and are read only. A view that can be pointed at the next
 * block's arrays ({@link #of}), so a pass over sparse blocks keeps one, in its {@link Workspace},
 * rather than allocating one a block.
 */
public final class SparseColumns {
  private int[] starts;
  private int[] rows;
  private float[] floats;
  private double[] doubles;

  public SparseColumns(int[] starts, int[] rows, float[] floats, double[] doubles) {
    of(starts, rows, floats, doubles);
  }

  /** Points this view at other arrays; returns it. */
  public SparseColumns of(int[] starts, int[] rows, float[] floats, double[] doubles) {
    this.starts = starts;
    this.rows = rows;
    this.floats = floats;
    this.doubles = doubles;
    return this;
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
