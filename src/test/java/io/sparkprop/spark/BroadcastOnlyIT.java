package io.sparkprop.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.data.ExampleBlock;
import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Initializer;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.nn.Precision;
import io.sparkprop.optim.OptimizerSpec;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With {@code spark.rpc.message.maxSize=1} (MB) on executors in their own JVMs (local-cluster
 * mode), a model of over 1 MB trains, and the function each step ships to the tasks is a few
 * kilobytes: the weights travel in the broadcast, never in the closure. (Spark 4 broadcasts every
 * stage's task binary, so the RPC limit alone cannot catch a captured array; the closure's
 * serialized size is measured directly, against a control that captures the weights.)
 */
class BroadcastOnlyIT {
  /** 400·400 + 400 + 10·400 + 10 = 164,410 doubles ≈ 1.3 MB. */
  private static final NetworkSpec SPEC =
      NetworkSpec.of(
          new int[] {400, 400, 10}, Activation.SIGMOID, Activation.SOFTMAX, Loss.CROSS_ENTROPY);

  private static final int MAX_CLOSURE_BYTES = 16 * 1024;
  private static JavaSparkContext jsc;

  @BeforeAll
  static void start() {
    String sparkHome = System.getenv("SPARK_HOME");
    assertTrue(sparkHome != null, "the build sets SPARK_HOME for local-cluster mode");
    new File(sparkHome, "jars").mkdirs();
    SparkConf conf =
        new SparkConf()
            .set("spark.rpc.message.maxSize", "1")
            .set("spark.executor.extraClassPath", System.getProperty("java.class.path"))
            .set("spark.executor.memory", "512m");
    jsc = LocalSpark.start("broadcast-only", "local-cluster[2,1,512]", conf);
  }

  @AfterAll
  static void stop() {
    jsc.stop();
  }

  /** Bytes of {@code o} under Java serialization, which Spark uses for closures. */
  private static int serializedSize(Object o) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    return bytes.size();
  }

  @Test
  void stepFunction_holdsBroadcastHandleNotWeights() throws IOException {
    double[] weights = Initializer.initialize(SPEC, 1);
    Broadcast<WeightArray> broadcast = jsc.broadcast(new WeightArray(weights));
    try {
      int step =
          serializedSize(
              new PartitionGradient(SPEC, broadcast, 16, 0, 1.0, 1, 1, Precision.FLOAT32));
      assertTrue(step < MAX_CLOSURE_BYTES, "step function is " + step + " bytes");
      org.apache.spark.api.java.function.Function<Integer, Integer> capturing =
          x -> weights.length + x;
      assertTrue(
          serializedSize(capturing) > 8 * SPEC.numParameters(),
          "control: a closure that captures the weights carries all of them");
    } finally {
      broadcast.destroy();
    }
  }

  @Test
  void fit_modelOverOneMegabyte_trainsOnExecutorsInOtherJvms() {
    assertTrue(8L * SPEC.numParameters() > 1024 * 1024);
    List<io.sparkprop.data.Example> examples = TestData.examples(SPEC, 64, 5);
    List<ExampleBlock> blocks = TestData.blocks(SPEC, examples, 16, 16, 16, 16);
    JavaRDD<ExampleBlock> data = jsc.parallelize(blocks, 4).cache();
    Set<String> executors =
        data.map(b -> SparkEnv.get().executorId()).collect().stream().collect(Collectors.toSet());
    assertEquals(2, executors.size(), "tasks ran on two executors: " + executors);
    assertTrue(!executors.contains("driver"));

    double[] start = Initializer.initialize(SPEC, 1);
    Trainer trainer =
        new Trainer(
            jsc,
            TrainerConfig.builder(SPEC, new OptimizerSpec(OptimizerSpec.Kind.GD, 0.02, 0))
                .steps(3)
                .blockSize(16)
                .build());
    double before = trainer.gradient(data, start, 1).meanLoss();
    double[] end = trainer.fit(data, start).weights();
    double after = trainer.gradient(data, end, 1).meanLoss();
    assertTrue(after < before, "loss " + before + " → " + after);
  }

  /**
   * A float32 step's weights, broadcast as floats, reach executors in other JVMs intact: its
   * gradient is the float64 step's within float rounding (relative to its largest entry: 400-term
   * sums in floats leave an entry that nearly cancels with few correct digits of its own).
   */
  @Test
  void float32Gradient_onExecutorsInOtherJvms_isTheFloat64Gradient() {
    List<io.sparkprop.data.Example> examples = TestData.examples(SPEC, 64, 7);
    JavaRDD<ExampleBlock> data =
        jsc.parallelize(TestData.blocks(SPEC, examples, 16, 16, 16, 16), 4).cache();
    double[] weights = Initializer.initialize(SPEC, 2);
    GradientSum[] sums = new GradientSum[2];
    Precision[] precisions = {Precision.FLOAT64, Precision.FLOAT32};
    for (int i = 0; i < 2; i++) {
      sums[i] =
          new Trainer(
                  jsc,
                  TrainerConfig.builder(SPEC, new OptimizerSpec(OptimizerSpec.Kind.GD, 0.02, 0))
                      .blockSize(16)
                      .precision(precisions[i])
                      .build())
              .gradient(data, weights, 1);
    }
    assertEquals(64, sums[1].count());
    double error =
        io.sparkprop.Weights.maxRelativeDifference(sums[0].meanGradient(), sums[1].meanGradient());
    assertTrue(error < 1e-4, "float32 against float64: " + error);
  }
}
