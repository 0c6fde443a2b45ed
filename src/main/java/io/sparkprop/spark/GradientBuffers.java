package io.sparkprop.spark;

import java.lang.ref.SoftReference;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Zeroed gradient arrays kept in an executor between tasks, so that a wide first layer's n_1 × n_0
 * accumulator is neither allocated nor cleared in full every step: a task that touched few columns
 * clears just those and gives the array back. Held softly, so the collector may take them back
 * under memory pressure; an array of another length than asked for (a previous network's) is
 * dropped when met. Also keeps the arrays a partition's touched columns were sent in, which need no
 * clearing ({@link #takeScratch}).
 */
final class GradientBuffers {
  private static final ConcurrentLinkedQueue<SoftReference<Object>> FREE =
      new ConcurrentLinkedQueue<>();

  private GradientBuffers() {}

  /** A zeroed double[] or float[] ({@code floats}) of {@code length} entries, or null if none. */
  static Object take(boolean floats, int length) {
    for (SoftReference<Object> ref : FREE) {
      Object array = ref.get();
      if (array == null || length(array) != length) {
        FREE.remove(ref); // collected, or a previous network's
      } else if (array instanceof float[] == floats && FREE.remove(ref)) {
        return array; // unless another task took it first
      }
    }
    return null;
  }

  private static int length(Object array) {
    return array instanceof float[] f ? f.length : ((double[]) array).length;
  }

  /** Gives back an array whose every entry is zero. */
  static void give(Object zeroed) {
    FREE.add(new SoftReference<>(zeroed));
  }

  /** Arrays whose contents are left over from an earlier task: see {@link #takeScratch}. */
  private static final ConcurrentLinkedQueue<SoftReference<Object>> SCRATCH =
      new ConcurrentLinkedQueue<>();

  /**
   * A double[] or float[] ({@code floats}) of at least {@code length} entries with any contents
   * (its user writes every entry it reads), or null if none is kept.
   */
  static Object takeScratch(boolean floats, int length) {
    for (SoftReference<Object> ref : SCRATCH) {
      Object array = ref.get();
      if (array == null) {
        SCRATCH.remove(ref);
      } else if (array instanceof float[] == floats
          && length(array) >= length
          && SCRATCH.remove(ref)) {
        return array;
      }
    }
    return null;
  }

  /** Keeps a double[] or float[] for {@link #takeScratch}, whatever its contents. */
  static void giveScratch(Object array) {
    SCRATCH.add(new SoftReference<>(array));
  }
}
