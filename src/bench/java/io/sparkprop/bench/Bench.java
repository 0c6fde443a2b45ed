package io.sparkprop.bench;

import io.sparkprop.cli.ShippedConfig;
import io.sparkprop.data.DataShape;
import io.sparkprop.data.DataSource;
import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Blas;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.nn.Precision;
import io.sparkprop.optim.LearningRateSchedule;
import io.sparkprop.optim.OptimizerSpec;
import io.sparkprop.spark.TrainerConfig;
import io.sparkprop.spark.load.Datasets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * scripts/bench.sh: sparkprop beside Spark MLlib's MultilayerPerceptronClassifier in one JVM, on
 * the same MNIST examples, partitions, cores and BLAS. Writes results.md and pass-time.svg.
 *
 * <p>Options: --mnist DIR (data/mnist), --out DIR (target/bench), --repeats N (3), --passes N (5),
 * --skip-convergence (leave out the runs to 97 % test accuracy, which take minutes), --scaling
 * K,K,... (instead of all that, pass times over MNIST and K − 1 noisy copies of it, cached
 * MEMORY_AND_DISK; written to scaling.md; run it with a small heap to see the spill).
 */
public final class Bench {
  private static final int PARTITIONS = 2;
  private static final double TARGET = 0.97;

  /** The accuracy conf/mnist.properties' run is timed to. */
  static final double CONF_TARGET = 0.98;

  private static final int[][] LAYERS = {{784, 128, 10}, {784, 256, 128, 10}};

  private Bench() {}

  public static void main(String[] args) throws Exception {
    Settings settings = Settings.parse(args);
    SparkSession spark =
        SparkSession.builder()
            .master("local[" + PARTITIONS + "]")
            .appName("sparkprop-bench")
            .config("spark.ui.enabled", "false")
            .getOrCreate();
    try {
      if (settings.scaling != null) {
        String table = scaling(spark, settings);
        Files.createDirectories(settings.out);
        Files.writeString(settings.out.resolve("scaling.md"), table);
        System.out.println(table);
        return;
      }
      Report report = run(spark, settings);
      Files.createDirectories(settings.out);
      Files.writeString(settings.out.resolve("results.md"), report.markdown());
      Files.writeString(settings.out.resolve("pass-time.svg"), report.chart());
      System.out.println(report.markdown());
      System.out.println("written to " + settings.out.toAbsolutePath());
    } finally {
      spark.stop();
    }
  }

  private static Report run(SparkSession spark, Settings settings) throws InterruptedException {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Report report = new Report(spark.version(), Runtime.getRuntime().availableProcessors());
    log("BLAS: " + Blas.description() + "; element-wise: " + Activation.implementationName());
    DataShape shape = Datasets.shapeOf(spec(LAYERS[0]));
    String dir = settings.mnist.toString();

    long before = StoragePeak.current(spark.sparkContext());
    long start = System.nanoTime();
    Datasets.Cached train = load(jsc, "train", dir + "/train", shape);
    report.loadSeconds = (System.nanoTime() - start) / 1e9;
    report.examples = train.examples();
    report.features = shape.numFeatures();
    report.oursCachedBytes = StoragePeak.current(spark.sparkContext()) - before;
    report.meanStoredRows =
        train.blocks().map(b -> (double) b.storedRows() * b.size()).reduce(Double::sum)
            / train.examples();
    log("feature rows stored per block, mean over examples: " + report.meanStoredRows);
    Datasets.Cached test = load(jsc, "test", dir + "/t10k", shape);

    Mllib mllib = new Mllib(spark);
    long beforeFrame = StoragePeak.current(spark.sparkContext());
    Dataset<Row> mlTrain = mllib.frame(train.blocks()).cache();
    mlTrain.count();
    long frameBytes = StoragePeak.current(spark.sparkContext()) - beforeFrame;
    Dataset<Row> mlTest = mllib.frame(test.blocks()).cache();
    mlTest.count();
    long beforeFit = StoragePeak.current(spark.sparkContext());
    try (StoragePeak peak = new StoragePeak(spark.sparkContext())) {
      mllib.fit(mlTrain, LAYERS[0], "gd", 1);
      report.mllibCachedBytes = frameBytes + peak.peak() - beforeFit;
    }
    log("cached bytes per example: ours " + report.oursCachedBytes / report.examples);

    Ours ours = new Ours(jsc);
    JobTimer timer = new JobTimer();
    spark.sparkContext().addSparkListener(timer);
    for (int[] layers : LAYERS) {
      report.passes.add(
          passes(
              settings,
              ours,
              mllib,
              timer,
              train,
              mlTrain,
              layers,
              (int) Math.round(report.meanStoredRows)));
    }
    NetworkSpec relu =
        NetworkSpec.of(LAYERS[0], Activation.RELU, Activation.SOFTMAX, Loss.CROSS_ENTROPY);
    report.overhead = StepOverhead.measure(jsc, train.blocks(), relu, 0.01, 30);
    log("step overhead: " + report.overhead);
    if (!settings.skipConvergence) {
      convergence(report, ours, mllib, train, test, mlTrain, mlTest);
    }
    torch(report, settings, ours, train, test);
    return report;
  }

  /**
   * PyTorch on the same cores, when {@code --torch}'s Python can import it; with the convergence
   * runs, also sparkprop's run of conf/mnist.properties, to put beside PyTorch's.
   */
  private static void torch(
      Report report, Settings settings, Ours ours, Datasets.Cached train, Datasets.Cached test) {
    if (!Torch.available(settings.torch)) {
      report.torchAbsent = settings.torch + " cannot import torch";
      log("PyTorch section skipped: " + report.torchAbsent);
      return;
    }
    try {
      report.torch = Torch.run(settings.torch, settings.mnist, PARTITIONS, settings.passes);
    } catch (java.io.IOException e) {
      report.torchAbsent = e.getMessage();
      log("PyTorch section failed: " + e.getMessage());
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    if (!settings.skipConvergence) {
      report.confRun = mnistProperties(ours, train, test);
      log(report.confRun.toString());
    }
  }

  /** The shipped MNIST configuration, run as the CLI reads it. */
  private static final String MNIST_CONF = "conf/mnist.properties";

  /**
   * conf/mnist.properties' training run (784-256-128-10, Adam with L2 and a cosine schedule, 1 % a
   * step, 12 epochs, as the CLI parses the file), timed to 98 %.
   */
  private static Ours.Run mnistProperties(Ours ours, Datasets.Cached train, Datasets.Cached test) {
    TrainerConfig conf = ShippedConfig.read(MNIST_CONF);
    String layers =
        Arrays.stream(conf.network().layerSizes())
            .mapToObj(Integer::toString)
            .collect(Collectors.joining("-"));
    return ours.train(
        String.format(
            Locale.ROOT,
            "sparkprop %s, %s, %s, %.0f %% a step, %d steps",
            MNIST_CONF,
            layers,
            conf.optimizer().kind().name().toLowerCase(Locale.ROOT),
            100 * conf.batchFraction(),
            conf.steps()),
        train.blocks(),
        test.blocks(),
        conf.network(),
        conf.optimizer(),
        conf.batchFraction(),
        conf.precision(),
        conf.steps(),
        CONF_TARGET);
  }

  private static String scaling(SparkSession spark, Settings settings) throws InterruptedException {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    NetworkSpec spec = spec(LAYERS[0]);
    Datasets.Cached train = load(jsc, "train", settings.mnist + "/train", Datasets.shapeOf(spec));
    JobTimer timer = new JobTimer();
    spark.sparkContext().addSparkListener(timer);
    long storage = 0;
    for (scala.Tuple2<Object, Object> m :
        scala.jdk.javaapi.CollectionConverters.asJava(
            spark.sparkContext().getExecutorMemoryStatus().values())) {
      storage += (Long) m._1();
    }
    StringBuilder md = new StringBuilder();
    md.append(
        String.format(
            java.util.Locale.ROOT,
            "Scaling, %s, %s, heap %d MB, storage memory %d MB, %s, MEMORY_AND_DISK:%n%n"
                + "| examples | s per pass | µs per example | cached in memory (MB) | on disk (MB) |"
                + " sampled step of %d (ms) | empty job with the broadcast (ms) |%n"
                + "|---|---|---|---|---|---|---|%n",
            java.time.LocalDate.now(),
            spec.layersString(),
            Runtime.getRuntime().maxMemory() >> 20,
            storage >> 20,
            Blas.implementationName(),
            Scaling.BATCH));
    for (int copies : settings.scaling) {
      Scaling.Point p = Scaling.measure(jsc, train.blocks(), spec, copies, settings.passes, timer);
      String row =
          String.format(
              java.util.Locale.ROOT,
              "| %d | %.2f | %.2f | %d | %d | %.1f | %.1f |%n",
              p.examples(),
              p.secondsPerPass(),
              1e6 * p.secondsPerPass() / p.examples(),
              p.memoryBytes() >> 20,
              p.diskBytes() >> 20,
              p.stepMillis(),
              p.floorMillis());
      log(row.trim());
      md.append(row);
    }
    return md.toString();
  }

  private static Datasets.Cached load(
      JavaSparkContext jsc, String name, String prefix, DataShape shape) {
    DataSource source =
        DataSource.idx(prefix + "-images-idx3-ubyte", prefix + "-labels-idx1-ubyte");
    return Datasets.loadAndCache(
        jsc, name, source, shape, PARTITIONS, Ours.BLOCK_SIZE, StorageLevel.MEMORY_ONLY());
  }

  /** MLlib's network: sigmoid hidden layers, softmax output, cross-entropy. */
  static NetworkSpec spec(int[] layers) {
    return NetworkSpec.of(layers, Activation.SIGMOID, Activation.SOFTMAX, Loss.CROSS_ENTROPY);
  }

  /**
   * Alternates the two sides, {@code repeats} times after one unrecorded warm-up round, and
   * measures the GEMM limit in each recorded round at the shapes our pass runs: the first layer on
   * the {@code inputRows} feature rows a block stores on average.
   */
  private static Report.Passes passes(
      Settings settings,
      Ours ours,
      Mllib mllib,
      JobTimer timer,
      Datasets.Cached train,
      Dataset<Row> mlTrain,
      int[] layers,
      int inputRows)
      throws InterruptedException {
    NetworkSpec spec = spec(layers);
    List<Double> oursSeconds = new ArrayList<>();
    List<Double> floatSeconds = new ArrayList<>();
    List<Double> mllibSeconds = new ArrayList<>();
    List<Double> oursCpu = new ArrayList<>();
    List<Double> floatCpu = new ArrayList<>();
    int passes = settings.passes;
    List<Roofline.Gemm> gemms = Roofline.blockGemms(layers, Ours.BLOCK_SIZE, inputRows);
    double dgemm = 0;
    double sgemm = 0;
    // Round 0 warms both sides up (JIT compilation goes on for seconds) and is not recorded.
    for (int r = 0; r <= settings.repeats; r++) {
      List<Double> oursRound =
          ours.secondsPerPass(train.blocks(), spec, Precision.FLOAT64, passes, timer);
      List<Double> oursCpuRound = timer.taskCpuSeconds(Ours.PASS_JOB);
      List<Double> mllibRound = mllib.secondsPerPass(mlTrain, layers, passes, timer);
      List<Double> floatRound =
          ours.secondsPerPass(train.blocks(), spec, Precision.FLOAT32, passes, timer);
      List<Double> floatCpuRound = timer.taskCpuSeconds(Ours.PASS_JOB);
      if (r > 0) {
        oursSeconds.addAll(oursRound);
        mllibSeconds.addAll(mllibRound);
        floatSeconds.addAll(floatRound);
        oursCpu.addAll(oursCpuRound);
        floatCpu.addAll(floatCpuRound);
        // The limit is measured in every round, under the same conditions as its passes; the
        // best of them counts, since a limit is what the machine can reach.
        dgemm = Math.max(dgemm, Roofline.measure(gemms, PARTITIONS, 1.0, false));
        sgemm = Math.max(sgemm, Roofline.measure(gemms, PARTITIONS, 1.0, true));
      }
      log(
          spec.layersString()
              + (r == 0 ? " warm-up round" : " round " + r)
              + ": ours "
              + oursRound
              + ", MLlib "
              + mllibRound
              + ", ours float32 "
              + floatRound);
    }
    return new Report.Passes(
        spec.layersString(),
        spec.numParameters(),
        oursSeconds,
        floatSeconds,
        mllibSeconds,
        oursCpu,
        floatCpu,
        Roofline.flops(gemms) / Ours.BLOCK_SIZE,
        dgemm,
        sgemm);
  }

  private static void convergence(
      Report report,
      Ours ours,
      Mllib mllib,
      Datasets.Cached train,
      Datasets.Cached test,
      Dataset<Row> mlTrain,
      Dataset<Row> mlTest) {
    int[] layers = LAYERS[0];
    Mllib.Fit fit = mllib.fit(mlTrain, layers, "l-bfgs", 100);
    double accuracy = Mllib.accuracy(fit.model(), mlTest);
    report.runs.add(
        new Ours.Run(
            "MLlib l-bfgs, 100 iterations, 784-128-10 sigmoid",
            accuracy >= TARGET ? fit.seconds() : Double.NaN,
            accuracy,
            fit.seconds()));
    log("MLlib l-bfgs 100: " + accuracy + " in " + fit.seconds() + " s");

    // 10 curvature pairs, tolerance 0: every one of the 100 iterations runs, as in MLlib's fit.
    OptimizerSpec lbfgs =
        new OptimizerSpec(
            OptimizerSpec.Kind.LBFGS,
            1.0,
            0.0,
            0.9,
            0.999,
            1e-8,
            0.0,
            0.0,
            LearningRateSchedule.CONSTANT_RATE,
            10,
            0.0);
    report.runs.add(
        ours.train(
            "sparkprop lbfgs, 100 iterations, 784-128-10 sigmoid",
            train.blocks(),
            test.blocks(),
            spec(layers),
            lbfgs,
            1.0,
            Precision.FLOAT64,
            100,
            TARGET));
    log("ours lbfgs 100: " + report.runs.get(report.runs.size() - 1));

    // Candidates for the fastest route to 97 %: 784-128-10 ReLU, different step sizes and samples.
    NetworkSpec relu =
        NetworkSpec.of(layers, Activation.RELU, Activation.SOFTMAX, Loss.CROSS_ENTROPY);
    OptimizerSpec momentum = new OptimizerSpec(OptimizerSpec.Kind.MOMENTUM, 0.2, 0.9);
    OptimizerSpec adam = new OptimizerSpec(OptimizerSpec.Kind.ADAM, 0.003, 0.0);
    OptimizerSpec bigMomentum = new OptimizerSpec(OptimizerSpec.Kind.MOMENTUM, 0.5, 0.9);
    candidate(
        report, ours, train, test, relu, "momentum η 0.2 μ 0.9, 1 % a step", momentum, 0.01, 10);
    candidate(report, ours, train, test, relu, "adam η 0.003, 2 % a step", adam, 0.02, 5);
    candidate(
        report, ours, train, test, relu, "momentum η 0.5 μ 0.9, 5 % a step", bigMomentum, 0.05, 8);
    Ours.Run single =
        ours.train(
            "sparkprop float32, momentum η 0.5 μ 0.9, 5 % a step, 784-128-10 relu, 8 epochs",
            train.blocks(),
            test.blocks(),
            relu,
            bigMomentum,
            0.05,
            Precision.FLOAT32,
            8 * TrainerConfig.stepsPerEpoch(0.05),
            TARGET);
    report.runs.add(single);
    log(single.toString());
  }

  private static void candidate(
      Report report,
      Ours ours,
      Datasets.Cached train,
      Datasets.Cached test,
      NetworkSpec spec,
      String name,
      OptimizerSpec optimizer,
      double fraction,
      int epochs) {
    Ours.Run run =
        ours.train(
            "sparkprop " + name + ", " + spec.layersString() + " relu, " + epochs + " epochs",
            train.blocks(),
            test.blocks(),
            spec,
            optimizer,
            fraction,
            Precision.FLOAT64,
            epochs * TrainerConfig.stepsPerEpoch(fraction),
            TARGET);
    report.runs.add(run);
    log(run.toString());
  }

  static void log(String line) {
    System.err.println("[bench] " + line);
  }

  /** The command line. */
  private record Settings(
      Path mnist,
      Path out,
      int repeats,
      int passes,
      boolean skipConvergence,
      int[] scaling,
      String torch) {
    static Settings parse(String[] args) {
      Path mnist = Path.of("data/mnist");
      Path out = Path.of("target/bench");
      int repeats = 3;
      int passes = 5;
      boolean skip = false;
      int[] scaling = null;
      String torch = System.getenv().getOrDefault("TORCH_PYTHON", "python3");
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--mnist" -> mnist = Path.of(value(args, ++i));
          case "--out" -> out = Path.of(value(args, ++i));
          case "--repeats" -> repeats = Integer.parseInt(value(args, ++i));
          case "--passes" -> passes = Integer.parseInt(value(args, ++i));
          case "--skip-convergence" -> skip = true;
          case "--torch" -> torch = value(args, ++i);
          case "--scaling" ->
              scaling =
                  Arrays.stream(value(args, ++i).split(",")).mapToInt(Integer::parseInt).toArray();
          default ->
              throw new IllegalArgumentException(
                  "unknown option " + args[i] + "; known: " + Arrays.toString(KNOWN));
        }
      }
      if (repeats < 1 || passes < 1) {
        throw new IllegalArgumentException("--repeats and --passes must be at least 1");
      }
      return new Settings(mnist, out, repeats, passes, skip, scaling, torch);
    }

    private static final String[] KNOWN = {
      "--mnist", "--out", "--repeats", "--passes", "--skip-convergence", "--scaling", "--torch"
    };

    private static String value(String[] args, int i) {
      if (i >= args.length) {
        throw new IllegalArgumentException(args[i - 1] + " needs a value");
      }
      return args[i];
    }
  }
}
