package io.sparkprop.optim;

import java.util.Map;

/**
 * One update rule. The trainer calls {@link #step} once per training step with the gradient already
 * averaged over the m examples of that step.
 */
public interface Optimizer {

  /** The name used in flags and checkpoints. */
  String name();

  /**
   * Updates {@code weights} in place.
   *
   * @param weights the flat parameters; overwritten with the new values
   * @param gradient ∂C/∂w at {@code weights}, averaged over the step's examples; read only
   * @param learningRate η for this step, from the schedule
   */
  void step(double[] weights, double[] gradient, double learningRate);

  /** An independent copy: stepping one never changes the other. */
  Optimizer copy();

  /** The optimizer's state as named arrays (copies), for checkpoints; empty when stateless. */
  Map<String, double[]> exportState();

  /**
   * Restores state produced by {@link #exportState()} of an optimizer with the same settings.
   *
   * @throws IllegalArgumentException when a name is missing or an array has the wrong length
   */
  void restoreState(Map<String, double[]> state);
}
