package io.sparkprop.bench;

import io.sparkprop.data.ExampleBlock;
import io.sparkprop.nn.Initializer;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.optim.OptimizerSpec;
import io.sparkprop.spark.GradientSum;
import io.sparkprop.spark.Trainer;
import io.sparkprop.spark.TrainerConfig;
import io.sparkprop.spark.WeightArray;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Where a sampled step's time goes: the step itself against two jobs of the same shape that compute
 * nothing, one without and one with the broadcast of the weights. Wall-clock milliseconds on the
 * driver, median of {@code steps}.
 */
final class StepOverhead {
  /** Median milliseconds: empty job, empty job with broadcast, the real step. */
  record Result(double emptyJob, double withBroadcast, double step, double fraction) {}

  private StepOverhead() {}

  static Result measure(
      JavaSparkContext jsc,
      JavaRDD<ExampleBlock> train,
      NetworkSpec spec,
      double fraction,
      int steps) {
    double[] weights = Initializer.initialize(spec, 1);
    List<Double> empty = new ArrayList<>();
    List<Double> broadcast = new ArrayList<>();
    List<Double> real = new ArrayList<>();
    OptimizerSpec sgd = new OptimizerSpec(OptimizerSpec.Kind.SGD, 0.1, 0.0);
    Trainer trainer =
        new Trainer(
            jsc,
            TrainerConfig.builder(spec, sgd)
                .batchFraction(fraction)
                .steps(steps)
                .blockSize(Ours.BLOCK_SIZE)
                .build());
    for (int i = 0; i <= steps; i++) {
      long t0 = System.nanoTime();
      emptyJob(train, null);
      long t1 = System.nanoTime();
      Broadcast<WeightArray> b = jsc.broadcast(new WeightArray(weights));
      emptyJob(train, b);
      b.destroy();
      long t2 = System.nanoTime();
      trainer.gradient(train, weights, i + 1);
      long t3 = System.nanoTime();
      if (i > 0) { // the first round warms up
        empty.add((t1 - t0) / 1e6);
        broadcast.add((t2 - t1) / 1e6);
        real.add((t3 - t2) / 1e6);
      }
    }
    return new Result(
        Report.median(empty), Report.median(broadcast), Report.median(real), fraction);
  }

  private static void emptyJob(JavaRDD<ExampleBlock> train, Broadcast<WeightArray> weights) {
    train
        .mapPartitions(
            blocks -> {
              if (weights != null) {
                weights.value().values();
              }
              return Collections.singletonList(new GradientSum()).iterator();
            })
        .treeAggregate(new GradientSum(), GradientSum::merge, GradientSum::merge, 2);
  }
}
