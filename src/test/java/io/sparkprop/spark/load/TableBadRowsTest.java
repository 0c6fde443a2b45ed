package io.sparkprop.spark.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.data.BadRecords;
import io.sparkprop.data.DataFormatException;
import io.sparkprop.data.DataShape;
import io.sparkprop.data.DataSource;
import io.sparkprop.data.TableColumns;
import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.spark.LocalSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every kind of bad row in a table gets the text formats' policy: under fail, an error naming the
 * file, the row's index in it (and the key column's value when one is named), what was expected and
 * what was found; under skip, a count. A missing column or a column of the wrong type fails before
 * any row is read, listing the table's columns.
 */
class TableBadRowsTest {
  private static final NetworkSpec SPEC =
      NetworkSpec.of(new int[] {3, 4, 3}, Activation.TANH, Activation.SOFTMAX, Loss.CROSS_ENTROPY);
  private static final DataShape SHAPE = Datasets.shapeOf(SPEC);
  private static final StructType SCHEMA =
      new StructType()
          .add("id", DataTypes.StringType)
          .add("label", DataTypes.DoubleType, true)
          .add("features", SQLDataTypes.VectorType(), true)
          .add("weight", DataTypes.DoubleType, true)
          .add("name", DataTypes.StringType, true);

  private static JavaSparkContext jsc;
  private static SparkSession spark;

  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    jsc = LocalSpark.start("table-bad-rows");
    spark = TableLoader.session(jsc);
  }

  @AfterAll
  static void stop() {
    jsc.stop();
  }

  private static Row good(String id) {
    return RowFactory.create(id, 1.0, Vectors.dense(0.5, -1, 2), 1.0, "a");
  }

  /** A one-file table: two good rows, then {@code bad} as row 2, then a good row. */
  private static String table(String name, Row bad) {
    String path = dir.resolve(name).toString();
    List<Row> rows = List.of(good("r0"), good("r1"), bad, good("r3"));
    spark.createDataFrame(rows, SCHEMA).coalesce(1).write().parquet(path);
    return path;
  }

  private static DataSource source(String path, TableColumns columns) {
    return DataSource.table(path, columns);
  }

  private static TableColumns vector() {
    return TableColumns.vector("parquet", "features", "label").withWeightCol("weight");
  }

  /** The message a load fails with, unwrapped from Spark's task failure. */
  private static String failure(DataSource source) {
    Exception e =
        assertThrows(
            Exception.class, () -> DataLoader.load(jsc, source, SHAPE, 0, 4, true).count());
    Throwable t = e;
    while (!(t instanceof DataFormatException) && t.getCause() != null) {
      t = t.getCause();
    }
    assertTrue(t instanceof DataFormatException, "a data error: " + e);
    return t.getMessage();
  }

  private static Vector sizeTwo() {
    return Vectors.dense(1, 2);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "null-label|label is null",
        "nan-label|label must be finite, found NaN",
        "label-out-of-range|label must be an integer class in 0..2 for 3 outputs, found 7",
        "fractional-label|label must be an integer class in 0..2 for 3 outputs, found 1.5",
        "null-features|features are null",
        "short-vector|expected 3 features, found a vector of size 2",
        "nan-feature|feature 1 is not finite (found NaN)",
        "infinite-feature|feature 2 is not finite (found Infinity)",
        "null-weight|weight is null",
        "negative-weight|weight must be finite and at least 0, found -1.0",
        "nan-weight|weight must be finite and at least 0, found NaN",
      })
  void badRow_underFail_namesFileRowKeyAndWhatWasWrong(String kind, String expected) {
    Row bad =
        switch (kind) {
          case "null-label" -> RowFactory.create("r2", null, Vectors.dense(1, 2, 3), 1.0, "a");
          case "nan-label" -> RowFactory.create("r2", Double.NaN, Vectors.dense(1, 2, 3), 1.0, "a");
          case "label-out-of-range" ->
              RowFactory.create("r2", 7.0, Vectors.dense(1, 2, 3), 1.0, "a");
          case "fractional-label" -> RowFactory.create("r2", 1.5, Vectors.dense(1, 2, 3), 1.0, "a");
          case "null-features" -> RowFactory.create("r2", 1.0, null, 1.0, "a");
          case "short-vector" -> RowFactory.create("r2", 1.0, sizeTwo(), 1.0, "a");
          case "nan-feature" ->
              RowFactory.create("r2", 1.0, Vectors.dense(1, Double.NaN, 3), 1.0, "a");
          case "infinite-feature" ->
              RowFactory.create(
                  "r2",
                  1.0,
                  Vectors.sparse(3, new int[] {2}, new double[] {Double.POSITIVE_INFINITY}),
                  1.0,
                  "a");
          case "null-weight" -> RowFactory.create("r2", 1.0, Vectors.dense(1, 2, 3), null, "a");
          case "negative-weight" -> RowFactory.create("r2", 1.0, Vectors.dense(1, 2, 3), -1.0, "a");
          case "nan-weight" ->
              RowFactory.create("r2", 1.0, Vectors.dense(1, 2, 3), Double.NaN, "a");
          default -> throw new IllegalArgumentException(kind);
        };
    String path = table(kind, bad);
    String message = failure(source(path, vector()));
    assertTrue(message.startsWith("file:" + path + "/part-"), message);
    assertTrue(message.contains(".parquet: row 2: " + expected), message);

    String keyed = failure(source(path, vector().withKeyCol("id")));
    assertTrue(keyed.contains(": row 2 (id r2): " + expected), keyed);
  }

  @Test
  void badRows_underSkip_areCountedAndTheRestLoaded() {
    String path = dir.resolve("mixed").toString();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      rows.add(good("g" + i));
    }
    rows.add(RowFactory.create("b0", null, Vectors.dense(1, 2, 3), 1.0, "a"));
    rows.add(RowFactory.create("b1", 1.0, sizeTwo(), 1.0, "a"));
    rows.add(RowFactory.create("b2", 9.0, Vectors.dense(1, 2, 3), 1.0, "a"));
    spark.createDataFrame(rows, SCHEMA).coalesce(1).write().parquet(path);

    DataSource skipping = source(path, vector()).withBadRecords(new BadRecords(true, 3));
    Datasets.Cached cached =
        Datasets.loadAndCache(jsc, "train", skipping, SHAPE, 0, 4, StorageLevel.MEMORY_ONLY());
    assertEquals(10, cached.examples());
    assertEquals(3, cached.skipped());
    cached.blocks().unpersist(true);

    DataSource tooMany = source(path, vector()).withBadRecords(new BadRecords(true, 2));
    Exception e =
        assertThrows(
            Exception.class,
            () ->
                Datasets.loadAndCache(
                    jsc, "train", tooMany, SHAPE, 0, 4, StorageLevel.MEMORY_ONLY()));
    Throwable t = e;
    while (!(t instanceof DataFormatException) && t.getCause() != null) {
      t = t.getCause();
    }
    assertTrue(
        t.getMessage().contains(".parquet: row 12: label must be an integer class")
            && t.getMessage().contains("more than --max-bad-records 2 bad records"),
        t.getMessage());
  }

  @Test
  void nullInANumericFeatureColumn_namesTheColumnAndRow() {
    String path =
        table("null-numeric", RowFactory.create("r2", 1.0, Vectors.dense(1, 2, 3), null, "a"));
    TableColumns columns =
        new TableColumns("parquet", null, List.of("label", "weight", "label"), "label", null, "id");
    String message = failure(source(path, columns));
    assertTrue(message.contains(".parquet: row 2 (id r2): column weight is null"), message);
  }

  @Test
  void missingColumn_failsBeforeReadingAndListsTheColumns() {
    String path = table("missing-column", good("r2"));
    DataFormatException e =
        assertThrows(
            DataFormatException.class,
            () ->
                DataLoader.load(
                    jsc,
                    source(path, TableColumns.vector("parquet", "pixels", "label")),
                    SHAPE,
                    0,
                    4,
                    true));
    assertEquals(
        path
            + ": no column 'pixels' (columns: id string, label double, features vector,"
            + " weight double, name string)",
        e.getMessage());
  }

  @Test
  void nonNumericColumn_failsBeforeReadingWithItsType() {
    String path = table("string-column", good("r2"));
    TableColumns columns =
        new TableColumns("parquet", null, List.of("weight", "name", "label"), "label", null, null);
    DataFormatException e =
        assertThrows(
            DataFormatException.class,
            () -> DataLoader.load(jsc, source(path, columns), SHAPE, 0, 4, true));
    assertTrue(
        e.getMessage()
            .startsWith(path + ": column 'name' must be a number, found string (columns:"),
        e.getMessage());

    TableColumns stringFeatures = TableColumns.vector("parquet", "name", "label");
    e =
        assertThrows(
            DataFormatException.class,
            () -> DataLoader.load(jsc, source(path, stringFeatures), SHAPE, 0, 4, true));
    assertTrue(
        e.getMessage()
            .contains("column 'name' must be a vector or an array of numbers, found string"),
        e.getMessage());
  }

  @Test
  void unknownDataSource_saysWhichFormatsExist() {
    String path = table("unknown-source", good("r2"));
    DataFormatException e =
        assertThrows(
            DataFormatException.class,
            () ->
                DataLoader.load(
                    jsc,
                    source(path, TableColumns.vector("parquett", "features", "label")),
                    SHAPE,
                    0,
                    4,
                    true));
    assertTrue(e.getMessage().contains("Spark has no data source 'parquett'"), e.getMessage());
  }
}
