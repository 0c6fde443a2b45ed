package io.sparkprop.spark.load;

import io.sparkprop.data.CachePrecision;
import io.sparkprop.data.DataFormatException;
import io.sparkprop.data.DataShape;
import io.sparkprop.data.DataSource;
import io.sparkprop.data.Example;
import io.sparkprop.data.ExampleBlock;
import io.sparkprop.data.IdxDataset;
import io.sparkprop.data.Sparsity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.apache.spark.api.java.JavaNewHadoopRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

/**
 * Reads a data set into an RDD of example blocks. The executors open and parse the files themselves
 * through Hadoop FileSystem (text files split by Hadoop's input format, IDX files by record
 * ranges), or read a table's rows through Spark SQL ({@link TableLoader}); nothing is collected to
 * the driver. The caller persists the result.
 */
public final class DataLoader {
  private DataLoader() {}

  /**
   * @param partitions the number of partitions, or 0 to keep the input's natural split (text) or
   *     use the default parallelism (IDX). A given count redistributes text examples by id, so the
   *     same input and count always give the same partitions in the same order.
   * @param requireLabels false for prediction: labels are then neither required nor read (an IDX
   *     label file is not opened; text rows may leave the label out)
   * @param skipped where lines skipped under the source's {@link
   *     io.sparkprop.data.BadRecords#skip()} policy are reported, once the RDD has been computed;
   *     null when the policy is to fail
   */
  static JavaRDD<ExampleBlock> load(
      JavaSparkContext jsc,
      DataSource source,
      DataShape shape,
      int partitions,
      int blockSize,
      boolean requireLabels,
      SkippedRecords skipped) {
    Configuration conf = jsc.hadoopConfiguration();
    return switch (source.format()) {
      case IDX -> loadIdx(jsc, source, shape, partitions, blockSize, requireLabels, conf);
      case LIBSVM, CSV ->
          pack(
              parseText(jsc, source, shape, requireLabels, conf, skipped),
              source,
              shape,
              partitions,
              blockSize);
      case TABLE ->
          pack(
              TableLoader.examples(jsc, source, shape, requireLabels, skipped),
              source,
              shape,
              partitions,
              blockSize);
    };
  }

  /**
   * A file input's blocks for prediction, in the input's order: labels are not read, and a given
   * {@code partitions} count splits the examples into that many consecutive ranges (by id, which
   * follows the input's order), so the part files written from them read as the input does.
   *
   * @throws IllegalArgumentException for table input, which is read in Spark's own splits
   */
  public static JavaRDD<ExampleBlock> loadInOrder(
      JavaSparkContext jsc, DataSource source, DataShape shape, int partitions, int blockSize) {
    Configuration conf = jsc.hadoopConfiguration();
    return switch (source.format()) {
      case IDX -> loadIdx(jsc, source, shape, partitions, blockSize, false, conf);
      case LIBSVM, CSV -> {
        JavaRDD<Example> examples = parseText(jsc, source, shape, false, conf, null);
        if (partitions > 0) {
          examples =
              examples.mapToPair(e -> new Tuple2<>(e.id(), e)).sortByKey(true, partitions).values();
        }
        yield pack(examples, source, shape, 0, blockSize);
      }
      case TABLE -> throw new IllegalArgumentException("a table is read in Spark's own splits");
    };
  }

  /** {@link #load} of a source whose malformed records fail the load. */
  public static JavaRDD<ExampleBlock> load(
      JavaSparkContext jsc,
      DataSource source,
      DataShape shape,
      int partitions,
      int blockSize,
      boolean requireLabels) {
    if (source.badRecords().skip()) {
      throw new IllegalArgumentException("a load that skips bad records must report them");
    }
    return load(jsc, source, shape, partitions, blockSize, requireLabels, null);
  }

  private static JavaRDD<ExampleBlock> loadIdx(
      JavaSparkContext jsc,
      DataSource source,
      DataShape shape,
      int partitions,
      int blockSize,
      boolean requireLabels,
      Configuration conf) {
    String labels = source.idxLabelsPath();
    if (requireLabels && labels == null) {
      throw DataFormatException.inFile(
          source.path(),
          "no label file given and none can be inferred from the name (pass --train-labels/--test-labels)");
    }
    if (!requireLabels) {
      labels = null; // prediction reads no labels, so neither opens nor checks the label file
    }
    // Executors resolve relative paths against their own working directory: qualify them here.
    IdxDataset dataset =
        IdxDataset.open(
            qualified(source.path(), conf), labels == null ? null : qualified(labels, conf), conf);
    if (dataset.count() == 0) {
      throw DataFormatException.inFile(source.path(), "holds no images");
    }
    int slices =
        (int) Math.min(partitions > 0 ? partitions : jsc.defaultParallelism(), dataset.count());
    List<long[]> ranges = new ArrayList<>();
    for (int i = 0; i < slices; i++) {
      ranges.add(new long[] {dataset.count() * i / slices, dataset.count() * (i + 1) / slices});
    }
    return jsc.parallelize(ranges, slices)
        .mapPartitions(new ReadIdxRanges(dataset, shape, blockSize, broadcastConf(jsc, conf)));
  }

  /** A text input's examples, in its natural split. */
  private static JavaRDD<Example> parseText(
      JavaSparkContext jsc,
      DataSource source,
      DataShape shape,
      boolean requireLabels,
      Configuration conf,
      SkippedRecords skipped) {
    List<Path> files = listDataFiles(source.path(), conf);
    String[] names = files.stream().map(Path::toString).toArray(String[]::new);
    Job job;
    try {
      job = Job.getInstance(conf);
      // The input format globs its paths again: listed names must match only themselves.
      FileInputFormat.setInputPaths(
          job, files.stream().map(DataLoader::literal).toArray(Path[]::new));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    JavaNewHadoopRDD<LongWritable, Text> lines =
        (JavaNewHadoopRDD<LongWritable, Text>)
            jsc.newAPIHadoopRDD(
                job.getConfiguration(), TextInputFormat.class, LongWritable.class, Text.class);
    return lines.mapPartitionsWithInputSplit(
        new ParseTextSplit(
            source.lineParser(shape, !requireLabels),
            source.format() == DataSource.Format.CSV && source.header(),
            names,
            broadcastConf(jsc, conf),
            source.badRecords(),
            skipped),
        true);
  }

  /**
   * Packs examples into blocks, first redistributing them by id over {@code partitions} when that
   * is given (0 keeps the input's partitions).
   */
  static JavaRDD<ExampleBlock> pack(
      JavaRDD<Example> examples,
      DataSource source,
      DataShape shape,
      int partitions,
      int blockSize) {
    if (partitions > 0) {
      examples =
          examples
              .mapToPair(e -> new Tuple2<>(e.id(), e))
              .repartitionAndSortWithinPartitions(new IdPartitioner(partitions))
              .values();
    }
    boolean asFloats = source.precision() == CachePrecision.FLOAT32;
    Sparsity sparsity = source.sparsity();
    return examples.mapPartitions(
        it -> ExampleBlock.pack(it, shape, blockSize, asFloats, sparsity));
  }

  /**
   * The data files a path names: a file, or every non-hidden file below a directory or glob match,
   * sorted so their order (and so every example id) is stable. A path that exists is taken as it
   * is, even when its name holds glob characters.
   *
   * @throws DataFormatException when the path matches nothing or holds no files
   */
  public static List<Path> listDataFiles(String pathString, Configuration conf) {
    try {
      Path path = new Path(pathString);
      FileSystem fs = path.getFileSystem(conf);
      // A path that exists is that file or directory, even if its name reads as a glob
      // (x[1].libsvm); otherwise it is a glob.
      FileStatus[] matches =
          fs.exists(path) ? new FileStatus[] {fs.getFileStatus(path)} : fs.globStatus(path);
      if (matches == null || matches.length == 0) {
        throw DataFormatException.inFile(pathString, "no such file or directory");
      }
      List<Path> files = new ArrayList<>();
      for (FileStatus match : matches) {
        if (match.isDirectory()) {
          RemoteIterator<LocatedFileStatus> it = fs.listFiles(match.getPath(), true);
          while (it.hasNext()) {
            Path file = it.next().getPath();
            if (!isHidden(file, match.getPath())) {
              files.add(file);
            }
          }
        } else {
          files.add(match.getPath());
        }
      }
      if (files.isEmpty()) {
        throw DataFormatException.inFile(pathString, "holds no data files");
      }
      files.sort((a, b) -> a.toString().compareTo(b.toString()));
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + pathString + ": " + e.getMessage(), e);
    }
  }

  /** The path with Hadoop's glob characters escaped, so that a glob of it matches it alone. */
  static Path literal(Path path) {
    String text = path.toString();
    StringBuilder escaped = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if ("{}[]*?\\".indexOf(c) >= 0) {
        escaped.append('\\');
      }
      escaped.append(c);
    }
    return new Path(escaped.toString());
  }

  private static boolean isHidden(Path file, Path root) {
    for (Path p = file; p != null && !p.equals(root); p = p.getParent()) {
      String name = p.getName();
      if (name.startsWith("_") || name.startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  /** The path made absolute against the driver's file system and working directory. */
  static String qualified(String path, Configuration conf) {
    try {
      Path p = new Path(path);
      return p.getFileSystem(conf).makeQualified(p).toString();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot resolve " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * The Hadoop configuration for the executors, broadcast once. Every job on the cached data ships
   * the data's lineage in its task binary, so a configuration held there directly would be
   * serialized with every training step and deserialized by every task.
   */
  static Broadcast<SerializableConfiguration> broadcastConf(
      JavaSparkContext jsc, Configuration conf) {
    return jsc.broadcast(new SerializableConfiguration(conf));
  }

  /** Reads the IDX record range held by each partition. */
  private static final class ReadIdxRanges
      implements org.apache.spark.api.java.function.FlatMapFunction<
          Iterator<long[]>, ExampleBlock> {
    private static final long serialVersionUID = 1L;
    private final IdxDataset dataset;
    private final DataShape shape;
    private final int blockSize;
    private final Broadcast<SerializableConfiguration> conf;

    ReadIdxRanges(
        IdxDataset dataset,
        DataShape shape,
        int blockSize,
        Broadcast<SerializableConfiguration> conf) {
      this.dataset = dataset;
      this.shape = shape;
      this.blockSize = blockSize;
      this.conf = conf;
    }

    @Override
    public Iterator<ExampleBlock> call(Iterator<long[]> ranges) {
      if (!ranges.hasNext()) {
        return java.util.Collections.emptyIterator();
      }
      long[] range = ranges.next();
      return dataset.readBlocks(conf.value().get(), shape, range[0], range[1], blockSize);
    }
  }
}
