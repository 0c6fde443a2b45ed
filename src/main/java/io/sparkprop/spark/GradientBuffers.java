package io.sparkprop.spark;

/**
 * Zeroed gradient arrays kept in an executor between tasks, so that a wide first layer's n_1 × n_0
 * accumulator is neither allocated nor cleared in full every step: a task that touched few columns
 * clears just those and gives the array back. An array of another length than asked for (a previous
 * network's) is dropped when met. Also keeps the arrays a partition's touched columns were sent in,
 * which need no clearing ({@link #takeScratch}).
 */
final class GradientBuffers {
  private static final KeptObjects ZEROED = new KeptObjects(KeptObjects.forEachCore());

  /** Arrays whose contents are left over from an earlier task: see {@link #takeScratch}. */
  private static final KeptObjects SCRATCH = new KeptObjects(KeptObjects.forEachCore());

  private GradientBuffers() {}

  /** A zeroed double[] or float[] ({@code floats}) of {@code length} entries, or null if none. */
  static Object take(boolean floats, int length) {
    ZEROED.drop(a -> length(a) != length);
    return ZEROED.take(type(floats), a -> length(a) == length);
  }

  /** Gives back an array whose every entry is zero. */
  static void give(Object zeroed) {
    ZEROED.give(zeroed);
  }

  /**
   * A double[] or float[] ({@code floats}) of at least {@code length} entries with any contents
   * (its user writes every entry it reads), or null if none is kept.
   */
  static Object takeScratch(boolean floats, int length) {
    return SCRATCH.take(type(floats), a -> length(a) >= length);
  }

  /** Keeps a double[] or float[] for {@link #takeScratch}, whatever its contents. */
  static void giveScratch(Object array) {
    SCRATCH.give(array);
  }

  private static Class<?> type(boolean floats) {
    return floats ? float[].class : double[].class;
  }

  private static int length(Object array) {
    return array instanceof float[] f ? f.length : ((double[]) array).length;
  }
}
