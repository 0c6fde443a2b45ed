package io.sparkprop.spark.load;

import io.sparkprop.data.DataFormatException;
import io.sparkprop.data.DataShape;
import io.sparkprop.data.DataSource;
import io.sparkprop.data.Example;
import io.sparkprop.data.ExampleBlock;
import io.sparkprop.data.TableColumns;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;

/**
 * Reads a table through Spark SQL into examples: Parquet, ORC or any other Spark data source, or a
 * catalog table. The columns are checked against the network before any row is read (a missing
 * column or a wrong type fails with the table's columns listed); only the named columns are read,
 * and the executors turn Spark's internal rows straight into examples ({@link ReadRows}), with no
 * Row or Vector object per row.
 */
public final class TableLoader {
  private TableLoader() {}

  /**
   * A DataFrame's rows as blocks of examples, to be persisted by the caller; bad rows fail the job.
   *
   * @param source its columns, and its name in errors
   */
  public static JavaRDD<ExampleBlock> blocks(
      Dataset<Row> table, DataSource source, DataShape shape, int blockSize) {
    Opened opened = open(table, source, shape, true, List.of(), null);
    return DataLoader.pack(
        opened.rows().mapPartitionsWithIndex(opened.reader(), true), source, shape, 0, blockSize);
  }

  /**
   * The session over {@code jsc}'s context, with the Hive catalog when Hive is on the classpath
   * (unless {@code spark.sql.catalogImplementation} says otherwise).
   */
  public static SparkSession session(JavaSparkContext jsc) {
    return builder(jsc.getConf()).getOrCreate();
  }

  /**
   * A session builder for {@code conf}, enabling the Hive catalog as {@link #session} does: how a
   * command starts Spark, so that tables are read through the session it started.
   */
  public static SparkSession.Builder builder(org.apache.spark.SparkConf conf) {
    SparkSession.Builder builder = SparkSession.builder().config(conf);
    if (!conf.contains("spark.sql.catalogImplementation") && hiveIsPresent()) {
      builder.enableHiveSupport();
    }
    return builder;
  }

  private static boolean hiveIsPresent() {
    try {
      Class.forName("org.apache.spark.sql.hive.HiveSessionStateBuilder");
      Class.forName("org.apache.hadoop.hive.conf.HiveConf");
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** The table a source names, as a DataFrame (nothing read yet). */
  public static Dataset<Row> read(SparkSession spark, DataSource source) {
    TableColumns columns = source.table();
    try {
      return columns.isCatalogTable()
          ? spark.table(source.path())
          : spark.read().format(columns.reader()).load(source.path());
    } catch (Exception e) { // Spark throws AnalysisException (checked) undeclared
      throw readFailure(source, e);
    }
  }

  /** Why a table cannot be opened, in the user's terms where Spark's reason is the user's. */
  private static RuntimeException readFailure(DataSource source, Exception e) {
    String message = String.valueOf(e.getMessage());
    if (message.contains("DATA_SOURCE_NOT_FOUND")) {
      return DataFormatException.inFile(
          source.path(),
          "Spark has no data source '"
              + source.table().reader()
              + "' (--format takes libsvm, csv, idx, parquet, orc, table, or a source on the"
              + " classpath such as json or avro)");
    }
    if (e instanceof AnalysisException) {
      return DataFormatException.inFile(source.path(), message.split("\n")[0]);
    }
    return e instanceof RuntimeException r ? r : new IllegalStateException(e);
  }

  /**
   * The examples of a table source, one per row, with the ids and bad-row policy described in
   * {@link ReadRows}.
   *
   * @param requireLabels false for prediction: the label column is then not read
   * @param skipped where rows skipped under the skip policy are reported; null when it fails
   */
  static JavaRDD<Example> examples(
      JavaSparkContext jsc,
      DataSource source,
      DataShape shape,
      boolean requireLabels,
      SkippedRecords skipped) {
    SparkSession spark = session(jsc);
    Dataset<Row> table = read(spark, source);
    Opened opened = open(jsc, source, shape, requireLabels, List.of(), skipped);
    return opened.rows().mapPartitionsWithIndex(opened.reader(), true);
  }

  /**
   * A table's selected rows, not yet converted, and the reader that converts them.
   *
   * @param rows Spark's internal rows of the selected columns (nothing read yet)
   * @param reader turns a partition's rows into examples, carrying the kept columns' values
   * @param kept the kept columns, as the table has them
   */
  public record Opened(JavaRDD<InternalRow> rows, ReadRows reader, StructType kept) {}

  /**
   * Checks a table's columns and selects the example's columns and {@code keepCols}, whose values
   * {@link ReadRows.Examples#kept()} carries to the output of prediction.
   */
  public static Opened open(
      JavaSparkContext jsc,
      DataSource source,
      DataShape shape,
      boolean requireLabels,
      List<String> keepCols,
      SkippedRecords skipped) {
    return open(read(session(jsc), source), source, shape, requireLabels, keepCols, skipped);
  }

  /**
   * Like {@link #open(JavaSparkContext, DataSource, DataShape, boolean, List, SkippedRecords)} for
   * a DataFrame at hand; the source gives its columns and its name in errors.
   */
  public static Opened open(
      Dataset<Row> table,
      DataSource source,
      DataShape shape,
      boolean requireLabels,
      List<String> keepCols,
      SkippedRecords skipped) {
    List<Column> columns = new ArrayList<>();
    RowLayout layout = RowLayout.of(table, source, shape, requireLabels, keepCols, columns);
    Dataset<Row> selected = table.select(columns.toArray(new Column[0]));
    String[] files = layout.fileIds() ? sorted(table.inputFiles()) : null;
    StructType kept = new StructType();
    for (int k : layout.keep()) {
      kept = kept.add(RowLayout.find(table.schema(), layout.names()[k]));
    }
    ReadRows reader =
        new ReadRows(layout, shape, source.path(), files, source.badRecords(), skipped);
    return new Opened(selected.queryExecution().toRdd().toJavaRDD(), reader, kept);
  }

  private static String[] sorted(String[] files) {
    String[] copy = new String[files.length];
    for (int i = 0; i < files.length; i++) {
      copy[i] = fileKey(files[i]);
    }
    Arrays.sort(copy);
    return copy;
  }

  /**
   * A file's URI in one spelling: Spark lists a table's files as {@code file:///d/f} and names a
   * row's file {@code file:/d/f}.
   */
  static String fileKey(String uri) {
    java.net.URI u = java.net.URI.create(uri);
    String authority = u.getRawAuthority() == null ? "" : "//" + u.getRawAuthority();
    return (u.getScheme() == null ? "" : u.getScheme() + ":") + authority + u.getRawPath();
  }
}
