package io.sparkprop.bench;

import io.sparkprop.data.CachePrecision;
import io.sparkprop.data.DataShape;
import io.sparkprop.data.DataSource;
import io.sparkprop.data.ExampleBlock;
import io.sparkprop.data.TableColumns;
import io.sparkprop.spark.load.Datasets;
import io.sparkprop.spark.load.ExamplesTable;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * scripts/bench.sh --load: how long MNIST's 60 000 training images take to load and cache, and how
 * many bytes the cache holds, read from IDX, from LIBSVM text and from a Parquet table with a
 * vector column, side by side in one local[2] run. The LIBSVM file and the Parquet table are
 * written from the IDX files at the start of the run (the LIBSVM values are the pixels' exact
 * doubles, p × (1/255), as `convert` writes them to Parquet). Each source is loaded {@code
 * --repeats} times in turn (default 3) after one unrecorded warm-up round; the median is reported.
 * Writes target/bench/load.md.
 */
public final class LoadBench {
  private static final int PARTITIONS = 2;
  private static final int BLOCK_SIZE = 128;

  private LoadBench() {}

  private record Source(String name, DataSource source, Path input) {}

  public static void main(String[] args) throws Exception {
    Path mnist = Path.of("data/mnist");
    Path out = Path.of("target/bench");
    int repeats = 3;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--load" -> {}
        case "--mnist" -> mnist = Path.of(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        case "--repeats" -> repeats = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    SparkSession spark =
        SparkSession.builder()
            .master("local[" + PARTITIONS + "]")
            .appName("sparkprop-load-bench")
            .config("spark.ui.enabled", "false")
            .getOrCreate();
    try {
      String table =
          run(JavaSparkContext.fromSparkContext(spark.sparkContext()), mnist, out, repeats);
      Files.createDirectories(out);
      Files.writeString(out.resolve("load.md"), table);
      System.out.println(table);
    } finally {
      spark.stop();
    }
  }

  private static String run(JavaSparkContext jsc, Path mnist, Path out, int repeats)
      throws IOException {
    DataShape shape = Datasets.shapeOf(Bench.spec(new int[] {784, 128, 10}));
    DataSource idx =
        DataSource.idx(
            mnist.resolve("train-images-idx3-ubyte").toString(),
            mnist.resolve("train-labels-idx1-ubyte").toString());
    Path work = out.resolve("load");
    deleteRecursively(work);
    Files.createDirectories(work);
    Path libsvm = work.resolve("train.libsvm");
    Path parquet = work.resolve("train.parquet");
    Datasets.Cached exact =
        Datasets.loadAndCache(
            jsc, "prepare", idx, shape, PARTITIONS, BLOCK_SIZE, StorageLevel.MEMORY_ONLY());
    writeLibsvm(exact.blocks().collect(), shape, libsvm);
    ExamplesTable.write(jsc, exact.blocks(), shape, "parquet", parquet.toString());
    exact.blocks().unpersist(true);

    List<Source> sources =
        List.of(
            new Source("IDX", idx, mnist.resolve("train-images-idx3-ubyte")),
            new Source("LIBSVM", DataSource.libsvm(libsvm.toString()), libsvm),
            new Source(
                "Parquet, vector column",
                DataSource.table(
                        parquet.toString(), TableColumns.vector("parquet", "features", "label"))
                    .withPrecision(CachePrecision.FLOAT32),
                parquet));
    double[][] seconds = new double[sources.size()][repeats];
    long[] memory = new long[sources.size()];
    long[] examples = new long[sources.size()];
    for (int round = -1; round < repeats; round++) {
      for (int s = 0; s < sources.size(); s++) {
        long start = System.nanoTime();
        Datasets.Cached cached =
            Datasets.loadAndCache(
                jsc,
                "train",
                sources.get(s).source(),
                shape,
                PARTITIONS,
                BLOCK_SIZE,
                StorageLevel.MEMORY_ONLY());
        double elapsed = (System.nanoTime() - start) / 1e9;
        memory[s] = Datasets.storedBytes(cached.blocks())[0];
        examples[s] = cached.examples();
        cached.blocks().unpersist(true);
        if (round >= 0) {
          seconds[s][round] = elapsed;
        }
      }
    }
    StringBuilder md = new StringBuilder();
    md.append(
        String.format(
            Locale.ROOT,
            "MNIST train (60 000 × 784), local[%d], %d partitions, median of %d loads%n%n",
            PARTITIONS,
            PARTITIONS,
            repeats));
    md.append(
        "| input | on disk (MB) | load and cache (s) | cached (MB) | cached bytes per example |\n");
    md.append("|---|---|---|---|---|\n");
    for (int s = 0; s < sources.size(); s++) {
      double[] sorted = seconds[s].clone();
      Arrays.sort(sorted);
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %.1f | %.2f | %.1f | %d |%n",
              sources.get(s).name(),
              sizeOnDisk(sources.get(s).input()) / 1e6,
              sorted[sorted.length / 2],
              memory[s] / 1e6,
              memory[s] / examples[s]));
    }
    return md.toString();
  }

  /** The examples as LIBSVM lines, each value the exact double the block decodes to. */
  private static void writeLibsvm(List<ExampleBlock> blocks, DataShape shape, Path file)
      throws IOException {
    double[] x = new double[shape.numFeatures()];
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
      for (ExampleBlock b : blocks) {
        for (int j = 0; j < b.size(); j++) {
          b.copyFeatures(j, 1, x, 0);
          w.write(Integer.toString(b.hotRow(j)));
          for (int f = 0; f < x.length; f++) {
            if (x[f] != 0) {
              w.write(" " + (f + 1) + ":" + x[f]);
            }
          }
          w.newLine();
        }
      }
    }
  }

  private static long sizeOnDisk(Path path) throws IOException {
    if (Files.isRegularFile(path)) {
      return Files.size(path);
    }
    try (Stream<Path> files = Files.walk(path)) {
      return files.filter(Files::isRegularFile).mapToLong(LoadBench::size).sum();
    }
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
