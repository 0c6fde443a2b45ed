package io.sparkprop.nn;

import java.util.SplittableRandom;

/**
 * Seeded random initial weights; biases start at zero. Uniform Glorot/Xavier for sigmoid, tanh and
 * identity layers (limit √(6/(n_in + n_out)), Glorot & Bengio 2010) and uniform He for ReLU layers
 * (limit √(6/n_in), He et al. 2015).
 */
public final class Initializer {
  private Initializer() {}

  /** A new flat parameter array for {@code spec}; the same seed gives the same array. */
  public static double[] initialize(NetworkSpec spec, long seed) {
    double[] weights = new double[spec.numParameters()];
    SplittableRandom random = new SplittableRandom(seed);
    ParameterLayout layout = spec.layout();
    for (int l = 1; l <= spec.numLayers(); l++) {
      ParameterLayout.Layer layer = layout.layer(l);
      int fanIn = layer.cols();
      int fanOut = layer.rows();
      double limit =
          spec.activation(l) == Activation.RELU
              ? Math.sqrt(6.0 / fanIn)
              : Math.sqrt(6.0 / (fanIn + fanOut));
      for (int i = 0; i < layer.weightCount(); i++) {
        weights[layer.weightOffset() + i] = (2 * random.nextDouble() - 1) * limit;
      }
    }
    return weights;
  }
}
