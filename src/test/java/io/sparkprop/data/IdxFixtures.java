package io.sparkprop.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * The generator of the IDX fixtures in src/test/resources/data/: three 2×2 images with labels 0, 2,
 * 1, and malformed variants. {@link IdxDatasetTest} checks the committed files equal what this
 * generates. Run {@code main} to rewrite them.
 */
final class IdxFixtures {
  static final byte[][] PIXELS = {{0, (byte) 255, 51, 102}, {(byte) 204, 0, 0, 0}, {1, 2, 3, 4}};
  static final byte[] LABELS = {0, 2, 1};

  private IdxFixtures() {}

  static Map<String, byte[]> all() {
    Map<String, byte[]> files = new LinkedHashMap<>();
    byte[] images = images(0x00000803, PIXELS.length, 2, 2, PIXELS);
    byte[] labels = labels(0x00000801, LABELS.length, LABELS);
    files.put("tiny-images-idx3-ubyte", images);
    files.put("tiny-labels-idx1-ubyte", labels);
    files.put("bad-magic-images-idx3-ubyte", images(0x00000804, PIXELS.length, 2, 2, PIXELS));
    files.put("truncated-images-idx3-ubyte", java.util.Arrays.copyOf(images, images.length - 3));
    byte[] extra = java.util.Arrays.copyOf(images, images.length + 2);
    files.put("trailing-images-idx3-ubyte", extra);
    files.put("short-labels-idx1-ubyte", labels(0x00000801, 2, new byte[] {0, 2}));
    files.put("bad-label-labels-idx1-ubyte", labels(0x00000801, 3, new byte[] {0, 7, 1}));
    files.put("gzipped-images-idx3-ubyte", gzip(images));
    return files;
  }

  private static byte[] images(int magic, int count, int rows, int cols, byte[][] pixels) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeInt(magic);
      out.writeInt(count);
      out.writeInt(rows);
      out.writeInt(cols);
      for (byte[] image : pixels) {
        out.write(image);
      }
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] labels(int magic, int count, byte[] labels) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeInt(magic);
      out.writeInt(count);
      out.write(labels);
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] gzip(byte[] content) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
        out.write(content);
      }
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void main(String[] args) throws IOException {
    java.nio.file.Path dir = java.nio.file.Path.of("src/test/resources/data");
    for (Map.Entry<String, byte[]> e : all().entrySet()) {
      if (!e.getKey().startsWith("gzipped")) {
        java.nio.file.Files.write(dir.resolve(e.getKey()), e.getValue());
      }
    }
  }
}
