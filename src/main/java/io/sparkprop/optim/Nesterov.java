package io.sparkprop.optim;

import java.util.Map;

/**
 * Nesterov momentum in the form of Bengio, Boulanger-Lewandowski &amp; Pascanu (2013), which needs
 * the gradient only at the current weights: v ← μv − ηg, then w ← w + μv − ηg. The velocity v is
 * the state.
 */
public final class Nesterov implements Optimizer {
  private final double momentum;
  private final double[] velocity;

  public Nesterov(double momentum, int numParameters) {
    this(momentum, new double[numParameters]);
  }

  private Nesterov(double momentum, double[] velocity) {
    this.momentum = momentum;
    this.velocity = velocity;
  }

  @Override
  public String name() {
    return "nesterov";
  }

  @Override
  public void step(double[] weights, double[] gradient, double learningRate) {
    Momentum.checkLengths(velocity.length, weights, gradient);
    for (int i = 0; i < velocity.length; i++) {
      velocity[i] = momentum * velocity[i] - learningRate * gradient[i];
      weights[i] += momentum * velocity[i] - learningRate * gradient[i];
    }
  }

  @Override
  public Optimizer copy() {
    return new Nesterov(momentum, velocity.clone());
  }

  @Override
  public Map<String, double[]> exportState() {
    return Map.of(Momentum.VELOCITY, velocity.clone());
  }

  @Override
  public void restoreState(Map<String, double[]> state) {
    Momentum.restoreVelocity("nesterov", state, velocity);
  }
}
