package io.sparkprop.data;

import java.io.Serializable;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Up to B examples stacked as columns: the unit the trainer caches and computes on.
 *
 * <p>Layout: features column-major n_0 × size, targets column-major n_L × size, {@code ids[j]} the
 * stable id of column j. Immutable once built. The cached form is compact: 8-bit pixels (IDX
 * images) stay one byte each, decoded as p/255 on use; text features may be kept as floats ({@link
 * #pack} decides); targets that are one-hot (or all zero) are kept as one class index per column;
 * anything else is kept as doubles. The hot path decodes a block into a reusable buffer, of doubles
 * or floats, with {@link #featureMatrix} and {@link #targetMatrix}, which return the block's own
 * array when it is stored as doubles.
 */
public final class ExampleBlock implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final double PIXEL_SCALE = 1.0 / 255.0;

  private final int size;
  private final int numFeatures;
  private final int numOutputs;
  private final long[] ids;

  /** Exactly one of these three holds the features. */
  private final double[] features;

  private final byte[] pixels;
  private final float[] floats;

  /** Exactly one of these two holds the targets; a class index of −1 is an all-zero column. */
  private final double[] targets;

  private final int[] classes;

  public ExampleBlock(
      int size, int numFeatures, int numOutputs, long[] ids, double[] features, double[] targets) {
    this(size, numFeatures, numOutputs, ids, features, null, null, targets);
  }

  private ExampleBlock(
      int size,
      int numFeatures,
      int numOutputs,
      long[] ids,
      double[] features,
      byte[] pixels,
      float[] floats,
      double[] targets) {
    int featureValues =
        features != null ? features.length : pixels != null ? pixels.length : floats.length;
    if (size <= 0
        || ids.length != size
        || featureValues != size * numFeatures
        || targets.length != size * numOutputs) {
      throw new IllegalArgumentException(
          "inconsistent block: size "
              + size
              + ", "
              + ids.length
              + " ids, "
              + featureValues
              + " feature and "
              + targets.length
              + " target values");
    }
    this.size = size;
    this.numFeatures = numFeatures;
    this.numOutputs = numOutputs;
    this.ids = ids;
    this.features = features;
    this.pixels = pixels;
    this.floats = floats;
    this.classes = oneHotClasses(targets, numOutputs, size);
    this.targets = classes == null ? targets : null;
  }

  /**
   * A block of 8-bit pixels, column-major n_0 × size, each read as an unsigned byte p and used as
   * p/255.
   */
  public static ExampleBlock ofPixels(
      int size, int numFeatures, int numOutputs, long[] ids, byte[] pixels, double[] targets) {
    return new ExampleBlock(size, numFeatures, numOutputs, ids, null, pixels, null, targets);
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

  /**
   * The features as a column-major n_0 × size matrix: the block's own array when it keeps doubles
   * (do not modify), else {@code buffer} (at least n_0 × size long) filled with them.
   */
  public double[] featureMatrix(double[] buffer) {
    if (features != null) {
      return features;
    }
    copyFeatures(0, size, buffer, 0);
    return buffer;
  }

  /**
   * The features as floats, like {@link #featureMatrix(double[])}: the block's own array when it
   * keeps floats (do not modify), else {@code buffer} filled with them, each rounded to the nearest
   * float.
   */
  public float[] featureMatrix(float[] buffer) {
    if (floats != null) {
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

  /** A new array of the features, column-major n_0 × size. */
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

  /** Writes columns [from, from + count) of the features into {@code into} at {@code offset}. */
  public void copyFeatures(int from, int count, double[] into, int offset) {
    int start = from * numFeatures;
    int length = count * numFeatures;
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

  /**
   * Like {@link #copyFeatures(int, int, double[], int)}, each value rounded to the nearest float.
   */
  public void copyFeatures(int from, int count, float[] into, int offset) {
    int start = from * numFeatures;
    int length = count * numFeatures;
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

  /** A block of the given columns (increasing indices); all of them gives this block. */
  public ExampleBlock columns(int[] columns) {
    if (columns.length == size) {
      return this;
    }
    int n = columns.length;
    long[] newIds = new long[n];
    double[] newTargets = new double[n * numOutputs];
    double[] newFeatures = features == null ? null : new double[n * numFeatures];
    byte[] newPixels = pixels == null ? null : new byte[n * numFeatures];
    float[] newFloats = floats == null ? null : new float[n * numFeatures];
    for (int k = 0; k < n; k++) {
      int j = columns[k];
      newIds[k] = ids[j];
      copyTargets(j, 1, newTargets, k * numOutputs);
      int from = j * numFeatures;
      int to = k * numFeatures;
      if (features != null) {
        System.arraycopy(features, from, newFeatures, to, numFeatures);
      } else if (pixels != null) {
        System.arraycopy(pixels, from, newPixels, to, numFeatures);
      } else {
        System.arraycopy(floats, from, newFloats, to, numFeatures);
      }
    }
    return new ExampleBlock(
        n, numFeatures, numOutputs, newIds, newFeatures, newPixels, newFloats, newTargets);
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
   * Packs a stream of examples into blocks of at most {@code blockSize} columns, in order. The
   * examples are not retained.
   *
   * @param asFloats keep the features as floats (4 bytes, each value rounded to the nearest float)
   *     rather than doubles (8 bytes, exact); a block holding a value beyond float range stays
   *     double
   */
  public static Iterator<ExampleBlock> pack(
      Iterator<Example> examples, DataShape shape, int blockSize, boolean asFloats) {
    if (blockSize <= 0) {
      throw new IllegalArgumentException("block size must be positive, found " + blockSize);
    }
    int n0 = shape.numFeatures();
    int nL = shape.numOutputs();
    double[] gathered = new double[n0 * blockSize];
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return examples.hasNext();
      }

      @Override
      public ExampleBlock next() {
        if (!examples.hasNext()) {
          throw new NoSuchElementException();
        }
        long[] ids = new long[blockSize];
        double[] targets = new double[nL * blockSize];
        int count = 0;
        while (count < blockSize && examples.hasNext()) {
          Example e = examples.next();
          ids[count] = e.id;
          e.writeFeatures(gathered, count * n0, n0);
          System.arraycopy(e.target, 0, targets, count * nL, nL);
          count++;
        }
        if (count < blockSize) {
          ids = java.util.Arrays.copyOf(ids, count);
          targets = java.util.Arrays.copyOf(targets, count * nL);
        }
        float[] floats = asFloats ? toFloats(gathered, count * n0) : null;
        double[] features = floats == null ? java.util.Arrays.copyOf(gathered, count * n0) : null;
        return new ExampleBlock(count, n0, nL, ids, features, null, floats, targets);
      }
    };
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
