package io.sparkprop.spark;

/**
 * Watches a held-out loss after every epoch and keeps the weights of the best epoch. An epoch
 * improves when its loss is below the best so far by more than {@code minDelta}; after {@code
 * patience} epochs without improvement training should stop. Patience 0 never stops but still keeps
 * the best weights.
 */
final class EarlyStopping {
  private final int patience;
  private final double minDelta;
  private double best = Double.POSITIVE_INFINITY;
  private double[] bestWeights;
  private int bestEpoch;
  private int sinceBest;

  EarlyStopping(int patience, double minDelta) {
    this.patience = patience;
    this.minDelta = minDelta;
  }

  /** Records an epoch; returns whether training should stop now. */
  boolean observe(int epoch, double loss, double[] weights) {
    if (loss < best - minDelta) {
      best = loss;
      bestWeights = weights.clone();
      bestEpoch = epoch;
      sinceBest = 0;
      return false;
    }
    sinceBest++;
    return patience > 0 && sinceBest >= patience;
  }

  /** The weights of the best epoch, or null before any epoch. */
  double[] bestWeights() {
    return bestWeights;
  }

  int bestEpoch() {
    return bestEpoch;
  }

  double bestLoss() {
    return best;
  }

  /** The state under "earlyStopping." keys, for checkpoints; empty before any epoch. */
  java.util.Map<String, double[]> exportState() {
    java.util.Map<String, double[]> state = new java.util.HashMap<>();
    if (bestWeights != null) {
      state.put("earlyStopping.best", new double[] {best, bestEpoch, sinceBest});
      state.put("earlyStopping.bestWeights", bestWeights.clone());
    }
    return state;
  }

  /** Restores what {@link #exportState()} wrote. */
  void restoreState(java.util.Map<String, double[]> state) {
    double[] scalars = state.get("earlyStopping.best");
    double[] weights = state.get("earlyStopping.bestWeights");
    if (scalars != null && weights != null && scalars.length == 3) {
      best = scalars[0];
      bestEpoch = (int) scalars[1];
      sinceBest = (int) scalars[2];
      bestWeights = weights.clone();
    }
  }
}
