package io.sparkprop.spark;

/**
 * What one epoch of training did.
 *
 * @param trainLoss mean training cost over the epoch's steps, each taken before its update, with
 *     the L2 penalty when weight decay is on
 * @param testLoss held-out loss after the epoch, NaN without a held-out set
 * @param testAccuracy held-out accuracy after the epoch, NaN without one or for regression
 * @param learningRate η of the epoch's last step; NaN for lbfgs, which has none
 * @param examplesPerSecond training examples processed per second of wall time so far
 * @param elapsedSeconds wall time since training started
 */
public record EpochStats(
    int epoch,
    int step,
    double trainLoss,
    double testLoss,
    double testAccuracy,
    double learningRate,
    double examplesPerSecond,
    double elapsedSeconds) {}
