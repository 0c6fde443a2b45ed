package io.sparkprop.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A partition's sum crosses from executor to driver bit for bit: every double of the gradient
 * (signed zeros, subnormals, extremes; lengths on and off the 65,536-value chunks), the scalars,
 * and an empty sum's missing array.
 */
class GradientSumTest {

  private static GradientSum roundTrip(GradientSum sum) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(sum);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (GradientSum) in.readObject();
    }
  }

  @Test
  void serialization_keepsEveryBitOfTheSum() throws Exception {
    SplittableRandom random = new SplittableRandom(4);
    for (int length : new int[] {1, 65_536, 65_537, 200_003}) {
      GradientSum sum = new GradientSum();
      sum.gradient = new double[length];
      for (int i = 0; i < length; i++) {
        sum.gradient[i] = Double.longBitsToDouble(random.nextLong());
      }
      double[] special = {-0.0, Double.MIN_VALUE, -Double.MAX_VALUE, 1e-310};
      System.arraycopy(special, 0, sum.gradient, 0, Math.min(length, special.length));
      sum.loss = 12.5;
      sum.count = 7;
      sum.weight = 6.25;
      GradientSum back = roundTrip(sum);
      assertEquals(length, back.gradient.length);
      for (int i = 0; i < length; i++) {
        assertEquals(
            Double.doubleToRawLongBits(sum.gradient[i]),
            Double.doubleToRawLongBits(back.gradient[i]),
            "entry " + i + " of " + length);
      }
      assertEquals(12.5, back.loss);
      assertEquals(7, back.count());
      assertEquals(6.25, back.weight());
    }
    assertNull(roundTrip(new GradientSum()).gradient, "an empty partition's sum has no array");
  }
}
