package io.sparkprop.spark;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Doubles written to and read from Java serialization's streams in bulk, little-endian, 64 K at a
 * time: the stream's own double[] handling converts them one value at a time, which for the arrays
 * that cross the wire every step (the weights out, the gradient back; n_1 × n_0 of them for a wide
 * first layer) cost more than computing them.
 */
final class BulkDoubles {
  /** Doubles converted per chunk: 512 KB of bytes. */
  static final int CHUNK = 1 << 16;

  private BulkDoubles() {}

  /** Writes {@code values[0 … n)}. */
  static void write(ObjectOutputStream out, double[] values, int n) throws IOException {
    ByteBuffer bytes =
        ByteBuffer.allocate(Math.min(CHUNK, Math.max(n, 1)) * Double.BYTES)
            .order(ByteOrder.LITTLE_ENDIAN);
    for (int from = 0; from < n; from += CHUNK) {
      int count = Math.min(CHUNK, n - from);
      bytes.clear();
      bytes.asDoubleBuffer().put(values, from, count);
      out.write(bytes.array(), 0, count * Double.BYTES);
    }
  }

  /** Reads n doubles into a new array. */
  static double[] read(ObjectInputStream in, int n) throws IOException {
    double[] values = new double[n];
    byte[] chunk = new byte[Math.min(CHUNK, Math.max(n, 1)) * Double.BYTES];
    ByteBuffer bytes = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
    for (int from = 0; from < n; from += CHUNK) {
      int count = Math.min(CHUNK, n - from);
      in.readFully(chunk, 0, count * Double.BYTES);
      bytes.clear();
      bytes.asDoubleBuffer().get(values, from, count);
    }
    return values;
  }
}
