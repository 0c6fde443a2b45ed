package io.sparkprop.spark.run;

import io.sparkprop.report.EpochStats;
import io.sparkprop.spark.TrainingListener;
import java.util.ArrayList;
import java.util.List;

/** Every epoch's statistics, in order: those of a resumed run's earlier epochs, then this run's. */
public final class History implements TrainingListener {
  private final List<EpochStats> epochs = new ArrayList<>();

  /** An empty history. */
  public History() {}

  /** A history that continues {@code earlier}, the epochs before a resumed run's. */
  public History(List<EpochStats> earlier) {
    epochs.addAll(earlier);
  }

  @Override
  public void onEpochEnd(EpochEnd epoch) {
    epochs.add(epoch.stats());
  }

  /** The epochs so far, oldest first; a copy. */
  public List<EpochStats> epochs() {
    return List.copyOf(epochs);
  }

  /** The last epoch's statistics. */
  public EpochStats last() {
    return epochs.get(epochs.size() - 1);
  }
}
