package io.sparkprop.spark.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.cli.Failures;
import io.sparkprop.data.BadRecords;
import io.sparkprop.data.DataFormatException;
import io.sparkprop.data.DataShape;
import io.sparkprop.data.DataSource;
import io.sparkprop.data.ExampleBlock;
import io.sparkprop.data.Sparsity;
import io.sparkprop.spark.LocalSpark;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.io.compress.BZip2Codec;
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

  /** The source loaded as a training set in blocks of 4, cached in memory. */
  private static Datasets.Cached cacheTrain(DataSource source) {
    return cacheTrain(source, SHAPE);
  }

  private static Datasets.Cached cacheTrain(DataSource source, DataShape shape) {
    return Datasets.loadAndCache(jsc, "train", source, shape, 0, 4, StorageLevel.MEMORY_ONLY());
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

  /**
   * Compressed text is read transparently (the codec chosen by the file name), and a glob takes
   * exactly the files it matches, in name order.
   */
  @Test
  void load_gzipAndBzip2Files_andAGlob_readTheSameExamples(@TempDir Path dir) throws IOException {
    List<String> lines = libsvmLines(30);
    Path plain = dir.resolve("plain.libsvm");
    Files.write(plain, lines);
    byte[] text = Files.readAllBytes(plain);
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("z.gz")))) {
      out.write(text);
    }
    BZip2Codec bzip2 = new BZip2Codec();
    bzip2.setConf(jsc.hadoopConfiguration());
    try (OutputStream out = bzip2.createOutputStream(Files.newOutputStream(dir.resolve("z.bz2")))) {
      out.write(text);
    }
    List<double[]> expected = featureColumns(load(plain.toString()));
    assertEquals(30, expected.size());
    for (String compressed : List.of("z.gz", "z.bz2")) {
      List<double[]> read = featureColumns(load(dir.resolve(compressed).toString()));
      assertEquals(expected.size(), read.size(), compressed);
      for (int i = 0; i < expected.size(); i++) {
        assertArrayEquals(expected.get(i), read.get(i), compressed + " example " + i);
      }
    }

    Path parts = Files.createDirectory(dir.resolve("parts"));
    Files.write(parts.resolve("a.libsvm"), lines.subList(0, 10));
    Files.write(parts.resolve("b.libsvm"), lines.subList(10, 25));
    Files.write(parts.resolve("c.txt"), lines.subList(25, 30));
    List<double[]> globbed = featureColumns(load(parts + "/*.libsvm"));
    assertEquals(25, globbed.size(), "a and b, not c");
    for (int i = 0; i < 25; i++) {
      assertArrayEquals(expected.get(i), globbed.get(i), "example " + i + " in name order");
    }
  }

  private static List<ExampleBlock> load(String path) {
    return DataLoader.load(jsc, DataSource.libsvm(path), SHAPE, 0, 8, true).collect();
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
        assertThrows(Exception.class, () -> cacheTrain(DataSource.libsvm(file.toString())));
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
        assertThrows(Exception.class, () -> cacheTrain(DataSource.libsvm(dir.toString())));
    String message = Failures.userFacingCause(e).getMessage();
    assertTrue(message.endsWith("part-00001:2: feature 2 must be finite, found NaN"), message);
  }

  /** Hadoop's largest input split while {@code body} runs, so one file is read by many tasks. */
  private static <T> T withMaxSplitBytes(long bytes, java.util.function.Supplier<T> body) {
    String key = "mapreduce.input.fileinputformat.split.maxsize";
    jsc.hadoopConfiguration().setLong(key, bytes);
    try {
      return body.get();
    } finally {
      jsc.hadoopConfiguration().unset(key);
    }
  }

  /** Two part files with three malformed lines between them (lines 3 and 7, and line 2). */
  private static DataSource partsWithThreeBadLines(Path dir, BadRecords policy) throws IOException {
    List<String> first = libsvmLines(10);
    first.set(2, "1 1:1 1:2");
    first.set(6, "x 1:7 3:-7");
    Files.write(dir.resolve("part-00000"), first);
    List<String> second = libsvmLines(4);
    second.set(1, "1 2:1e999");
    Files.write(dir.resolve("part-00001"), second);
    return DataSource.libsvm(dir.toString()).withBadRecords(policy);
  }

  @Test
  void load_skipPolicy_leavesOutExactlyTheBadLines_acrossManySplits(@TempDir Path dir)
      throws IOException {
    DataSource source = partsWithThreeBadLines(dir, new BadRecords(true, 3));
    Datasets.Cached cached = withMaxSplitBytes(24, () -> cacheTrain(source));
    assertTrue(cached.blocks().getNumPartitions() >= 6, "each file read in several splits");
    assertEquals(3, cached.skipped());
    assertEquals(11, cached.examples());
    // The good lines of part-00000 are i = 1, 2, 4, 5, 6, 8, 9, 10 ("label 1:i 3:-i"), then
    // part-00001's i = 1, 3, 4.
    List<Double> firstFeatures =
        featureColumns(cached.blocks().collect()).stream().map(c -> c[0]).toList();
    assertEquals(List.of(1.0, 2.0, 4.0, 5.0, 6.0, 8.0, 9.0, 10.0, 1.0, 3.0, 4.0), firstFeatures);
    cached.blocks().unpersist(true);
  }

  @Test
  void load_skipPolicy_moreBadLinesThanAllowed_failsListingEachFile(@TempDir Path dir)
      throws IOException {
    DataSource source = partsWithThreeBadLines(dir, new BadRecords(true, 2));
    Exception e =
        assertThrows(Exception.class, () -> withMaxSplitBytes(24, () -> cacheTrain(source)));
    String message = Failures.userFacingCause(e).getMessage();
    assertTrue(
        message.startsWith(dir + ": 3 bad records, more than --max-bad-records 2 allows: "),
        message);
    assertTrue(
        message.contains(
            "part-00000: 2 bad records (lines 3, 7); first: line 3: "
                + "feature indices must increase, found 1 after 1"),
        message);
    assertTrue(
        message.contains(
            "part-00001: 1 bad record (line 2); first: line 2: "
                + "feature 2 must be finite, found 1e999"),
        message);
  }

  @Test
  void load_skipPolicy_oneSplitOverTheLimit_stopsAtTheFirstLineTooMany(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("train.libsvm");
    List<String> lines = libsvmLines(20);
    for (int bad : new int[] {4, 9, 15}) {
      lines.set(bad - 1, "1 1:1:1");
    }
    Files.write(file, lines);
    DataSource source = DataSource.libsvm(file.toString()).withBadRecords(new BadRecords(true, 1));
    Exception e = assertThrows(Exception.class, () -> cacheTrain(source));
    String message = Failures.userFacingCause(e).getMessage();
    assertTrue(
        message.endsWith(
            "train.libsvm:9: feature 1 is not a number (found '1:1') "
                + "(more than --max-bad-records 1 bad records; stopped here)"),
        message);
  }

  @Test
  void load_skipPolicy_badCsvHeader_stillFails(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("train.csv");
    Files.write(file, List.of("label,a,b", "1,0.1,0.2,0.3"));
    DataSource source =
        DataSource.csv(file.toString(), ',', 0, true).withBadRecords(new BadRecords(true, 10));
    Exception e = assertThrows(Exception.class, () -> cacheTrain(source));
    String message = Failures.userFacingCause(e).getMessage();
    assertTrue(
        message.endsWith("train.csv:1: header has 3 columns, expected 4 (3 features and a label)"),
        message);
  }

  /**
   * A directory of part files where only the first carries a header: the second's first row is
   * data, and --header would drop it silently; an all-number header line is refused instead.
   */
  @Test
  void load_headerOnOnlyOnePartFile_numericFirstRowIsRefused(@TempDir Path dir) throws IOException {
    Files.write(dir.resolve("part-00000.csv"), List.of("label,a,b,c", "1,0.1,0.2,0.3"));
    Files.write(dir.resolve("part-00001.csv"), List.of("0,0.4,0.5,0.6", "1,0.7,0.8,0.9"));
    DataSource source =
        DataSource.csv(dir.toString(), ',', 0, true).withBadRecords(new BadRecords(true, 10));
    Exception e = assertThrows(Exception.class, () -> cacheTrain(source));
    String message = Failures.userFacingCause(e).getMessage();
    assertTrue(
        message.endsWith(
            "part-00001.csv:1: with --header every file starts with a header line, but this one"
                + " is all numbers (found '0,0.4,0.5,0.6'): is it a data row of a file without a"
                + " header?"),
        message);

    Files.write(dir.resolve("part-00001.csv"), List.of("y,1,2,3", "0,0.4,0.5,0.6"));
    assertEquals(2, cacheTrain(source).examples(), "a header of names, some numeric, is a header");
  }

  /** A gzip file cut short fails as a fault of that file, in one line, whatever the policy. */
  @Test
  void load_truncatedGzip_namesTheFileAsTruncated(@TempDir Path dir) throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(bytes)) {
      gz.write(
          String.join("\n", libsvmLines(200)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    byte[] whole = bytes.toByteArray();
    Path file = dir.resolve("train.libsvm.gz");
    Files.write(file, java.util.Arrays.copyOf(whole, whole.length / 2));
    for (boolean skip : new boolean[] {false, true}) {
      DataSource source =
          DataSource.libsvm(file.toString()).withBadRecords(new BadRecords(skip, 10));
      Exception e = assertThrows(Exception.class, () -> cacheTrain(source));
      String message = Failures.userFacingCause(e).getMessage();
      assertTrue(
          message.endsWith(
              "train.libsvm.gz: cannot be read to its end (Unexpected end of input stream); is it"
                  + " a truncated or damaged compressed file?"),
          message);
    }
    Files.write(file, whole);
    assertEquals(200, cacheTrain(DataSource.libsvm(file.toString())).examples(), "whole, it reads");
  }

  /** A UTF-8 byte-order mark before the first line (Windows editors write one) is not data. */
  @Test
  void load_byteOrderMarkBeforeTheFirstLine_isSkipped(@TempDir Path dir) throws IOException {
    List<String> lines = libsvmLines(6);
    Path plain = Files.write(dir.resolve("plain.libsvm"), lines);
    Path marked = dir.resolve("marked.libsvm");
    Files.writeString(marked, "\uFEFF" + String.join("\n", lines) + "\n");
    assertEquals(Files.size(plain) + 3, Files.size(marked), "the mark is three bytes: EF BB BF");
    List<double[]> expected = labelsAndFeatures(cacheTrain(DataSource.libsvm(plain.toString())));
    List<double[]> actual = labelsAndFeatures(cacheTrain(DataSource.libsvm(marked.toString())));
    assertEquals(6, actual.size());
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), actual.get(i), "example " + i);
    }
  }

  /** Each example as its targets followed by its features, sorted. */
  private static List<double[]> labelsAndFeatures(Datasets.Cached cached) {
    List<double[]> all = new ArrayList<>();
    int n0 = SHAPE.numFeatures();
    int nL = SHAPE.numOutputs();
    for (ExampleBlock b : cached.blocks().collect()) {
      double[] x = b.features();
      double[] y = b.targets();
      for (int c = 0; c < b.size(); c++) {
        double[] row = new double[nL + n0];
        System.arraycopy(y, c * nL, row, 0, nL);
        System.arraycopy(x, c * n0, row, nL, n0);
        all.add(row);
      }
    }
    all.sort(java.util.Arrays::compare);
    return all;
  }

  /**
   * --sparse: auto keeps a block of few nonzeros sparse and a dense one dense; on and off force.
   */
  @Test
  void load_sparsity_autoChoosesByDensity_onAndOffForce(@TempDir Path dir) throws IOException {
    DataShape wide = new DataShape(400, 2, DataShape.LabelKind.CLASS_INDEX);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      lines.add((i % 2) + " " + (i + 1) + ":1 " + (i + 200) + ":0.5");
    }
    Path sparse = Files.write(dir.resolve("sparse.libsvm"), lines);
    Path dense = Files.write(dir.resolve("dense.libsvm"), libsvmLines(20));
    DataSource few = DataSource.libsvm(sparse.toString());
    assertEquals(20, cacheTrain(few, wide).sparseExamples(), "2 of 400: sparse");
    assertEquals(0, cacheTrain(few.withSparsity(Sparsity.OFF), wide).sparseExamples());
    DataSource many = DataSource.libsvm(dense.toString());
    assertEquals(0, cacheTrain(many).sparseExamples(), "2 of 3 features: dense");
    assertEquals(20, cacheTrain(many.withSparsity(Sparsity.ON)).sparseExamples());
  }

  @Test
  void load_directoryOfOnlyHiddenFiles_saysNoDataFiles(@TempDir Path dir) throws IOException {
    Files.write(dir.resolve("_SUCCESS"), List.of());
    Files.write(dir.resolve(".part-00000.crc"), List.of("x"));
    DataFormatException e =
        assertThrows(
            DataFormatException.class, () -> cacheTrain(DataSource.libsvm(dir.toString())));
    assertEquals(dir + ": holds no data files", e.getMessage());
  }

  @Test
  void requireTwoClasses_oneClassOnly_isRefused_twoAreAccepted(@TempDir Path dir)
      throws IOException {
    Path ones = dir.resolve("ones.libsvm");
    Files.write(ones, List.of("1 1:1", "1 2:1", "1 3:1"));
    Datasets.Cached cached = cacheTrain(DataSource.libsvm(ones.toString()), SHAPE);
    DataFormatException e =
        assertThrows(
            DataFormatException.class,
            () -> Datasets.requireTwoClasses(cached, SHAPE, ones.toString()));
    assertTrue(e.getMessage().startsWith(ones + ": every example has label 1 "), e.getMessage());
    cached.blocks().unpersist(true);

    // One sigmoid output: every label 0 is one class too; a 1 among them makes two.
    DataShape binary = new DataShape(3, 1, DataShape.LabelKind.BINARY);
    Path zeros = dir.resolve("zeros.libsvm");
    Files.write(zeros, List.of("0 1:1", "0 2:1"));
    Datasets.Cached allZero = cacheTrain(DataSource.libsvm(zeros.toString()), binary);
    e =
        assertThrows(
            DataFormatException.class,
            () -> Datasets.requireTwoClasses(allZero, binary, zeros.toString()));
    assertTrue(e.getMessage().startsWith(zeros + ": every example has label 0 "), e.getMessage());
    allZero.blocks().unpersist(true);

    Files.write(zeros, List.of("0 1:1", "0 2:1", "1 3:1"));
    Datasets.Cached both = cacheTrain(DataSource.libsvm(zeros.toString()), binary);
    Datasets.requireTwoClasses(both, binary, zeros.toString());
    both.blocks().unpersist(true);
  }

  @Test
  void load_csvWithHeaderAndRaggedRow_namesLine(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("train.csv");
    Files.write(file, List.of("label,a,b,c", "1,0.1,0.2,0.3", "0,0.1,0.2"));
    Exception e =
        assertThrows(
            Exception.class, () -> cacheTrain(DataSource.csv(file.toString(), ',', 0, true)));
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
    Datasets.Cached cached = cacheTrain(DataSource.csv(file.toString(), ',', 0, true));
    assertEquals(2, cached.examples());
    cached.blocks().unpersist(true);
  }

  @Test
  void loadSplit_validationFraction_isDisjointCompleteAndIndependentOfPartitioning(
      @TempDir Path dir) throws IOException {
    Path file = dir.resolve("train.libsvm");
    int n = 2000;
    Files.write(file, libsvmLines(n));
    DataSource source = DataSource.libsvm(file.toString());
    // Each example goes to validation with probability 1/4: within 5 standard deviations.
    double sigma = Math.sqrt(n * 0.25 * 0.75);
    List<Long> trainIds = new ArrayList<>();
    List<Long> validationIds = new ArrayList<>();
    for (int partitions : new int[] {0, 3}) {
      Datasets.Split split =
          Datasets.loadSplitAndCache(
              jsc, source, SHAPE, partitions, 16, StorageLevel.MEMORY_ONLY(), 0.25, 7);
      List<Long> t = sortedIds(split.train().blocks());
      List<Long> v = sortedIds(split.validation().blocks());
      assertEquals(n, t.size() + v.size());
      assertTrue(Math.abs(v.size() - n * 0.25) <= 5 * sigma, v.size() + " of " + n + " for 25 %");
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
            DataFormatException.class, () -> cacheTrain(DataSource.libsvm(file.toString())));
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

  /**
   * Prediction reads no labels: a bad label file beside the images is neither opened nor checked.
   */
  @Test
  void load_idxForPrediction_ignoresABadLabelFile() {
    Path fixtures = Path.of("src/test/resources/data").toAbsolutePath();
    DataSource source =
        DataSource.idx(
            fixtures.resolve("tiny-images-idx3-ubyte").toString(),
            fixtures.resolve("short-labels-idx1-ubyte").toString());
    DataShape shape = new DataShape(4, 3, DataShape.LabelKind.CLASS_INDEX);
    assertEquals(
        3,
        DataLoader.load(jsc, source, shape, 2, 8, false)
            .map(ExampleBlock::size)
            .reduce(Integer::sum));
    DataFormatException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            DataFormatException.class, () -> DataLoader.load(jsc, source, shape, 2, 8, true));
    assertTrue(e.getMessage().contains("short-labels-idx1-ubyte"), e.getMessage());
  }

  /** A file name holding glob characters is read, listed from its directory or named itself. */
  @Test
  void load_fileNamedLikeAGlob_isReadAsItself(@TempDir Path dir) throws IOException {
    Path parts = Files.createDirectory(dir.resolve("parts"));
    Path odd = Files.write(parts.resolve("x[1]{a,b}*.libsvm"), libsvmLines(5));
    Files.write(parts.resolve("x1a.libsvm"), libsvmLines(2));
    assertEquals(7, featureColumns(load(parts.toString())).size(), "both files, once each");
    assertEquals(5, featureColumns(load(odd.toString())).size(), "the file itself");
  }

  @Test
  void concentrated_fewerHoldersThanExecutorsAndPartitionsAllow() {
    assertTrue(Datasets.concentrated(1, 2, 4), "4 partitions on 1 of 2 executors");
    assertTrue(!Datasets.concentrated(2, 2, 4), "spread over both");
    assertTrue(!Datasets.concentrated(1, 2, 1), "one partition can only sit on one executor");
    assertTrue(!Datasets.concentrated(2, 3, 2), "two partitions on two of three executors");
  }
}
