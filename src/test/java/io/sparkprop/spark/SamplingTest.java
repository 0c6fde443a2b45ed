package io.sparkprop.spark;

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
}
