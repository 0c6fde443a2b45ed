package io.sparkprop;

/**
 * An independent, deliberately plain implementation of a network's forward pass and loss, one
 * example at a time, for checking what sparkprop's blocked, BLAS-based code reports: scalar loops,
 * StrictMath, no shared code. The flat parameter array is read as the model format documents it:
 * for each layer, W (rows = the layer's neurons, columns = its inputs) stored column by column,
 * then the biases.
 */
public final class ReferenceNetwork {
  private final int[] sizes;
  private final String hidden;
  private final String output;
  private final double[] w;

  /**
   * @param sizes n_0 … n_L
   * @param hidden sigmoid, tanh, relu or identity
   * @param output sigmoid, softmax or identity
   * @param weights the flat parameters
   */
  public ReferenceNetwork(int[] sizes, String hidden, String output, double[] weights) {
    this.sizes = sizes.clone();
    this.hidden = hidden;
    this.output = output;
    this.w = weights.clone();
  }

  /** a^L for one example. */
  public double[] outputs(double[] x) {
    double[] a = x;
    int offset = 0;
    for (int l = 1; l < sizes.length; l++) {
      int rows = sizes[l];
      int cols = sizes[l - 1];
      double[] z = new double[rows];
      for (int i = 0; i < rows; i++) {
        double sum = w[offset + rows * cols + i];
        for (int j = 0; j < cols; j++) {
          sum += w[offset + j * rows + i] * a[j];
        }
        z[i] = sum;
      }
      offset += rows * cols + rows;
      a = activate(l == sizes.length - 1 ? output : hidden, z);
    }
    return a;
  }

  private static double[] activate(String g, double[] z) {
    double[] a = new double[z.length];
    if (g.equals("softmax")) {
      double max = Double.NEGATIVE_INFINITY;
      for (double v : z) {
        max = Math.max(max, v);
      }
      double sum = 0;
      for (int i = 0; i < z.length; i++) {
        a[i] = StrictMath.exp(z[i] - max);
        sum += a[i];
      }
      for (int i = 0; i < z.length; i++) {
        a[i] /= sum;
      }
      return a;
    }
    for (int i = 0; i < z.length; i++) {
      a[i] =
          switch (g) {
            case "sigmoid" -> 1 / (1 + StrictMath.exp(-z[i]));
            case "tanh" -> StrictMath.tanh(z[i]);
            case "relu" -> Math.max(0, z[i]);
            case "identity" -> z[i];
            default -> throw new IllegalArgumentException(g);
          };
    }
    return a;
  }

  /**
   * The example's cost: −Σ y ln a for softmax, −Σ [y ln a + (1 − y) ln(1 − a)] for sigmoid, Σ (a −
   * y)² for identity.
   */
  public double loss(double[] x, double[] y) {
    double[] a = outputs(x);
    double c = 0;
    for (int k = 0; k < a.length; k++) {
      c +=
          switch (output) {
            case "softmax" -> y[k] == 0 ? 0 : -y[k] * StrictMath.log(a[k]);
            case "sigmoid" -> -y[k] * StrictMath.log(a[k]) - (1 - y[k]) * StrictMath.log(1 - a[k]);
            default -> (a[k] - y[k]) * (a[k] - y[k]);
          };
    }
    return c;
  }

  /** The predicted class: the largest output, or for one output whether it is at least ½. */
  public int predictedClass(double[] x) {
    double[] a = outputs(x);
    if (a.length == 1) {
      return a[0] >= 0.5 ? 1 : 0;
    }
    int best = 0;
    for (int k = 1; k < a.length; k++) {
      if (a[k] > a[best]) {
        best = k;
      }
    }
    return best;
  }
}
