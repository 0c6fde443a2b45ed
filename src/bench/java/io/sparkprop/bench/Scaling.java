package io.sparkprop.bench;

import io.sparkprop.data.ExampleBlock;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.nn.Precision;
import io.sparkprop.spark.load.Datasets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;

/**
 * Pass time as the data grows: MNIST and k noisy copies of it (each pixel of a copy moved by −1, 0
 * or +1, new ids), cached MEMORY_AND_DISK, so that beyond the storage memory the rest spills to
 * disk. The time per pass per example should stay flat while the data fits.
 */
final class Scaling {
  /**
   * One size: examples, median seconds per pass, bytes cached in memory and on disk, and the median
   * milliseconds of a sampled step of {@value #BATCH} examples (and of an empty job with the
   * broadcast, its floor).
   */
  record Point(
      long examples,
      double secondsPerPass,
      long memoryBytes,
      long diskBytes,
      double stepMillis,
      double floorMillis) {}

  /** The batch of conf/mnist.properties: 0.004 of MNIST's 60,000. */
  static final int BATCH = 240;

  /** Sampled steps timed per size: fewer gave medians 1.2× apart on the same code. */
  private static final int STEPS = 100;

  private static final long ID_STRIDE = 1L << 32;

  private Scaling() {}

  static Point measure(
      JavaSparkContext jsc,
      JavaRDD<ExampleBlock> mnist,
      NetworkSpec spec,
      int copies,
      int passes,
      JobTimer timer)
      throws InterruptedException {
    JavaRDD<ExampleBlock> data =
        mnist
            .flatMap(block -> replicate(block, copies).iterator())
            .persist(StorageLevel.MEMORY_AND_DISK());
    long examples = data.map(ExampleBlock::size).reduce(Integer::sum);
    List<Double> seconds =
        new Ours(jsc).secondsPerPass(data, spec, Precision.FLOAT64, passes, timer);
    long[] stored = Datasets.storedBytes(data);
    StepOverhead.Result step =
        StepOverhead.measure(jsc, data, spec, (double) BATCH / examples, STEPS);
    data.unpersist(true);
    return new Point(
        examples, Report.median(seconds), stored[0], stored[1], step.step(), step.withBroadcast());
  }

  /** The block itself and {@code copies − 1} noisy copies of it. */
  static List<ExampleBlock> replicate(ExampleBlock block, int copies) {
    List<ExampleBlock> out = new ArrayList<>(copies);
    out.add(block);
    double[] x = block.features();
    double[] y = block.targets();
    for (int c = 1; c < copies; c++) {
      SplittableRandom random = new SplittableRandom(block.id(0) * 1_000_003L + c);
      byte[] pixels = new byte[x.length];
      for (int i = 0; i < x.length; i++) {
        long p = Math.round(x[i] * 255) + (x[i] > 0 ? random.nextInt(3) - 1 : 0);
        pixels[i] = (byte) Math.max(0, Math.min(255, p));
      }
      long[] ids = new long[block.size()];
      for (int j = 0; j < ids.length; j++) {
        ids[j] = block.id(j) + c * ID_STRIDE;
      }
      out.add(
          ExampleBlock.ofPixels(
              block.size(), block.numFeatures(), block.numOutputs(), ids, pixels, y));
    }
    return out;
  }
}
