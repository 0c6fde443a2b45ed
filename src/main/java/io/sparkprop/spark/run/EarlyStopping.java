package io.sparkprop.spark.run;

import io.sparkprop.spark.Trainer;
import io.sparkprop.spark.TrainingListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a held-out loss after every epoch (validation if there is a split, else test) and keeps
 * the weights of the best epoch. An epoch improves when its loss is below the best so far by more
 * than {@code minDelta}; after {@code patience} epochs without improvement it stops training.
 * Patience 0 never stops but still keeps the best weights. Add it after the held-out evaluation.
 */
public final class EarlyStopping implements TrainingListener {
  private static final Logger LOG = LoggerFactory.getLogger(EarlyStopping.class);

  /**
   * The best epoch so far, for checkpoints.
   *
   * @param loss its monitored loss
   * @param epoch its number
   * @param epochsSince the epochs since it that did not improve on it
   * @param weights the weights after it
   */
  public record Best(double loss, int epoch, int epochsSince, double[] weights) {}

  private final int patience;
  private final double minDelta;
  private double best = Double.POSITIVE_INFINITY;
  private double[] bestWeights;
  private int bestEpoch;
  private int sinceBest;

  /**
   * @param patience stop after this many epochs without improvement; 0 never stops
   * @param minDelta how much lower a loss must be to count as better, at least 0
   */
  public EarlyStopping(int patience, double minDelta) {
    if (patience < 0 || !(minDelta >= 0) || Double.isInfinite(minDelta)) {
      throw new IllegalArgumentException(
          "early-stopping patience and min delta must be >= 0, found "
              + patience
              + " and "
              + minDelta);
    }
    this.patience = patience;
    this.minDelta = minDelta;
  }

  @Override
  public void onEpochEnd(EpochEnd epoch) {
    double loss = epoch.stats().monitoredLoss();
    if (Double.isNaN(loss) || !observe(epoch.epoch(), loss, epoch.weights())) {
      return;
    }
    LOG.info(
        "early stopping after epoch {}: no improvement for {} epochs; keeping epoch {} (loss {})",
        epoch.epoch(),
        patience,
        bestEpoch,
        best);
    epoch.stop();
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

  /** What training keeps: the best epoch's weights, or the last ones before any epoch was seen. */
  public Trainer.Result kept(Trainer.Result last) {
    return bestWeights == null ? last : new Trainer.Result(bestWeights, bestEpoch);
  }

  /** The weights of the best epoch, or null before any epoch. */
  double[] bestWeights() {
    return bestWeights;
  }

  int bestEpoch() {
    return bestEpoch;
  }

  /** The best epoch so far, or null before any. */
  public Best best() {
    return bestWeights == null ? null : new Best(best, bestEpoch, sinceBest, bestWeights.clone());
  }

  /** Continues from a checkpoint's best epoch; null leaves this as new. */
  public void restore(Best saved) {
    if (saved != null) {
      best = saved.loss();
      bestEpoch = saved.epoch();
      sinceBest = saved.epochsSince();
      bestWeights = saved.weights().clone();
    }
  }
}
