package io.sparkprop.optim;

import java.util.Map;

/**
 * Classical momentum (Polyak 1964): v ← μ v − η ∂C/∂w, then w ← w + v. The velocity v starts at
 * zero and is the optimizer's only state.
 */
public final class Momentum implements Optimizer {
  static final String VELOCITY = "velocity";

  private final double learningRate;
  private final double momentum;
  private final double[] velocity;

  public Momentum(double learningRate, double momentum, int numParameters) {
    this(learningRate, momentum, new double[numParameters]);
  }

  private Momentum(double learningRate, double momentum, double[] velocity) {
    this.learningRate = learningRate;
    this.momentum = momentum;
    this.velocity = velocity;
  }

  @Override
  public String name() {
    return "momentum";
  }

  @Override
  public void step(double[] weights, double[] gradient) {
    if (weights.length != velocity.length || gradient.length != velocity.length) {
      throw new IllegalArgumentException(
          "expected "
              + velocity.length
              + " parameters, found "
              + weights.length
              + " weights and "
              + gradient.length
              + " gradient entries");
    }
    for (int i = 0; i < velocity.length; i++) {
      velocity[i] = momentum * velocity[i] - learningRate * gradient[i];
      weights[i] += velocity[i];
    }
  }

  @Override
  public Optimizer copy() {
    return new Momentum(learningRate, momentum, velocity.clone());
  }

  @Override
  public Map<String, double[]> exportState() {
    return Map.of(VELOCITY, velocity.clone());
  }

  @Override
  public void restoreState(Map<String, double[]> state) {
    double[] saved = state.get(VELOCITY);
    if (saved == null || saved.length != velocity.length || state.size() != 1) {
      throw new IllegalArgumentException(
          "momentum state must hold only '"
              + VELOCITY
              + "' of "
              + velocity.length
              + " entries, found "
              + state.keySet()
              + (saved == null ? "" : " with " + saved.length + " entries"));
    }
    System.arraycopy(saved, 0, velocity, 0, velocity.length);
  }
}
