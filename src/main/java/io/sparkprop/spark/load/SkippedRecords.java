package io.sparkprop.spark.load;

import io.sparkprop.data.BadRecords;
import io.sparkprop.data.DataFormatException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.AccumulatorV2;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The malformed lines skipped under {@code --on-bad-record skip}, gathered from the tasks that
 * parse the input. Each task reports its input split once, as a whole, keyed by file and start
 * offset: a split parsed again (a retried task, or the two cached sides of a validation split) then
 * replaces its earlier report instead of adding to it, so the counts are exact.
 */
final class SkippedRecords
    extends AccumulatorV2<SkippedRecords.Split, Map<String, SkippedRecords.Split>> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(SkippedRecords.class);

  /** How many line numbers a report shows per file. */
  static final int LINES_SHOWN = 5;

  /**
   * One input split's skipped lines, or rows of a table.
   *
   * @param offsets the byte offsets of the first (up to {@link #LINES_SHOWN}) skipped lines, whose
   *     line numbers are found on the driver for the few a report shows; for a table, the row
   *     numbers themselves
   * @param firstError what was wrong with the first of them
   * @param rows whether this split is a table's, its offsets row numbers
   */
  record Split(
      String file, long start, long count, List<Long> offsets, String firstError, boolean rows)
      implements Serializable {}

  private final HashMap<String, Split> splits = new HashMap<>();

  /** A new accumulator registered with the context. */
  static SkippedRecords register(JavaSparkContext jsc) {
    SkippedRecords skipped = new SkippedRecords();
    jsc.sc().register(skipped, "sparkprop skipped records");
    return skipped;
  }

  @Override
  public boolean isZero() {
    return splits.isEmpty();
  }

  @Override
  public SkippedRecords copy() {
    SkippedRecords copy = new SkippedRecords();
    copy.splits.putAll(splits);
    return copy;
  }

  @Override
  public void reset() {
    splits.clear();
  }

  @Override
  public void add(Split split) {
    splits.put(split.file() + "@" + split.start(), split);
  }

  @Override
  public void merge(AccumulatorV2<Split, Map<String, Split>> other) {
    splits.putAll(other.value());
  }

  @Override
  public Map<String, Split> value() {
    return Map.copyOf(splits);
  }

  /**
   * Logs what was skipped, one line per file, and fails when it is more than the policy allows.
   *
   * @param path the data set's path, named in the error
   * @param hadoopConf to read the files again, once each, up to the last line shown
   * @return the number of skipped records
   * @throws DataFormatException listing each file's count and first lines when over the limit
   */
  long check(String path, BadRecords policy, Configuration hadoopConf) {
    Map<String, List<Split>> byFile =
        value().values().stream()
            .filter(s -> s.count() > 0)
            .collect(Collectors.groupingBy(Split::file, TreeMap::new, Collectors.toList()));
    long total = 0;
    List<String> summaries = new ArrayList<>();
    for (Map.Entry<String, List<Split>> e : byFile.entrySet()) {
      List<Split> parts = e.getValue();
      parts.sort(Comparator.comparingLong(Split::start));
      long count = parts.stream().mapToLong(Split::count).sum();
      total += count;
      String summary = summary(e.getKey(), parts, count, hadoopConf);
      summaries.add(summary);
      LOG.warn("skipped {}", summary);
    }
    if (total > policy.max()) {
      throw DataFormatException.inFile(
          path,
          total
              + " bad records, more than --max-bad-records "
              + policy.max()
              + " allows: "
              + String.join("; ", summaries));
    }
    return total;
  }

  /**
   * One file's skipped records: how many, the lines (or rows) of the first {@link #LINES_SHOWN},
   * and the first one's error. {@code parts} are the file's splits in order.
   */
  private static String summary(String file, List<Split> parts, long count, Configuration conf) {
    long[] offsets =
        parts.stream()
            .flatMap(s -> s.offsets().stream())
            .limit(LINES_SHOWN)
            .mapToLong(Long::longValue)
            .toArray();
    boolean rows = parts.get(0).rows();
    long[] lines = rows ? offsets : ParseTextSplit.linesAt(file, offsets, conf);
    String unit = rows ? "row" : "line";
    return file
        + ": "
        + count
        + (count == 1 ? " bad record" : " bad records")
        + " ("
        + unit
        + (lines.length == 1 ? " " : "s ")
        + Arrays.stream(lines).mapToObj(String::valueOf).collect(Collectors.joining(", "))
        + (count > lines.length ? ", …" : "")
        + "); first: "
        + unit
        + " "
        + lines[0]
        + ": "
        + parts.get(0).firstError();
  }
}
