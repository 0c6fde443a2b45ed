package io.sparkprop.data;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The blocks {@link ExampleBlock#pack} returns, each packed when asked for: a block's examples go
 * either into compressed sparse columns (row indices, and values unless all are 1) or into a dense
 * column-major matrix, kept as 8-bit pixels when every value is one, as floats when asked, else as
 * doubles, leaving out the feature rows that are zero throughout the block when that pays.
 */
final class BlockPacker implements Iterator<ExampleBlock> {
  private final Iterator<Example> examples;
  private final int n0;
  private final int nL;
  private final int blockSize;
  private final boolean asFloats;
  private final Sparsity sparsity;
  private final Example[] batch;

  /** The dense matrix a block is gathered in; allocated by the first dense block. */
  private double[] gathered;

  BlockPacker(
      Iterator<Example> examples,
      int n0,
      int nL,
      int blockSize,
      boolean asFloats,
      Sparsity sparsity) {
    this.examples = examples;
    this.n0 = n0;
    this.nL = nL;
    this.blockSize = blockSize;
    this.asFloats = asFloats;
    this.sparsity = sparsity;
    this.batch = new Example[blockSize];
  }

  @Override
  public boolean hasNext() {
    return examples.hasNext();
  }

  @Override
  public ExampleBlock next() {
    if (!examples.hasNext()) {
      throw new NoSuchElementException();
    }
    int count = 0;
    long nonZeros = 0;
    while (count < blockSize && examples.hasNext()) {
      batch[count] = examples.next();
      nonZeros += batch[count].nonZeros();
      count++;
    }
    long[] ids = new long[count];
    double[] targets = new double[nL * count];
    double[] weights = new double[count];
    boolean weighted = false;
    for (int j = 0; j < count; j++) {
      Example e = batch[j];
      ids[j] = e.id;
      weights[j] = e.weight;
      weighted |= e.weight != 1.0;
      System.arraycopy(e.target, 0, targets, j * nL, nL);
    }
    if (!weighted) {
      weights = null;
    }
    boolean sparse =
        sparsity == Sparsity.ON
            || (sparsity == Sparsity.AUTO
                && nonZeros * ExampleBlock.SPARSE_BELOW < (long) count * n0);
    ExampleBlock block =
        sparse
            ? sparseBlock(batch, count, nonZeros, n0, nL, ids, targets, weights, asFloats)
            : denseBlock(count, ids, targets, weights);
    Arrays.fill(batch, 0, count, null);
    return block;
  }

  private ExampleBlock denseBlock(int count, long[] ids, double[] targets, double[] weights) {
    if (gathered == null) {
      gathered = new double[n0 * blockSize];
    }
    for (int j = 0; j < count; j++) {
      batch[j].writeFeatures(gathered, j * n0, n0);
    }
    byte[] pixels = toPixels(gathered, count * n0);
    if (pixels != null) {
      boolean[] used = nonZeroRows(pixels, count, n0);
      return dropZeroRows(count, n0, nL, ids, pixels, used, Byte.BYTES, targets, weights);
    }
    float[] floats = asFloats ? toFloats(gathered, count * n0) : null;
    if (floats != null) {
      boolean[] used = nonZeroRows(floats, count, n0);
      return dropZeroRows(count, n0, nL, ids, floats, used, Float.BYTES, targets, weights);
    }
    double[] features = Arrays.copyOf(gathered, count * n0);
    boolean[] used = nonZeroRows(features, count, n0);
    return dropZeroRows(count, n0, nL, ids, features, used, Double.BYTES, targets, weights);
  }

  /**
   * A sparse block of the first {@code count} examples: values left out when all are 1, as floats
   * when asked and all fit, else as doubles.
   */
  private static ExampleBlock sparseBlock(
      Example[] batch,
      int count,
      long nonZeros,
      int n0,
      int nL,
      long[] ids,
      double[] targets,
      double[] weights,
      boolean asFloats) {
    if (nonZeros > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "a block of " + nonZeros + " nonzeros is too large; use a smaller --block-size");
    }
    int[] starts = new int[count + 1];
    int[] rows = new int[(int) nonZeros];
    double[] values = new double[(int) nonZeros];
    for (int j = 0; j < count; j++) {
      starts[j + 1] = batch[j].writeNonZeros(rows, values, starts[j]);
    }
    boolean binary = true;
    boolean fitsFloat = asFloats;
    for (double v : values) {
      binary &= v == 1.0;
      fitsFloat &= !Float.isInfinite((float) v);
    }
    float[] floats = null;
    double[] doubles = null;
    if (!binary && fitsFloat) {
      floats = new float[values.length];
      for (int k = 0; k < values.length; k++) {
        floats[k] = (float) values[k];
      }
    } else if (!binary) {
      doubles = values;
    }
    return new ExampleBlock(
        count,
        n0,
        nL,
        ids,
        null,
        null,
        null,
        null,
        new ExampleBlock.Sparse(starts, rows, floats, doubles),
        targets,
        weights);
  }

  /**
   * A block of the dense features (double[], float[] or byte[], column-major n_0 × size) that
   * leaves out the rows not {@code used} when that pays (see {@link #worthDropping}).
   */
  static ExampleBlock dropZeroRows(
      int size,
      int numFeatures,
      int numOutputs,
      long[] ids,
      Object dense,
      boolean[] used,
      int bytesPerValue,
      double[] targets,
      double[] weights) {
    int[] runs = worthDropping(used, size, bytesPerValue);
    Object kept = runs == null ? dense : keepRows(dense, runs, size, numFeatures);
    return new ExampleBlock(
        size,
        numFeatures,
        numOutputs,
        ids,
        runs,
        kept instanceof double[] d ? d : null,
        kept instanceof byte[] b ? b : null,
        kept instanceof float[] f ? f : null,
        targets,
        weights);
  }

  /** Which rows of a column-major rows × size matrix hold a value other than +0 in some column. */
  static boolean[] nonZeroRows(byte[] values, int size, int rows) {
    boolean[] used = new boolean[rows];
    for (int j = 0; j < size; j++) {
      for (int i = 0; i < rows; i++) {
        used[i] |= values[j * rows + i] != 0;
      }
    }
    return used;
  }

  private static boolean[] nonZeroRows(double[] values, int size, int rows) {
    boolean[] used = new boolean[rows];
    for (int j = 0; j < size; j++) {
      for (int i = 0; i < rows; i++) {
        used[i] |= Double.doubleToRawLongBits(values[j * rows + i]) != 0;
      }
    }
    return used;
  }

  private static boolean[] nonZeroRows(float[] values, int size, int rows) {
    boolean[] used = new boolean[rows];
    for (int j = 0; j < size; j++) {
      for (int i = 0; i < rows; i++) {
        used[i] |= Float.floatToRawIntBits(values[j * rows + i]) != 0;
      }
    }
    return used;
  }

  /**
   * The used rows as runs when dropping the others pays, else null. It pays when at least 1/16 of
   * the rows go (fewer would save less first-layer GEMM work than gathering W¹'s columns costs) and
   * the bytes saved exceed the runs' own.
   */
  private static int[] worthDropping(boolean[] used, int size, int bytesPerValue) {
    int rows = used.length;
    int kept = 0;
    int runCount = 0;
    for (int i = 0; i < rows; i++) {
      if (used[i]) {
        kept++;
        if (i == 0 || !used[i - 1]) {
          runCount++;
        }
      }
    }
    long saved = (long) (rows - kept) * size * bytesPerValue;
    if ((rows - kept) * 16L < rows || saved <= 8L * runCount + 16) {
      return null;
    }
    int[] runs = new int[2 * runCount];
    int r = 0;
    for (int i = 0; i < rows; i++) {
      if (used[i] && (i == 0 || !used[i - 1])) {
        runs[r] = i;
      }
      if (used[i] && (i == rows - 1 || !used[i + 1])) {
        runs[r + 1] = i + 1 - runs[r];
        r += 2;
      }
    }
    return runs;
  }

  /** The rows in {@code runs} of each column of {@code dense} (rows × size), in a new array. */
  private static Object keepRows(Object dense, int[] runs, int size, int rows) {
    int stored = ExampleBlock.storedRows(runs, rows);
    Object kept =
        java.lang.reflect.Array.newInstance(dense.getClass().getComponentType(), size * stored);
    int to = 0;
    for (int j = 0; j < size; j++) {
      for (int r = 0; r < runs.length; r += 2) {
        System.arraycopy(dense, j * rows + runs[r], kept, to, runs[r + 1]);
        to += runs[r + 1];
      }
    }
    return kept;
  }

  /**
   * The first {@code n} values as 8-bit pixels when each is exactly what a pixel decodes to, p ×
   * (1/255) for p in 0…255 (image data converted to numbers, as IDX is read), else null. Such a
   * block is kept in one byte a value, and decodes to the very same doubles.
   */
  private static byte[] toPixels(double[] values, int n) {
    byte[] out = new byte[n];
    for (int i = 0; i < n; i++) {
      double v = values[i];
      long p = Math.round(v * 255.0);
      if (p < 0
          || p > 255
          || Double.doubleToRawLongBits(p * ExampleBlock.PIXEL_SCALE)
              != Double.doubleToRawLongBits(v)) {
        return null;
      }
      out[i] = (byte) p;
    }
    return out;
  }

  /** The first {@code n} values as floats, or null when one of them is beyond float range. */
  private static float[] toFloats(double[] values, int n) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) values[i];
      if (Float.isInfinite(out[i])) {
        return null;
      }
    }
    return out;
  }
}
