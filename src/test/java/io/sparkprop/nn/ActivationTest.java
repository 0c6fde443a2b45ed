package io.sparkprop.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ActivationTest {

  /**
   * The reference avoids overflow the other way round: for z < 0 it is e^{z}/(1 + e^{z}) with
   * StrictMath, so it shares neither formula nor exp implementation with the product.
   */
  private static double reference(double z) {
    if (z >= 0) {
      return 1.0 / (1.0 + StrictMath.exp(-z));
    }
    double e = StrictMath.exp(z);
    return e / (1.0 + e);
  }

  @Test
  void sigmoid_matchesTheOverflowFreeFormula_toAFewUlps() {
    Random random = new Random(11);
    double[] z = new double[20_000];
    for (int i = 0; i < z.length; i++) {
      z[i] = random.nextGaussian() * (i % 2 == 0 ? 4.0 : 200.0);
    }
    double[] a = z.clone();
    Activation.SIGMOID.apply(a, 100, 200);
    for (int i = 0; i < z.length; i++) {
      double expected = reference(z[i]);
      // Below the double range (|value| < 1e-300) only the absolute error is meaningful.
      double tolerance = Math.max(4 * Math.ulp(expected), 1e-300);
      assertEquals(expected, a[i], tolerance, "sigmoid(" + z[i] + ")");
    }
  }

  @Test
  void sigmoid_saturates_withoutNaN() {
    double[] a = {-1000.0, -745.0, 745.0, 1000.0, 0.0};
    Activation.SIGMOID.apply(a, 5, 1);
    assertEquals(0.0, a[0]);
    assertTrue(a[1] >= 0.0 && a[1] < 1e-300, "sigmoid(-745) = " + a[1]);
    assertEquals(1.0, a[2]);
    assertEquals(1.0, a[3]);
    assertEquals(0.5, a[4]);
  }
}
