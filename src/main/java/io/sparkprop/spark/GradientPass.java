package io.sparkprop.spark;

import io.sparkprop.data.ExampleBlock;
import io.sparkprop.nn.Precision;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The distributed part of a step: broadcast the weights (rounded to floats on the driver for a
 * float32 pass, see {@link WeightArray#rounded}) → every partition sums its loss and gradient
 * ({@link PartitionGradient}) → treeAggregate combines the partition sums → the broadcast is
 * destroyed. The driver then divides by the exact m ({@link GradientSum#takeMeanGradient()}, in the
 * merged sum's own array when it may).
 */
final class GradientPass {
  private final TrainerConfig config;
  private final WeightsBroadcast broadcasts;
  private String traffic = "";

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
    long start = System.nanoTime();
    WeightArray broadcast =
        config.precision() == Precision.FLOAT32
            ? WeightArray.rounded(weights)
            : new WeightArray(weights);
    GradientSum sum =
        broadcasts.run(
            broadcast,
            handle ->
                train
                    .mapPartitions(
                        new PartitionGradient(
                            config.network(),
                            handle,
                            config.blockSize(),
                            train.id(),
                            config.batchFraction(),
                            config.seed(),
                            step,
                            config.precision()))
                    .treeAggregate(
                        new GradientSum(),
                        GradientSum::merge,
                        GradientSum::merge,
                        config.treeDepth()));
    traffic =
        String.format(
                Locale.ROOT,
                " | last pass %.2f s: %s of weights broadcast, %s of gradients from %d partitions",
                (System.nanoTime() - start) / 1e9,
                readable(broadcast.bytes()),
                readable(sum.sentBytes()),
                sum.partitions())
            + (sum.sparsePartitions() > 0
                ? " (" + sum.sparsePartitions() + " of them touched columns only)"
                : "");
    return sum;
  }

  /**
   * The last pass's wall time (broadcast, job and merge), the weights' bytes broadcast and the
   * gradient bytes the partitions sent back: appended to the epoch's progress line.
   */
  String lastTraffic() {
    return traffic;
  }

  /** Bytes in MB, or in KB below 1 MB. */
  private static String readable(long bytes) {
    return bytes < 1_000_000
        ? String.format(Locale.ROOT, "%.1f KB", bytes / 1e3)
        : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
  }
}
