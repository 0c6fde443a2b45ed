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
}
