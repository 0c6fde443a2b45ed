package io.sparkprop.spark;

import io.sparkprop.nn.Blas;
import java.io.Serializable;

/**
 * One partition's (and, merged, the whole step's) sums: Σ loss, ΣΔ(A^{l−1})ᵀ and ΣΔ in the flat
 * parameter layout, the number of examples m they cover and the sum of those examples' weights
 * (each example's loss and gradient enter the sums times its weight; without a weight column every
 * weight is 1 and the weight sum is m). Starts empty, with no gradient array, so the zero value
 * shipped in each task is a few bytes; the array is created on the executor that computes the first
 * block.
 */
public final class GradientSum implements Serializable {
  private static final long serialVersionUID = 1L;

  double[] gradient;
  double loss;
  long count;
  double weight;

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
