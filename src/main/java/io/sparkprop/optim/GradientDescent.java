package io.sparkprop.optim;

import dev.ludovic.netlib.blas.BLAS;
import java.util.Map;

/** Plain gradient descent, backpropagation's classic update: w ← w − η ∂C/∂w. Stateless. */
public final class GradientDescent implements Optimizer {

  @Override
  public String name() {
    return "gd";
  }

  @Override
  public void step(double[] weights, double[] gradient, double learningRate) {
    BLAS.getInstance().daxpy(weights.length, -learningRate, gradient, 1, weights, 1);
  }

  @Override
  public Optimizer copy() {
    return new GradientDescent();
  }

  @Override
  public Map<String, double[]> exportState() {
    return Map.of();
  }

  @Override
  public void restoreState(Map<String, double[]> state) {
    if (!state.isEmpty()) {
      throw new IllegalArgumentException("gd has no state, found entries " + state.keySet());
    }
  }
}
