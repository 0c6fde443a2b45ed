package io.sparkprop.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.nn.Arithmetic;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.StreamCorruptedException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The arrays that cross the wire every step (the weights out, the gradients back) are checked end
 * to end: a byte changed anywhere in their data fails the read, naming what arrived, instead of
 * giving a weight or a gradient entry that was never computed.
 */
class BulkArraysTest {
  /** Two chunks and a few values more, so the changed byte sits in the second chunk. */
  private static final int LENGTH = BulkArrays.CHUNK + 34_467;

  private static byte[] write(Object value) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    return bytes.toByteArray();
  }

  private static Object read(byte[] bytes) throws Exception {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      return in.readObject();
    }
  }

  /**
   * {@code bytes} with one bit of a value's data changed, past two thirds of the stream: the first
   * byte from there on equal to {@code marker}, which only the values' own bytes hold (Java
   * serialization's block headers are 0x7A and a length of 1,024).
   */
  private static byte[] corrupted(byte[] bytes, byte marker) {
    byte[] changed = bytes.clone();
    for (int i = 2 * bytes.length / 3; i < bytes.length; i++) {
      if (bytes[i] == marker) {
        changed[i] ^= 1;
        return changed;
      }
    }
    throw new AssertionError("no data byte found to change");
  }

  @Test
  void weights_changedInTransit_failTheReadNamingTheCorruption() throws Exception {
    double[] values = new double[LENGTH];
    Arrays.fill(values, 0.5); // 0x3FE0000000000000: little-endian, a byte 0xE0 in each value
    byte[] bytes = write(new WeightArray(values));
    assertArrayEquals(values, ((WeightArray) read(bytes)).values(), "unchanged, they read back");

    StreamCorruptedException e =
        assertThrows(StreamCorruptedException.class, () -> read(corrupted(bytes, (byte) 0xE0)));
    assertTrue(
        e.getMessage().startsWith("100,003 values of 8 bytes arrived corrupted: their CRC32C is"),
        e.getMessage());
  }

  @Test
  void roundedWeights_changedInTransit_failTheRead() throws Exception {
    double[] values = new double[LENGTH];
    Arrays.fill(values, 0.5); // as a float 0x3F000000: a byte 0x3F in each value
    WeightArray rounded = WeightArray.rounded(values);
    byte[] bytes = write(rounded);
    assertArrayEquals(
        (float[]) rounded.in(Arithmetic.FLOAT32),
        (float[]) ((WeightArray) read(bytes)).in(Arithmetic.FLOAT32));

    StreamCorruptedException e =
        assertThrows(StreamCorruptedException.class, () -> read(corrupted(bytes, (byte) 0x3F)));
    assertTrue(e.getMessage().contains("values of 4 bytes arrived corrupted"), e.getMessage());
  }

  @Test
  void gradient_changedInTransit_failsTheRead() throws Exception {
    GradientSum sum = new GradientSum();
    sum.gradient = new double[LENGTH];
    Arrays.fill(sum.gradient, 0.5);
    sum.count = 3;
    byte[] bytes = write(sum);
    assertEquals(3, ((GradientSum) read(bytes)).count);

    assertThrows(StreamCorruptedException.class, () -> read(corrupted(bytes, (byte) 0xE0)));
  }
}
