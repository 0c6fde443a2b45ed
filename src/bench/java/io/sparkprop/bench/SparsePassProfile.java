package io.sparkprop.bench;

import io.sparkprop.data.DataSource;
import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Initializer;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.nn.Precision;
import io.sparkprop.optim.OptimizerSpec;
import io.sparkprop.spark.Trainer;
import io.sparkprop.spark.TrainerConfig;
import io.sparkprop.spark.load.Datasets;
import java.nio.file.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Only full gd passes over the sparse bench's data (20,000 examples of {@code features} binary
 * features, 40 nonzeros each, network features-hidden-2), for a profiler: prints the median pass.
 *
 * <p>Arguments: passes (50), features (50000), block size (the bench's), hidden units (64; the
 * scaling section's network has 16), precision (float64 or float32).
 */
final class SparsePassProfile {
  private SparsePassProfile() {}

  public static void main(String[] args) throws Exception {
    int passes = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    int features = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
    int blockSize = args.length > 2 ? Integer.parseInt(args[2]) : Ours.BLOCK_SIZE;
    int hidden = args.length > 3 ? Integer.parseInt(args[3]) : 64;
    Precision precision = args.length > 4 ? Precision.parse(args[4]) : Precision.FLOAT64;
    SparkSession spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("sparse-pass-profile")
            .config("spark.ui.enabled", "false")
            .config("spark.task.maxDirectResultSize", String.valueOf(64 << 20))
            .config("spark.broadcast.compress", "false")
            .config("spark.broadcast.checksum", "false")
            .getOrCreate();
    try {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      JobTimer timer = new JobTimer();
      spark.sparkContext().addSparkListener(timer);
      Path file = Path.of("target/bench/sparse-profile-" + features);
      GenerateSparse.write(file, 20_000, features, 40, 2, 19);
      NetworkSpec spec =
          NetworkSpec.of(
              new int[] {features, hidden, 2},
              Activation.TANH,
              Activation.SOFTMAX,
              Loss.CROSS_ENTROPY);
      Datasets.Cached cached =
          Datasets.loadAndCache(
              jsc,
              "sparse",
              DataSource.libsvm(file.toString()),
              Datasets.shapeOf(spec),
              0,
              blockSize,
              StorageLevel.MEMORY_ONLY());
      Trainer trainer =
          new Trainer(
              jsc,
              TrainerConfig.builder(spec, new OptimizerSpec(OptimizerSpec.Kind.GD, 0.1, 0.0))
                  .steps(1)
                  .blockSize(blockSize)
                  .precision(precision)
                  .build());
      double[] w = Initializer.initialize(spec, 1);
      trainer.gradient(cached.blocks(), w, 1);
      timer.clear();
      double[] ms = new double[passes];
      for (int i = 0; i < passes; i++) {
        long t = System.nanoTime();
        trainer.gradient(cached.blocks(), w, 1);
        ms[i] = (System.nanoTime() - t) / 1e6;
      }
      java.util.Arrays.sort(ms);
      System.out.printf(
          java.util.Locale.ROOT,
          "%d passes: median %.1f ms, min %.1f ms; job %.1f ms, task CPU %.1f ms%n",
          passes,
          ms[passes / 2],
          ms[0],
          1e3 * Report.median(timer.await(Ours.PASS_JOB, passes)),
          1e3 * Report.median(timer.taskCpuSeconds(Ours.PASS_JOB)));
    } finally {
      spark.stop();
    }
  }
}
