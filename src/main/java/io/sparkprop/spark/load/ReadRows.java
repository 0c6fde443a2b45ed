package io.sparkprop.spark.load;

import io.sparkprop.data.BadRecords;
import io.sparkprop.data.DataFormatException;
import io.sparkprop.data.DataShape;
import io.sparkprop.data.Example;
import io.sparkprop.data.RecordException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.catalyst.CatalystTypeConverters;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Turns one partition of a table's selected rows (Spark's internal rows, laid out by {@link
 * RowLayout}) into validated examples, lazily.
 *
 * <p>Ids: for Parquet files, (index of the file among the table's sorted files) · 2^40 + (the row's
 * index in its file), the same for any partitioning or cluster; for other sources, (read partition)
 * · 2^40 + (position in it), the same for the same input read with the same Spark settings. A bad
 * row fails the task with its file and row index in it (or, without files, its read partition and
 * position), and the key column's value when one is named; under {@link BadRecords#skip()} it is
 * skipped, counted and reported to {@link SkippedRecords} once the partition is read.
 */
public final class ReadRows
    implements Function2<Integer, Iterator<InternalRow>, Iterator<Example>> {
  private static final long serialVersionUID = 1L;
  private static final int INDEX_BITS = 40;

  private final RowLayout layout;
  private final DataShape shape;
  private final String table;
  private final String[] files;
  private final BadRecords policy;
  private final SkippedRecords skipped;

  /**
   * @param table the table's path or name, for errors
   * @param sortedFiles the table's files, sorted, when ids come from files; else null
   * @param skipped where skipped rows are reported; required when {@code policy} skips
   */
  ReadRows(
      RowLayout layout,
      DataShape shape,
      String table,
      String[] sortedFiles,
      BadRecords policy,
      SkippedRecords skipped) {
    if (policy.skip() && skipped == null) {
      throw new IllegalArgumentException("skipping bad records needs somewhere to report them");
    }
    this.layout = layout;
    this.shape = shape;
    this.table = table;
    this.files = sortedFiles;
    this.policy = policy;
    this.skipped = skipped;
  }

  @Override
  public Iterator<Example> call(Integer partition, Iterator<InternalRow> rows) {
    return read(partition, rows);
  }

  /** A partition's examples, each with the kept columns' values of its row. */
  public interface Examples extends Iterator<Example> {
    /**
     * The kept columns' values of the row the last {@link #next()} example came from, as Spark's
     * Row holds them (String, Long, Timestamp, …); null when no column is kept.
     */
    Object[] kept();
  }

  /** Partition {@code partition}'s examples, converted as they are asked for. */
  public Examples read(int partition, Iterator<InternalRow> rows) {
    return new PartitionRows(partition, rows);
  }

  /** One partition's examples, converted as they are asked for. */
  private final class PartitionRows implements Examples {
    private final int partition;
    private final Iterator<InternalRow> rows;
    private final Map<String, SkippedRecords.Split> reports = new LinkedHashMap<>();
    private long position;
    private UTF8String file;
    private String fileName;
    private long splitStart = -1;
    private long rowInSplit;
    private long fileBits;
    private long skippedCount;
    private Example next;
    private Object[] nextKept;
    private Object[] kept;
    private boolean reported;

    PartitionRows(int partition, Iterator<InternalRow> rows) {
      this.partition = partition;
      this.rows = rows;
    }

    @Override
    public boolean hasNext() {
      while (next == null && rows.hasNext()) {
        next = convert(rows.next());
      }
      if (next == null && !reported && skipped != null) {
        reported = true;
        reports.values().forEach(skipped::add);
      }
      return next != null;
    }

    @Override
    public Example next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Example e = next;
      kept = nextKept;
      next = null;
      return e;
    }

    @Override
    public Object[] kept() {
      return kept;
    }

    private Example convert(InternalRow row) {
      locate(row);
      long rowNumber = layout.rowIndex() >= 0 ? row.getLong(layout.rowIndex()) : rowInSplit;
      long id = files != null ? fileBits | rowNumber : ((long) partition << INDEX_BITS) | position;
      position++;
      rowInSplit++;
      try {
        Example example = example(row, id);
        nextKept = keptValues(row);
        return example;
      } catch (RecordException e) {
        if (!policy.skip()) {
          throw new DataFormatException(where(rowNumber) + key(row) + ": " + e.getMessage());
        }
        skip(rowNumber, e.getMessage() + key(row));
        return null;
      }
    }

    /** Follows the file and split the rows come from. */
    private void locate(InternalRow row) {
      if (layout.file() < 0) {
        return;
      }
      UTF8String rowFile = row.getUTF8String(layout.file());
      long start = row.getLong(layout.file() + 1);
      if (rowFile.equals(file) && start == splitStart) {
        return;
      }
      file = rowFile.clone();
      fileName = rowFile.toString();
      splitStart = start;
      rowInSplit = 0;
      if (files != null) {
        int index = Arrays.binarySearch(files, TableLoader.fileKey(fileName));
        if (index < 0) {
          // Ids would collide across files; the listing and the rows must name files alike.
          throw new IllegalStateException(fileName + " is not among the table's listed files");
        }
        fileBits = (long) index << INDEX_BITS;
      }
    }

    /** Where the current row is: its file and row index, or its read partition and position. */
    private String where(long rowNumber) {
      if (layout.file() < 0) {
        return table + ": partition " + partition + ", row " + (position - 1);
      }
      return split() + ": row " + rowNumber;
    }

    /** The current file, and the split within it when the row index counts from the split. */
    private String split() {
      return layout.rowIndex() < 0 && splitStart > 0
          ? fileName + " (the part from byte " + splitStart + ")"
          : fileName;
    }

    private String key(InternalRow row) {
      int k = layout.key();
      if (k < 0) {
        return "";
      }
      return " ("
          + layout.names()[k]
          + " "
          + (row.isNullAt(k) ? "null" : row.getUTF8String(k))
          + ")";
    }

    private void skip(long rowNumber, String detail) {
      if (++skippedCount > policy.max()) {
        // More in this partition alone than the whole input may have: no need to read on.
        throw new DataFormatException(
            where(rowNumber)
                + ": "
                + detail
                + " (more than --max-bad-records "
                + policy.max()
                + " bad records; stopped here)");
      }
      String name = layout.file() < 0 ? table + " partition " + partition : split();
      long start = layout.file() < 0 ? partition : splitStart;
      long shown = layout.file() < 0 ? position - 1 : rowNumber;
      SkippedRecords.Split before = reports.get(name);
      List<Long> rows = new ArrayList<>(before == null ? List.of() : before.offsets());
      if (rows.size() < SkippedRecords.LINES_SHOWN) {
        rows.add(shown);
      }
      reports.put(
          name,
          new SkippedRecords.Split(
              name,
              start,
              before == null ? 1 : before.count() + 1,
              List.copyOf(rows),
              before == null ? detail : before.firstError(),
              true));
    }
  }

  /** The kept columns' values, converted from Spark's internal form. */
  private Object[] keptValues(InternalRow row) {
    int[] keep = layout.keep();
    if (keep.length == 0) {
      return null;
    }
    Object[] values = new Object[keep.length];
    for (int i = 0; i < keep.length; i++) {
      DataType type = layout.keepTypes()[i];
      values[i] =
          row.isNullAt(keep[i])
              ? null
              : CatalystTypeConverters.convertToScala(row.get(keep[i], type), type);
    }
    return values;
  }

  /** The example a valid row holds. */
  private Example example(InternalRow row, long id) throws RecordException {
    double[] target = target(row);
    double weight = weight(row);
    if (layout.vector()) {
      return vectorExample(row, id, target, weight);
    }
    double[] values = layout.array() ? arrayFeatures(row) : columnFeatures(row);
    checkFinite(values, null);
    return new Example(id, target, null, values, weight);
  }

  /** y for the row's label; zeros when the label is not read. */
  private double[] target(InternalRow row) throws RecordException {
    double[] target = new double[shape.numOutputs()];
    int label = layout.label();
    if (label >= 0) {
      if (row.isNullAt(label)) {
        throw new RecordException("label is null");
      }
      if (layout.labelIsArray()) {
        shape.encodeClasses(numbers(row.getArray(label), "label class"), target, 0);
      } else {
        shape.encodeLabel(row.getDouble(label), target, 0);
      }
    }
    return target;
  }

  /** The row's weight: 1 without a weight column. */
  private double weight(InternalRow row) throws RecordException {
    int w = layout.weight();
    if (w < 0) {
      return 1.0;
    }
    if (row.isNullAt(w)) {
      throw new RecordException("weight is null");
    }
    double weight = row.getDouble(w);
    if (!(weight >= 0) || Double.isInfinite(weight)) {
      throw new RecordException("weight must be finite and at least 0, found " + weight);
    }
    return weight;
  }

  private double[] arrayFeatures(InternalRow row) throws RecordException {
    if (row.isNullAt(0)) {
      throw new RecordException("features are null");
    }
    double[] values = numbers(row.getArray(0), "feature");
    if (values.length != shape.numFeatures()) {
      throw new RecordException(
          "expected " + shape.numFeatures() + " features, found an array of " + values.length);
    }
    return values;
  }

  private double[] columnFeatures(InternalRow row) throws RecordException {
    int[] columns = layout.features();
    double[] values = new double[columns.length];
    for (int i = 0; i < columns.length; i++) {
      if (row.isNullAt(columns[i])) {
        throw new RecordException("column " + layout.names()[columns[i]] + " is null");
      }
      values[i] = row.getDouble(columns[i]);
    }
    return values;
  }

  /** A Spark ML vector, stored as (type: 0 sparse, 1 dense; size; indices; values). */
  private Example vectorExample(InternalRow row, long id, double[] target, double weight)
      throws RecordException {
    if (row.isNullAt(0)) {
      throw new RecordException("features are null");
    }
    InternalRow vector = row.getStruct(0, 4);
    boolean sparse = vector.getByte(0) == 0;
    double[] values = vector.getArray(3).toDoubleArray();
    int size = sparse ? vector.getInt(1) : values.length;
    if (size != shape.numFeatures()) {
      throw new RecordException(
          "expected " + shape.numFeatures() + " features, found a vector of size " + size);
    }
    if (!sparse) {
      checkFinite(values, null);
      return new Example(id, target, null, values, weight);
    }
    int[] indices = vector.getArray(2).toIntArray();
    checkFinite(values, indices);
    for (int k = 0; k < indices.length; k++) {
      if (indices[k] < 0 || indices[k] >= size || (k > 0 && indices[k] <= indices[k - 1])) {
        throw new RecordException(
            "sparse vector indices must be increasing and in 0.."
                + (size - 1)
                + ", found "
                + indices[k]);
      }
    }
    return new Example(id, target, indices, values, weight);
  }

  private static double[] numbers(ArrayData array, String what) throws RecordException {
    for (int i = 0; i < array.numElements(); i++) {
      if (array.isNullAt(i)) {
        throw new RecordException(what + " " + i + " is null");
      }
    }
    return array.toDoubleArray();
  }

  /** Refuses NaN and ±∞; the error names the feature's index (from {@code indices} if sparse). */
  private static void checkFinite(double[] values, int[] indices) throws RecordException {
    for (int i = 0; i < values.length; i++) {
      if (!Double.isFinite(values[i])) {
        int feature = indices == null ? i : indices[i];
        throw new RecordException(
            "feature " + feature + " is not finite (found " + values[i] + ")");
      }
    }
  }
}
