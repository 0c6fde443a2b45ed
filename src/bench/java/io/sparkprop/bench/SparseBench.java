package io.sparkprop.bench;

import io.sparkprop.data.DataShape;
import io.sparkprop.data.DataSource;
import io.sparkprop.data.Sparsity;
import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Initializer;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.nn.Precision;
import io.sparkprop.optim.OptimizerSpec;
import io.sparkprop.spark.Trainer;
import io.sparkprop.spark.TrainerConfig;
import io.sparkprop.spark.load.Datasets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * scripts/bench.sh --sparse: sparse, high-dimensional data against dense MNIST, side by side in one
 * local[2] run. The sparse set is 20,000 examples of 50,000 binary features, 40 nonzeros each
 * (written at the start of the run by {@link GenerateSparse}, seeded, one part file a partition),
 * with a 50000-64-2 network; it is cached once as sparse blocks and once as dense ones, and MNIST's
 * 60,000 IDX images with 784-128-10 are the reference. For each: cached bytes (and bytes a
 * nonzero), and the median of {@code --passes} full gd gradient passes after one untimed pass. Also
 * checks that three gd steps on sparse and on dense blocks end with the same weights. Writes
 * target/bench/sparse.md.
 */
public final class SparseBench {
  private static final int PARTITIONS = 2;
  private static final int EXAMPLES = 20_000;
  private static final int FEATURES = 50_000;
  private static final int NON_ZEROS = 40;

  private SparseBench() {}

  public static void main(String[] args) throws Exception {
    Path mnist = Path.of("data/mnist");
    Path out = Path.of("target/bench");
    int passes = 5;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--sparse" -> {}
        case "--mnist" -> mnist = Path.of(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        case "--passes" -> passes = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    SparkSession spark =
        SparkSession.builder()
            .master("local[" + PARTITIONS + "]")
            .appName("sparkprop-sparse-bench")
            .config("spark.ui.enabled", "false")
            // As the CLI sets it: a wide first layer's gradient goes back with the task's status.
            .config("spark.task.maxDirectResultSize", String.valueOf(64 << 20))
            .getOrCreate();
    try {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      JobTimer timer = new JobTimer();
      spark.sparkContext().addSparkListener(timer);
      String table = run(jsc, timer, mnist, out, passes);
      Files.createDirectories(out);
      Files.writeString(out.resolve("sparse.md"), table);
      System.out.println(table);
    } finally {
      spark.stop();
    }
  }

  private record Row(String name, long examples, long bytes, long nonZeros, double seconds) {}

  private static String run(JavaSparkContext jsc, JobTimer timer, Path mnist, Path out, int passes)
      throws IOException, InterruptedException {
    Ours ours = new Ours(jsc);
    NetworkSpec dense = Bench.spec(new int[] {784, 128, 10});
    Datasets.Cached images =
        Datasets.loadAndCache(
            jsc,
            "mnist",
            DataSource.idx(
                mnist.resolve("train-images-idx3-ubyte").toString(),
                mnist.resolve("train-labels-idx1-ubyte").toString()),
            Datasets.shapeOf(dense),
            PARTITIONS,
            Ours.BLOCK_SIZE,
            StorageLevel.MEMORY_ONLY());
    Row mnistRow = measure("MNIST 784-128-10, dense (IDX)", images, dense, 0, ours, timer, passes);
    images.blocks().unpersist(true);

    Path file = out.resolve("sparse");
    GenerateSparse.write(file, EXAMPLES, FEATURES, NON_ZEROS, PARTITIONS, 19);
    NetworkSpec wide =
        NetworkSpec.of(
            new int[] {FEATURES, 64, 2}, Activation.TANH, Activation.SOFTMAX, Loss.CROSS_ENTROPY);
    DataShape shape = Datasets.shapeOf(wide);
    long nonZeros = (long) EXAMPLES * NON_ZEROS;
    Row[] rows = new Row[2];
    double[][] trained = new double[2][];
    Sparsity[] kinds = {Sparsity.AUTO, Sparsity.OFF};
    for (int k = 0; k < 2; k++) {
      Datasets.Cached cached =
          Datasets.loadAndCache(
              jsc,
              "sparse-" + kinds[k].id(),
              DataSource.libsvm(file.toString()).withSparsity(kinds[k]),
              shape,
              0, // one partition a part file: no shuffle stage before the timed jobs
              Ours.BLOCK_SIZE,
              StorageLevel.MEMORY_ONLY());
      String name =
          "50,000 features × 40 nonzeros, 50000-64-2, "
              + (cached.sparseExamples() == cached.examples() ? "sparse blocks" : "dense blocks");
      rows[k] = measure(name, cached, wide, nonZeros, ours, timer, passes);
      trained[k] = threeSteps(jsc, cached, wide);
      cached.blocks().unpersist(true);
    }
    return table(mnistRow, rows, relativeDifference(trained[1], trained[0]), passes);
  }

  private static Row measure(
      String name,
      Datasets.Cached cached,
      NetworkSpec spec,
      long nonZeros,
      Ours ours,
      JobTimer timer,
      int passes)
      throws InterruptedException {
    long[] stored = Datasets.storedBytes(cached.blocks());
    List<Double> seconds =
        ours.secondsPerPass(cached.blocks(), spec, Precision.FLOAT64, passes, timer);
    return new Row(
        name, cached.examples(), stored[0] + stored[1], nonZeros, Report.median(seconds));
  }

  /** The weights after three full gd steps from the same start. */
  private static double[] threeSteps(
      JavaSparkContext jsc, Datasets.Cached cached, NetworkSpec spec) {
    TrainerConfig config =
        TrainerConfig.builder(spec, new OptimizerSpec(OptimizerSpec.Kind.GD, 0.5, 0.0))
            .steps(3)
            .seed(1)
            .blockSize(Ours.BLOCK_SIZE)
            .build();
    return new Trainer(jsc, config).fit(cached.blocks(), Initializer.initialize(spec, 1)).weights();
  }

  private static double relativeDifference(double[] a, double[] b) {
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      double scale = Math.max(Math.abs(a[i]), Math.abs(b[i]));
      if (scale > 0) {
        worst = Math.max(worst, Math.abs(a[i] - b[i]) / scale);
      }
    }
    return worst;
  }

  private static String table(Row mnist, Row[] sparse, double difference, int passes) {
    StringBuilder md = new StringBuilder();
    md.append("| data, network, blocks | cached MB | bytes a nonzero | full gd pass (median of ")
        .append(passes)
        .append(") | × the MNIST pass |\n|---|---|---|---|---|\n");
    for (Row r : new Row[] {mnist, sparse[0], sparse[1]}) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %.1f | %s | %.3f s | %.2f |%n",
              r.name(),
              r.bytes() / 1e6,
              r.nonZeros() == 0
                  ? "–"
                  : String.format(Locale.ROOT, "%.1f", (double) r.bytes() / r.nonZeros()),
              r.seconds(),
              r.seconds() / mnist.seconds()));
    }
    md.append(
        String.format(
            Locale.ROOT,
            "%nSparse against dense blocks after three gd steps: max relative weight difference"
                + " %.1e. BLAS: %s.%n",
            difference,
            io.sparkprop.nn.Blas.implementationName()));
    return md.toString();
  }
}
