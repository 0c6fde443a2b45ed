package io.sparkprop.spark;

import io.sparkprop.nn.Blas;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One partition's (and, merged, the whole step's) sums: Σ loss, ΣΔ(A^{l−1})ᵀ and ΣΔ in the flat
 * parameter layout, the number of examples m they cover and the sum of those examples' weights
 * (each example's loss and gradient enter the sums times its weight; without a weight column every
 * weight is 1 and the weight sum is m). Starts empty, with no gradient array, so the zero value
 * shipped in each task is a few bytes; the array is created on the executor that computes the first
 * block.
 */
public final class GradientSum implements Serializable {
  private static final long serialVersionUID = 2L;

  /** Doubles converted per chunk when the gradient is written or read: 512 KB of bytes. */
  private static final int CHUNK = 1 << 16;

  /**
   * Written by {@link #writeObject} in bulk, little-endian: the default serialization converts a
   * double[] a value at a time, which for a wide first layer (n_1 × n_0 of them, every partition,
   * every step) costs more than computing it.
   */
  transient double[] gradient;

  double loss;
  long count;
  double weight;

  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    out.writeInt(gradient == null ? -1 : gradient.length);
    if (gradient == null) {
      return;
    }
    ByteBuffer bytes =
        ByteBuffer.allocate(Math.min(CHUNK, gradient.length) * Double.BYTES)
            .order(ByteOrder.LITTLE_ENDIAN);
    for (int from = 0; from < gradient.length; from += CHUNK) {
      int n = Math.min(CHUNK, gradient.length - from);
      bytes.clear();
      bytes.asDoubleBuffer().put(gradient, from, n);
      out.write(bytes.array(), 0, n * Double.BYTES);
    }
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    int length = in.readInt();
    if (length < 0) {
      gradient = null;
      return;
    }
    gradient = new double[length];
    byte[] chunk = new byte[Math.min(CHUNK, length) * Double.BYTES];
    ByteBuffer bytes = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
    for (int from = 0; from < length; from += CHUNK) {
      int n = Math.min(CHUNK, length - from);
      in.readFully(chunk, 0, n * Double.BYTES);
      bytes.clear();
      bytes.asDoubleBuffer().get(gradient, from, n);
    }
  }

  /**
   * Adds {@code other} into this sum (reusing its array when this one has none) and returns this.
   */
  public GradientSum merge(GradientSum other) {
    if (other.count == 0) {
      return this;
    }
    if (gradient == null) {
      gradient = other.gradient;
    } else {
      Blas.get().daxpy(gradient.length, 1.0, other.gradient, 1, gradient, 1);
    }
    loss += other.loss;
    count += other.count;
    weight += other.weight;
    return this;
  }

  /** m, the number of examples summed. */
  public long count() {
    return count;
  }

  /** Σ w: the sum of the examples' weights, m when they are all 1. */
  public double weight() {
    return weight;
  }

  /**
   * Σ w·loss / Σ w (Σ loss / m unweighted): the cost C at the weights the gradient was taken at.
   */
  public double meanLoss() {
    return loss / weight;
  }

  /** ∂C/∂w = Σ w∇ / Σ w ((1/m) Σ ∇ unweighted), a new array. */
  public double[] meanGradient() {
    double[] mean = gradient.clone();
    Blas.get().dscal(mean.length, 1.0 / weight, mean, 1);
    return mean;
  }
}
