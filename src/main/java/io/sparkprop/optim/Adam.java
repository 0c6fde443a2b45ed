package io.sparkprop.optim;

import java.util.Map;

/**
 * Adam (Kingma &amp; Ba 2015, Algorithm 1), bias-corrected: with t counting this optimizer's steps,
 * m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ), and w ← w − η
 * m̂/(√v̂ + ε). The moments and t are the state.
 */
public final class Adam implements Optimizer {
  static final String FIRST_MOMENT = "m";
  static final String SECOND_MOMENT = "v";
  static final String STEPS = "t";

  private final double beta1;
  private final double beta2;
  private final double epsilon;
  private final double[] m;
  private final double[] v;
  private long t;

  public Adam(double beta1, double beta2, double epsilon, int numParameters) {
    this(beta1, beta2, epsilon, new double[numParameters], new double[numParameters], 0);
  }

  private Adam(double beta1, double beta2, double epsilon, double[] m, double[] v, long t) {
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.m = m;
    this.v = v;
    this.t = t;
  }

  @Override
  public String name() {
    return "adam";
  }

  @Override
  public void step(double[] weights, double[] gradient, double learningRate) {
    Momentum.checkLengths(m.length, weights, gradient);
    t++;
    double correction1 = 1 - Math.pow(beta1, t);
    double correction2 = 1 - Math.pow(beta2, t);
    for (int i = 0; i < m.length; i++) {
      double g = gradient[i];
      m[i] = beta1 * m[i] + (1 - beta1) * g;
      v[i] = beta2 * v[i] + (1 - beta2) * g * g;
      weights[i] -= learningRate * (m[i] / correction1) / (Math.sqrt(v[i] / correction2) + epsilon);
    }
  }

  @Override
  public Optimizer copy() {
    return new Adam(beta1, beta2, epsilon, m.clone(), v.clone(), t);
  }

  @Override
  public Map<String, double[]> exportState() {
    return Map.of(FIRST_MOMENT, m.clone(), SECOND_MOMENT, v.clone(), STEPS, new double[] {t});
  }

  @Override
  public void restoreState(Map<String, double[]> state) {
    double[] savedM = state.get(FIRST_MOMENT);
    double[] savedV = state.get(SECOND_MOMENT);
    double[] savedT = state.get(STEPS);
    if (state.size() != 3
        || savedM == null
        || savedV == null
        || savedT == null
        || savedM.length != m.length
        || savedV.length != v.length
        || savedT.length != 1) {
      throw new IllegalArgumentException(
          "adam state must hold 'm' and 'v' of "
              + m.length
              + " entries and 't', found "
              + state.keySet());
    }
    System.arraycopy(savedM, 0, m, 0, m.length);
    System.arraycopy(savedV, 0, v, 0, v.length);
    t = (long) savedT[0];
  }
}
