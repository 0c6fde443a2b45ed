package io.sparkprop.data;

import java.io.Serializable;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Up to B examples stacked as columns: the unit the trainer caches and computes on.
 *
 * <p>Layout: {@code features} is column-major n_0 × size, {@code targets} column-major n_L × size,
 * {@code ids[j]} the stable id of column j. Immutable once built.
 */
public final class ExampleBlock implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int size;
  private final int numFeatures;
  private final int numOutputs;
  private final long[] ids;
  private final double[] features;
  private final double[] targets;

  public ExampleBlock(
      int size, int numFeatures, int numOutputs, long[] ids, double[] features, double[] targets) {
    if (size <= 0
        || ids.length != size
        || features.length != size * numFeatures
        || targets.length != size * numOutputs) {
      throw new IllegalArgumentException(
          "inconsistent block: size "
              + size
              + ", "
              + ids.length
              + " ids, "
              + features.length
              + " feature and "
              + targets.length
              + " target values");
    }
    this.size = size;
    this.numFeatures = numFeatures;
    this.numOutputs = numOutputs;
    this.ids = ids;
    this.features = features;
    this.targets = targets;
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

  /** Column-major n_0 × size; shared, do not modify. */
  public double[] features() {
    return features;
  }

  /** Column-major n_L × size; shared, do not modify. */
  public double[] targets() {
    return targets;
  }

  /** A block of the given columns (increasing indices); all of them gives this block. */
  public ExampleBlock columns(int[] columns) {
    if (columns.length == size) {
      return this;
    }
    int n = columns.length;
    long[] newIds = new long[n];
    double[] newFeatures = new double[n * numFeatures];
    double[] newTargets = new double[n * numOutputs];
    for (int k = 0; k < n; k++) {
      int j = columns[k];
      newIds[k] = ids[j];
      System.arraycopy(features, j * numFeatures, newFeatures, k * numFeatures, numFeatures);
      System.arraycopy(targets, j * numOutputs, newTargets, k * numOutputs, numOutputs);
    }
    return new ExampleBlock(n, numFeatures, numOutputs, newIds, newFeatures, newTargets);
  }

  /**
   * Packs a stream of examples into blocks of at most {@code blockSize} columns, in order.
   * Allocates each block's arrays once; the examples are not retained.
   */
  public static Iterator<ExampleBlock> pack(
      Iterator<Example> examples, DataShape shape, int blockSize) {
    if (blockSize <= 0) {
      throw new IllegalArgumentException("block size must be positive, found " + blockSize);
    }
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
        int n0 = shape.numFeatures();
        int nL = shape.numOutputs();
        long[] ids = new long[blockSize];
        double[] features = new double[n0 * blockSize];
        double[] targets = new double[nL * blockSize];
        int count = 0;
        while (count < blockSize && examples.hasNext()) {
          Example e = examples.next();
          ids[count] = e.id;
          e.writeFeatures(features, count * n0, n0);
          System.arraycopy(e.target, 0, targets, count * nL, nL);
          count++;
        }
        if (count < blockSize) {
          ids = java.util.Arrays.copyOf(ids, count);
          features = java.util.Arrays.copyOf(features, count * n0);
          targets = java.util.Arrays.copyOf(targets, count * nL);
        }
        return new ExampleBlock(count, n0, nL, ids, features, targets);
      }
    };
  }
}
