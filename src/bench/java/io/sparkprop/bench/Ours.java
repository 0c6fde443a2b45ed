package io.sparkprop.bench;

import io.sparkprop.data.ExampleBlock;
import io.sparkprop.nn.Initializer;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.nn.Precision;
import io.sparkprop.optim.OptimizerSpec;
import io.sparkprop.report.EpochStats;
import io.sparkprop.spark.Trainer;
import io.sparkprop.spark.TrainerConfig;
import io.sparkprop.spark.TrainingListener;
import io.sparkprop.spark.eval.Evaluator;
import io.sparkprop.spark.run.HeldOutEvaluation;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/** sparkprop's side: gradient passes and training runs on the cached blocks. */
final class Ours {
  static final int BLOCK_SIZE = 128;
  private static final int TREE_DEPTH = 2;
  private static final long SEED = 1;

  /** The call site of the gradient job. */
  static final String PASS_JOB = "treeAggregate at GradientPass.java";

  private final JavaSparkContext jsc;

  Ours(JavaSparkContext jsc) {
    this.jsc = jsc;
  }

  /**
   * Seconds of each of {@code passes} full-data gradient passes (treeAggregate jobs, timed like
   * MLlib's), after one untimed pass.
   */
  List<Double> secondsPerPass(
      JavaRDD<ExampleBlock> train,
      NetworkSpec spec,
      Precision precision,
      int passes,
      JobTimer timer)
      throws InterruptedException {
    OptimizerSpec gd = new OptimizerSpec(OptimizerSpec.Kind.GD, 0.1, 0.0);
    Trainer trainer = new Trainer(jsc, config(spec, gd, 1.0, 1, precision));
    double[] weights = Initializer.initialize(spec, SEED);
    // Cleared first, so the wait below is for this untimed pass and not an earlier call's.
    timer.clear();
    trainer.gradient(train, weights, 1);
    timer.await(PASS_JOB, 1);
    timer.clear();
    for (int i = 0; i < passes; i++) {
      trainer.gradient(train, weights, 1);
    }
    List<Double> seconds = timer.await(PASS_JOB, passes);
    if (seconds.size() != passes) {
      throw new IllegalStateException(
          "expected "
              + passes
              + " gradient jobs, found "
              + seconds.size()
              + " in "
              + timer.names());
    }
    return seconds;
  }

  /**
   * Untimed passes of each data set before {@link #secondsPerPassInTurn} times any: besides the
   * JIT, the heap has to grow to what the passes allocate (a wide first layer's pass allocates
   * hundreds of MB in arrays of megabytes: its gradient, Spark's bytes of it), and each growth
   * meets memory the process touches for the first time. With one untimed pass the 50000-64-2
   * sparse passes measured 470–750 ms for the first three to five and 70–100 ms from about the
   * tenth on (four runs), so the median of 15 measured how fast the heap grew.
   */
  static final int WARM_UP_PASSES_IN_TURN = 5;

  /**
   * Seconds of {@code passes} full-data gradient passes over each of several data sets, taken in
   * turn (one pass of the first, one of the second, …), after {@link #WARM_UP_PASSES_IN_TURN}
   * untimed passes of each, also in turn: a machine that slows down for a while slows every side
   * alike, so ratios between them hold better than between passes timed one data set after another.
   * Row k of the result is data set k's passes.
   */
  List<List<Double>> secondsPerPassInTurn(
      List<JavaRDD<ExampleBlock>> data, List<NetworkSpec> specs, int passes, JobTimer timer)
      throws InterruptedException {
    OptimizerSpec gd = new OptimizerSpec(OptimizerSpec.Kind.GD, 0.1, 0.0);
    List<Trainer> trainers = new java.util.ArrayList<>();
    List<double[]> weights = new java.util.ArrayList<>();
    for (NetworkSpec spec : specs) {
      trainers.add(new Trainer(jsc, config(spec, gd, 1.0, 1, Precision.FLOAT64)));
      weights.add(Initializer.initialize(spec, SEED));
    }
    timer.clear();
    for (int i = 0; i < WARM_UP_PASSES_IN_TURN; i++) {
      for (int k = 0; k < data.size(); k++) {
        trainers.get(k).gradient(data.get(k), weights.get(k), 1);
      }
    }
    timer.await(PASS_JOB, WARM_UP_PASSES_IN_TURN * data.size());
    timer.clear();
    for (int i = 0; i < passes; i++) {
      for (int k = 0; k < data.size(); k++) {
        trainers.get(k).gradient(data.get(k), weights.get(k), 1);
      }
    }
    List<Double> seconds = timer.await(PASS_JOB, passes * data.size());
    if (seconds.size() != passes * data.size()) {
      throw new IllegalStateException(
          "expected " + passes * data.size() + " gradient jobs, found " + timer.names());
    }
    List<List<Double>> rows = new java.util.ArrayList<>();
    for (int k = 0; k < data.size(); k++) {
      List<Double> row = new java.util.ArrayList<>();
      for (int i = 0; i < passes; i++) {
        row.add(seconds.get(i * data.size() + k));
      }
      rows.add(row);
    }
    return rows;
  }

  /**
   * A training run: the seconds until the first epoch whose test accuracy reaches {@code target}
   * (NaN if none does), the last epoch's accuracy and the whole run's seconds. Evaluating the test
   * set after every epoch is part of the time.
   */
  record Run(String name, double secondsToTarget, double finalAccuracy, double seconds) {}

  Run train(
      String name,
      JavaRDD<ExampleBlock> train,
      JavaRDD<ExampleBlock> test,
      NetworkSpec spec,
      OptimizerSpec optimizer,
      double fraction,
      Precision precision,
      int steps,
      double target) {
    double[] reached = {Double.NaN};
    double[] last = {Double.NaN};
    long start = System.nanoTime();
    TrainingListener clock =
        new TrainingListener() {
          @Override
          public void onEpochEnd(EpochEnd epoch) {
            EpochStats s = epoch.stats();
            last[0] = s.testAccuracy();
            if (Double.isNaN(reached[0]) && s.testAccuracy() >= target) {
              reached[0] = (System.nanoTime() - start) / 1e9;
            }
          }
        };
    new Trainer(jsc, config(spec, optimizer, fraction, steps, precision))
        .addListener(
            new HeldOutEvaluation(new Evaluator(jsc, spec, BLOCK_SIZE, TREE_DEPTH), null, test))
        .addListener(clock)
        .fit(train, Initializer.initialize(spec, SEED));
    return new Run(name, reached[0], last[0], (System.nanoTime() - start) / 1e9);
  }

  private static TrainerConfig config(
      NetworkSpec spec, OptimizerSpec optimizer, double fraction, int steps, Precision precision) {
    return TrainerConfig.builder(spec, optimizer)
        .batchFraction(fraction)
        .steps(steps)
        .seed(SEED)
        .treeDepth(TREE_DEPTH)
        .blockSize(BLOCK_SIZE)
        .precision(precision)
        .build();
  }
}
