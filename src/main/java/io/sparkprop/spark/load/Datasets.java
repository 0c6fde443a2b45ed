package io.sparkprop.spark.load;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import io.sparkprop.data.DataFormatException;
import io.sparkprop.data.DataShape;
import io.sparkprop.data.DataSource;
import io.sparkprop.data.ExampleBlock;
import io.sparkprop.nn.Activation;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.spark.Sampling;
import java.io.Serializable;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.storage.RDDInfo;
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

  /**
   * A cached partition: the executor (id and JVM pid) that holds it, its number of examples and the
   * classes among them (bit k + 1 for {@link ExampleBlock#hotRow} k). Written by Java serialization
   * under Kryo too, whose field serializer cannot build a record.
   */
  @DefaultSerializer(JavaSerializer.class)
  record Placement(String where, long count, BitSet hotRows, long sparseCount, long nonZeros)
      implements Serializable {}

  /** Counts a partition's examples and classes and names the executor that holds it. */
  private static final class Place implements FlatMapFunction<Iterator<ExampleBlock>, Placement> {
    private static final long serialVersionUID = 1L;

    @Override
    public Iterator<Placement> call(Iterator<ExampleBlock> blocks) {
      long count = 0;
      long sparseCount = 0;
      long nonZeros = 0;
      BitSet hotRows = new BitSet();
      while (blocks.hasNext()) {
        ExampleBlock block = blocks.next();
        count += block.size();
        if (block.isSparse()) {
          sparseCount += block.size();
          nonZeros += block.sparseRows().length;
        }
        for (int j = 0; j < block.size(); j++) {
          int row = block.hotRow(j);
          if (row != Integer.MIN_VALUE) {
            hotRows.set(row + 1);
          }
        }
      }
      String where = SparkEnv.get().executorId() + " (pid " + ProcessHandle.current().pid() + ")";
      return List.of(new Placement(where, count, hotRows, sparseCount, nonZeros)).iterator();
    }
  }

  /**
   * Cached blocks, how many examples they hold (and how many of those in sparse blocks), how many
   * malformed records the load skipped (always 0 when bad records fail it) and the classes present
   * (bit k + 1 set when some example's {@link ExampleBlock#hotRow} is k; empty for real or
   * multi-hot targets).
   */
  public record Cached(
      JavaRDD<ExampleBlock> blocks,
      long examples,
      long skipped,
      BitSet hotRows,
      long sparseExamples) {}

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
    SkippedRecords skipped = skippedRecords(jsc, source);
    return cache(
        name,
        source,
        DataLoader.load(jsc, source, shape, partitions, blockSize, true, skipped),
        level,
        skipped);
  }

  /** Where a source's skipped lines are gathered, or null when its bad records fail the load. */
  private static SkippedRecords skippedRecords(JavaSparkContext jsc, DataSource source) {
    return source.badRecords().skip() ? SkippedRecords.register(jsc) : null;
  }

  /** A training set and the validation set split off it. */
  public record Split(Cached train, Cached validation) {}

  /**
   * Loads a training set and splits off a validation set: each example goes to validation with
   * probability {@code fraction}, decided by a hash of the seed and its stable id, so the split
   * does not depend on partitioning. Each side is cached; the input is read once for each.
   */
  public static Split loadSplitAndCache(
      JavaSparkContext jsc,
      DataSource source,
      DataShape shape,
      int partitions,
      int blockSize,
      StorageLevel level,
      double fraction,
      long seed) {
    SkippedRecords skipped = skippedRecords(jsc, source);
    JavaRDD<ExampleBlock> all =
        DataLoader.load(jsc, source, shape, partitions, blockSize, true, skipped);
    Cached train =
        cache(
            "train",
            source,
            all.mapPartitions(new SplitColumns(seed, fraction, false)),
            level,
            skipped);
    // This side parses the same lines again: they were checked, and logged, with the first.
    Cached validation =
        cache(
            "validation",
            source,
            all.mapPartitions(new SplitColumns(seed, fraction, true)),
            level,
            null);
    return new Split(train, validation);
  }

  /** Keeps the columns on one side of the validation split. */
  private static final class SplitColumns
      implements FlatMapFunction<Iterator<ExampleBlock>, ExampleBlock> {
    private static final long serialVersionUID = 1L;

    /** A sampling stream of its own: steps count from 1, so no step shares it. */
    private static final long VALIDATION_STREAM = -1;

    private final long seed;
    private final double fraction;
    private final boolean validationSide;

    SplitColumns(long seed, double fraction, boolean validationSide) {
      this.seed = seed;
      this.fraction = fraction;
      this.validationSide = validationSide;
    }

    @Override
    public Iterator<ExampleBlock> call(Iterator<ExampleBlock> blocks) {
      List<ExampleBlock> kept = new java.util.ArrayList<>();
      while (blocks.hasNext()) {
        ExampleBlock block = blocks.next();
        int[] columns =
            java.util.stream.IntStream.range(0, block.size())
                .filter(
                    j ->
                        Sampling.keep(seed, VALIDATION_STREAM, block.id(j), fraction)
                            == validationSide)
                .toArray();
        if (columns.length > 0) {
          kept.add(block.columns(columns));
        }
      }
      return kept.iterator();
    }
  }

  /**
   * @param skipped the lines the load skipped, checked against the source's limit once it has run;
   *     null when bad records fail the load
   */
  private static Cached cache(
      String name,
      DataSource source,
      JavaRDD<ExampleBlock> uncached,
      StorageLevel level,
      SkippedRecords skipped) {
    String path = source.path();
    long start = System.nanoTime();
    JavaRDD<ExampleBlock> blocks = uncached.setName("sparkprop " + name + " blocks").persist(level);
    // One pass parses, validates and caches every partition, and says where each one lives.
    List<Placement> placement = blocks.mapPartitions(new Place()).collect();
    long skippedCount = 0;
    if (skipped != null) {
      try {
        skippedCount =
            skipped.check(path, source.badRecords(), blocks.context().hadoopConfiguration());
      } catch (DataFormatException e) {
        blocks.unpersist(false);
        throw e;
      }
    }
    long examples = placement.stream().mapToLong(Placement::count).sum();
    if (examples == 0) {
      blocks.unpersist(false);
      throw DataFormatException.inFile(
          path,
          name.equals("validation") ? "leaves no examples for validation" : "holds no examples");
    }
    BitSet hotRows = new BitSet();
    placement.forEach(p -> hotRows.or(p.hotRows()));
    long sparseExamples = placement.stream().mapToLong(Placement::sparseCount).sum();
    logCached(name, path, blocks, level, placement, examples, sparseExamples, start);
    warnIfConcentrated(blocks.context(), placement);
    return new Cached(blocks, examples, skippedCount, hotRows, sparseExamples);
  }

  /**
   * Logs what the load cached: examples, partitions, the executors holding them, the storage level,
   * time, bytes, and for sparse blocks their nonzeros.
   */
  private static void logCached(
      String name,
      String path,
      JavaRDD<ExampleBlock> blocks,
      StorageLevel level,
      List<Placement> placement,
      long examples,
      long sparseExamples,
      long start) {
    String executors =
        placement.stream()
            .map(Placement::where)
            .distinct()
            .sorted()
            .collect(Collectors.joining(", "));
    long[] stored = storedBytes(blocks);
    long nonZeros = placement.stream().mapToLong(Placement::nonZeros).sum();
    LOG.info(
        "{}: {} examples from {} in {} partitions on executors [{}], cached as {} in {}s"
            + " ({} MB in memory, {} MB on disk){}",
        name,
        examples,
        path,
        blocks.getNumPartitions(),
        executors,
        level.description(),
        String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9),
        stored[0] >> 20,
        stored[1] >> 20,
        sparseNote(examples, sparseExamples, nonZeros, stored[0] + stored[1]));
  }

  /** The log's note on sparse blocks: how many examples, nonzeros, and bytes a nonzero. */
  private static String sparseNote(
      long examples, long sparseExamples, long nonZeros, long storedBytes) {
    if (sparseExamples == 0) {
      return "";
    }
    String note =
        String.format(
            Locale.ROOT, "; %d of them in sparse blocks, %d nonzeros", sparseExamples, nonZeros);
    if (sparseExamples == examples && nonZeros > 0) {
      note +=
          String.format(Locale.ROOT, " (%.1f bytes a nonzero)", (double) storedBytes / nonZeros);
    }
    return note;
  }

  /** Bytes of a cached RDD held in memory and on disk, from Spark's storage report. */
  public static long[] storedBytes(JavaRDD<ExampleBlock> blocks) {
    for (RDDInfo info : blocks.context().getRDDStorageInfo()) {
      if (info.id() == blocks.id()) {
        return new long[] {info.memSize(), info.diskSize()};
      }
    }
    return new long[2];
  }

  /**
   * Refuses training data whose examples all belong to one class: a classifier cannot learn from
   * it, and in a nightly job it usually means the input was filtered or truncated upstream.
   *
   * @throws DataFormatException naming the path and the one class
   */
  public static void requireTwoClasses(Cached train, DataShape shape, String path) {
    if (!shape.isClassification() || train.hotRows().cardinality() != 1) {
      return;
    }
    int bit = train.hotRows().nextSetBit(0);
    // Bit k + 1 stands for hot row k; a single output's class is 1 where its row is hot, else 0.
    int label = shape.numOutputs() == 1 ? bit : bit - 1;
    throw DataFormatException.inFile(
        path,
        "every example has label "
            + label
            + " (expected at least two classes to train a classifier; was the input filtered?)");
  }

  /** Whether partitions that could spread over more executors sit on fewer. */
  static boolean concentrated(long holdingExecutors, int executors, int partitions) {
    return holdingExecutors < Math.min(executors, partitions);
  }

  /**
   * Cached partitions are computed where they are cached, so data that sits on fewer executors than
   * the application has keeps the others idle for the whole training.
   */
  private static void warnIfConcentrated(
      org.apache.spark.SparkContext sc, List<Placement> placement) {
    if (sc.isLocal()) {
      return;
    }
    if (sc.master().startsWith("spark://")
        && !sc.getConf().contains("spark.scheduler.minRegisteredResourcesRatio")) {
      LOG.warn(
          "on a standalone cluster Spark starts jobs before all executors have registered; the"
              + " data is cached, and every step runs, on those that had: set"
              + " spark.scheduler.minRegisteredResourcesRatio=1.0 (see conf/spark-defaults.conf)");
    }
    long holding = placement.stream().map(Placement::where).distinct().count();
    int executors = sc.statusTracker().getExecutorInfos().length - 1; // less the driver
    if (concentrated(holding, executors, placement.size())) {
      LOG.warn(
          "the cached data sits on {} of {} executors, and steps run where it sits: start"
              + " training only once all executors have registered"
              + " (spark.scheduler.minRegisteredResourcesRatio=1.0) or use more partitions",
          holding,
          executors);
    }
  }
}
