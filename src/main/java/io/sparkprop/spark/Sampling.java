package io.sparkprop.spark;

/**
 * Seeded sampling of examples, decided by hashes of example ids, so the same seed gives the same
 * samples on any partitioning and in any task order.
 *
 * <p>A step's sample ({@link #of}): steps go in sampling epochs of ⌊1/f⌋ steps. In each epoch every
 * example gets a hash h of (seed, epoch, id), uniform in [0, 2^53); step p of the epoch keeps the
 * examples whose h falls in [⌈p·f·2^53⌉, ⌈(p + 1)·f·2^53⌉). So each step keeps each example with
 * probability f, as independent Bernoulli draws would, but an epoch's steps never share an example:
 * every example is used at most once an epoch. Because an example's step within the epoch is its
 * hash's window, a partition can order its examples by window once an epoch and then read each
 * step's sample directly ({@link SampleOrder}), instead of testing every example at every step.
 *
 * <p>{@link #keep} is an independent Bernoulli draw for each (seed, stream, id): the validation
 * split.
 */
public final class Sampling {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private Sampling() {}

  /** One step's sample: the epoch's key, and the window of hashes the step keeps. */
  public record Step(long key, long low, long high) {

    /** Whether example {@code id} is in the sample. */
    public boolean keep(long id) {
      long h = hash(key, id);
      return h >= low && h < high;
    }
  }

  /**
   * A sampling epoch: its key, its number of steps and the fraction each keeps.
   *
   * @param steps ⌊1/f⌋, at least 1
   */
  public record Epoch(long key, long steps, double fraction) {

    /** The step of this epoch (0 … steps − 1) that keeps example {@code id}, or −1 for none. */
    public long slotOf(long id) {
      long h = hash(key, id);
      long slot = Math.min((long) (h / (fraction * 0x1.0p53)), steps);
      // The quotient can be one off at a window's edge; the bounds decide.
      while (slot > 0 && h < bound(slot, fraction)) {
        slot--;
      }
      while (slot < steps && h >= bound(slot + 1, fraction)) {
        slot++;
      }
      return slot < steps ? slot : -1;
    }

    /** The sample of step {@code slot} of this epoch. */
    public Step step(long slot) {
      return new Step(key, bound(slot, fraction), bound(slot + 1, fraction));
    }
  }

  /** The number of steps in a sampling epoch: ⌊1/f⌋, at least 1. */
  public static long stepsPerEpoch(double fraction) {
    if (fraction >= 1.0) {
      return 1;
    }
    long steps = Math.max(1, (long) Math.floor(1.0 / fraction));
    // 1/f rounded just below a whole k (f a hair above 1/k in binary): k windows still fit.
    return (steps + 1) * fraction <= 1.0 + 1e-12 ? steps + 1 : steps;
  }

  /** The epoch that step {@code step} (counted from 1) belongs to. */
  public static Epoch epochOf(long seed, long step, double fraction) {
    long steps = stepsPerEpoch(fraction);
    long epoch = Math.floorDiv(step - 1, steps);
    return new Epoch(mix(seed ^ GOLDEN * (epoch + 1)), steps, Math.min(fraction, 1.0));
  }

  /** Step {@code step}'s place in its epoch, 0 … ⌊1/f⌋ − 1. */
  public static long slotOf(long step, double fraction) {
    return Math.floorMod(step - 1, stepsPerEpoch(fraction));
  }

  /** Step {@code step}'s sample (steps counted from 1) of the given fraction. */
  public static Step of(long seed, long step, double fraction) {
    return epochOf(seed, step, fraction).step(slotOf(step, fraction));
  }

  /** Where window {@code slot} starts: ⌈slot·f·2^53⌉, or 2^53 past the last full window. */
  static long bound(long slot, double fraction) {
    return fraction >= 1.0 && slot > 0 ? 1L << 53 : (long) Math.ceil(slot * fraction * 0x1.0p53);
  }

  private static long hash(long key, long id) {
    return mix(key ^ id) >>> 11;
  }

  /**
   * Whether example {@code id} is kept by an independent Bernoulli draw of probability {@code
   * fraction} for (seed, stream): the validation split, one fixed stream.
   */
  public static boolean keep(long seed, long stream, long id, double fraction) {
    if (fraction >= 1.0) {
      return true;
    }
    long h = mix(mix(seed ^ GOLDEN * stream) ^ id);
    return (h >>> 11) * 0x1.0p-53 < fraction;
  }

  /** A strong 64-bit mixer (the SplitMix64 finaliser). */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
