package io.sparkprop.data;

import java.io.Serializable;

/**
 * One validated example: its target column y, its features, sparse (0-based indices, strictly
 * increasing) or dense (indices null), and its weight (1 unless the data set has a weight column).
 * The id is unique and stable for the same input, so sampling and ordering do not depend on how the
 * data is partitioned.
 */
public final class Example implements Serializable {
  private static final long serialVersionUID = 1L;

  final long id;
  final double[] target;
  final int[] indices;
  final double[] values;
  final double weight;

  public Example(long id, double[] target, int[] indices, double[] values) {
    this(id, target, indices, values, 1.0);
  }

  public Example(long id, double[] target, int[] indices, double[] values, double weight) {
    this.id = id;
    this.target = target;
    this.indices = indices;
    this.values = values;
    this.weight = weight;
  }

  /** How much the example counts in sums and averages: 1 unless weighted. */
  public double weight() {
    return weight;
  }

  public long id() {
    return id;
  }

  /** y, n_L entries; not copied. */
  public double[] target() {
    return target;
  }

  /** Writes the dense feature column into {@code into[offset … offset + n)}, zeros where absent. */
  void writeFeatures(double[] into, int offset, int numFeatures) {
    if (indices == null) {
      System.arraycopy(values, 0, into, offset, numFeatures);
    } else {
      java.util.Arrays.fill(into, offset, offset + numFeatures, 0.0);
      for (int k = 0; k < indices.length; k++) {
        into[offset + indices[k]] = values[k];
      }
    }
  }

  /** How many of the features are nonzero. */
  int nonZeros() {
    int n = 0;
    for (double v : values) {
      n += v != 0.0 ? 1 : 0;
    }
    return n;
  }

  /**
   * Writes the nonzero features' indices and values, increasing, at {@code offset}; returns the
   * offset after them.
   */
  int writeNonZeros(int[] rows, double[] into, int offset) {
    int k = offset;
    for (int i = 0; i < values.length; i++) {
      if (values[i] != 0.0) {
        rows[k] = indices == null ? i : indices[i];
        into[k++] = values[i];
      }
    }
    return k;
  }

  /** A copy of this example under another id. */
  public Example withId(long newId) {
    return new Example(newId, target, indices, values, weight);
  }
}
