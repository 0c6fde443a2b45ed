package io.sparkprop.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.Weights;
import io.sparkprop.data.DataSource;
import io.sparkprop.data.Example;
import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Arithmetic;
import io.sparkprop.nn.Initializer;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.optim.OptimizerSpec;
import io.sparkprop.spark.load.Datasets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.reflect.ClassTag;

/**
 * With {@code spark.serializer} set to Spark's KryoSerializer, as many clusters set it, the weights
 * and the partition sums cross whole: Kryo writes broadcasts and treeAggregate's shuffled partials,
 * and its field serializer would skip their transient arrays.
 */
class KryoSerializerTest {
  private static final NetworkSpec SPEC =
      NetworkSpec.of(new int[] {6, 5, 3}, Activation.TANH, Activation.SOFTMAX, Loss.CROSS_ENTROPY);

  private static JavaSparkContext jsc;

  @BeforeAll
  static void start() {
    jsc = LocalSpark.startWithKryo("kryo");
  }

  @AfterAll
  static void stop() {
    jsc.stop();
  }

  @SuppressWarnings("unchecked")
  private static <T> T roundTrip(T value) {
    SerializerInstance kryo = new KryoSerializer(jsc.getConf()).newInstance();
    ClassTag<T> tag = (ClassTag<T>) ClassTag.apply(value.getClass());
    return kryo.deserialize(kryo.serialize(value, tag), tag);
  }

  @Test
  void weightsAndSums_crossKryoWhole() {
    SplittableRandom random = new SplittableRandom(2);
    double[] values = random.doubles(70_001).toArray();
    assertArrayEquals(values, roundTrip(new WeightArray(values)).values());
    assertArrayEquals(
        Arithmetic.FLOAT32.fromDoubles(values),
        roundTrip(WeightArray.rounded(values)).in(Arithmetic.FLOAT32));

    GradientSum dense = new GradientSum();
    dense.gradient = values.clone();
    dense.count = 4;
    dense.weight = 3.5;
    GradientSum back = roundTrip(dense);
    assertArrayEquals(values, back.gradient);
    assertEquals(4, back.count());
    assertEquals(3.5, back.weight());

    // n_1 = 2, n_0 = 5: columns 1 and 3 of ∂W¹ (2 × 2 values), then 3 entries after W¹.
    GradientSum sparse = new GradientSum();
    sparse.setColumns(new double[] {1, 2, 3, 4, 5, 6, 7}, new int[] {1, 3}, 2, 5, 13);
    sparse.count = 1;
    sparse.weight = 1;
    assertArrayEquals(sparse.meanGradient(), roundTrip(sparse).meanGradient());
  }

  /** 8 partitions at depth 3: treeAggregate shuffles the partials once before the driver. */
  @Test
  void distributedGradient_withKryo_equalsSingleJvmGradient() {
    List<Example> examples = TestData.examples(SPEC, 200, 9);
    double[] weights = Initializer.initialize(SPEC, 4);
    TrainerConfig config =
        TrainerConfig.builder(SPEC, new OptimizerSpec(OptimizerSpec.Kind.GD, 0.1, 0))
            .treeDepth(3)
            .blockSize(25)
            .build();
    GradientSum sum =
        new Trainer(jsc, config)
            .gradient(
                jsc.parallelize(TestData.blocks(SPEC, examples, 25, 25, 25, 25, 25, 25, 25, 25), 8)
                    .cache(),
                weights,
                1);
    assertEquals(200, sum.count());
    double error = TestData.gradientError(SPEC, examples, weights, e -> true, sum.meanGradient());
    assertTrue(error < 1e-12, "worst entry's error relative to its scale " + error);
  }

  /**
   * Loading under Kryo: every partition's placement comes back to the driver (a record, which
   * Kryo's field serializer cannot build), and blocks cached serialized, as a spill writes them,
   * give the gradient the same blocks give kept as objects.
   */
  @Test
  void loadAndCache_withKryo_serializedBlocksGiveTheObjectsGradient(@TempDir Path dir)
      throws IOException {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      lines.add((i % 3) + " 1:" + (i % 7) / 8.0 + " 3:" + (i % 5) / 4.0 + " 6:" + (i % 2));
    }
    Path file = Files.write(dir.resolve("data.libsvm"), lines);
    DataSource source = DataSource.libsvm(file.toString());
    Datasets.Cached serialized =
        Datasets.loadAndCache(
            jsc,
            "serialized",
            source,
            Datasets.shapeOf(SPEC),
            2,
            8,
            StorageLevel.MEMORY_ONLY_SER());
    Datasets.Cached objects =
        Datasets.loadAndCache(
            jsc, "objects", source, Datasets.shapeOf(SPEC), 2, 8, StorageLevel.MEMORY_ONLY());
    assertEquals(40, serialized.examples());

    double[] weights = Initializer.initialize(SPEC, 6);
    TrainerConfig config =
        TrainerConfig.builder(SPEC, new OptimizerSpec(OptimizerSpec.Kind.GD, 0.1, 0))
            .blockSize(8)
            .build();
    GradientSum fromBytes = new Trainer(jsc, config).gradient(serialized.blocks(), weights, 1);
    GradientSum fromObjects = new Trainer(jsc, config).gradient(objects.blocks(), weights, 1);
    assertEquals(40, fromBytes.count());
    // The same examples in the same blocks: only rounding may differ (the Vector API's tanh and exp
    // can round a unit apart before and after the JIT compiles them), far below what one changed
    // or lost value would move.
    double difference =
        Weights.maxRelativeDifference(fromObjects.meanGradient(), fromBytes.meanGradient());
    assertTrue(difference < 1e-12, "relative to the largest entry " + difference);
  }
}
