package io.sparkprop.bench;

import io.sparkprop.data.DataShape;
import io.sparkprop.data.DataSource;
import io.sparkprop.data.ExampleBlock;
import io.sparkprop.nn.Initializer;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.optim.OptimizerSpec;
import io.sparkprop.spark.Trainer;
import io.sparkprop.spark.TrainerConfig;
import io.sparkprop.spark.load.Datasets;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Only sampled steps, for a profiler: MNIST times {@code copies}, cached, then {@code steps} steps
 * of 240 examples, printing the median. Run with a JFR recording to see where a step's time goes.
 *
 * <p>Arguments: copies (10), steps (400).
 */
final class StepProfile {
  private StepProfile() {}

  public static void main(String[] args) {
    int copies = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int steps = args.length > 1 ? Integer.parseInt(args[1]) : 400;
    SparkSession spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("step-profile")
            .config("spark.ui.enabled", "false")
            .getOrCreate();
    try {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      NetworkSpec spec = Bench.spec(new int[] {784, 128, 10});
      DataShape shape = Datasets.shapeOf(spec);
      DataSource source =
          DataSource.idx(
              "data/mnist/train-images-idx3-ubyte", "data/mnist/train-labels-idx1-ubyte");
      JavaRDD<ExampleBlock> mnist =
          Datasets.loadAndCache(jsc, "train", source, shape, 2, 128, StorageLevel.MEMORY_ONLY())
              .blocks();
      JavaRDD<ExampleBlock> data =
          mnist
              .flatMap(block -> Scaling.replicate(block, copies).iterator())
              .persist(StorageLevel.MEMORY_AND_DISK());
      long examples = data.map(ExampleBlock::size).reduce(Integer::sum);
      double fraction = (double) Scaling.BATCH / examples;
      Trainer trainer =
          new Trainer(
              jsc,
              TrainerConfig.builder(spec, new OptimizerSpec(OptimizerSpec.Kind.SGD, 0.1, 0.0))
                  .batchFraction(fraction)
                  .steps(steps)
                  .blockSize(128)
                  .build());
      double[] w = Initializer.initialize(spec, 1);
      double[] ms = new double[steps];
      for (int i = 0; i < steps; i++) {
        long t = System.nanoTime();
        trainer.gradient(data, w, i + 1);
        ms[i] = (System.nanoTime() - t) / 1e6;
      }
      java.util.Arrays.sort(ms);
      System.out.printf(
          java.util.Locale.ROOT,
          "%d examples, %d steps of %d: median %.1f ms%n",
          examples,
          steps,
          Scaling.BATCH,
          ms[steps / 2]);
    } finally {
      spark.stop();
    }
  }
}
