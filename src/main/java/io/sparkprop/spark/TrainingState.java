package io.sparkprop.spark;

import java.util.Map;

/**
 * The training loop's own state after a step: enough to continue as if never stopped. Sampling is a
 * function of (seed, step, example id), so the step number is the whole random-number position.
 * What listeners keep (early stopping's best epoch, the history) they save and restore themselves.
 *
 * @param step the last step taken, 0 before the first
 * @param epoch the epochs complete after that step
 * @param weights the weights after that step
 * @param optimizer the update rule's state as named arrays (velocities, moments, curvature pairs),
 *     as its {@code exportState()} gives them; empty for a stateless rule
 * @param epochLossSum Σ loss × examples over the steps of the unfinished epoch, 0 at an epoch's end
 * @param epochExamples the examples those steps summed
 */
public record TrainingState(
    int step,
    int epoch,
    double[] weights,
    Map<String, double[]> optimizer,
    double epochLossSum,
    long epochExamples) {

  /** The state before the first step, from {@code initialWeights}. */
  public static TrainingState start(double[] initialWeights) {
    return new TrainingState(0, 0, initialWeights, Map.of(), 0, 0);
  }
}
