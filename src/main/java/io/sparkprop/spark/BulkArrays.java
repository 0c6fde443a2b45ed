package io.sparkprop.spark;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Doubles, floats and ints written to and read from Java serialization's streams in bulk,
 * little-endian, 64 K at a time: the stream's own array handling converts them one value at a time,
 * which for the arrays that cross the wire every step (the weights out, the gradient back; n_1 ×
 * n_0 of them for a wide first layer) cost more than computing them.
 */
final class BulkArrays {
  /** Values converted per chunk: 512 KB of bytes for doubles. */
  static final int CHUNK = 1 << 16;

  private BulkArrays() {}

  /** Writes {@code values[0 … n)}. */
  static void write(ObjectOutputStream out, double[] values, int n) throws IOException {
    ByteBuffer bytes = chunk(n, Double.BYTES);
    for (int from = 0; from < n; from += CHUNK) {
      int count = Math.min(CHUNK, n - from);
      bytes.clear();
      bytes.asDoubleBuffer().put(values, from, count);
      out.write(bytes.array(), 0, count * Double.BYTES);
    }
  }

  /** Writes {@code values[0 … n)}. */
  static void write(ObjectOutputStream out, float[] values, int n) throws IOException {
    ByteBuffer bytes = chunk(n, Float.BYTES);
    for (int from = 0; from < n; from += CHUNK) {
      int count = Math.min(CHUNK, n - from);
      bytes.clear();
      bytes.asFloatBuffer().put(values, from, count);
      out.write(bytes.array(), 0, count * Float.BYTES);
    }
  }

  /** Writes {@code values[0 … n)}. */
  static void write(ObjectOutputStream out, int[] values, int n) throws IOException {
    ByteBuffer bytes = chunk(n, Integer.BYTES);
    for (int from = 0; from < n; from += CHUNK) {
      int count = Math.min(CHUNK, n - from);
      bytes.clear();
      bytes.asIntBuffer().put(values, from, count);
      out.write(bytes.array(), 0, count * Integer.BYTES);
    }
  }

  /** Reads n doubles into a new array. */
  static double[] readDoubles(ObjectInputStream in, int n) throws IOException {
    double[] values = new double[n];
    ByteBuffer bytes = chunk(n, Double.BYTES);
    for (int from = 0; from < n; from += CHUNK) {
      int count = Math.min(CHUNK, n - from);
      in.readFully(bytes.array(), 0, count * Double.BYTES);
      bytes.clear();
      bytes.asDoubleBuffer().get(values, from, count);
    }
    return values;
  }

  /** Reads n floats into a new array. */
  static float[] readFloats(ObjectInputStream in, int n) throws IOException {
    float[] values = new float[n];
    ByteBuffer bytes = chunk(n, Float.BYTES);
    for (int from = 0; from < n; from += CHUNK) {
      int count = Math.min(CHUNK, n - from);
      in.readFully(bytes.array(), 0, count * Float.BYTES);
      bytes.clear();
      bytes.asFloatBuffer().get(values, from, count);
    }
    return values;
  }

  /** Reads n floats into a new array of doubles, each widened exactly. */
  static double[] readFloatsAsDoubles(ObjectInputStream in, int n) throws IOException {
    double[] values = new double[n];
    ByteBuffer bytes = chunk(n, Float.BYTES);
    float[] floats = new float[Math.min(CHUNK, Math.max(n, 1))];
    for (int from = 0; from < n; from += CHUNK) {
      int count = Math.min(CHUNK, n - from);
      in.readFully(bytes.array(), 0, count * Float.BYTES);
      bytes.clear();
      bytes.asFloatBuffer().get(floats, 0, count);
      for (int i = 0; i < count; i++) {
        values[from + i] = floats[i];
      }
    }
    return values;
  }

  /** Reads n ints into a new array. */
  static int[] readInts(ObjectInputStream in, int n) throws IOException {
    int[] values = new int[n];
    ByteBuffer bytes = chunk(n, Integer.BYTES);
    for (int from = 0; from < n; from += CHUNK) {
      int count = Math.min(CHUNK, n - from);
      in.readFully(bytes.array(), 0, count * Integer.BYTES);
      bytes.clear();
      bytes.asIntBuffer().get(values, from, count);
    }
    return values;
  }

  /** A little-endian buffer for one chunk of n values of {@code size} bytes. */
  private static ByteBuffer chunk(int n, int size) {
    return ByteBuffer.allocate(Math.min(CHUNK, Math.max(n, 1)) * size)
        .order(ByteOrder.LITTLE_ENDIAN);
  }
}
