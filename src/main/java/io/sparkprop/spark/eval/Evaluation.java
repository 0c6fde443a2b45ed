package io.sparkprop.spark.eval;

import java.io.Serializable;

/**
 * Summed metrics over a data set at fixed weights: loss, count, and for classification the
 * confusion matrix (row = true class, column = predicted), for regression the squared error.
 * Mergeable, so it is computed per partition and combined with treeAggregate.
 */
public final class Evaluation implements Serializable {
  private static final long serialVersionUID = 1L;

  final int classes;
  double loss;
  long count;
  double weight;
  double correctWeight;
  double squaredError;
  long[] confusion;

  /**
   * @param classes the number of classes for classification (2 for one sigmoid output), 0 for
   *     regression or multi-label
   */
  public Evaluation(int classes) {
    this.classes = classes;
    this.confusion = classes > 0 ? new long[classes * classes] : null;
  }

  /** Adds {@code other} into this and returns this. */
  public Evaluation merge(Evaluation other) {
    loss += other.loss;
    count += other.count;
    weight += other.weight;
    correctWeight += other.correctWeight;
    squaredError += other.squaredError;
    if (confusion != null) {
      for (int i = 0; i < confusion.length; i++) {
        confusion[i] += other.confusion[i];
      }
    }
    return this;
  }

  public long count() {
    return count;
  }

  /** Σ of the examples' weights: the count when every weight is 1. */
  public double weight() {
    return weight;
  }

  /** Mean loss C over the examples, weighted by their weights: Σ w·C / Σ w. */
  public double meanLoss() {
    return loss / weight;
  }

  /** Whether accuracy and the confusion matrix are defined. */
  public boolean isClassification() {
    return confusion != null;
  }

  /**
   * Fraction of examples whose predicted class is the true class, weighted by the examples' weights
   * (Σ w over the right ones / Σ w).
   */
  public double accuracy() {
    return correctWeight / weight;
  }

  /** Root mean squared error per output value, each example's error weighted by its weight. */
  public double rmse(int outputs) {
    return Math.sqrt(squaredError / (weight * outputs));
  }

  /**
   * The confusion matrix: [actual][predicted] counts of examples (not weighted), or null for
   * regression and multi-label.
   */
  public long[][] confusionMatrix() {
    if (confusion == null) {
      return null;
    }
    long[][] matrix = new long[classes][classes];
    for (int actual = 0; actual < classes; actual++) {
      for (int predicted = 0; predicted < classes; predicted++) {
        matrix[actual][predicted] = confusion(actual, predicted);
      }
    }
    return matrix;
  }

  /** Examples of true class {@code actual} predicted as {@code predicted}. */
  public long confusion(int actual, int predicted) {
    return confusion[actual * classes + predicted];
  }

  public int classes() {
    return classes;
  }
}
