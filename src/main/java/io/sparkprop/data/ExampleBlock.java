package io.sparkprop.data;

import java.io.Serializable;
import java.util.Iterator;

/**
 * Up to B examples stacked as columns: the unit the trainer caches and computes on.
 *
 * <p>Layout: features column-major n_0 × size, targets column-major n_L × size, {@code ids[j]} the
 * stable id of column j, and optionally a weight per column. Immutable once built. The cached form
 * is compact: 8-bit pixels (IDX images, and any block whose values are all p × (1/255)) stay one
 * byte each, decoded as p/255 on use; other features may be kept as floats ({@link #pack} decides);
 * targets that are one-hot (or all zero) are kept as one class index per column; anything else is
 * kept as doubles. Feature rows that are zero in every column of the block (the border pixels of
 * images, unused one-hot slots) are not stored when dropping them pays: the block keeps its other
 * rows, listed by {@link #storedRuns}, as a smaller matrix, and the first layer's GEMMs run on that
 * alone, since a zero row adds nothing to z¹ nor to ∂C/∂W¹. The hot path decodes a block into a
 * reusable buffer, of doubles or floats, with {@link #storedFeatureMatrix} and {@link
 * #targetMatrix}, which return the block's own array when it is stored in that type; {@link
 * #featureMatrix} and {@link #copyFeatures} give all n_0 rows.
 */
public final class ExampleBlock implements Serializable {
  private static final long serialVersionUID = 1L;
  static final double PIXEL_SCALE = 1.0 / 255.0;

  /**
   * {@link Sparsity#AUTO} keeps a block sparse when fewer than 1 in this many of its values are
   * nonzero: there a nonzero's 4 to 12 bytes beat the dense matrix's bytes per value, and the first
   * layer's axpy per nonzero beats the GEMM's work on every value.
   */
  public static final int SPARSE_BELOW = 16;

  private final int size;
  private final int numFeatures;
  private final int numOutputs;
  private final long[] ids;

  /**
   * The feature rows stored, as pairs (first row, number of rows), increasing and disjoint; null
   * when all n_0 rows are stored.
   */
  private final int[] runs;

  /** How many feature rows are stored: the runs' total, or n_0. */
  private final int storedRows;

  /**
   * Exactly one of these three holds the features: the stored rows, column-major storedRows × size.
   */
  private final double[] features;

  private final byte[] pixels;
  private final float[] floats;

  /** Exactly one of these two holds the targets; a class index of −1 is an all-zero column. */
  private final double[] targets;

  private final int[] classes;

  /** Each column's example weight, or null when every weight is 1. */
  private final double[] weights;

  /**
   * Sparse storage, instead of the three dense arrays: column j's nonzeros are at rows {@code
   * sparseRows[sparseStarts[j] … sparseStarts[j + 1])}, increasing, with values in one of {@code
   * sparseFloats} and {@code sparseDoubles}, or in neither when every value is 1. Null when dense.
   */
  private final int[] sparseStarts;

  private final int[] sparseRows;
  private final float[] sparseFloats;
  private final double[] sparseDoubles;

  /** A block of features kept as doubles, column-major n_0 × size, all rows stored as given. */
  public ExampleBlock(
      int size, int numFeatures, int numOutputs, long[] ids, double[] features, double[] targets) {
    this(size, numFeatures, numOutputs, ids, null, features, null, null, targets, null);
  }

  /** Stores the given features as they are; {@code runs} null for all n_0 rows. */
  ExampleBlock(
      int size,
      int numFeatures,
      int numOutputs,
      long[] ids,
      int[] runs,
      double[] features,
      byte[] pixels,
      float[] floats,
      double[] targets,
      double[] weights) {
    this(
        size, numFeatures, numOutputs, ids, runs, features, pixels, floats, null, targets, weights);
  }

  /** Stores the given features, dense (one of three arrays) or {@code sparse}. */
  ExampleBlock(
      int size,
      int numFeatures,
      int numOutputs,
      long[] ids,
      int[] runs,
      double[] features,
      byte[] pixels,
      float[] floats,
      Sparse sparse,
      double[] targets,
      double[] weights) {
    int stored = runs == null ? numFeatures : storedRows(runs, numFeatures);
    if (sparse != null) {
      sparse.check(size, numFeatures);
    }
    int featureValues =
        sparse != null
            ? size * stored
            : features != null ? features.length : pixels != null ? pixels.length : floats.length;
    checkSizes(size, ids, featureValues, size * stored, targets.length, numOutputs, weights);
    this.size = size;
    this.numFeatures = numFeatures;
    this.numOutputs = numOutputs;
    this.ids = ids;
    this.runs = runs;
    this.storedRows = stored;
    this.features = features;
    this.pixels = pixels;
    this.floats = floats;
    this.classes = oneHotClasses(targets, numOutputs, size);
    this.targets = classes == null ? targets : null;
    this.weights = weights;
    this.sparseStarts = sparse == null ? null : sparse.starts;
    this.sparseRows = sparse == null ? null : sparse.rows;
    this.sparseFloats = sparse == null ? null : sparse.floats;
    this.sparseDoubles = sparse == null ? null : sparse.doubles;
  }

  /** Throws unless every array holds what a block of {@code size} examples needs. */
  private static void checkSizes(
      int size,
      long[] ids,
      int featureValues,
      int expectedFeatureValues,
      int targetValues,
      int numOutputs,
      double[] weights) {
    if (size <= 0
        || ids.length != size
        || featureValues != expectedFeatureValues
        || targetValues != size * numOutputs
        || (weights != null && weights.length != size)) {
      throw new IllegalArgumentException(
          "inconsistent block: size "
              + size
              + ", "
              + ids.length
              + " ids, "
              + featureValues
              + " feature and "
              + targetValues
              + " target values");
    }
  }

  /** Sparse columns as the constructor takes them; see the fields. */
  record Sparse(int[] starts, int[] rows, float[] floats, double[] doubles) {
    void check(int size, int numFeatures) {
      int nonZeros = rows.length;
      boolean ok =
          starts.length == size + 1
              && starts[0] == 0
              && starts[size] == nonZeros
              && (floats == null || floats.length == nonZeros)
              && (doubles == null || doubles.length == nonZeros)
              && (floats == null || doubles == null);
      for (int j = 0; ok && j < size; j++) {
        ok = starts[j] <= starts[j + 1];
        for (int k = starts[j]; ok && k < starts[j + 1]; k++) {
          ok = rows[k] >= 0 && rows[k] < numFeatures && (k == starts[j] || rows[k] > rows[k - 1]);
        }
      }
      if (!ok) {
        throw new IllegalArgumentException(
            "inconsistent sparse block: "
                + size
                + " columns, "
                + nonZeros
                + " nonzeros; rows must increase within a column and lie in 0.."
                + (numFeatures - 1));
      }
    }
  }

  /**
   * A block of 8-bit pixels, column-major n_0 × size, each read as an unsigned byte p and used as
   * p/255.
   */
  public static ExampleBlock ofPixels(
      int size, int numFeatures, int numOutputs, long[] ids, byte[] pixels, double[] targets) {
    checkLength(pixels.length, size, numFeatures);
    boolean[] used = BlockPacker.nonZeroRows(pixels, size, numFeatures);
    return BlockPacker.dropZeroRows(
        size, numFeatures, numOutputs, ids, pixels, used, Byte.BYTES, targets, null);
  }

  private static void checkLength(int values, int size, int numFeatures) {
    if (size <= 0 || values != size * numFeatures) {
      throw new IllegalArgumentException(
          "inconsistent block: size "
              + size
              + ", "
              + values
              + " feature values for "
              + numFeatures
              + " features");
    }
  }

  static int storedRows(int[] runs, int numFeatures) {
    int total = 0;
    int end = 0;
    for (int r = 0; r < runs.length; r += 2) {
      if (runs[r] < end || runs[r + 1] <= 0 || runs[r] + runs[r + 1] > numFeatures) {
        throw new IllegalArgumentException(
            "feature runs must be increasing, disjoint and within 0.." + numFeatures);
      }
      end = runs[r] + runs[r + 1];
      total += runs[r + 1];
    }
    return total;
  }

  /** The hot index of every column when all columns are one-hot or all zero, else null. */
  private static int[] oneHotClasses(double[] targets, int numOutputs, int size) {
    int[] hot = new int[size];
    for (int j = 0; j < size; j++) {
      hot[j] = -1;
      for (int k = 0; k < numOutputs; k++) {
        double y = targets[j * numOutputs + k];
        if (y == 1.0 && hot[j] < 0) {
          hot[j] = k;
        } else if (y != 0.0 || Double.doubleToRawLongBits(y) != 0) {
          return null; // not 0/1, a second 1, or −0.0: keep the exact values
        }
      }
    }
    return hot;
  }

  /** Number of examples (columns). */
  public int size() {
    return size;
  }

  public int numFeatures() {
    return numFeatures;
  }

  public int numOutputs() {
    return numOutputs;
  }

  /** Stable id of column j. */
  public long id(int column) {
    return ids[column];
  }

  /**
   * The class of column j when every target column of the block is one-hot or all zero: the row
   * holding the 1, or −1 for a column of zeros (class 0 of a single sigmoid output). Otherwise
   * (real or multi-hot targets) {@link Integer#MIN_VALUE}.
   */
  public int hotRow(int column) {
    return classes == null ? Integer.MIN_VALUE : classes[column];
  }

  /** The example weights of the columns, or null when all are 1. The block's own array. */
  public double[] weights() {
    return weights;
  }

  /** The weight of column j: 1 unless the data set has a weight column. */
  public double weight(int column) {
    return weights == null ? 1.0 : weights[column];
  }

  /** Σ of the columns' weights: the block's size when all are 1. */
  public double weightSum() {
    if (weights == null) {
      return size;
    }
    double sum = 0;
    for (double w : weights) {
      sum += w;
    }
    return sum;
  }

  /**
   * The stored feature rows as pairs (first row, number of rows), increasing and disjoint, or null
   * when the block stores all n_0 rows. The rows left out are zero in every column. The block's own
   * array: do not modify.
   */
  public int[] storedRuns() {
    return runs;
  }

  /** How many feature rows the block stores: n_0 less the rows left out. */
  public int storedRows() {
    return storedRows;
  }

  /** Whether the block keeps its features sparse: see {@link #sparseStarts}. */
  public boolean isSparse() {
    return sparseStarts != null;
  }

  /**
   * A sparse block's column starts (size + 1 of them): column j's nonzeros are entries {@code
   * sparseStarts()[j]} to {@code sparseStarts()[j + 1]} of {@link #sparseRows} and of the values.
   * The block's own arrays, here and below: do not modify. Null for a dense block.
   */
  public int[] sparseStarts() {
    return sparseStarts;
  }

  /** A sparse block's row (feature) indices of its nonzeros, increasing within each column. */
  public int[] sparseRows() {
    return sparseRows;
  }

  /** A sparse block's values as floats, or null (kept as doubles, or all 1). */
  public float[] sparseFloats() {
    return sparseFloats;
  }

  /** A sparse block's values as doubles, or null (kept as floats, or all 1). */
  public double[] sparseDoubles() {
    return sparseDoubles;
  }

  /** The value of a sparse block's nonzero k (1 when the block keeps no values). */
  public double sparseValue(int k) {
    return sparseDoubles != null ? sparseDoubles[k] : sparseFloats != null ? sparseFloats[k] : 1.0;
  }

  /**
   * The stored feature rows ({@link #storedRuns}, in order) as a column-major storedRows × size
   * matrix: the block's own array when it keeps doubles (do not modify), else {@code buffer} (at
   * least storedRows × size long) filled with them.
   */
  public double[] storedFeatureMatrix(double[] buffer) {
    return storedFeatureMatrix(buffer, null);
  }

  /**
   * Like {@link #storedFeatureMatrix(double[])} in floats: the block's own array when it keeps
   * floats, else {@code buffer} filled with the values rounded to the nearest float.
   */
  public float[] storedFeatureMatrix(float[] buffer) {
    return storedFeatureMatrix(buffer, null);
  }

  /**
   * Decodes 8-bit pixels p (read unsigned) into doubles, (p & 0xff) × (1/255) with 1/255 the double
   * nearest it, or into floats, p/255 rounded to the nearest float: the values the block's own
   * loops give. A faster implementation may be supplied by the caller.
   */
  public interface PixelDecoder {
    /** into[offset + i] = (pixels[from + i] & 0xff) × (1.0/255) for i &lt; n. */
    void decode(byte[] pixels, int from, double[] into, int offset, int n);

    /** into[offset + i] = (pixels[from + i] & 0xff)/255 rounded to a float, for i &lt; n. */
    void decode(byte[] pixels, int from, float[] into, int offset, int n);
  }

  /**
   * Like {@link #storedFeatureMatrix(double[])}, decoding pixels with {@code pixelDecoder} (null:
   * the block's own loop).
   */
  public double[] storedFeatureMatrix(double[] buffer, PixelDecoder pixelDecoder) {
    if (features != null) {
      return features;
    }
    if (sparseStarts != null) {
      copyFeatures(0, size, buffer, 0);
      return buffer;
    }
    if (pixels != null && pixelDecoder != null) {
      pixelDecoder.decode(pixels, 0, buffer, 0, size * storedRows);
    } else {
      decode(0, size * storedRows, buffer, 0);
    }
    return buffer;
  }

  /**
   * Like {@link #storedFeatureMatrix(float[])}, decoding pixels with {@code pixelDecoder} (null:
   * the block's own loop).
   */
  public float[] storedFeatureMatrix(float[] buffer, PixelDecoder pixelDecoder) {
    if (floats != null) {
      return floats;
    }
    if (sparseStarts != null) {
      copyFeatures(0, size, buffer, 0);
      return buffer;
    }
    if (pixels != null && pixelDecoder != null) {
      pixelDecoder.decode(pixels, 0, buffer, 0, size * storedRows);
    } else {
      decode(0, size * storedRows, buffer, 0);
    }
    return buffer;
  }

  /**
   * All n_0 feature rows as a column-major n_0 × size matrix: the block's own array when it keeps
   * all rows as doubles (do not modify), else {@code buffer} (at least n_0 × size long) filled with
   * them.
   */
  public double[] featureMatrix(double[] buffer) {
    if (features != null && runs == null) {
      return features;
    }
    copyFeatures(0, size, buffer, 0);
    return buffer;
  }

  /**
   * All n_0 rows as floats, like {@link #featureMatrix(double[])}: the block's own array when it
   * keeps all rows as floats (do not modify), else {@code buffer} filled with them, each rounded to
   * the nearest float.
   */
  public float[] featureMatrix(float[] buffer) {
    if (floats != null && runs == null) {
      return floats;
    }
    copyFeatures(0, size, buffer, 0);
    return buffer;
  }

  /** The targets as a column-major n_L × size matrix, like {@link #featureMatrix}. */
  public double[] targetMatrix(double[] buffer) {
    if (targets != null) {
      return targets;
    }
    copyTargets(0, size, buffer, 0);
    return buffer;
  }

  /** A new array of all the features, column-major n_0 × size. */
  public double[] features() {
    double[] out = new double[size * numFeatures];
    copyFeatures(0, size, out, 0);
    return out;
  }

  /** A new array of the targets, column-major n_L × size. */
  public double[] targets() {
    double[] out = new double[size * numOutputs];
    copyTargets(0, size, out, 0);
    return out;
  }

  /**
   * Writes all n_0 feature rows of columns [from, from + count) into {@code into} at {@code
   * offset}, column-major.
   */
  public void copyFeatures(int from, int count, double[] into, int offset) {
    if (sparseStarts != null) {
      java.util.Arrays.fill(into, offset, offset + count * numFeatures, 0.0);
      for (int j = 0; j < count; j++) {
        for (int k = sparseStarts[from + j]; k < sparseStarts[from + j + 1]; k++) {
          into[offset + j * numFeatures + sparseRows[k]] = sparseValue(k);
        }
      }
      return;
    }
    if (runs == null) {
      decode(from * numFeatures, count * numFeatures, into, offset);
      return;
    }
    java.util.Arrays.fill(into, offset, offset + count * numFeatures, 0.0);
    for (int j = 0; j < count; j++) {
      int stored = (from + j) * storedRows;
      int column = offset + j * numFeatures;
      for (int r = 0; r < runs.length; r += 2) {
        decode(stored, runs[r + 1], into, column + runs[r]);
        stored += runs[r + 1];
      }
    }
  }

  /**
   * Like {@link #copyFeatures(int, int, double[], int)}, each value rounded to the nearest float.
   */
  public void copyFeatures(int from, int count, float[] into, int offset) {
    if (sparseStarts != null) {
      java.util.Arrays.fill(into, offset, offset + count * numFeatures, 0f);
      for (int j = 0; j < count; j++) {
        for (int k = sparseStarts[from + j]; k < sparseStarts[from + j + 1]; k++) {
          into[offset + j * numFeatures + sparseRows[k]] = (float) sparseValue(k);
        }
      }
      return;
    }
    if (runs == null) {
      decode(from * numFeatures, count * numFeatures, into, offset);
      return;
    }
    java.util.Arrays.fill(into, offset, offset + count * numFeatures, 0f);
    for (int j = 0; j < count; j++) {
      int stored = (from + j) * storedRows;
      int column = offset + j * numFeatures;
      for (int r = 0; r < runs.length; r += 2) {
        decode(stored, runs[r + 1], into, column + runs[r]);
        stored += runs[r + 1];
      }
    }
  }

  /**
   * Decodes {@code length} stored values from {@code start} into {@code into} at {@code offset}.
   */
  private void decode(int start, int length, double[] into, int offset) {
    if (features != null) {
      System.arraycopy(features, start, into, offset, length);
    } else if (floats != null) {
      for (int i = 0; i < length; i++) {
        into[offset + i] = floats[start + i];
      }
    } else {
      for (int i = 0; i < length; i++) {
        into[offset + i] = (pixels[start + i] & 0xff) * PIXEL_SCALE;
      }
    }
  }

  /** Like {@link #decode(int, int, double[], int)}, each value rounded to the nearest float. */
  private void decode(int start, int length, float[] into, int offset) {
    if (floats != null) {
      System.arraycopy(floats, start, into, offset, length);
    } else if (features != null) {
      for (int i = 0; i < length; i++) {
        into[offset + i] = (float) features[start + i];
      }
    } else {
      for (int i = 0; i < length; i++) {
        into[offset + i] = (float) ((pixels[start + i] & 0xff) * PIXEL_SCALE);
      }
    }
  }

  /** Writes columns [from, from + count) of the targets into {@code into} at {@code offset}. */
  public void copyTargets(int from, int count, double[] into, int offset) {
    if (targets != null) {
      System.arraycopy(targets, from * numOutputs, into, offset, count * numOutputs);
      return;
    }
    java.util.Arrays.fill(into, offset, offset + count * numOutputs, 0.0);
    for (int j = 0; j < count; j++) {
      int hot = classes[from + j];
      if (hot >= 0) {
        into[offset + j * numOutputs + hot] = 1.0;
      }
    }
  }

  /**
   * A block of the given columns (increasing indices), storing the same feature rows; all of them
   * gives this block.
   */
  public ExampleBlock columns(int[] columns) {
    if (columns.length == size) {
      return this;
    }
    if (sparseStarts != null) {
      return sparseColumns(columns);
    }
    int n = columns.length;
    long[] newIds = new long[n];
    double[] newTargets = new double[n * numOutputs];
    double[] newWeights = weights == null ? null : new double[n];
    double[] newFeatures = features == null ? null : new double[n * storedRows];
    byte[] newPixels = pixels == null ? null : new byte[n * storedRows];
    float[] newFloats = floats == null ? null : new float[n * storedRows];
    Object from = features != null ? features : pixels != null ? pixels : floats;
    Object to = features != null ? newFeatures : pixels != null ? newPixels : newFloats;
    for (int k = 0; k < n; k++) {
      int j = columns[k];
      newIds[k] = ids[j];
      if (weights != null) {
        newWeights[k] = weights[j];
      }
      copyTargets(j, 1, newTargets, k * numOutputs);
      System.arraycopy(from, j * storedRows, to, k * storedRows, storedRows);
    }
    return new ExampleBlock(
        n,
        numFeatures,
        numOutputs,
        newIds,
        runs,
        newFeatures,
        newPixels,
        newFloats,
        newTargets,
        newWeights);
  }

  /** {@link #columns} of a sparse block. */
  private ExampleBlock sparseColumns(int[] columns) {
    int n = columns.length;
    long[] newIds = new long[n];
    double[] newTargets = new double[n * numOutputs];
    double[] newWeights = weights == null ? null : new double[n];
    int[] starts = new int[n + 1];
    for (int k = 0; k < n; k++) {
      int j = columns[k];
      starts[k + 1] = starts[k] + sparseStarts[j + 1] - sparseStarts[j];
    }
    int[] rows = new int[starts[n]];
    float[] newFloats = sparseFloats == null ? null : new float[starts[n]];
    double[] newDoubles = sparseDoubles == null ? null : new double[starts[n]];
    for (int k = 0; k < n; k++) {
      int j = columns[k];
      newIds[k] = ids[j];
      if (weights != null) {
        newWeights[k] = weights[j];
      }
      copyTargets(j, 1, newTargets, k * numOutputs);
      int count = sparseStarts[j + 1] - sparseStarts[j];
      System.arraycopy(sparseRows, sparseStarts[j], rows, starts[k], count);
      if (newFloats != null) {
        System.arraycopy(sparseFloats, sparseStarts[j], newFloats, starts[k], count);
      }
      if (newDoubles != null) {
        System.arraycopy(sparseDoubles, sparseStarts[j], newDoubles, starts[k], count);
      }
    }
    return new ExampleBlock(
        n,
        numFeatures,
        numOutputs,
        newIds,
        null,
        null,
        null,
        null,
        new Sparse(starts, rows, newFloats, newDoubles),
        newTargets,
        newWeights);
  }

  /**
   * Packs examples with their features kept as doubles; see {@link #pack(Iterator, DataShape, int,
   * boolean)}.
   */
  public static Iterator<ExampleBlock> pack(
      Iterator<Example> examples, DataShape shape, int blockSize) {
    return pack(examples, shape, blockSize, false);
  }

  /**
   * Packs a stream of examples into dense blocks of at most {@code blockSize} columns, in order;
   * see {@link #pack(Iterator, DataShape, int, boolean, Sparsity)}.
   */
  public static Iterator<ExampleBlock> pack(
      Iterator<Example> examples, DataShape shape, int blockSize, boolean asFloats) {
    return pack(examples, shape, blockSize, asFloats, Sparsity.OFF);
  }

  /**
   * Packs a stream of examples into blocks of at most {@code blockSize} columns, in order. The
   * examples are not retained.
   *
   * @param asFloats keep the features as floats (4 bytes, each value rounded to the nearest float)
   *     rather than doubles (8 bytes, exact); a block holding a value beyond float range stays
   *     double
   * @param sparsity whether a block keeps each example's nonzeros (row index, and value unless all
   *     are 1) rather than a dense matrix: always, never, or when fewer than 1 in {@link
   *     #SPARSE_BELOW} of its values are nonzero
   */
  public static Iterator<ExampleBlock> pack(
      Iterator<Example> examples,
      DataShape shape,
      int blockSize,
      boolean asFloats,
      Sparsity sparsity) {
    if (blockSize <= 0) {
      throw new IllegalArgumentException("block size must be positive, found " + blockSize);
    }
    return new BlockPacker(
        examples, shape.numFeatures(), shape.numOutputs(), blockSize, asFloats, sparsity);
  }
}
