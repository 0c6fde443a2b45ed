package io.sparkprop.report;

/**
 * What one epoch of training did.
 *
 * @param trainLoss mean training cost over the epoch's steps, each taken before its update, with
 *     the L2 penalty when weight decay is on
 * @param validationLoss loss on the validation split after the epoch, NaN without one
 * @param validationAccuracy accuracy on it, NaN without one or for regression
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
    double validationLoss,
    double validationAccuracy,
    double testLoss,
    double testAccuracy,
    double learningRate,
    double examplesPerSecond,
    double elapsedSeconds) {

  /** The number of values in {@link #values()}. */
  public static final int COLUMNS = 10;

  /** The statistics from the values {@link #values()} gives, in the same order. */
  public static EpochStats of(double[] v) {
    if (v.length != COLUMNS) {
      throw new IllegalArgumentException("an epoch has " + COLUMNS + " values, found " + v.length);
    }
    return new EpochStats((int) v[0], (int) v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
  }

  /** Every value in the order of the record's components (and of the history file's columns). */
  public double[] values() {
    return new double[] {
      epoch,
      step,
      trainLoss,
      validationLoss,
      validationAccuracy,
      testLoss,
      testAccuracy,
      learningRate,
      examplesPerSecond,
      elapsedSeconds
    };
  }

  /** The loss early stopping watches: validation if there is a split, else test, else NaN. */
  public double monitoredLoss() {
    return Double.isNaN(validationLoss) ? testLoss : validationLoss;
  }
}
