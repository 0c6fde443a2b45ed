package io.sparkprop.spark.run;

import io.sparkprop.spark.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes a checkpoint every N epochs, or every N steps for long sampled epochs; a mid-epoch
 * checkpoint also holds the epoch's partial loss sums. Add it after the history and early stopping,
 * whose state it saves.
 */
public final class Checkpointing implements TrainingListener {
  private final CheckpointFiles files;
  private final int every;
  private final boolean bySteps;
  private final History history;
  private final EarlyStopping earlyStopping;

  /**
   * @param every the interval, at least 1
   * @param bySteps whether {@code every} counts steps rather than epochs
   * @param earlyStopping whose best epoch each checkpoint keeps; null when it is off
   */
  public Checkpointing(
      CheckpointFiles files,
      int every,
      boolean bySteps,
      History history,
      EarlyStopping earlyStopping) {
    if (every < 1) {
      throw new IllegalArgumentException("checkpoint interval must be at least 1, found " + every);
    }
    this.files = files;
    this.every = every;
    this.bySteps = bySteps;
    this.history = history;
    this.earlyStopping = earlyStopping;
  }

  @Override
  public void onStepEnd(StepEnd step) {
    boolean due =
        bySteps ? step.step() % every == 0 : step.endsEpoch() && step.epoch() % every == 0;
    if (!due) {
      return;
    }
    Checkpoint checkpoint =
        new Checkpoint(
            step.state(), earlyStopping == null ? null : earlyStopping.best(), history.epochs());
    try {
      files.write(checkpoint);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the checkpoint of step " + step.step() + ": " + e.getMessage(), e);
    }
  }
}
