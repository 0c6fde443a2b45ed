package io.sparkprop.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.data.DataFormatException;
import io.sparkprop.data.DataShape;
import io.sparkprop.data.DataSource;
import io.sparkprop.data.ExampleBlock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading real files through Hadoop FS on the executors, in local[2]. */
class DataLoaderTest {
  private static final DataShape SHAPE = new DataShape(3, 2, DataShape.LabelKind.CLASS_INDEX);
  private static JavaSparkContext jsc;

  @BeforeAll
  static void start() {
    jsc = LocalSpark.start("data-loader");
  }

  @AfterAll
  static void stop() {
    jsc.stop();
  }

  /** Lines "label 1:i 3:-i" for i = 1 … n, labels alternating. */
  private static List<String> libsvmLines(int n) {
    List<String> lines = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      lines.add((i % 2) + " 1:" + i + " 3:-" + i);
    }
    return lines;
  }

  private static List<double[]> featureColumns(List<ExampleBlock> blocks) {
    List<double[]> columns = new ArrayList<>();
    for (ExampleBlock b : blocks) {
      for (int j = 0; j < b.size(); j++) {
        columns.add(java.util.Arrays.copyOfRange(b.features(), j * 3, j * 3 + 3));
      }
    }
    return columns;
  }

  @Test
  void load_libsvmFile_keepsEveryExampleInInputOrder(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("train.libsvm");
    Files.write(file, libsvmLines(50));
    List<ExampleBlock> blocks =
        DataLoader.load(jsc, DataSource.libsvm(file.toString()), SHAPE, 0, 8, true).collect();
    List<double[]> columns = featureColumns(blocks);
    assertEquals(50, columns.size());
    for (int i = 1; i <= 50; i++) {
      assertArrayEquals(new double[] {i, 0, -i}, columns.get(i - 1));
    }
    assertTrue(blocks.stream().allMatch(b -> b.size() <= 8));
  }

  @Test
  void load_givenPartitionCount_isDeterministicAndComplete(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("train.libsvm");
    Files.write(file, libsvmLines(40));
    DataSource source = DataSource.libsvm(file.toString());
    for (int partitions : new int[] {1, 3, 8}) {
      var rdd = DataLoader.load(jsc, source, SHAPE, partitions, 4, true);
      assertEquals(partitions, rdd.getNumPartitions());
      List<List<ExampleBlock>> first = rdd.glom().collect();
      List<List<ExampleBlock>> second =
          DataLoader.load(jsc, source, SHAPE, partitions, 4, true).glom().collect();
      assertEquals(ids(first), ids(second), "same input and count → same partitions and order");
      assertEquals(40, ids(first).stream().mapToInt(List::size).sum());
    }
  }

  private static List<List<Long>> ids(List<List<ExampleBlock>> partitions) {
    return partitions.stream()
        .map(
            p ->
                p.stream()
                    .flatMap(
                        b -> {
                          List<Long> ids = new ArrayList<>();
                          for (int j = 0; j < b.size(); j++) {
                            ids.add(b.id(j));
                          }
                          return ids.stream();
                        })
                    .collect(Collectors.toList()))
        .collect(Collectors.toList());
  }

  @Test
  void load_badLineDeepInFile_failsNamingFileAndLine(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("train.libsvm");
    List<String> lines = libsvmLines(30);
    lines.set(16, "1 0:0.5 2:1");
    Files.write(file, lines);
    Exception e =
        assertThrows(
            Exception.class,
            () ->
                Datasets.loadAndCache(
                    jsc,
                    "train",
                    DataSource.libsvm(file.toString()),
                    SHAPE,
                    0,
                    4,
                    StorageLevel.MEMORY_ONLY()));
    Throwable cause = Failures.userFacingCause(e);
    assertTrue(cause instanceof DataFormatException, "got " + e);
    assertTrue(
        cause
            .getMessage()
            .endsWith("train.libsvm:17: feature index 0 is invalid (indices are 1-based)"),
        cause.getMessage());
  }

  @Test
  void load_directoryWithOneBadPart_namesThatPart(@TempDir Path dir) throws IOException {
    Files.write(dir.resolve("part-00000"), libsvmLines(5));
    Files.write(dir.resolve("part-00001"), List.of("1 1:1", "1 1:2 2:NaN"));
    Files.write(dir.resolve("_SUCCESS"), List.of("not data"));
    Exception e =
        assertThrows(
            Exception.class,
            () ->
                Datasets.loadAndCache(
                    jsc,
                    "train",
                    DataSource.libsvm(dir.toString()),
                    SHAPE,
                    0,
                    4,
                    StorageLevel.MEMORY_ONLY()));
    String message = Failures.userFacingCause(e).getMessage();
    assertTrue(message.endsWith("part-00001:2: feature 2 must be finite, found NaN"), message);
  }

  @Test
  void load_csvWithHeaderAndRaggedRow_namesLine(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("train.csv");
    Files.write(file, List.of("label,a,b,c", "1,0.1,0.2,0.3", "0,0.1,0.2"));
    Exception e =
        assertThrows(
            Exception.class,
            () ->
                Datasets.loadAndCache(
                    jsc,
                    "train",
                    DataSource.csv(file.toString(), ',', 0, true),
                    SHAPE,
                    0,
                    4,
                    StorageLevel.MEMORY_ONLY()));
    String message = Failures.userFacingCause(e).getMessage();
    assertTrue(
        message.endsWith(
            "train.csv:3: expected 4 fields (3 features and a label) "
                + "separated by ',', found 3"),
        message);
  }

  @Test
  void load_csvWithHeader_skipsOnlyTheHeader(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("train.csv");
    Files.write(file, List.of("label,a,b,c", "1,0.1,0.2,0.3", "0,1,2,3"));
    Datasets.Cached cached =
        Datasets.loadAndCache(
            jsc,
            "train",
            DataSource.csv(file.toString(), ',', 0, true),
            SHAPE,
            0,
            4,
            StorageLevel.MEMORY_ONLY());
    assertEquals(2, cached.examples());
    cached.blocks().unpersist(true);
  }

  @Test
  void loadSplit_validationFraction_isDisjointCompleteAndIndependentOfPartitioning(
      @TempDir Path dir) throws IOException {
    Path file = dir.resolve("train.libsvm");
    Files.write(file, libsvmLines(200));
    DataSource source = DataSource.libsvm(file.toString());
    List<Long> trainIds = new ArrayList<>();
    List<Long> validationIds = new ArrayList<>();
    for (int partitions : new int[] {0, 3}) {
      Datasets.Split split =
          Datasets.loadSplitAndCache(
              jsc, source, SHAPE, partitions, 16, StorageLevel.MEMORY_ONLY(), 0.25, 7);
      List<Long> t = sortedIds(split.train().blocks());
      List<Long> v = sortedIds(split.validation().blocks());
      assertEquals(200, t.size() + v.size());
      assertTrue(v.size() > 25 && v.size() < 75, v.size() + " of 200 for 25 %");
      assertTrue(t.stream().noneMatch(v::contains), "disjoint");
      if (partitions == 0) {
        trainIds = t;
        validationIds = v;
      } else {
        assertEquals(trainIds, t, "the split does not depend on partitioning");
        assertEquals(validationIds, v);
      }
      split.train().blocks().unpersist(true);
      split.validation().blocks().unpersist(true);
    }
  }

  private static List<Long> sortedIds(org.apache.spark.api.java.JavaRDD<ExampleBlock> blocks) {
    List<Long> ids = new ArrayList<>();
    for (ExampleBlock b : blocks.collect()) {
      for (int j = 0; j < b.size(); j++) {
        ids.add(b.id(j));
      }
    }
    ids.sort(Comparator.naturalOrder());
    return ids;
  }

  @Test
  void load_missingPath_saysNoSuchFile(@TempDir Path dir) {
    String missing = dir.resolve("nope.libsvm").toString();
    DataFormatException e =
        assertThrows(
            DataFormatException.class,
            () -> DataLoader.load(jsc, DataSource.libsvm(missing), SHAPE, 0, 4, true));
    assertEquals(missing + ": no such file or directory", e.getMessage());
  }

  @Test
  void load_emptyFile_saysNoExamples(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("empty.libsvm");
    Files.write(file, new byte[0]);
    DataFormatException e =
        assertThrows(
            DataFormatException.class,
            () ->
                Datasets.loadAndCache(
                    jsc,
                    "train",
                    DataSource.libsvm(file.toString()),
                    SHAPE,
                    0,
                    4,
                    StorageLevel.MEMORY_ONLY()));
    assertEquals(file + ": holds no examples", e.getMessage());
  }

  @Test
  void qualified_relativePath_isAbsoluteAgainstTheDriversWorkingDirectory() {
    String qualified =
        DataLoader.qualified(
            "src/test/resources/data/tiny-images-idx3-ubyte", jsc.hadoopConfiguration());
    assertEquals(
        "file:" + Path.of("src/test/resources/data/tiny-images-idx3-ubyte").toAbsolutePath(),
        qualified);
  }

  @Test
  void load_idxPair_readsRecordRangesInParallel() {
    Path fixtures = Path.of("src/test/resources/data").toAbsolutePath();
    DataSource source = DataSource.idx(fixtures.resolve("tiny-images-idx3-ubyte").toString(), null);
    List<ExampleBlock> blocks =
        DataLoader.load(
                jsc, source, new DataShape(4, 3, DataShape.LabelKind.CLASS_INDEX), 2, 8, true)
            .collect();
    List<Long> ids = new ArrayList<>();
    blocks.forEach(
        b -> {
          for (int j = 0; j < b.size(); j++) {
            ids.add(b.id(j));
          }
        });
    ids.sort(Comparator.naturalOrder());
    assertEquals(List.of(0L, 1L, 2L), ids);
    assertEquals(2, blocks.size(), "two partitions, one block each");
  }

  @Test
  void concentrated_fewerHoldersThanExecutorsAndPartitionsAllow() {
    assertTrue(Datasets.concentrated(1, 2, 4), "4 partitions on 1 of 2 executors");
    assertTrue(!Datasets.concentrated(2, 2, 4), "spread over both");
    assertTrue(!Datasets.concentrated(1, 2, 1), "one partition can only sit on one executor");
    assertTrue(!Datasets.concentrated(2, 3, 2), "two partitions on two of three executors");
  }
}
