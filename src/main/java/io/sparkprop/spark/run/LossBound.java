package io.sparkprop.spark.run;

import io.sparkprop.report.Numbers;
import io.sparkprop.spark.DivergenceException;
import io.sparkprop.spark.TrainingListener;

/**
 * Stops a run whose training loss has grown past a sane bound: an epoch's loss above {@code growth}
 * × max(the lowest epoch loss so far, 1) is divergence even while every number is finite (a loss
 * climbing from 47 to 1e53 would otherwise end in a model of weights near 1e32).
 */
public final class LossBound implements TrainingListener {
  private final double growth;
  private double lowest = Double.POSITIVE_INFINITY;

  /**
   * @param growth the factor, greater than 1
   */
  public LossBound(double growth) {
    if (!(growth > 1) || Double.isInfinite(growth)) {
      throw new IllegalArgumentException("the loss growth bound must be a finite number > 1");
    }
    this.growth = growth;
  }

  @Override
  public void onEpochEnd(EpochEnd epoch) {
    double loss = epoch.trainLoss();
    if (Double.isNaN(loss)) {
      return;
    }
    double bound = growth * Math.max(lowest, 1.0);
    if (lowest < Double.POSITIVE_INFINITY && loss > bound) {
      throw new DivergenceException(
          epoch.step(),
          "the training loss grew from "
              + Numbers.loss(lowest)
              + " to "
              + Numbers.loss(loss)
              + ", past --max-loss-growth "
              + Numbers.loss(growth)
              + " × max(lowest, 1)");
    }
    lowest = Math.min(lowest, loss);
  }
}
