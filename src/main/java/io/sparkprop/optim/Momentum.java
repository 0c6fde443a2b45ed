package io.sparkprop.optim;

import java.util.Map;

/**
 * Classical momentum (Polyak 1964): v ← μ v − η ∂C/∂w, then w ← w + v. The velocity v starts at
 * zero and is the optimizer's only state.
 */
public final class Momentum implements Optimizer {
  static final String VELOCITY = "velocity";

  private final double momentum;
  private final double[] velocity;

  public Momentum(double momentum, int numParameters) {
    this(momentum, new double[numParameters]);
  }

  private Momentum(double momentum, double[] velocity) {
    this.momentum = momentum;
    this.velocity = velocity;
  }

  @Override
  public String name() {
    return "momentum";
  }

  @Override
  public void step(double[] weights, double[] gradient, double learningRate) {
    checkLengths(velocity.length, weights, gradient);
    for (int i = 0; i < velocity.length; i++) {
      velocity[i] = momentum * velocity[i] - learningRate * gradient[i];
      weights[i] += velocity[i];
    }
  }

  static void checkLengths(int expected, double[] weights, double[] gradient) {
    if (weights.length != expected || gradient.length != expected) {
      throw new IllegalArgumentException(
          "expected "
              + expected
              + " parameters, found "
              + weights.length
              + " weights and "
              + gradient.length
              + " gradient entries");
    }
  }

  @Override
  public Optimizer copy() {
    return new Momentum(momentum, velocity.clone());
  }

  @Override
  public Map<String, double[]> exportState() {
    return Map.of(VELOCITY, velocity.clone());
  }

  @Override
  public void restoreState(Map<String, double[]> state) {
    restoreVelocity("momentum", state, velocity);
  }

  static void restoreVelocity(String name, Map<String, double[]> state, double[] velocity) {
    double[] saved = state.get(VELOCITY);
    if (saved == null || saved.length != velocity.length || state.size() != 1) {
      throw new IllegalArgumentException(
          name
              + " state must hold only '"
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
