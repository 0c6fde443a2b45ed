package io.sparkprop.spark;

/**
 * Seeded Bernoulli sampling of examples for sgd steps. Whether an example is in a step's sample
 * depends only on (seed, step, example id), never on partitioning or task order, so the same seed
 * gives the same samples on any cluster layout.
 *
 * <p>A step tests every cached example, so the test is the loop's whole body: {@link #of} computes
 * the step's key and an integer threshold once, and {@link Step#keep} is one mix and one integer
 * comparison, the same decision as {@link #keep(long, long, long, double)}.
 */
public final class Sampling {
  private Sampling() {}

  /**
   * One step's sample: the mixed (seed, step) key, and the hash bound a kept example falls under.
   */
  public record Step(long key, long threshold) {

    /** Whether example {@code id} is in the sample. */
    public boolean keep(long id) {
      return (mix(key ^ id) >>> 11) < threshold;
    }
  }

  /** Step {@code step}'s sample of the given fraction. */
  public static Step of(long seed, long step, double fraction) {
    // h·2^−53 < f ⟺ h < f·2^53 ⟺ h < ⌈f·2^53⌉ for an integer h in [0, 2^53); f·2^53 is exact.
    long threshold = fraction >= 1.0 ? Long.MAX_VALUE : (long) Math.ceil(fraction * 0x1.0p53);
    return new Step(mix(seed ^ 0x9E3779B97F4A7C15L * step), threshold);
  }

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
