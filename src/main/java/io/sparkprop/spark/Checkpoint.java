package io.sparkprop.spark;

import java.util.List;
import java.util.Map;

/**
 * Training state at the end of an epoch: enough to continue as if never stopped. Sampling is a
 * function of (seed, step, example id), so the step number is the whole random-number position.
 *
 * @param step the last step taken
 * @param epoch the last epoch finished
 * @param weights the weights after that step
 * @param state the optimizer's state under "optimizer.", early stopping's under "earlyStopping."
 * @param history every epoch's statistics so far
 */
public record Checkpoint(
    int step, int epoch, double[] weights, Map<String, double[]> state, List<EpochStats> history) {}
