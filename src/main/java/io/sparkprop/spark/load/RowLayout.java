package io.sparkprop.spark.load;

import io.sparkprop.data.DataFormatException;
import io.sparkprop.data.DataShape;
import io.sparkprop.data.DataSource;
import io.sparkprop.data.TableColumns;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.UserDefinedType;

/**
 * Where each part of an example sits in a table's selected row, and how to name a row in errors.
 *
 * @param features the ordinals of the feature column(s): one vector or array column, or n_0 numeric
 *     ones
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

  /** How a Spark ML vector is stored. */
  private static final String VECTOR_STORAGE =
      "struct<type:tinyint,size:int,indices:array<int>,values:array<double>>";

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
    Selection s = new Selection(table.schema(), source, columns);
    boolean vector = cols.featuresCol() != null && isVector(s.field(cols.featuresCol()).dataType());
    int[] features =
        cols.featuresCol() != null
            ? new int[] {s.features(cols.featuresCol())}
            : s.numericFeatures(cols.featureCols(), shape);
    boolean multiLabel = shape.labels() == DataShape.LabelKind.MULTI_LABEL;
    boolean labelIsArray =
        requireLabels && multiLabel && isNumericArray(s.field(cols.labelCol()).dataType());
    int label = requireLabels ? s.label(cols.labelCol(), multiLabel) : -1;
    int weight = cols.weightCol() == null ? -1 : s.numeric(cols.weightCol());
    int key = cols.keyCol() == null ? -1 : s.asString(cols.keyCol());
    int[] keep = new int[keepCols.size()];
    DataType[] keepTypes = new DataType[keep.length];
    for (int i = 0; i < keep.length; i++) {
      keepTypes[i] = s.field(keepCols.get(i)).dataType();
      keep[i] = s.add(s.field(keepCols.get(i)));
    }
    StructType metadata = fileMetadata(table);
    int file = metadata == null ? -1 : s.metadata("file_path");
    if (metadata != null) {
      s.metadata("file_block_start");
    }
    boolean hasRowIndex =
        metadata != null && Arrays.asList(metadata.fieldNames()).contains("row_index");
    int rowIndex = hasRowIndex ? s.metadata("row_index") : -1;
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
        s.names.toArray(new String[0]));
  }

  /** The columns selected so far, with their names; each check names the table's columns. */
  private static final class Selection {
    private final StructType schema;
    private final DataSource source;
    private final List<Column> columns;
    private final List<String> names = new ArrayList<>();

    Selection(StructType schema, DataSource source, List<Column> columns) {
      this.schema = schema;
      this.source = source;
      this.columns = columns;
    }

    /** Selects {@code column} under {@code name}; returns its ordinal. */
    int add(Column column, String name) {
      columns.add(column);
      names.add(name);
      return columns.size() - 1;
    }

    int add(StructField f) {
      return add(column(f), f.name());
    }

    /** The one feature column: a vector as it is, an array of numbers as doubles. */
    int features(String name) {
      StructField f = field(name);
      if (isVector(f.dataType())) {
        return add(f);
      }
      if (!isNumericArray(f.dataType())) {
        throw wrongType(f, "a vector or an array of numbers");
      }
      return add(column(f).cast(DataTypes.createArrayType(DataTypes.DoubleType)), f.name());
    }

    int[] numericFeatures(List<String> names, DataShape shape) {
      if (names.size() != shape.numFeatures()) {
        throw DataFormatException.inFile(
            source.path(),
            "the network takes "
                + shape.numFeatures()
                + " features, --feature-cols names "
                + names.size());
      }
      int[] ordinals = new int[names.size()];
      for (int i = 0; i < ordinals.length; i++) {
        ordinals[i] = numeric(names.get(i));
      }
      return ordinals;
    }

    int label(String name, boolean multiLabel) {
      StructField f = field(name);
      boolean array = multiLabel && isNumericArray(f.dataType());
      if (!array && !(f.dataType() instanceof NumericType)) {
        throw wrongType(f, multiLabel ? "a number or an array of classes" : "a number");
      }
      DataType as = array ? DataTypes.createArrayType(DataTypes.DoubleType) : DataTypes.DoubleType;
      return add(column(f).cast(as), f.name());
    }

    int numeric(String name) {
      StructField f = field(name);
      if (!(f.dataType() instanceof NumericType)) {
        throw wrongType(f, "a number");
      }
      return add(column(f).cast(DataTypes.DoubleType), f.name());
    }

    int asString(String name) {
      StructField f = field(name);
      return add(column(f).cast(DataTypes.StringType), f.name());
    }

    int metadata(String field) {
      return add(functions.col("_metadata." + field), "_metadata." + field);
    }

    StructField field(String name) {
      StructField f = find(schema, name);
      if (f == null) {
        throw DataFormatException.inFile(
            source.path(), "no column '" + name + "' (columns: " + describe(schema) + ")");
      }
      return f;
    }

    private DataFormatException wrongType(StructField f, String expected) {
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

  private static boolean isNumericArray(DataType type) {
    return type instanceof ArrayType a && a.elementType() instanceof NumericType;
  }
}
