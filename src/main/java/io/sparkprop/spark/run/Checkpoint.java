package io.sparkprop.spark.run;

import io.sparkprop.report.EpochStats;
import io.sparkprop.spark.TrainingState;
import java.util.List;

/**
 * What a checkpoint holds: enough to continue a run as if it had never stopped.
 *
 * @param training the loop's state after the checkpoint's step
 * @param earlyStopping early stopping's best epoch, or null (off, or no epoch yet)
 * @param history every epoch's statistics so far
 */
public record Checkpoint(
    TrainingState training, EarlyStopping.Best earlyStopping, List<EpochStats> history) {

  /** The last step taken. */
  public int step() {
    return training.step();
  }

  /** The epochs complete. */
  public int epoch() {
    return training.epoch();
  }
}
