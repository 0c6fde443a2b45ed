package io.sparkprop.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Initializer;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.NetworkSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ModelFileTest {
  private static final Configuration CONF = new Configuration();
  private static final NetworkSpec SPEC =
      NetworkSpec.of(new int[] {5, 4, 3}, Activation.RELU, Activation.SOFTMAX, Loss.CROSS_ENTROPY);

  @Test
  void writeThenRead_awkwardDoubles_roundTripBitExact(@TempDir Path dir) throws IOException {
    double[] weights = Initializer.initialize(SPEC, 3);
    SplittableRandom random = new SplittableRandom(9);
    for (int i = 0; i < weights.length; i++) {
      weights[i] = weights[i] * Math.pow(10, random.nextInt(-300, 300)) + Math.ulp(weights[i]);
    }
    weights[0] = Double.MIN_VALUE;
    weights[1] = -Double.MAX_VALUE;
    weights[2] = -0.0;
    String path = dir.resolve("m.json").toString();
    ModelFile.write(new Model(SPEC, weights, Map.of("k", "v")), path, CONF, false);

    Model read = ModelFile.read(path, CONF);
    assertEquals(SPEC, read.spec());
    for (int i = 0; i < weights.length; i++) {
      assertEquals(
          Double.doubleToRawLongBits(weights[i]),
          Double.doubleToRawLongBits(read.weights()[i]),
          "parameter " + i);
    }
    assertEquals("v", read.metadata().get("k"));
  }

  @Test
  void read_goldenVersion1File_givesHandLaidOutWeights() throws IOException {
    Model model = ModelFile.read("src/test/resources/model/golden-v1.json", CONF);
    assertEquals(
        NetworkSpec.of(
            new int[] {3, 2, 2}, Activation.TANH, Activation.SOFTMAX, Loss.CROSS_ENTROPY),
        model.spec());
    // W^1 rows [0.1 0.2 0.3], [−0.4 −0.5 −0.6] column-major, b^1, then W^2 and b^2 likewise.
    assertArrayEquals(
        new double[] {
          0.1, -0.4, 0.2, -0.5, 0.3, -0.6, 0.01, -0.02, 1.5, 0.125, -2.5, 3.0e-4, 7, -8
        },
        model.weights());
  }

  /**
   * The two ways AtomicFiles writes: through java.nio on the local file system (the default
   * configuration), and through Hadoop's create, hsync and FileContext rename as on HDFS (file: set
   * to Hadoop's raw local file system, which that branch takes).
   */
  static Stream<Configuration> fileSystems() {
    Configuration hadoopPath = new Configuration();
    hadoopPath.set("fs.file.impl", RawLocalFileSystem.class.getName());
    hadoopPath.setBoolean("fs.file.impl.disable.cache", true);
    return Stream.of(CONF, hadoopPath);
  }

  @ParameterizedTest
  @MethodSource("fileSystems")
  void write_existingFileWithoutOverwrite_isRefusedAndFileKept(
      Configuration conf, @TempDir Path dir) throws IOException {
    Path path = dir.resolve("m.json");
    Files.writeString(path, "old");
    Model model = new Model(SPEC, Initializer.initialize(SPEC, 1), Map.of());
    IOException e =
        assertThrows(IOException.class, () -> ModelFile.write(model, path.toString(), conf, false));
    assertTrue(e.getMessage().contains("already exists (pass --overwrite to replace it)"));
    assertEquals("old", Files.readString(path));

    ModelFile.write(model, path.toString(), conf, true);
    assertEquals(SPEC, ModelFile.read(path.toString(), conf).spec());
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count(), "no temporary or checksum files are left behind");
    }
  }

  @ParameterizedTest
  @MethodSource("fileSystems")
  void write_failingContent_leavesOldFileWhole(Configuration conf, @TempDir Path dir)
      throws IOException {
    Path path = dir.resolve("m.json");
    Files.writeString(path, "old complete model");
    assertThrows(
        IOException.class,
        () ->
            AtomicFiles.write(
                path.toString(),
                conf,
                true,
                out -> {
                  out.write("half a mod".getBytes(StandardCharsets.UTF_8));
                  throw new IOException("disk full");
                }));
    assertEquals("old complete model", Files.readString(path));
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count());
    }
  }

  private static String readError(Path dir, String json) throws IOException {
    Path path = dir.resolve("bad.json");
    Files.writeString(path, json);
    return assertThrows(ModelFormatException.class, () -> ModelFile.read(path.toString(), CONF))
        .getMessage();
  }

  private static String golden() throws IOException {
    return Files.readString(Path.of("src/test/resources/model/golden-v1.json"));
  }

  @Test
  void read_malformedFiles_nameFileAndProblem(@TempDir Path dir) throws IOException {
    String g = golden();
    assertTrue(
        readError(dir, g.substring(0, g.length() / 2))
            .contains("bad.json: not a valid JSON model file"));
    assertTrue(
        readError(dir, g.replace("sparkprop-mlp", "other"))
            .endsWith("bad.json: wrong format name (expected sparkprop-mlp, found other)"));
    assertTrue(
        readError(dir, g.replace("\"version\" : 1", "\"version\" : 3"))
            .endsWith("model file v3 is newer than this build supports (v1)"));
    assertTrue(
        readError(dir, g.replace("[ 0.1, 0.2, 0.3 ]", "[ 0.1, 0.2 ]"))
            .endsWith("layer 1 weights row 0: expected 3 numbers, found 2"));
    assertTrue(
        readError(dir, g.replace("\"biases\" : [ 7, -8 ]", "\"biases\" : [ 7 ]"))
            .endsWith("layer 2 biases: expected 2 numbers, found 1"));
    assertTrue(
        readError(dir, g.replace("[ 3, 2, 2 ]", "[ 3, 2, 2, 2 ]"))
            .endsWith("expected 'parameters' with 3 layers for 3-2-2-2, found 2"));
    assertTrue(
        readError(dir, g.replace("1.5", "\"NaN\""))
            .endsWith("layer 2 weight [0][0] is not a number (found \"NaN\")"));
    assertTrue(
        readError(dir, g.replace("1.5", "1e999"))
            .endsWith("layer 2 weight [0][0] is not finite (found Infinity)"));
    assertTrue(
        readError(dir, g.replace("\"tanh\"", "\"swish\"")).contains("unknown activation 'swish'"));
    assertTrue(readError(dir, "").endsWith("expected a JSON object, found an empty file"));
  }

  /**
   * Strict about the document: nothing after it, integers where integers belong; and a small file
   * declaring a huge network is refused by its shapes before any parameter is allocated.
   */
  @Test
  void read_trailingGarbageFractionsAndHugeDeclaredLayers_areRefused(@TempDir Path dir)
      throws IOException {
    String g = golden();
    assertTrue(
        readError(dir, g + "\n{}").contains("bad.json: not a valid JSON model file"),
        "trailing document");
    assertTrue(readError(dir, g + "garbage").contains("not a valid JSON model file"));
    assertTrue(
        readError(dir, g.replace("\"version\" : 1", "\"version\" : 1.5"))
            .endsWith("missing or non-integer 'version'"));
    assertTrue(
        readError(dir, g.replace("[ 3, 2, 2 ]", "[ 3, 2.5, 2 ]"))
            .endsWith("layer size 1 is not an integer (found 2.5)"));
    String huge =
        "{\"format\":\"sparkprop-mlp\",\"version\":1,\"layers\":[46000,46000],"
            + "\"hiddenActivation\":\"tanh\",\"outputActivation\":\"identity\","
            + "\"loss\":\"squared-error\",\"parameters\":[{\"weights\":[],\"biases\":[]}]}";
    assertTrue(huge.length() < 250, "a file of a couple of hundred bytes");
    assertTrue(
        readError(dir, huge).endsWith("layer 1 weights: expected 46000 rows, found 0"),
        "refused by its shapes, not by running out of memory");
  }

  @Test
  void read_aDirectory_saysItIsOne(@TempDir Path dir) throws IOException {
    String path = Files.createDirectory(dir.resolve("model.json")).toString();
    assertEquals(
        path + ": is a directory, neither a model file nor a Spark MLlib model (no metadata/)",
        assertThrows(ModelFormatException.class, () -> ModelFile.read(path, CONF)).getMessage());
  }

  @Test
  void read_missingFile_saysNoSuchFile(@TempDir Path dir) {
    String path = dir.resolve("none.json").toString();
    assertEquals(
        path + ": no such file",
        assertThrows(ModelFormatException.class, () -> ModelFile.read(path, CONF)).getMessage());
  }
}
