package io.sparkprop.spark;

import io.sparkprop.data.DataShape;
import io.sparkprop.data.DataSource;
import io.sparkprop.data.ExampleBlock;
import io.sparkprop.nn.Activation;
import io.sparkprop.nn.NetworkSpec;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Loads a data set, persists its blocks and parses it once, so bad records fail up front. */
public final class Datasets {
  private static final Logger LOG = LoggerFactory.getLogger(Datasets.class);

  private Datasets() {}

  /** The data a network expects: classes for sigmoid/softmax outputs, real values for identity. */
  public static DataShape shapeOf(NetworkSpec spec) {
    int outputs = spec.numOutputs();
    DataShape.LabelKind kind;
    if (spec.outputActivation() == Activation.IDENTITY) {
      kind = outputs == 1 ? DataShape.LabelKind.REAL : DataShape.LabelKind.CLASS_INDEX;
    } else if (spec.outputActivation() == Activation.SIGMOID) {
      kind = outputs == 1 ? DataShape.LabelKind.BINARY : DataShape.LabelKind.MULTI_LABEL;
    } else {
      kind = DataShape.LabelKind.CLASS_INDEX;
    }
    return new DataShape(spec.numInputs(), outputs, kind);
  }

  /** Cached blocks and how many examples they hold. */
  public record Cached(JavaRDD<ExampleBlock> blocks, long examples) {}

  /**
   * @param name shown in logs ("train", "test")
   * @throws io.sparkprop.data.DataFormatException (possibly wrapped by Spark) on bad input
   */
  public static Cached loadAndCache(
      JavaSparkContext jsc,
      String name,
      DataSource source,
      DataShape shape,
      int partitions,
      int blockSize,
      StorageLevel level) {
    long start = System.nanoTime();
    JavaRDD<ExampleBlock> blocks =
        DataLoader.load(jsc, source, shape, partitions, blockSize, true)
            .setName("sparkprop " + name + " blocks")
            .persist(level);
    long examples = blocks.map(b -> (long) b.size()).fold(0L, Long::sum);
    if (examples == 0) {
      blocks.unpersist(false);
      throw io.sparkprop.data.DataFormatException.inFile(source.path(), "holds no examples");
    }
    LOG.info(
        "{}: {} examples from {} in {} partitions, cached as {} in {}s",
        name,
        examples,
        source.path(),
        blocks.getNumPartitions(),
        level.description(),
        String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9));
    return new Cached(blocks, examples);
  }
}
