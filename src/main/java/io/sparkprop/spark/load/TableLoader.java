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
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.UserDefinedType;

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

  /**
   * Where each part of an example sits in the selected row, and how to name a row in errors.
   *
   * @param features the ordinals of the feature column(s): one vector or array column, or n_0
   *     numeric ones
   * @param vector whether the single feature column is a Spark ML vector
   * @param array whether the single feature column is an array of numbers (cast to double)
   * @param label the label's ordinal, −1 when not read (prediction)
   * @param labelIsArray whether the label is an array of classes
   * @param weight the weight's ordinal, or −1
   * @param key the key's ordinal (cast to string), or −1
   * @param file the ordinals of the file path and split start, or −1 for a source without files
   * @param rowIndex the ordinal of the row's index in its file (Parquet), or −1
   * @param keep the ordinals of the columns carried to prediction output, as the table has them
   * @param keepTypes their types
   * @param names the selected columns' names, for errors
   */
  record RowLayout(
      int[] features,
      boolean vector,
      boolean array,
      int label,
      boolean labelIsArray,
      int weight,
      int key,
      int file,
      int rowIndex,
      int[] keep,
      DataType[] keepTypes,
      String[] names)
      implements java.io.Serializable {

    /** Ids from the file's row index: the same for any partitioning of the same files. */
    boolean fileIds() {
      return rowIndex >= 0;
    }

    /**
     * Checks the table's columns against the source and the network, and lays out the selection.
     *
     * @param columns receives the columns to select, in the layout's order
     * @throws DataFormatException naming the table, the column, what was expected and the table's
     *     columns
     */
    static RowLayout of(
        Dataset<Row> table,
        DataSource source,
        DataShape shape,
        boolean requireLabels,
        List<String> keepCols,
        List<Column> columns) {
      TableColumns cols = source.table();
      StructType schema = table.schema();
      List<String> names = new ArrayList<>();
      int[] features;
      boolean vector = false;
      if (cols.featuresCol() != null) {
        StructField f = field(schema, source, cols.featuresCol());
        vector = isVector(f.dataType());
        if (!vector && !isNumericArray(f.dataType())) {
          throw wrongType(source, f, "a vector or an array of numbers", schema);
        }
        features = new int[] {0};
        columns.add(
            vector ? column(f) : column(f).cast(DataTypes.createArrayType(DataTypes.DoubleType)));
        names.add(f.name());
      } else {
        if (cols.featureCols().size() != shape.numFeatures()) {
          throw DataFormatException.inFile(
              source.path(),
              "the network takes "
                  + shape.numFeatures()
                  + " features, --feature-cols names "
                  + cols.featureCols().size());
        }
        features = new int[cols.featureCols().size()];
        for (int i = 0; i < features.length; i++) {
          features[i] = columns.size();
          columns.add(numeric(schema, source, cols.featureCols().get(i), names));
        }
      }
      int label = -1;
      boolean labelIsArray = false;
      if (requireLabels) {
        StructField f = field(schema, source, cols.labelCol());
        labelIsArray =
            shape.labels() == DataShape.LabelKind.MULTI_LABEL && isNumericArray(f.dataType());
        if (!labelIsArray && !(f.dataType() instanceof NumericType)) {
          throw wrongType(
              source,
              f,
              shape.labels() == DataShape.LabelKind.MULTI_LABEL
                  ? "a number or an array of classes"
                  : "a number",
              schema);
        }
        label = columns.size();
        columns.add(
            column(f)
                .cast(
                    labelIsArray
                        ? DataTypes.createArrayType(DataTypes.DoubleType)
                        : DataTypes.DoubleType));
        names.add(f.name());
      }
      int weight = -1;
      if (cols.weightCol() != null) {
        weight = columns.size();
        columns.add(numeric(schema, source, cols.weightCol(), names));
      }
      int key = -1;
      if (cols.keyCol() != null) {
        StructField f = field(schema, source, cols.keyCol());
        key = columns.size();
        columns.add(column(f).cast(DataTypes.StringType));
        names.add(f.name());
      }
      int[] keep = new int[keepCols.size()];
      DataType[] keepTypes = new DataType[keep.length];
      for (int i = 0; i < keep.length; i++) {
        StructField f = field(schema, source, keepCols.get(i));
        keep[i] = columns.size();
        keepTypes[i] = f.dataType();
        columns.add(column(f));
        names.add(f.name());
      }
      int file = -1;
      int rowIndex = -1;
      StructType metadata = fileMetadata(table);
      if (metadata != null) {
        file = columns.size();
        columns.add(functions.col("_metadata.file_path"));
        columns.add(functions.col("_metadata.file_block_start"));
        names.add("_metadata.file_path");
        names.add("_metadata.file_block_start");
        if (Arrays.asList(metadata.fieldNames()).contains("row_index")) {
          rowIndex = columns.size();
          columns.add(functions.col("_metadata.row_index"));
          names.add("_metadata.row_index");
        }
      }
      return new RowLayout(
          features,
          vector,
          cols.featuresCol() != null && !vector,
          label,
          labelIsArray,
          weight,
          key,
          file,
          rowIndex,
          keep,
          keepTypes,
          names.toArray(new String[0]));
    }

    /** The file metadata a file source offers ({@code _metadata}), or null for other sources. */
    private static StructType fileMetadata(Dataset<Row> table) {
      try {
        DataType type = table.select(functions.col("_metadata")).schema().fields()[0].dataType();
        return type instanceof StructType s ? s : null;
      } catch (Exception e) { // AnalysisException, undeclared: not a file source
        return null; // rows are then named by partition and position
      }
    }

    private static Column numeric(
        StructType schema, DataSource source, String name, List<String> names) {
      StructField f = field(schema, source, name);
      if (!(f.dataType() instanceof NumericType)) {
        throw wrongType(source, f, "a number", schema);
      }
      names.add(f.name());
      return column(f).cast(DataTypes.DoubleType);
    }

    private static Column column(StructField f) {
      return functions.col("`" + f.name().replace("`", "``") + "`");
    }

    /** The field named {@code name}: exactly, else the one matching it ignoring case. */
    static StructField find(StructType schema, String name) {
      StructField caseInsensitive = null;
      for (StructField f : schema.fields()) {
        if (f.name().equals(name)) {
          return f;
        }
        if (f.name().equalsIgnoreCase(name)) {
          caseInsensitive = f;
        }
      }
      return caseInsensitive;
    }

    private static StructField field(StructType schema, DataSource source, String name) {
      StructField f = find(schema, name);
      if (f == null) {
        throw DataFormatException.inFile(
            source.path(), "no column '" + name + "' (columns: " + describe(schema) + ")");
      }
      return f;
    }

    private static DataFormatException wrongType(
        DataSource source, StructField f, String expected, StructType schema) {
      return DataFormatException.inFile(
          source.path(),
          "column '"
              + f.name()
              + "' must be "
              + expected
              + ", found "
              + typeName(f.dataType())
              + " (columns: "
              + describe(schema)
              + ")");
    }

    static String describe(StructType schema) {
      return Arrays.stream(schema.fields())
          .map(f -> f.name() + " " + typeName(f.dataType()))
          .collect(Collectors.joining(", "));
    }

    private static String typeName(DataType type) {
      return isVector(type) ? "vector" : type.simpleString().toLowerCase(Locale.ROOT);
    }

    /**
     * Spark ML's vector type, the older MLlib one (stored alike), or the struct either is stored as
     * (type: 0 sparse, 1 dense; size; indices; values), which is what a format without Spark's type
     * metadata, such as ORC, gives back.
     */
    static boolean isVector(DataType type) {
      if (type instanceof UserDefinedType<?> udt) {
        String name = udt.userClass().getName();
        return name.equals("org.apache.spark.ml.linalg.Vector")
            || name.equals("org.apache.spark.mllib.linalg.Vector");
      }
      return type.simpleString().equals(VECTOR_STORAGE);
    }

    private static final String VECTOR_STORAGE =
        "struct<type:tinyint,size:int,indices:array<int>,values:array<double>>";

    private static boolean isNumericArray(DataType type) {
      return type instanceof ArrayType a && a.elementType() instanceof NumericType;
    }
  }
}
