package io.sparkprop.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each step keeps each example with the requested probability, independently: counted over many
 * steps and ids shaped like real ones (a file index in the high bits, a byte offset below), the
 * kept share stays within binomial bounds, and an example's steps and a step's examples behave
 * alike.
 */
class SamplingTest {
  /** A count more than this many standard deviations from its mean fails (p ≈ 6e-7 each). */
  private static final double SIGMAS = 5;

  private static final int IDS = 2000;
  private static final int STEPS = 200;

  /** Ids of lines in 4 files, at offsets that grow by a line's typical length. */
  private static long id(int i) {
    return ((long) (i % 4) << 40) | (37L * (i / 4));
  }

  private static void assertBinomial(long kept, long trials, double p, String what) {
    double mean = trials * p;
    double sigma = Math.sqrt(trials * p * (1 - p));
    assertTrue(
        Math.abs(kept - mean) <= SIGMAS * sigma,
        what + ": kept " + kept + " of " + trials + ", expected " + mean + " ± " + sigma);
  }

  @ParameterizedTest(name = "fraction {0}")
  @ValueSource(doubles = {0.01, 0.05, 0.3, 0.5, 0.9})
  void keep_overManyStepsAndIds_keepsTheRequestedFraction(double fraction) {
    long total = 0;
    long[] perId = new long[IDS];
    for (int step = 1; step <= STEPS; step++) {
      long kept = 0;
      for (int i = 0; i < IDS; i++) {
        if (Sampling.keep(7, step, id(i), fraction)) {
          kept++;
          perId[i]++;
        }
      }
      assertBinomial(kept, IDS, fraction, "step " + step);
      total += kept;
    }
    assertBinomial(total, (long) IDS * STEPS, fraction, "all steps");
    for (int i = 0; i < IDS; i += 97) {
      assertBinomial(perId[i], STEPS, fraction, "example " + i + " over the steps");
    }
  }

  @ParameterizedTest(name = "fraction {0}")
  @ValueSource(doubles = {0.1, 0.5})
  void keep_twoSteps_drawIndependentSamples(double fraction) {
    long both = 0;
    for (int i = 0; i < IDS; i++) {
      if (Sampling.keep(7, 1, id(i), fraction) && Sampling.keep(7, 2, id(i), fraction)) {
        both++;
      }
    }
    assertBinomial(both, IDS, fraction * fraction, "kept in steps 1 and 2");
  }

  /**
   * The step's precomputed form decides exactly as the plain test, for fractions on both sides of a
   * representable bound (f·2^53 an integer, and just above and below one), tiny and whole ones.
   */
  @org.junit.jupiter.api.Test
  void stepForm_decidesAsThePlainTest_everywhere() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(5);
    double[] fractions = {
      0.0,
      0x1.0p-53,
      3 * 0x1.0p-53,
      0.25,
      Math.nextUp(0.25),
      Math.nextDown(0.25),
      0.004,
      1.0 / 3,
      0.999999,
      1.0,
      1.5
    };
    long compared = 0;
    for (double fraction : fractions) {
      for (int t = 0; t < 20_000; t++) {
        long seed = random.nextLong();
        long step = random.nextInt(1_000_000);
        long id = random.nextLong();
        assertEquals(
            Sampling.keep(seed, step, id, fraction),
            Sampling.of(seed, step, fraction).keep(id),
            "seed " + seed + " step " + step + " id " + id + " fraction " + fraction);
        compared++;
      }
    }
    // Ids whose hash is exactly one below the bound, and exactly at it: made by inverting the
    // mixer.
    int both = 0;
    for (double fraction : new double[] {0.004, 1.0 / 3, 0.25, 3 * 0x1.0p-53}) {
      Sampling.Step at = Sampling.of(9, 2, fraction);
      for (long h : new long[] {at.threshold() - 1, at.threshold()}) {
        long id = unmix((h << 11) | 0x5A5L) ^ at.key();
        assertEquals(h, Sampling.mix(at.key() ^ id) >>> 11, "the inverse mixer");
        assertEquals(h < at.threshold(), at.keep(id), "fraction " + fraction + " hash " + h);
        assertEquals(Sampling.keep(9, 2, id, fraction), at.keep(id), "fraction " + fraction);
        both++;
      }
    }
    assertTrue(compared == 220_000 && both == 8, "compared " + compared + ", at the bound " + both);
  }

  /** The inverse of {@link Sampling#mix}: undoes its xor-shifts and odd multiplications. */
  private static long unmix(long z) {
    z = unshift(z, 31);
    z *= inverse(0x94D049BB133111EBL);
    z = unshift(z, 27);
    z *= inverse(0xBF58476D1CE4E5B9L);
    return unshift(z, 30);
  }

  /** The x with x ^ (x >>> s) == z. */
  private static long unshift(long z, int s) {
    long x = z;
    for (int i = 0; i < 64 / s + 1; i++) {
      x = z ^ (x >>> s);
    }
    return x;
  }

  /** The inverse of an odd number modulo 2^64, by Newton's iteration. */
  private static long inverse(long a) {
    long x = a;
    for (int i = 0; i < 6; i++) {
      x *= 2 - a * x;
    }
    return x;
  }
}
