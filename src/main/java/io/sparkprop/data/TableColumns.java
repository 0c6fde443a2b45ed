package io.sparkprop.data;

import java.io.Serializable;
import java.util.List;

/**
 * Which columns of a Spark table hold an example, and how the table is read.
 *
 * @param reader the Spark data source: {@code parquet}, {@code orc}, any other name Spark's
 *     DataFrameReader knows (json, avro, …), or {@code table} for a catalog table named by the path
 * @param featuresCol the one column holding all features: a Spark ML vector (dense or sparse) or an
 *     array of numbers; null when {@code featureCols} is given
 * @param featureCols numeric columns, one feature each, in order; empty when {@code featuresCol} is
 *     given
 * @param labelCol the label column: a number (an array of classes for multi-label data)
 * @param weightCol a numeric column of per-example weights (finite, at least 0), or null for all 1
 * @param keyCol a column whose value names a bad row in errors, or null to name it by file and row
 */
public record TableColumns(
    String reader,
    String featuresCol,
    List<String> featureCols,
    String labelCol,
    String weightCol,
    String keyCol)
    implements Serializable {

  /** The reader that takes the path as a catalog table's name. */
  public static final String CATALOG = "table";

  /** Refuses columns that name features neither one way nor the other, or both. */
  public TableColumns {
    featureCols = featureCols == null ? List.of() : List.copyOf(featureCols);
    if (reader == null || reader.isBlank()) {
      throw new IllegalArgumentException("a table source needs a reader (parquet, orc, table, …)");
    }
    if ((featuresCol == null) == featureCols.isEmpty()) {
      throw new IllegalArgumentException(
          "name the features either as one vector or array column (--features-col) or as"
              + " numeric columns (--feature-cols), not both or neither");
    }
    if (labelCol == null || labelCol.isBlank()) {
      throw new IllegalArgumentException("a table source needs a label column");
    }
  }

  /** Features in one vector or array column {@code features}, labels in {@code label}. */
  public static TableColumns vector(String reader, String features, String label) {
    return new TableColumns(reader, features, List.of(), label, null, null);
  }

  /** This with per-example weights read from {@code column}. */
  public TableColumns withWeightCol(String column) {
    return new TableColumns(reader, featuresCol, featureCols, labelCol, column, keyCol);
  }

  /** This with bad rows named by the value of {@code column}. */
  public TableColumns withKeyCol(String column) {
    return new TableColumns(reader, featuresCol, featureCols, labelCol, weightCol, column);
  }

  /** Whether the path names a catalog table rather than files. */
  public boolean isCatalogTable() {
    return reader.equals(CATALOG);
  }
}
