package io.sparkprop.bench;

import io.sparkprop.data.ExampleBlock;
import io.sparkprop.data.Precision;
import io.sparkprop.nn.Initializer;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.optim.OptimizerSpec;
import io.sparkprop.spark.EpochStats;
import io.sparkprop.spark.Trainer;
import io.sparkprop.spark.TrainerConfig;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/** sparkprop's side: gradient passes and training runs on the cached blocks. */
final class Ours {
  static final int BLOCK_SIZE = 128;
  private static final int TREE_DEPTH = 2;
  private static final long SEED = 1;

  /** The call site of the gradient job. */
  static final String PASS_JOB = "treeAggregate at Trainer.java";

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
    OptimizerSpec gd = new OptimizerSpec(OptimizerSpec.Kind.GD, 0.1, 0.0, 1.0);
    Trainer trainer = new Trainer(jsc, config(spec, gd, 1, precision));
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
      Precision precision,
      int steps,
      double target) {
    Trainer trainer = new Trainer(jsc, config(spec, optimizer, steps, precision));
    double[] reached = {Double.NaN};
    double[] last = {Double.NaN};
    long start = System.nanoTime();
    trainer.fit(
        train,
        test,
        Initializer.initialize(spec, SEED),
        (EpochStats s) -> {
          last[0] = s.testAccuracy();
          if (Double.isNaN(reached[0]) && s.testAccuracy() >= target) {
            reached[0] = (System.nanoTime() - start) / 1e9;
          }
        });
    return new Run(name, reached[0], last[0], (System.nanoTime() - start) / 1e9);
  }

  private static TrainerConfig config(
      NetworkSpec spec, OptimizerSpec optimizer, int steps, Precision precision) {
    return new TrainerConfig(
        spec, optimizer, steps, SEED, TREE_DEPTH, BLOCK_SIZE, 0, 0, 0.0, precision);
  }
}
