package io.sparkprop.optim;

/**
 * L2 regularisation of the weights, not the biases: the cost becomes C + (λ/2) Σ w² over the weight
 * entries, so λw is added to their gradient. Applied on the driver to the averaged gradient, before
 * {@link GradientClipping} and the optimizer's update.
 */
public final class WeightDecay {
  private final double lambda;
  private final int[] starts;
  private final int[] lengths;

  /**
   * @param lambda λ ≥ 0
   * @param starts offsets of the weight ranges in the flat parameter array
   * @param lengths their lengths
   */
  public WeightDecay(double lambda, int[] starts, int[] lengths) {
    if (!(lambda >= 0) || Double.isInfinite(lambda)) {
      throw new IllegalArgumentException("weight decay must be finite and >= 0, found " + lambda);
    }
    this.lambda = lambda;
    this.starts = starts.clone();
    this.lengths = lengths.clone();
  }

  /** Adds λw to {@code gradient} on the weight entries and returns the penalty (λ/2) Σ w². */
  public double apply(double[] weights, double[] gradient) {
    if (lambda == 0) {
      return 0;
    }
    double sumOfSquares = 0;
    for (int r = 0; r < starts.length; r++) {
      for (int i = starts[r]; i < starts[r] + lengths[r]; i++) {
        sumOfSquares += weights[i] * weights[i];
        gradient[i] += lambda * weights[i];
      }
    }
    return 0.5 * lambda * sumOfSquares;
  }
}
