package io.sparkprop.data;

import io.sparkprop.common.Named;
import java.io.Serializable;

/**
 * Where a data set is and how to read it.
 *
 * @param format libsvm, csv, idx, or table (any source Spark SQL reads)
 * @param path a file, directory or glob on any Hadoop file system; for idx the image file; for a
 *     catalog table its name
 * @param labelsPath idx only: the label file (null to infer it from the image file's name, or for
 *     prediction without labels)
 * @param delimiter csv only: the field separator
 * @param labelColumn csv only: 0-based position of the label column
 * @param header csv only: whether each file starts with a header line
 * @param precision libsvm, csv and table: how the cache keeps feature values (idx pixels always
 *     stay one byte each)
 * @param sparsity libsvm, csv and table: whether cached blocks keep their features sparse
 * @param badRecords libsvm, csv and table: what happens to a malformed line or row
 * @param table table only: its reader and columns; null otherwise
 */
public record DataSource(
    Format format,
    String path,
    String labelsPath,
    char delimiter,
    int labelColumn,
    boolean header,
    CachePrecision precision,
    Sparsity sparsity,
    BadRecords badRecords,
    TableColumns table)
    implements Serializable {

  /** The supported formats: three text or binary formats read here, and tables Spark SQL reads. */
  public enum Format implements Named {
    LIBSVM,
    CSV,
    IDX,
    TABLE;

    @Override
    public String id() {
      return Named.idOf(this);
    }

    /** Parses a format name; the error names the allowed values. */
    public static Format parse(String name) {
      return Named.parse(Format.class, "format", name);
    }

    /**
     * The format {@code --format NAME} selects: libsvm, csv or idx by name; any other name is a
     * Spark data source (parquet, orc, json, …) or {@code table}, read as a table.
     */
    public static Format ofOption(String name) {
      for (Format f : new Format[] {LIBSVM, CSV, IDX}) {
        if (f.id().equalsIgnoreCase(name.trim())) {
          return f;
        }
      }
      return TABLE;
    }
  }

  /** Rejects a source without a format, path, precision or bad-record policy. */
  public DataSource {
    if (format == null
        || path == null
        || path.isBlank()
        || precision == null
        || sparsity == null
        || badRecords == null) {
      throw new IllegalArgumentException(
          "a data source needs a format, a path, a precision, a sparsity and a bad-record policy");
    }
    if ((format == Format.TABLE) != (table != null)) {
      throw new IllegalArgumentException("a table source, and only a table source, names columns");
    }
  }

  /** This source with cached text features kept at {@code p}. */
  public DataSource withPrecision(CachePrecision p) {
    return new DataSource(
        format, path, labelsPath, delimiter, labelColumn, header, p, sparsity, badRecords, table);
  }

  /** This source with malformed text records handled by {@code policy}. */
  public DataSource withBadRecords(BadRecords policy) {
    return new DataSource(
        format,
        path,
        labelsPath,
        delimiter,
        labelColumn,
        header,
        precision,
        sparsity,
        policy,
        table);
  }

  /** This source with cached blocks sparse as {@code s} says. */
  public DataSource withSparsity(Sparsity s) {
    return new DataSource(
        format, path, labelsPath, delimiter, labelColumn, header, precision, s, badRecords, table);
  }

  /** A LIBSVM source, cached as float32, failing at a malformed line. */
  public static DataSource libsvm(String path) {
    return new DataSource(
        Format.LIBSVM,
        path,
        null,
        ',',
        0,
        false,
        CachePrecision.FLOAT32,
        Sparsity.AUTO,
        BadRecords.FAIL,
        null);
  }

  /** A CSV source, cached as float32, failing at a malformed row. */
  public static DataSource csv(String path, char delimiter, int labelColumn, boolean header) {
    return new DataSource(
        Format.CSV,
        path,
        null,
        delimiter,
        labelColumn,
        header,
        CachePrecision.FLOAT32,
        Sparsity.AUTO,
        BadRecords.FAIL,
        null);
  }

  /** An IDX image/label pair. */
  public static DataSource idx(String imagesPath, String labelsPath) {
    return new DataSource(
        Format.IDX,
        imagesPath,
        labelsPath,
        ',',
        0,
        false,
        CachePrecision.FLOAT32,
        Sparsity.AUTO,
        BadRecords.FAIL,
        null);
  }

  /**
   * A table Spark SQL reads: files at {@code path} through {@code columns.reader()}, or the catalog
   * table named {@code path}; cached as float32, failing at a bad row.
   */
  public static DataSource table(String path, TableColumns columns) {
    return new DataSource(
        Format.TABLE,
        path,
        null,
        ',',
        0,
        false,
        CachePrecision.FLOAT32,
        Sparsity.AUTO,
        BadRecords.FAIL,
        columns);
  }

  /**
   * The IDX label file: the given one, or the image file's name with "images" → "labels" and "idx3"
   * → "idx1" (MNIST's naming), or null when the name does not follow it.
   */
  public String idxLabelsPath() {
    if (labelsPath != null) {
      return labelsPath;
    }
    int slash = path.lastIndexOf('/');
    String dir = path.substring(0, slash + 1);
    String name = path.substring(slash + 1);
    String inferred = name.replace("images", "labels").replace("idx3", "idx1");
    return inferred.equals(name) ? null : dir + inferred;
  }

  /** The parser for a text format. */
  public LineParser lineParser(DataShape shape) {
    return lineParser(shape, false);
  }

  /**
   * The parser for a text format; with {@code labelsOptional} (prediction) rows may have no label,
   * and a label is not read.
   */
  public LineParser lineParser(DataShape shape, boolean labelsOptional) {
    return switch (format) {
      case LIBSVM -> new LibsvmParser(shape, labelsOptional);
      case CSV -> new CsvParser(shape, delimiter, labelColumn, labelsOptional);
      case IDX, TABLE -> throw new IllegalStateException(format.id() + " is not a text format");
    };
  }
}
