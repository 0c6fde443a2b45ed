package io.sparkprop.optim;

/** A differentiable cost for line-search methods: on the trainer, one distributed pass a call. */
@FunctionalInterface
public interface Objective {

  /**
   * Evaluates f and its gradient.
   *
   * @param weights the point; read only
   * @param gradient receives ∇f(weights); overwritten
   * @return f(weights)
   */
  double evaluate(double[] weights, double[] gradient);
}
