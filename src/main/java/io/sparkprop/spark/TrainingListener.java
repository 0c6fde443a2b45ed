package io.sparkprop.spark;

import io.sparkprop.report.EpochStats;
import java.util.function.Supplier;

/**
 * Receives the training loop's events, in the order the listeners were added to the {@link
 * Trainer}. Progress logging, held-out evaluation, early stopping, the history and checkpoints are
 * listeners; the loop itself only steps and counts.
 */
public interface TrainingListener {

  /**
   * An epoch ended, or the run ended inside one (its last, partial epoch). A listener may fill in
   * held-out metrics for the listeners after it, or ask training to stop.
   */
  default void onEpochEnd(EpochEnd epoch) {}

  /**
   * A step ended, after {@link #onEpochEnd} when it ended an epoch. Not called for a step whose
   * epoch end stopped training.
   */
  default void onStepEnd(StepEnd step) {}

  /**
   * The end of a step.
   *
   * @param step the step, 1-based, of {@code steps}
   * @param epoch the epoch it belongs to, 1-based, of {@code epochs}
   * @param stepInEpoch its place in that epoch, 1-based
   * @param endsEpoch whether it is the epoch's last
   * @param loss its cost (NaN when its sample was empty)
   * @param examples the examples it summed
   * @param examplesPerSecond training examples per second of wall time since the run started
   * @param elapsedSeconds wall time since the run started
   * @param snapshot takes a copy of the loop's state, for whoever needs one
   */
  record StepEnd(
      int step,
      int steps,
      int epoch,
      int epochs,
      int stepInEpoch,
      boolean endsEpoch,
      double loss,
      long examples,
      double examplesPerSecond,
      double elapsedSeconds,
      Supplier<TrainingState> snapshot) {

    /** A copy of the loop's state after this step. */
    public TrainingState state() {
      return snapshot.get();
    }
  }

  /**
   * The end of an epoch: the training side is known; listeners may add the held-out side before
   * {@link #stats()} is first read, and ask for a stop.
   */
  final class EpochEnd {
    private final int epoch;
    private final int epochs;
    private final int step;
    private final int steps;
    private final double trainLoss;
    private final double learningRate;
    private final double examplesPerSecond;
    private final long startNanos;
    private final String note;
    private final double[] weights;
    private double validationLoss = Double.NaN;
    private double validationAccuracy = Double.NaN;
    private double testLoss = Double.NaN;
    private double testAccuracy = Double.NaN;
    private EpochStats stats;
    private boolean stop;

    /**
     * @param trainLoss the mean cost of the epoch's steps
     * @param learningRate η of its last step, NaN for L-BFGS
     * @param startNanos when the run started, on {@link System#nanoTime()}
     * @param note appended to the progress line
     * @param weights the weights after the epoch; read only
     */
    EpochEnd(
        int epoch,
        int epochs,
        int step,
        int steps,
        double trainLoss,
        double learningRate,
        double examplesPerSecond,
        long startNanos,
        String note,
        double[] weights) {
      this.epoch = epoch;
      this.epochs = epochs;
      this.step = step;
      this.steps = steps;
      this.trainLoss = trainLoss;
      this.learningRate = learningRate;
      this.examplesPerSecond = examplesPerSecond;
      this.startNanos = startNanos;
      this.note = note;
      this.weights = weights;
    }

    public int epoch() {
      return epoch;
    }

    public int epochs() {
      return epochs;
    }

    public int steps() {
      return steps;
    }

    /** The step that ended the epoch. */
    public int step() {
      return step;
    }

    /** The epoch's mean training loss. */
    public double trainLoss() {
      return trainLoss;
    }

    /** Said after the progress line's figures, e.g. how many passes an L-BFGS iteration took. */
    public String note() {
      return note;
    }

    /** The weights after the epoch: the live array, read only; copy what you keep. */
    public double[] weights() {
      return weights;
    }

    /** Records the loss and accuracy (NaN for regression) on the validation split. */
    public void setValidation(double loss, double accuracy) {
      checkOpen();
      validationLoss = loss;
      validationAccuracy = accuracy;
    }

    /** Records the loss and accuracy (NaN for regression) on the test set. */
    public void setTest(double loss, double accuracy) {
      checkOpen();
      testLoss = loss;
      testAccuracy = accuracy;
    }

    private void checkOpen() {
      if (stats != null) {
        throw new IllegalStateException(
            "epoch " + epoch + "'s statistics were read before its held-out metrics were set");
      }
    }

    /**
     * The epoch's statistics. The first call fixes them, its wall time included: held-out
     * evaluation belongs to the epoch's time.
     */
    public EpochStats stats() {
      if (stats == null) {
        stats =
            new EpochStats(
                epoch,
                step,
                trainLoss,
                validationLoss,
                validationAccuracy,
                testLoss,
                testAccuracy,
                learningRate,
                examplesPerSecond,
                (System.nanoTime() - startNanos) / 1e9);
      }
      return stats;
    }

    /** Asks the loop to stop after this epoch. */
    public void stop() {
      stop = true;
    }

    /** Whether a listener asked to stop. */
    public boolean stopped() {
      return stop;
    }
  }
}
