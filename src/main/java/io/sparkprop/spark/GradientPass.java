package io.sparkprop.spark;

import io.sparkprop.data.ExampleBlock;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The distributed part of a step: broadcast the weights → every partition sums its loss and
 * gradient ({@link PartitionGradient}) → treeAggregate combines the partition sums → the broadcast
 * is destroyed. The driver then divides by the exact m ({@link GradientSum#meanGradient()}).
 */
final class GradientPass {
  private final TrainerConfig config;
  private final WeightsBroadcast broadcasts;

  GradientPass(JavaSparkContext jsc, TrainerConfig config) {
    this.config = config;
    this.broadcasts = WeightsBroadcast.perStep(jsc);
  }

  WeightsBroadcast broadcasts() {
    return broadcasts;
  }

  /**
   * The summed loss and gradient at {@code weights} over the examples step {@code step} samples
   * (all of them at batch fraction 1).
   */
  GradientSum sum(JavaRDD<ExampleBlock> train, double[] weights, int step) {
    return broadcasts.run(
        weights,
        broadcast ->
            train
                .mapPartitions(
                    new PartitionGradient(
                        config.network(),
                        broadcast,
                        config.blockSize(),
                        config.batchFraction(),
                        config.seed(),
                        step,
                        config.precision()))
                .treeAggregate(
                    new GradientSum(), GradientSum::merge, GradientSum::merge, config.treeDepth()));
  }
}
