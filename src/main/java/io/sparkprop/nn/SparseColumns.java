package io.sparkprop.nn;

/**
 * A block's input as compressed sparse columns: column c's nonzeros sit at {@code rows[k]} for k in
 * {@code starts[c] … starts[c + 1]}, with values {@code doubles[k]} or {@code floats[k]} (exactly
 * one of the two, or neither when every value is 1: binary features). Rows increase within a
 * column. The arrays are the caller's and are read only.
 */
public record SparseColumns(int[] starts, int[] rows, float[] floats, double[] doubles) {

  /** The value of nonzero k. */
  double value(int k) {
    return doubles != null ? doubles[k] : floats != null ? floats[k] : 1.0;
  }
}
