package io.sparkprop.spark;

/**
 * What one epoch of training did.
 *
 * @param trainLoss mean training loss over the epoch's steps, each taken before its update
 * @param testLoss held-out loss after the epoch, NaN without a held-out set
 * @param testAccuracy held-out accuracy after the epoch, NaN without one or for regression
 * @param examplesPerSecond training examples processed per second of wall time so far
 * @param elapsedSeconds wall time since training started
 */
public record EpochStats(
    int epoch,
    int step,
    double trainLoss,
    double testLoss,
    double testAccuracy,
    double examplesPerSecond,
    double elapsedSeconds) {}
