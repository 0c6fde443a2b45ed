package io.sparkprop.spark.run;

import io.sparkprop.data.ExampleBlock;
import io.sparkprop.spark.TrainingListener;
import io.sparkprop.spark.eval.Evaluation;
import io.sparkprop.spark.eval.Evaluator;
import org.apache.spark.api.java.JavaRDD;

/**
 * Evaluates the weights on the held-out sets after every epoch, on the executors, and records the
 * loss and accuracy in the epoch's statistics. Add it before the listeners that read them.
 */
public final class HeldOutEvaluation implements TrainingListener {
  private final Evaluator evaluator;
  private final JavaRDD<ExampleBlock> validation;
  private final JavaRDD<ExampleBlock> test;

  /**
   * @param validation the validation split's cached blocks, or null
   * @param test the test set's cached blocks, or null
   */
  public HeldOutEvaluation(
      Evaluator evaluator, JavaRDD<ExampleBlock> validation, JavaRDD<ExampleBlock> test) {
    this.evaluator = evaluator;
    this.validation = validation;
    this.test = test;
  }

  @Override
  public void onEpochEnd(EpochEnd epoch) {
    if (validation != null) {
      Evaluation e = evaluator.evaluate(validation, epoch.weights());
      epoch.setValidation(e.meanLoss(), accuracy(e));
    }
    if (test != null) {
      Evaluation e = evaluator.evaluate(test, epoch.weights());
      epoch.setTest(e.meanLoss(), accuracy(e));
    }
  }

  private static double accuracy(Evaluation e) {
    return e.isClassification() ? e.accuracy() : Double.NaN;
  }
}
