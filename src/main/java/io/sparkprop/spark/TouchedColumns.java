package io.sparkprop.spark;

import java.util.Arrays;

/**
 * The input features (columns of W¹) a partition's examples hold nonzeros in, so that only their
 * columns of ∂W¹ are read, sent and cleared: each marked once, in the order first seen, in O(1); or
 * "all" once a dense example is seen.
 */
final class TouchedColumns {
  /**
   * Bit r % 64 of word r / 64 is set for a marked feature r: n_0 / 8 bytes (128 KB at 2^20
   * features), which stay in a core's L2 cache while a partition is marked.
   */
  private final long[] seen;

  private final int inputs;

  private int[] list = new int[256];
  private int count;
  private boolean all;

  TouchedColumns(int inputs) {
    this.seen = new long[(inputs + 63) >>> 6];
    this.inputs = inputs;
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
      long word = seen[r >>> 6];
      into[n] = r;
      n += (int) (~word >>> r) & 1; // Java shifts a long by r mod 64
      seen[r >>> 6] = word | (1L << r);
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
    if (all || count > inputs / 4 * 3) {
      return null;
    }
    if (count < inputs / 64) {
      int[] sorted = Arrays.copyOf(list, count);
      Arrays.sort(sorted);
      return sorted;
    }
    // Many: one pass over the marks (n_0 bits, in order) beats sorting them.
    int[] sorted = new int[count];
    int c = 0;
    for (int w = 0; w < seen.length; w++) {
      for (long word = seen[w]; word != 0; word &= word - 1) {
        sorted[c++] = (w << 6) + Long.numberOfTrailingZeros(word);
      }
    }
    return sorted;
  }
}
