package io.sparkprop;

/** Comparisons of weight vectors for tests in every package. */
public final class Weights {
  private Weights() {}

  /** max_i |expected_i − actual_i| / max_i |expected_i|: how far two weight vectors are apart. */
  public static double maxRelativeDifference(double[] expected, double[] actual) {
    if (expected.length != actual.length) {
      throw new AssertionError(expected.length + " vs " + actual.length + " weights");
    }
    double scale = 0;
    double diff = 0;
    for (int i = 0; i < expected.length; i++) {
      scale = Math.max(scale, Math.abs(expected[i]));
      diff = Math.max(diff, Math.abs(expected[i] - actual[i]));
    }
    return diff / scale;
  }

  /**
   * The largest per-entry error of {@code actual} against {@code expected}, each relative to its
   * own entry: max_i |e_i − a_i| / max(|e_i|, floor). Unlike {@link #maxRelativeDifference}, a
   * small entry is held to the same relative standard as a large one, down to {@code floor}.
   */
  public static double maxEntryError(double[] expected, double[] actual, double floor) {
    if (expected.length != actual.length) {
      throw new AssertionError(expected.length + " vs " + actual.length + " entries");
    }
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      double error = Math.abs(expected[i] - actual[i]) / Math.max(Math.abs(expected[i]), floor);
      worst = Math.max(worst, error);
    }
    return worst;
  }

  /**
   * The largest error of {@code actual} against {@code expected}, each entry relative to its own
   * {@code scale}: max_i |e_i − a_i| / scale_i, where an entry of scale 0 must match exactly.
   */
  public static double maxScaledError(double[] expected, double[] actual, double[] scale) {
    if (expected.length != actual.length || expected.length != scale.length) {
      throw new AssertionError(
          expected.length + " vs " + actual.length + " vs " + scale.length + " entries");
    }
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      double diff = Math.abs(expected[i] - actual[i]);
      double error = diff == 0 ? 0 : scale[i] == 0 ? Double.POSITIVE_INFINITY : diff / scale[i];
      worst = Math.max(worst, error);
    }
    return worst;
  }

  /** {@link #maxEntryError} of float entries against doubles. */
  public static double maxEntryError(double[] expected, float[] actual, double floor) {
    double[] widened = new double[actual.length];
    for (int i = 0; i < actual.length; i++) {
      widened[i] = actual[i];
    }
    return maxEntryError(expected, widened, floor);
  }
}
