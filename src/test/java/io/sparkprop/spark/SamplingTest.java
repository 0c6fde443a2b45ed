package io.sparkprop.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each step keeps each example with the requested probability: counted over many steps and ids
 * shaped like real ones (a file index in the high bits, a byte offset below), the kept share stays
 * within binomial bounds; an epoch's steps never share an example, and steps of different epochs
 * draw independently. The validation draw stays an independent Bernoulli draw per stream.
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
  void eachStep_overManyStepsAndIds_keepsTheRequestedFraction(double fraction) {
    long total = 0;
    long[] perId = new long[IDS];
    for (int step = 1; step <= STEPS; step++) {
      Sampling.Step sample = Sampling.of(7, step, fraction);
      long kept = 0;
      for (int i = 0; i < IDS; i++) {
        if (sample.keep(id(i))) {
          kept++;
          perId[i]++;
        }
      }
      assertBinomial(kept, IDS, fraction, "step " + step);
      total += kept;
    }
    assertBinomial(total, (long) IDS * STEPS, fraction, "all steps");
    // Over whole epochs an example is used once an epoch when the windows fill [0, 1); with f =
    // 0.3 its three windows leave 0.1 out, so it is used with probability 0.9 an epoch.
    long steps = Sampling.stepsPerEpoch(fraction);
    long epochs = STEPS / steps;
    double perEpoch = steps * fraction;
    for (int i = 0; i < IDS; i += 97) {
      long inWholeEpochs = 0;
      for (long step = 1; step <= epochs * steps; step++) {
        inWholeEpochs += Sampling.of(7, step, fraction).keep(id(i)) ? 1 : 0;
      }
      assertBinomial(inWholeEpochs, epochs, perEpoch, "example " + i + " over the epochs");
    }
  }

  @ParameterizedTest(name = "fraction {0}")
  @ValueSource(doubles = {0.004, 0.1, 0.3, 0.5})
  void anEpochsSteps_neverShareAnExample_andSlotOfNamesTheStep(double fraction) {
    long steps = Sampling.stepsPerEpoch(fraction);
    assertEquals((long) Math.floor(1 / fraction), steps);
    for (long epoch = 0; epoch < 3; epoch++) {
      Sampling.Epoch e = Sampling.epochOf(7, epoch * steps + 1, fraction);
      for (int i = 0; i < IDS; i++) {
        long in = -1;
        for (long slot = 0; slot < steps; slot++) {
          long step = epoch * steps + slot + 1;
          assertEquals(e, Sampling.epochOf(7, step, fraction), "one epoch");
          if (Sampling.of(7, step, fraction).keep(id(i))) {
            assertEquals(-1, in, "example " + i + " in two steps of epoch " + epoch);
            in = slot;
          }
        }
        assertEquals(in, e.slotOf(id(i)), "example " + i + " epoch " + epoch);
      }
    }
  }

  @ParameterizedTest(name = "fraction {0}")
  @ValueSource(doubles = {0.1, 0.5})
  void stepsOfTwoEpochs_drawIndependentSamples(double fraction) {
    long steps = Sampling.stepsPerEpoch(fraction);
    Sampling.Step first = Sampling.of(7, 1, fraction);
    Sampling.Step nextEpoch = Sampling.of(7, 1 + steps, fraction);
    long both = 0;
    for (int i = 0; i < IDS; i++) {
      if (first.keep(id(i)) && nextEpoch.keep(id(i))) {
        both++;
      }
    }
    assertBinomial(both, IDS, fraction * fraction, "kept in the first steps of two epochs");
  }

  @ParameterizedTest(name = "fraction {0}")
  @ValueSource(doubles = {0.1, 0.5})
  void keep_theValidationDraw_isBernoulliPerStream(double fraction) {
    long kept = 0;
    long both = 0;
    for (int i = 0; i < IDS; i++) {
      boolean one = Sampling.keep(7, 1, id(i), fraction);
      kept += one ? 1 : 0;
      both += one && Sampling.keep(7, 2, id(i), fraction) ? 1 : 0;
    }
    assertBinomial(kept, IDS, fraction, "stream 1");
    assertBinomial(both, IDS, fraction * fraction, "kept in streams 1 and 2");
  }

  /**
   * The windows' edges: an id whose hash is one below a step's window end is kept by that step and
   * named by slotOf, one at the end goes to the next step (ids made by inverting the mixer).
   */
  @Test
  void windowEdges_belongToExactlyOneStep() {
    int checked = 0;
    for (double fraction : new double[] {0.004, 1.0 / 3, 0.25, 0.3}) {
      Sampling.Epoch epoch = Sampling.epochOf(9, 1, fraction);
      for (long slot = 0; slot + 1 < epoch.steps(); slot++) {
        long end = epoch.step(slot).high();
        assertEquals(end, epoch.step(slot + 1).low(), "windows meet");
        for (long h : new long[] {end - 1, end}) {
          long id = unmix((h << 11) | 0x5A5L) ^ epoch.key();
          assertEquals(h, Sampling.mix(epoch.key() ^ id) >>> 11, "the inverse mixer");
          long expected = h < end ? slot : slot + 1;
          assertEquals(expected, epoch.slotOf(id), "fraction " + fraction + " hash " + h);
          assertTrue(epoch.step(expected).keep(id));
          assertFalse(epoch.step(h < end ? slot + 1 : slot).keep(id));
          checked++;
        }
      }
    }
    assertTrue(checked > 500, "edges checked: " + checked);
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
