package io.sparkprop.spark;

/**
 * Seeded Bernoulli sampling of examples for sgd steps. Whether an example is in a step's sample
 * depends only on (seed, step, example id), never on partitioning or task order, so the same seed
 * gives the same samples on any cluster layout.
 */
public final class Sampling {
  private Sampling() {}

  /** Whether example {@code id} is in step {@code step}'s sample of the given fraction. */
  public static boolean keep(long seed, long step, long id, double fraction) {
    if (fraction >= 1.0) {
      return true;
    }
    long h = mix(mix(seed ^ 0x9E3779B97F4A7C15L * step) ^ id);
    return (h >>> 11) * 0x1.0p-53 < fraction;
  }

  /** A strong 64-bit mixer (the SplitMix64 finaliser). */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
