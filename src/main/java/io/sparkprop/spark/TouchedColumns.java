package io.sparkprop.spark;

import java.util.Arrays;

/**
 * The input features (columns of W¹) a partition's examples hold nonzeros in, so that only their
 * columns of ∂W¹ are read, sent and cleared: each marked once, in the order first seen, in O(1); or
 * "all" once a dense example is seen.
 */
final class TouchedColumns {
  /**
   * 1 for a marked feature, else 0: bytes, so that marking and listing add them up, branch-free.
   */
  private final byte[] seen;

  private int[] list = new int[256];
  private int count;
  private boolean all;

  TouchedColumns(int inputs) {
    this.seen = new byte[inputs];
  }

  /**
   * Marks the features {@code rows[from … to)}. Each row is written at the list's end and kept (the
   * count moves on) only when new: whether a random feature is new is a coin toss a branch would
   * mispredict about half the time.
   */
  void mark(int[] rows, int from, int to) {
    if (all) {
      return;
    }
    if (list.length < count + to - from) {
      list = Arrays.copyOf(list, Math.max(2 * list.length, count + to - from));
    }
    int[] into = list;
    int n = count;
    for (int k = from; k < to; k++) {
      int r = rows[k];
      into[n] = r;
      n += 1 - seen[r];
      seen[r] = 1;
    }
    count = n;
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
    // Many: one pass over the marks (n_0 bytes, in order) beats sorting them. Every feature is
    // written at the list's end, which moves on past a marked one; c < count at every write.
    int[] sorted = new int[count];
    for (int r = 0, c = 0; c < count; r++) {
      sorted[c] = r;
      c += seen[r];
    }
    return sorted;
  }
}
