package io.sparkprop.data;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * An MNIST-style IDX pair: an idx3-ubyte image file (magic 0x00000803, count, rows, columns, then
 * count × rows × columns unsigned bytes) and an idx1-ubyte label file (magic 0x00000801, count,
 * then count bytes). Pixels are scaled to [0, 1]. Both headers and exact file lengths are checked
 * when the pair is opened; labels are checked as records are read.
 *
 * @param labelsPath null when reading images only (for prediction); targets are then zero
 */
public record IdxDataset(String imagesPath, String labelsPath, long count, int rows, int cols)
    implements Serializable {
  static final int IMAGES_MAGIC = 0x00000803;
  static final int LABELS_MAGIC = 0x00000801;
  static final int IMAGES_HEADER = 16;
  static final int LABELS_HEADER = 8;

  /** Pixels per image, n_0. */
  public int recordSize() {
    return rows * cols;
  }

  /**
   * Reads and validates both headers and file lengths.
   *
   * @throws DataFormatException naming the file and what is wrong
   */
  public static IdxDataset open(String imagesPath, String labelsPath, Configuration conf) {
    try {
      Path images = new Path(imagesPath);
      FileSystem fs = images.getFileSystem(conf);
      long[] imageHeader = readHeader(fs, images, IMAGES_MAGIC, 3);
      long count = imageHeader[0];
      if (imageHeader[1] * imageHeader[2] > Integer.MAX_VALUE) {
        throw DataFormatException.inFile(
            imagesPath,
            "images of "
                + imageHeader[1]
                + "×"
                + imageHeader[2]
                + " pixels are too large (at most "
                + Integer.MAX_VALUE
                + " pixels an image)");
      }
      int rows = (int) imageHeader[1];
      int cols = (int) imageHeader[2];
      checkLength(
          fs,
          images,
          IMAGES_HEADER + count * rows * cols,
          count + " images of " + rows + "×" + cols);
      if (labelsPath != null) {
        Path labels = new Path(labelsPath);
        FileSystem labelFs = labels.getFileSystem(conf);
        long labelCount = readHeader(labelFs, labels, LABELS_MAGIC, 1)[0];
        if (labelCount != count) {
          throw DataFormatException.inFile(
              labelsPath,
              "holds " + labelCount + " labels but " + imagesPath + " holds " + count + " images");
        }
        checkLength(labelFs, labels, LABELS_HEADER + count, count + " labels");
      }
      return new IdxDataset(imagesPath, labelsPath, count, rows, cols);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read IDX data " + imagesPath + ": " + e.getMessage(), e);
    }
  }

  private static long[] readHeader(FileSystem fs, Path path, int magic, int dims)
      throws IOException {
    if (!fs.exists(path)) {
      throw DataFormatException.inFile(path.toString(), "no such file");
    }
    if (fs.getFileStatus(path).isDirectory()) {
      throw DataFormatException.inFile(path.toString(), "is a directory, expected an IDX file");
    }
    try (DataInputStream in = new DataInputStream(fs.open(path))) {
      byte[] head = new byte[4 + 4 * dims];
      int read = in.readNBytes(head, 0, head.length);
      if (read >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
        throw DataFormatException.inFile(
            path.toString(), "is gzip-compressed; decompress it first (expected a raw IDX file)");
      }
      int found = readInt(head, 0);
      if (read >= 4 && found != magic) {
        throw DataFormatException.inFile(
            path.toString(),
            String.format(
                "bad magic number (expected 0x%08X, unsigned bytes in %d dimensions, found 0x%08X)",
                magic, dims, found));
      }
      if (read < head.length) {
        throw DataFormatException.inFile(
            path.toString(),
            "header is truncated (expected " + head.length + " bytes, found " + read + ")");
      }
      long[] sizes = new long[dims];
      for (int d = 0; d < dims; d++) {
        sizes[d] = readInt(head, 4 + 4 * d) & 0xffffffffL;
        if (sizes[d] == 0 && d > 0) {
          throw DataFormatException.inFile(path.toString(), "dimension " + d + " is 0");
        }
      }
      return sizes;
    }
  }

  private static void checkLength(FileSystem fs, Path path, long expected, String what)
      throws IOException {
    long found = fs.getFileStatus(path).getLen();
    if (found < expected) {
      throw DataFormatException.inFile(
          path.toString(),
          "is truncated (expected " + expected + " bytes for " + what + ", found " + found + ")");
    }
    if (found > expected) {
      throw DataFormatException.inFile(
          path.toString(),
          "has "
              + (found - expected)
              + " trailing bytes (expected "
              + expected
              + " bytes for "
              + what
              + ", found "
              + found
              + ")");
    }
  }

  private static int readInt(byte[] b, int off) {
    return ((b[off] & 0xff) << 24)
        | ((b[off + 1] & 0xff) << 16)
        | ((b[off + 2] & 0xff) << 8)
        | (b[off + 3] & 0xff);
  }

  /**
   * Reads records {@code start … end − 1} as blocks of at most {@code blockSize}, in order; the
   * record index is each example's id.
   *
   * @throws DataFormatException when the image size is not n_0 or a label is out of range
   */
  public Iterator<ExampleBlock> readBlocks(
      Configuration conf, DataShape shape, long start, long end, int blockSize) {
    if (shape.numFeatures() != recordSize()) {
      throw DataFormatException.inFile(
          imagesPath,
          "images have "
              + rows
              + "×"
              + cols
              + " = "
              + recordSize()
              + " pixels, but the input layer expects "
              + shape.numFeatures());
    }
    try {
      FSDataInputStream images =
          new Path(imagesPath).getFileSystem(conf).open(new Path(imagesPath));
      images.seek(IMAGES_HEADER + start * recordSize());
      FSDataInputStream labels = null;
      if (labelsPath != null) {
        labels = new Path(labelsPath).getFileSystem(conf).open(new Path(labelsPath));
        labels.seek(LABELS_HEADER + start);
      }
      return new BlockIterator(shape, images, labels, start, end, blockSize);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + imagesPath + ": " + e.getMessage(), e);
    }
  }

  private final class BlockIterator implements Iterator<ExampleBlock> {
    private final DataShape shape;
    private final FSDataInputStream images;
    private final FSDataInputStream labels;
    private final long end;
    private final int blockSize;
    private final byte[] pixels;
    private final double[] labelTarget;
    private long next;

    BlockIterator(
        DataShape shape,
        FSDataInputStream images,
        FSDataInputStream labels,
        long start,
        long end,
        int blockSize) {
      this.shape = shape;
      this.images = images;
      this.labels = labels;
      this.next = start;
      this.end = end;
      this.blockSize = blockSize;
      this.pixels = new byte[recordSize()];
      this.labelTarget = new double[shape.numOutputs()];
    }

    @Override
    public boolean hasNext() {
      if (next < end) {
        return true;
      }
      close();
      return false;
    }

    @Override
    public ExampleBlock next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      int size = (int) Math.min(blockSize, end - next);
      int n0 = recordSize();
      int nL = shape.numOutputs();
      long[] ids = new long[size];
      byte[] features = new byte[size * n0];
      double[] targets = new double[size * nL];
      try {
        for (int j = 0; j < size; j++, next++) {
          ids[j] = next;
          images.readFully(features, j * n0, n0);
          if (labels != null) {
            int label = labels.read();
            try {
              shape.encodeLabel(Integer.toString(label), labelTarget, 0);
            } catch (RecordException e) {
              throw DataFormatException.atRecord(labelsPath, next, e.getMessage());
            }
            System.arraycopy(labelTarget, 0, targets, j * nL, nL);
          }
        }
      } catch (IOException e) {
        close();
        throw new UncheckedIOException("cannot read " + imagesPath + ": " + e.getMessage(), e);
      }
      return ExampleBlock.ofPixels(size, n0, nL, ids, features, targets);
    }

    private void close() {
      try {
        images.close();
        if (labels != null) {
          labels.close();
        }
      } catch (IOException ignored) {
        // Read-only streams: nothing is lost if closing fails.
      }
    }
  }
}
