package io.sparkprop.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.ReferenceNetwork;
import io.sparkprop.model.MllibModelDirectory;
import io.sparkprop.model.Model;
import io.sparkprop.model.ModelFile;
import io.sparkprop.model.ModelFormatException;
import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.spark.LocalSpark;
import io.sparkprop.spark.load.TableLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models cross to Spark MLlib and back: an exported directory is what MLlib's own reader loads,
 * with the same weights bit for bit and the network's probabilities; a directory MLlib trained and
 * saved reads as the same network; what MLlib cannot represent is refused, naming why.
 */
class MllibExportTest {
  private static final double SAME = 1e-12;

  private static JavaSparkContext jsc;
  private static SparkSession spark;
  private static Configuration conf;

  @BeforeAll
  static void start() {
    jsc = LocalSpark.start("mllib-export");
    spark = TableLoader.session(jsc);
    conf = jsc.hadoopConfiguration();
  }

  @AfterAll
  static void stop() {
    jsc.stop();
  }

  private static Model sigmoidSoftmax(int[] layers, long seed) {
    NetworkSpec spec =
        new NetworkSpec(layers, Activation.SIGMOID, Activation.SOFTMAX, Loss.CROSS_ENTROPY);
    SplittableRandom random = new SplittableRandom(seed);
    double[] w = new double[spec.numParameters()];
    for (int i = 0; i < w.length; i++) {
      w[i] = random.nextDouble(-2, 2);
    }
    return new Model(spec, w, Map.of("createdBy", "test"));
  }

  /** Rows of random features (and a class label) of width n. */
  private static Dataset<Row> examples(int n, int rows, int classes, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Row> list = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      double[] x = new double[n];
      int label = i % classes;
      for (int j = 0; j < n; j++) {
        x[j] = random.nextDouble(-1, 1) + (j % classes == label ? 1.5 : 0);
      }
      list.add(RowFactory.create((double) label, Vectors.dense(x)));
    }
    StructType schema =
        new StructType()
            .add("label", DataTypes.DoubleType, false)
            .add("features", SQLDataTypes.VectorType(), false);
    return spark.createDataFrame(list, schema);
  }

  /** The one part file of a saved stage's metadata, however Spark names it. */
  private static Path metadataFile(Path stage) throws IOException {
    try (Stream<Path> files = Files.list(stage.resolve("metadata"))) {
      List<Path> parts = files.filter(p -> p.getFileName().toString().startsWith("part-")).toList();
      assertEquals(1, parts.size(), parts.toString());
      return parts.get(0);
    }
  }

  @Test
  void export_isLoadedByMllib_withTheSameWeights_andScoresAsTheNetwork(@TempDir Path dir)
      throws IOException {
    Model model = sigmoidSoftmax(new int[] {6, 5, 4, 3}, 1);
    String path = dir.resolve("mllib").toString();
    MllibExport.save(model, path, spark);

    MultilayerPerceptronClassificationModel loaded =
        MultilayerPerceptronClassificationModel.load(path);
    assertArrayEquals(new int[] {6, 5, 4, 3}, loaded.getLayers());
    assertArrayEquals(model.weights(), loaded.weights().toArray(), 0.0, "bit for bit");
    ReferenceNetwork reference =
        new ReferenceNetwork(new int[] {6, 5, 4, 3}, "sigmoid", "softmax", model.weights());
    List<Row> scored =
        loaded
            .transform(examples(6, 60, 3, 2))
            .select("features", "probability", "prediction")
            .collectAsList();
    assertEquals(60, scored.size());
    for (Row row : scored) {
      double[] x = ((Vector) row.get(0)).toArray();
      assertArrayEquals(reference.outputs(x), ((Vector) row.get(1)).toArray(), SAME);
      assertEquals(reference.predictedClass(x), row.getDouble(2));
    }
    String metadata = Files.readString(metadataFile(dir.resolve("mllib")));
    assertFalse(metadata.contains("initialWeights"), "the weights are data, not a param");
    assertFalse(metadata.contains("\"maxIter\":0"), "no trace of the zero-iteration fit");
  }

  @Test
  void export_thenImport_givesBackTheModelBitForBit(@TempDir Path dir) throws IOException {
    Model model = sigmoidSoftmax(new int[] {3, 2}, 4);
    String path = dir.resolve("lr-like").toString();
    MllibExport.save(model, path, spark);
    Model back = ModelFile.read(path, conf);
    assertEquals(model.spec(), back.spec());
    assertArrayEquals(model.weights(), back.weights(), 0.0);
    assertEquals(MllibModelDirectory.MODEL_CLASS, back.metadata().get("importedFrom"));
    assertEquals(spark.version(), back.metadata().get("mllibSparkVersion"));
  }

  @Test
  void aModelMllibTrained_readsAsTheSameNetwork(@TempDir Path dir) throws IOException {
    Dataset<Row> data = examples(4, 90, 3, 5);
    MultilayerPerceptronClassificationModel trained =
        new MultilayerPerceptronClassifier()
            .setLayers(new int[] {4, 5, 3})
            .setMaxIter(15)
            .setSeed(7)
            .fit(data);
    String path = dir.resolve("trained").toString();
    trained.write().save(path);

    Model read = ModelFile.read(path, conf);
    NetworkSpec spec = read.spec();
    assertArrayEquals(new int[] {4, 5, 3}, spec.layerSizes());
    assertEquals(Activation.SIGMOID, spec.hiddenActivation());
    assertEquals(Activation.SOFTMAX, spec.outputActivation());
    assertEquals(Loss.CROSS_ENTROPY, spec.loss());
    assertArrayEquals(trained.weights().toArray(), read.weights(), 0.0);
    assertEquals(trained.uid(), read.metadata().get("mllibUid"));
    ReferenceNetwork ours =
        new ReferenceNetwork(new int[] {4, 5, 3}, "sigmoid", "softmax", read.weights());
    for (Row row : trained.transform(data).select("features", "probability").collectAsList()) {
      double[] x = ((Vector) row.get(0)).toArray();
      assertArrayEquals(((Vector) row.get(1)).toArray(), ours.outputs(x), SAME);
    }
  }

  @Test
  void aSpark2Directory_withLayersBesideTheWeights_reads(@TempDir Path dir) throws IOException {
    Model model = sigmoidSoftmax(new int[] {3, 4, 2}, 8);
    Path root = dir.resolve("spark2");
    Files.createDirectories(root.resolve("metadata"));
    Files.writeString(
        root.resolve("metadata/part-00000"),
        "{\"class\":\""
            + MllibModelDirectory.MODEL_CLASS
            + "\",\"timestamp\":1,"
            + "\"sparkVersion\":\"2.4.8\",\"uid\":\"mlpc_old\",\"paramMap\":{\"maxIter\":100}}\n");
    StructType schema =
        new StructType()
            .add("layers", DataTypes.createArrayType(DataTypes.IntegerType, false))
            .add("weights", SQLDataTypes.VectorType());
    Row row =
        RowFactory.create(
            scala.jdk.javaapi.CollectionConverters.asScala(List.of(3, 4, 2)).toSeq(),
            Vectors.dense(model.weights()));
    spark
        .createDataFrame(List.of(row), schema)
        .repartition(1)
        .write()
        .parquet(root.resolve("data").toString());
    Model read = ModelFile.read(root.toString(), conf);
    assertArrayEquals(new int[] {3, 4, 2}, read.spec().layerSizes());
    assertArrayEquals(model.weights(), read.weights(), 0.0);

    double[] damaged = model.weights().clone();
    damaged[3] = Double.NaN;
    Row nan =
        RowFactory.create(
            scala.jdk.javaapi.CollectionConverters.asScala(List.of(3, 4, 2)).toSeq(),
            Vectors.dense(damaged));
    spark
        .createDataFrame(List.of(nan), schema)
        .repartition(1)
        .write()
        .mode("overwrite")
        .parquet(root.resolve("data").toString());
    assertEquals(
        root + ": weight 3 is NaN",
        assertThrows(ModelFormatException.class, () -> ModelFile.read(root.toString(), conf))
            .getMessage());
  }

  @Test
  void whatMllibCannotRepresent_isRefusedNamingWhyAndSuggestingOnnx() {
    NetworkSpec tanh =
        new NetworkSpec(
            new int[] {3, 4, 2}, Activation.TANH, Activation.SOFTMAX, Loss.CROSS_ENTROPY);
    Model model = new Model(tanh, new double[tanh.numParameters()], Map.of());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> MllibExport.toMllib(model, spark));
    assertEquals(
        "Spark MLlib's MLP cannot represent this "
            + tanh
            + " model: hidden activation tanh (MLlib's hidden layers are sigmoid); export it as"
            + " ONNX (--format onnx)",
        e.getMessage());
    NetworkSpec binary =
        new NetworkSpec(
            new int[] {3, 4, 1}, Activation.RELU, Activation.SIGMOID, Loss.CROSS_ENTROPY);
    assertEquals(
        "hidden activation relu (MLlib's hidden layers are sigmoid) and output sigmoid over 1 unit"
            + " (MLlib's output is softmax over 2 or more classes)",
        MllibExport.unsupported(binary));
    NetworkSpec regression =
        new NetworkSpec(new int[] {3, 2}, Activation.TANH, Activation.IDENTITY, Loss.SQUARED_ERROR);
    assertEquals(
        "output identity over 2 units (MLlib's output is softmax over 2 or more classes)",
        MllibExport.unsupported(regression),
        "without hidden layers the hidden activation does not matter");
    assertEquals(
        null,
        MllibExport.unsupported(
            new NetworkSpec(
                new int[] {3, 2}, Activation.TANH, Activation.SOFTMAX, Loss.CROSS_ENTROPY)));
  }

  @Test
  void anotherSparkMlModel_orDamagedDirectory_isRefusedNamingTheProblem(@TempDir Path dir)
      throws IOException {
    String logistic = dir.resolve("lr").toString();
    new LogisticRegression().setMaxIter(2).fit(examples(3, 30, 2, 9)).write().save(logistic);
    assertEquals(
        logistic
            + ": is a Spark ML model of class"
            + " org.apache.spark.ml.classification.LogisticRegressionModel; sparkprop reads "
            + MllibModelDirectory.MODEL_CLASS
            + " directories and its own model files",
        assertThrows(ModelFormatException.class, () -> ModelFile.read(logistic, conf))
            .getMessage());

    String mlp = dir.resolve("mlp").toString();
    MllibExport.save(sigmoidSoftmax(new int[] {3, 4, 2}, 3), mlp, spark);
    Path metadata = metadataFile(Path.of(mlp));
    Files.writeString(metadata, Files.readString(metadata).replace("[3,4,2]", "[3,5,2]"));
    // Edited by hand: Hadoop's checksum beside it no longer matches.
    Files.delete(metadata.resolveSibling("." + metadata.getFileName() + ".crc"));
    assertEquals(
        mlp + ": layers 3-5-2 need 32 weights, the data holds 26",
        assertThrows(ModelFormatException.class, () -> ModelFile.read(mlp, conf)).getMessage());

    Path parquet;
    try (Stream<Path> files = Files.list(Path.of(mlp, "data"))) {
      parquet =
          files.filter(f -> f.getFileName().toString().endsWith(".parquet")).findFirst().get();
    }
    Files.delete(parquet.resolveSibling("." + parquet.getFileName() + ".crc"));
    Files.writeString(parquet, "not parquet at all");
    String damaged =
        assertThrows(ModelFormatException.class, () -> ModelFile.read(mlp, conf)).getMessage();
    assertTrue(
        damaged.startsWith(
            mlp + ": data/" + parquet.getFileName() + " is not a readable Parquet file ("),
        damaged);

    try (Stream<Path> files = Files.list(Path.of(mlp, "data"))) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    assertEquals(
        mlp + ": expected one row of weights in data/*.parquet, found 0",
        assertThrows(ModelFormatException.class, () -> ModelFile.read(mlp, conf)).getMessage());
    assertTrue(Files.isDirectory(Path.of(mlp, "data")));
  }
}
