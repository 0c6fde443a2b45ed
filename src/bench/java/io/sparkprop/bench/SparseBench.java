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
import io.sparkprop.spark.GradientSum;
import io.sparkprop.spark.Trainer;
import io.sparkprop.spark.TrainerConfig;
import io.sparkprop.spark.load.Datasets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * nonzero), and the median of {@code --passes} full gd gradient passes after untimed ones. Also
 * checks that three gd steps on sparse and on dense blocks end with the same weights. MNIST's
 * passes and the sparse blocks' are taken in turn, after {@link Ours#WARM_UP_PASSES_IN_TURN}
 * untimed passes of each, so that the machine's slower moments weigh on both sides of the ratio
 * alike. Then how a step's cost grows with n_0 at the same nonzeros: 50,000, 200,000 and 2^20
 * features with an n_0-16-2 network, in float64 and in float32, the partition side (task CPU) apart
 * from the driver's, beside each width's memory floor ({@link ColumnFloor}). Writes
 * target/bench/sparse.md.
 */
public final class SparseBench {
  private static final int PARTITIONS = 2;
  private static final int EXAMPLES = 20_000;
  private static final int FEATURES = 50_000;
  private static final int NON_ZEROS = 40;

  /** n_1 of the scaling section's n_0-16-2 network: the rows of a W¹ column. */
  private static final int SCALING_HIDDEN = 16;

  /** Timed runs of each width's {@link ColumnFloor}, of which the best counts. */
  private static final int FLOOR_RUNS = 7;

  /** The input widths of the scaling section: 50,000 to 2^20 features. */
  private static final int[] SCALING_FEATURES = {50_000, 200_000, 1 << 20};

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
            // As the CLI sets them: a wide first layer's gradient goes back with the task's status,
            // and the weights are broadcast uncompressed, checked by their own CRC32C.
            .config("spark.task.maxDirectResultSize", String.valueOf(64 << 20))
            .config("spark.broadcast.compress", "false")
            .config("spark.broadcast.checksum", "false")
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
    Row mnistRow = null;
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
      if (k == 0) {
        // The target's ratio: MNIST's passes and the sparse blocks' passes taken in turn.
        List<List<Double>> seconds =
            ours.secondsPerPassInTurn(
                List.of(images.blocks(), cached.blocks()), List.of(dense, wide), passes, timer);
        mnistRow = row("MNIST 784-128-10, dense (IDX)", images, 0, seconds.get(0));
        rows[k] = row(name, cached, nonZeros, seconds.get(1));
        images.blocks().unpersist(true);
      } else {
        rows[k] = measure(name, cached, wide, nonZeros, ours, timer, passes);
      }
      trained[k] = threeSteps(jsc, cached, wide);
      cached.blocks().unpersist(true);
    }
    String table = table(mnistRow, rows, relativeDifference(trained[1], trained[0]), passes);
    List<ScaleRow> scaling = new ArrayList<>();
    for (Precision precision : new Precision[] {Precision.FLOAT64, Precision.FLOAT32}) {
      for (int features : SCALING_FEATURES) {
        scaling.add(scale(jsc, timer, out, features, precision, passes));
      }
    }
    return table + scalingTable(scaling, passes);
  }

  /**
   * One width of the scaling section: task CPU (the partition side), the job, the driver's share
   * outside the job (broadcasting, the mean, the update) and the whole gd step, as medians; the
   * bytes a step broadcasts and the partitions send; and the width's memory floor ({@link
   * ColumnFloor}, seconds).
   */
  private record ScaleRow(
      int features,
      Precision precision,
      double taskCpu,
      double job,
      double driver,
      double step,
      long broadcastBytes,
      long sentBytes,
      int sparsePartitions,
      double floor) {}

  /**
   * Full gd steps of an n_0-16-2 network over {@link #EXAMPLES} examples of {@link #NON_ZEROS}
   * binary features among {@code features}, in {@code precision}: the same nonzeros per example at
   * every width.
   */
  private static ScaleRow scale(
      JavaSparkContext jsc, JobTimer timer, Path out, int features, Precision precision, int passes)
      throws IOException, InterruptedException {
    Path file = out.resolve("sparse-" + features);
    GenerateSparse.write(file, EXAMPLES, features, NON_ZEROS, PARTITIONS, 19);
    int[][] touched = ColumnFloor.touchedByPart(file, features);
    double floor = ColumnFloor.seconds(features, SCALING_HIDDEN, precision, touched, FLOOR_RUNS);
    NetworkSpec spec =
        NetworkSpec.of(
            new int[] {features, SCALING_HIDDEN, 2},
            Activation.TANH,
            Activation.SOFTMAX,
            Loss.CROSS_ENTROPY);
    Datasets.Cached cached =
        Datasets.loadAndCache(
            jsc,
            "scaling-" + features,
            DataSource.libsvm(file.toString()),
            Datasets.shapeOf(spec),
            0,
            Ours.BLOCK_SIZE,
            StorageLevel.MEMORY_ONLY());
    TrainerConfig config =
        TrainerConfig.builder(spec, new OptimizerSpec(OptimizerSpec.Kind.GD, 0.1, 0.0))
            .steps(1)
            .seed(1)
            .blockSize(Ours.BLOCK_SIZE)
            .precision(precision)
            .build();
    Trainer trainer = new Trainer(jsc, config);
    double[] weights = Initializer.initialize(spec, 1);
    timer.clear();
    trainer.gradient(cached.blocks(), weights, 1);
    timer.await(Ours.PASS_JOB, 1);
    timer.clear();
    List<Double> steps = new ArrayList<>();
    GradientSum sum = null;
    for (int i = 0; i < passes; i++) {
      long start = System.nanoTime();
      sum = trainer.gradient(cached.blocks(), weights, 1);
      double[] gradient = sum.meanGradient();
      for (int k = 0; k < weights.length; k++) {
        weights[k] -= 0.1 * gradient[k];
      }
      steps.add((System.nanoTime() - start) / 1e9);
    }
    List<Double> jobs = timer.await(Ours.PASS_JOB, passes);
    List<Double> driver = new ArrayList<>();
    for (int i = 0; i < passes; i++) {
      driver.add(steps.get(i) - jobs.get(i));
    }
    cached.blocks().unpersist(true);
    return new ScaleRow(
        features,
        precision,
        Report.median(timer.taskCpuSeconds(Ours.PASS_JOB)),
        Report.median(jobs),
        Report.median(driver),
        Report.median(steps),
        (long) weights.length * (precision == Precision.FLOAT32 ? Float.BYTES : Double.BYTES),
        sum.sentBytes(),
        sum.sparsePartitions(),
        floor);
  }

  private static String scalingTable(List<ScaleRow> rows, int passes) {
    StringBuilder md = new StringBuilder();
    md.append(
            String.format(
                Locale.ROOT,
                "%nScaling with n_0 at %,d nonzeros an example (%,d examples, n_0-16-2, full gd"
                    + " steps, medians of %d):%n%n",
                NON_ZEROS,
                EXAMPLES,
                passes))
        .append(
            "| n_0 | precision | task CPU (partition side) | × 50,000 | memory floor | × 50,000 if"
                + " only the floor grew | job | driver outside the job | whole step | weights"
                + " broadcast | gradients sent (sparse partitions) |\n")
        .append("|---|---|---|---|---|---|---|---|---|---|---|\n");
    ScaleRow first = rows.get(0);
    for (ScaleRow r : rows) {
      if (r.features() == SCALING_FEATURES[0]) {
        first = r;
      }
      md.append(
          String.format(
              Locale.ROOT,
              "| %,d | %s | %.3f s | %.2f | %.1f ms | %.2f | %.3f s | %.3f s | %.3f s | %.1f MB |"
                  + " %.1f MB (%d of %d) |%n",
              r.features(),
              r.precision().id(),
              r.taskCpu(),
              r.taskCpu() / first.taskCpu(),
              r.floor() * 1e3,
              (first.taskCpu() - first.floor() + r.floor()) / first.taskCpu(),
              r.job(),
              r.driver(),
              r.step(),
              r.broadcastBytes() / 1e6,
              r.sentBytes() / 1e6,
              r.sparsePartitions(),
              PARTITIONS));
    }
    md.append(
        String.format(
            Locale.ROOT,
            "%nMemory floor: each partition's touched columns of W¹ read and added into its ∂W¹"
                + " once, in address order, the %d partitions at once on their own threads (best"
                + " of %d). \"If only the floor grew\": the 50,000-feature partition side with its"
                + " floor replaced by this width's, what a design moving no more than the floor"
                + " would show if memory time did not overlap the rest.%n",
            PARTITIONS,
            FLOOR_RUNS));
    return md.toString();
  }

  private static Row row(String name, Datasets.Cached cached, long nonZeros, List<Double> seconds) {
    long[] stored = Datasets.storedBytes(cached.blocks());
    return new Row(
        name, cached.examples(), stored[0] + stored[1], nonZeros, Report.median(seconds));
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
