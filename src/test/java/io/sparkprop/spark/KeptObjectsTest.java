package io.sparkprop.spark;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/**
 * A kept object goes to one taker only, and only to a taker it fits; beyond the limit the oldest
 * kept goes first, and a drop takes out what it selects.
 */
class KeptObjectsTest {

  @Test
  void take_givesAFittingObjectOnce() {
    KeptObjects kept = new KeptObjects(4);
    double[] shorter = new double[3];
    double[] longer = new double[8];
    kept.give(shorter);
    kept.give(longer);
    assertNull(kept.take(float[].class, a -> true), "no float[] kept");
    assertNull(kept.take(double[].class, a -> a.length > 8), "none long enough");
    assertSame(longer, kept.take(double[].class, a -> a.length >= 5));
    assertNull(kept.take(double[].class, a -> a.length >= 5), "taken already");
    assertSame(shorter, kept.take(double[].class, a -> true));
    assertNull(kept.take(Object.class, a -> true), "nothing left");
  }

  @Test
  void give_beyondTheLimit_dropsTheOldest() {
    KeptObjects kept = new KeptObjects(2);
    int[] first = {1};
    int[] second = {2};
    int[] third = {3};
    kept.give(first);
    kept.give(second);
    kept.give(third);
    assertNull(kept.take(int[].class, a -> a == first), "the oldest dropped");
    assertSame(second, kept.take(int[].class, a -> a[0] == 2));
    assertSame(third, kept.take(int[].class, a -> a[0] == 3));
  }

  @Test
  void drop_leavesWhatItDoesNotSelect() {
    KeptObjects kept = new KeptObjects(4);
    double[] stale = new double[3];
    double[] current = new double[8];
    kept.give(stale);
    kept.give(current);
    kept.drop(a -> ((double[]) a).length != 8);
    assertNull(kept.take(double[].class, a -> a.length == 3), "dropped");
    assertSame(current, kept.take(double[].class, a -> true));
  }
}
