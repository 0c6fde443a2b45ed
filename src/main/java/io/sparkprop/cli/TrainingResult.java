package io.sparkprop.cli;

import io.sparkprop.report.EpochStats;
import io.sparkprop.spark.eval.Evaluation;
import java.util.List;

/**
 * What a training run produced, for the CLI to write.
 *
 * @param weights the weights kept: the best epoch's under early stopping, else the last
 * @param keptEpoch the epoch they are from
 * @param history every epoch's statistics, a resumed run's earlier epochs included
 * @param validationExamples -1 without a validation split
 * @param testExamples -1 without a test set
 * @param testEvaluation the kept weights on the test set, or null
 */
record TrainingResult(
    double[] weights,
    int keptEpoch,
    List<EpochStats> history,
    long trainExamples,
    long validationExamples,
    long testExamples,
    Evaluation testEvaluation) {

  /** The kept epoch's statistics. */
  EpochStats kept() {
    return history.get(keptEpoch - 1);
  }

  /** The last epoch's statistics. */
  EpochStats last() {
    return history.get(history.size() - 1);
  }
}
