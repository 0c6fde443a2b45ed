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

  /** Mean loss C over the examples. */
  public double meanLoss() {
    return loss / count;
  }

  /** Whether accuracy and the confusion matrix are defined. */
  public boolean isClassification() {
    return confusion != null;
  }

  /** Fraction of examples whose predicted class is the true class. */
  public double accuracy() {
    long correct = 0;
    for (int c = 0; c < classes; c++) {
      correct += confusion[c * classes + c];
    }
    return (double) correct / count;
  }

  /** Root mean squared error per output value. */
  public double rmse(int outputs) {
    return Math.sqrt(squaredError / ((double) count * outputs));
  }

  /** The confusion matrix: [actual][predicted] counts, or null for regression and multi-label. */
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
