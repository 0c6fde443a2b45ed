package io.sparkprop.spark.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.Weights;
import io.sparkprop.data.CachePrecision;
import io.sparkprop.data.DataShape;
import io.sparkprop.data.DataSource;
import io.sparkprop.data.ExampleBlock;
import io.sparkprop.data.TableColumns;
import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Initializer;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.optim.OptimizerSpec;
import io.sparkprop.spark.LocalSpark;
import io.sparkprop.spark.Trainer;
import io.sparkprop.spark.TrainerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A table read through Spark SQL (Parquet, ORC, a catalog table) trains exactly like the same rows
 * as LIBSVM text, whichever way its columns hold the features and however it is partitioned; a
 * weight column weighs each row like that many copies of it.
 */
class TableInputTest {
  private static final NetworkSpec SPEC =
      NetworkSpec.of(new int[] {5, 4, 3}, Activation.TANH, Activation.SOFTMAX, Loss.CROSS_ENTROPY);
  private static final DataShape SHAPE = Datasets.shapeOf(SPEC);
  private static final int ROWS = 60;

  /** Summing in another order changes only the last bits; three gd steps stay within this. */
  private static final double MODEL_TOLERANCE = 1e-9;

  private static JavaSparkContext jsc;
  private static SparkSession spark;
  private static double[][] features;
  private static int[] labels;
  private static int[] weights;

  @TempDir static Path dir;

  @BeforeAll
  static void start() throws IOException {
    jsc =
        LocalSpark.start(
            "table-input",
            "local[2]",
            new org.apache.spark.SparkConf()
                .set("spark.sql.warehouse.dir", dir.resolve("warehouse").toString()));
    spark = TableLoader.session(jsc);
    SplittableRandom random = new SplittableRandom(5);
    features = new double[ROWS][SPEC.numInputs()];
    labels = new int[ROWS];
    weights = new int[ROWS];
    for (int i = 0; i < ROWS; i++) {
      for (int f = 0; f < SPEC.numInputs(); f++) {
        // Some zeros, so that sparse vectors and dropped rows both occur.
        features[i][f] = random.nextInt(3) == 0 ? 0 : 2 * random.nextDouble() - 1;
      }
      labels[i] = random.nextInt(SPEC.numOutputs());
      weights[i] = random.nextInt(4); // 0 … 3: a weight of 0 drops the row
    }
    writeLibsvm(dir.resolve("rows.libsvm"), 1);
    writeLibsvm(dir.resolve("repeated.libsvm"), -1);
    writeTable(dir.resolve("rows.parquet").toString(), "parquet");
    writeTable(dir.resolve("rows.orc").toString(), "orc");
    spark.sql("CREATE DATABASE nightly");
    spark
        .read()
        .parquet(dir.resolve("rows.parquet").toString())
        .write()
        .saveAsTable("nightly.rows");
  }

  @AfterAll
  static void stop() {
    jsc.stop();
  }

  /** Each row once ({@code copies} 1) or as many times as its weight (−1). */
  private static void writeLibsvm(Path file, int copies) throws IOException {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      StringBuilder line = new StringBuilder(Integer.toString(labels[i]));
      for (int f = 0; f < SPEC.numInputs(); f++) {
        if (features[i][f] != 0) {
          line.append(' ').append(f + 1).append(':').append(features[i][f]);
        }
      }
      for (int c = 0; c < (copies < 0 ? weights[i] : copies); c++) {
        lines.add(line.toString());
      }
    }
    Files.write(file, lines);
  }

  /**
   * The rows with their features three ways: a vector column (dense in even rows, sparse in odd
   * ones), an array column and five numeric columns; and an integer weight and a key.
   */
  private static void writeTable(String path, String format) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      double[] x = features[i];
      Object[] values = new Object[8 + x.length];
      values[0] = (long) i;
      values[1] = (double) labels[i];
      values[2] = i % 2 == 0 ? Vectors.dense(x) : Vectors.dense(x).toSparse();
      Double[] boxed = new Double[x.length];
      for (int f = 0; f < x.length; f++) {
        boxed[f] = x[f];
        values[3 + f] = x[f];
      }
      values[3 + x.length] = java.util.Arrays.asList(boxed);
      values[4 + x.length] = weights[i];
      values[5 + x.length] = (float) x[0];
      values[6 + x.length] = "text";
      values[7 + x.length] = i % 3 == 0 ? null : 1.0;
      rows.add(RowFactory.create(values));
    }
    List<StructField> fields = new ArrayList<>();
    fields.add(DataTypes.createStructField("id", DataTypes.LongType, false));
    fields.add(DataTypes.createStructField("label", DataTypes.DoubleType, true));
    fields.add(DataTypes.createStructField("features", SQLDataTypes.VectorType(), true));
    for (int f = 0; f < SPEC.numInputs(); f++) {
      fields.add(DataTypes.createStructField("f" + f, DataTypes.DoubleType, true));
    }
    fields.add(
        DataTypes.createStructField(
            "array", DataTypes.createArrayType(DataTypes.DoubleType), true));
    fields.add(DataTypes.createStructField("weight", DataTypes.IntegerType, true));
    fields.add(DataTypes.createStructField("f0float", DataTypes.FloatType, true));
    fields.add(DataTypes.createStructField("name", DataTypes.StringType, true));
    fields.add(DataTypes.createStructField("sometimesNull", DataTypes.DoubleType, true));
    // Three files, so that ids come from more than one file.
    spark
        .createDataFrame(rows, new StructType(fields.toArray(new StructField[0])))
        .repartition(3)
        .write()
        .format(format)
        .save(path);
  }

  private static DataSource table(String path, String reader, TableColumns columns) {
    return DataSource.table(dir.resolve(path).toString(), columns)
        .withPrecision(CachePrecision.FLOAT64);
  }

  private static TableColumns vector(String reader) {
    return TableColumns.vector(reader, "features", "label");
  }

  private static double[] train(DataSource source, int partitions) {
    JavaRDD<ExampleBlock> blocks = DataLoader.load(jsc, source, SHAPE, partitions, 8, true).cache();
    try {
      TrainerConfig config =
          TrainerConfig.builder(SPEC, new OptimizerSpec(OptimizerSpec.Kind.GD, 0.5, 0))
              .steps(3)
              .blockSize(8)
              .build();
      return new Trainer(jsc, config).fit(blocks, Initializer.initialize(SPEC, 3)).weights();
    } finally {
      blocks.unpersist(true);
    }
  }

  /** A vector column feeds sparse blocks as LIBSVM rows do, and trains the same model. */
  @Test
  void table_vectorColumnInSparseBlocks_trainsTheDenseBlocksModel() {
    DataSource dense = table("rows.parquet", "parquet", vector("parquet"));
    DataSource sparse = dense.withSparsity(io.sparkprop.data.Sparsity.ON);
    List<ExampleBlock> blocks = DataLoader.load(jsc, sparse, SHAPE, 2, 8, true).collect();
    assertTrue(blocks.stream().allMatch(ExampleBlock::isSparse), "every block sparse");
    double[] expected = train(dense.withSparsity(io.sparkprop.data.Sparsity.OFF), 2);
    double[] actual = train(sparse, 2);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], MODEL_TOLERANCE * Math.max(1, Math.abs(expected[i])));
    }
  }

  @ParameterizedTest(name = "{0} partition(s)")
  @ValueSource(ints = {1, 3})
  void table_vectorArrayOrNumericColumns_trainsTheModelTheLibsvmTextTrains(int partitions) {
    DataSource text =
        DataSource.libsvm(dir.resolve("rows.libsvm").toString())
            .withPrecision(CachePrecision.FLOAT64);
    double[] expected = train(text, partitions);
    List<String> numeric = List.of("f0", "f1", "f2", "f3", "f4");
    List<DataSource> tables =
        List.of(
            table("rows.parquet", "parquet", vector("parquet")),
            table("rows.parquet", "parquet", TableColumns.vector("parquet", "array", "label")),
            table(
                "rows.parquet",
                "parquet",
                new TableColumns("parquet", null, numeric, "label", null, null)),
            table("rows.orc", "orc", vector("orc")),
            DataSource.table("nightly.rows", vector("table"))
                .withPrecision(CachePrecision.FLOAT64));
    for (DataSource source : tables) {
      double[] actual = train(source, partitions);
      double error = Weights.maxEntryError(expected, actual, 1e-12);
      assertTrue(error < MODEL_TOLERANCE, source + ": " + error);
    }
  }

  @Test
  void weightColumn_integerWeights_trainAsThatManyCopiesOfEachRow() {
    DataSource repeated =
        DataSource.libsvm(dir.resolve("repeated.libsvm").toString())
            .withPrecision(CachePrecision.FLOAT64);
    double[] expected = train(repeated, 2);
    double[] actual =
        train(table("rows.parquet", "parquet", vector("parquet").withWeightCol("weight")), 2);
    double error = Weights.maxEntryError(expected, actual, 1e-12);
    assertTrue(error < MODEL_TOLERANCE, "weighted vs repeated: " + error);
  }

  @Test
  void parquetIds_areTheSameForAnyPartitioning() {
    DataSource source = table("rows.parquet", "parquet", vector("parquet"));
    List<Long> once = ids(DataLoader.load(jsc, source, SHAPE, 0, 8, true).collect());
    List<Long> spread = ids(DataLoader.load(jsc, source, SHAPE, 4, 8, true).collect());
    assertEquals(ROWS, once.size());
    assertEquals(once.stream().sorted().toList(), spread.stream().sorted().toList());
    assertEquals(ROWS, once.stream().distinct().count(), "ids are unique");
  }

  @Test
  void validationSplit_ofAParquetTable_isTheSameForAnyPartitioning() {
    DataSource source = table("rows.parquet", "parquet", vector("parquet"));
    List<List<Long>> validationIds = new ArrayList<>();
    for (int partitions : new int[] {1, 3}) {
      Datasets.Split split =
          Datasets.loadSplitAndCache(
              jsc,
              source,
              SHAPE,
              partitions,
              8,
              org.apache.spark.storage.StorageLevel.MEMORY_ONLY(),
              0.3,
              11);
      assertEquals(ROWS, split.train().examples() + split.validation().examples());
      assertTrue(split.validation().examples() > 0 && split.train().examples() > 0);
      validationIds.add(ids(split.validation().blocks().collect()).stream().sorted().toList());
      split.train().blocks().unpersist(true);
      split.validation().blocks().unpersist(true);
    }
    assertEquals(validationIds.get(0), validationIds.get(1));
  }

  private static List<Long> ids(List<ExampleBlock> blocks) {
    List<Long> ids = new ArrayList<>();
    for (ExampleBlock b : blocks) {
      for (int j = 0; j < b.size(); j++) {
        ids.add(b.id(j));
      }
    }
    return ids;
  }
}
