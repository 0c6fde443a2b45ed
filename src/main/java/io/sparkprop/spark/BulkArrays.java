package io.sparkprop.spark;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.StreamCorruptedException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;
import java.util.zip.CRC32C;

/**
 * Doubles, floats and ints written to and read from Java serialization's streams in bulk,
 * little-endian, 64 K at a time: the stream's own array handling converts them one value at a time,
 * which for the arrays that cross the wire every step (the weights out, the gradient back; n_1 ×
 * n_0 of them for a wide first layer) cost more than computing them.
 *
 * <p>Each array is followed by the CRC32C of its bytes, which the reader checks: the weights and
 * the gradients are checked end to end, from the array written to the array read, at about 1 ms a
 * 25 MB (the CPU's CRC instruction). That lets the CLI turn off Spark's own broadcast checksum, an
 * Adler32 of every piece that cost 7–12 ms of each step's 25.6 MB broadcast ({@code
 * spark.broadcast.checksum}, see SparkStart).
 */
final class BulkArrays {
  /** Values converted per chunk: 512 KB of bytes for doubles. */
  static final int CHUNK = 1 << 16;

  private BulkArrays() {}

  /** Moves values {@code from … from + count} of an array into a chunk's buffer, or out of it. */
  private interface Chunk {
    void copy(ByteBuffer bytes, int from, int count);
  }

  /** Writes {@code values[0 … n)}. */
  static void write(ObjectOutputStream out, double[] values, int n) throws IOException {
    write(out, n, Double.BYTES, (b, from, count) -> b.asDoubleBuffer().put(values, from, count));
  }

  /** Writes {@code values[0 … n)}. */
  static void write(ObjectOutputStream out, float[] values, int n) throws IOException {
    write(out, n, Float.BYTES, (b, from, count) -> b.asFloatBuffer().put(values, from, count));
  }

  /** Writes {@code values[0 … n)}. */
  static void write(ObjectOutputStream out, int[] values, int n) throws IOException {
    write(out, n, Integer.BYTES, (b, from, count) -> b.asIntBuffer().put(values, from, count));
  }

  /** Reads n doubles into a new array. */
  static double[] readDoubles(ObjectInputStream in, int n) throws IOException {
    double[] values = new double[n];
    read(in, n, Double.BYTES, (b, from, count) -> b.asDoubleBuffer().get(values, from, count));
    return values;
  }

  /** Reads n floats into a new array. */
  static float[] readFloats(ObjectInputStream in, int n) throws IOException {
    float[] values = new float[n];
    read(in, n, Float.BYTES, (b, from, count) -> b.asFloatBuffer().get(values, from, count));
    return values;
  }

  /** Reads n floats into a new array of doubles, each widened exactly. */
  static double[] readFloatsAsDoubles(ObjectInputStream in, int n) throws IOException {
    double[] values = new double[n];
    float[] floats = new float[Math.min(CHUNK, Math.max(n, 1))];
    read(
        in,
        n,
        Float.BYTES,
        (b, from, count) -> {
          b.asFloatBuffer().get(floats, 0, count);
          for (int i = 0; i < count; i++) {
            values[from + i] = floats[i];
          }
        });
    return values;
  }

  /** Reads n ints into a new array. */
  static int[] readInts(ObjectInputStream in, int n) throws IOException {
    int[] values = new int[n];
    read(in, n, Integer.BYTES, (b, from, count) -> b.asIntBuffer().get(values, from, count));
    return values;
  }

  /**
   * Writes n values of {@code size} bytes, a chunk at a time, each put into the buffer first, then
   * the CRC32C of all their bytes.
   */
  private static void write(ObjectOutputStream out, int n, int size, Chunk put) throws IOException {
    ByteBuffer bytes = chunk(n, size);
    CRC32C crc = new CRC32C();
    for (int from = 0; from < n; from += CHUNK) {
      int count = Math.min(CHUNK, n - from);
      bytes.clear();
      put.copy(bytes, from, count);
      out.write(bytes.array(), 0, count * size);
      crc.update(bytes.array(), 0, count * size);
    }
    out.writeInt((int) crc.getValue());
  }

  /**
   * Reads n values of {@code size} bytes, a chunk at a time, each got from the buffer after, and
   * checks them against the CRC32C that follows.
   *
   * @throws StreamCorruptedException if the bytes read are not those written
   */
  private static void read(ObjectInputStream in, int n, int size, Chunk get) throws IOException {
    ByteBuffer bytes = chunk(n, size);
    CRC32C crc = new CRC32C();
    for (int from = 0; from < n; from += CHUNK) {
      int count = Math.min(CHUNK, n - from);
      in.readFully(bytes.array(), 0, count * size);
      crc.update(bytes.array(), 0, count * size);
      bytes.clear();
      get.copy(bytes, from, count);
    }
    int read = (int) crc.getValue();
    int sent = in.readInt();
    if (read != sent) {
      throw new StreamCorruptedException(
          String.format(
              Locale.ROOT,
              "%,d values of %d bytes arrived corrupted: their CRC32C is %08x, the sender's %08x",
              n,
              size,
              read,
              sent));
    }
  }

  /** A little-endian buffer for one chunk of n values of {@code size} bytes. */
  private static ByteBuffer chunk(int n, int size) {
    return ByteBuffer.allocate(Math.min(CHUNK, Math.max(n, 1)) * size)
        .order(ByteOrder.LITTLE_ENDIAN);
  }
}
