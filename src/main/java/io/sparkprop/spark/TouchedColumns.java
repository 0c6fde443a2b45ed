package io.sparkprop.spark;

import java.util.Arrays;

/**
 * The input features (columns of W¹) a partition's examples hold nonzeros in, so that only their
 * columns of ∂W¹ are read, sent and cleared: each marked once, in the order first seen, in O(1); or
 * "all" once a dense example is seen.
 */
final class TouchedColumns {
  private final boolean[] seen;
  private int[] list = new int[256];
  private int count;
  private boolean all;

  TouchedColumns(int inputs) {
    this.seen = new boolean[inputs];
  }

  /** Marks the features {@code rows[from … to)}. */
  void mark(int[] rows, int from, int to) {
    if (all) {
      return;
    }
    for (int k = from; k < to; k++) {
      int r = rows[k];
      if (!seen[r]) {
        seen[r] = true;
        if (count == list.length) {
          list = Arrays.copyOf(list, 2 * count);
        }
        list[count++] = r;
      }
    }
  }

  /** Marks every feature: a dense example may touch any. */
  void markAll() {
    all = true;
  }

  /**
   * The marked features, increasing, when they are at most 3/4 of them all (so that sending their
   * columns with their indices is smaller than the dense first layer); else null.
   */
  int[] fewEnough() {
    if (all || count > seen.length / 4 * 3) {
      return null;
    }
    if (count < seen.length / 64) {
      int[] sorted = Arrays.copyOf(list, count);
      Arrays.sort(sorted);
      return sorted;
    }
    // Many: one pass over the marks (n_0 bytes, in order) beats sorting them.
    int[] sorted = new int[count];
    for (int r = 0, c = 0; c < count; r++) {
      if (seen[r]) {
        sorted[c++] = r;
      }
    }
    return sorted;
  }
}
