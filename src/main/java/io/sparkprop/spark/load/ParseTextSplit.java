package io.sparkprop.spark.load;

import io.sparkprop.data.BadRecords;
import io.sparkprop.data.CsvParser;
import io.sparkprop.data.DataFormatException;
import io.sparkprop.data.Example;
import io.sparkprop.data.LineLocator;
import io.sparkprop.data.LineParser;
import io.sparkprop.data.RecordException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

/**
 * Parses the lines of one input split into examples, lazily. Each example's id is (index of its
 * file in the sorted file list) · 2^40 + (byte offset of its line), stable for the same input. A
 * bad line fails the task with {@code file:line: …}, or under {@link BadRecords#skip()} is skipped
 * and counted, the split's count and first offsets reported to {@link SkippedRecords} once the
 * split is read. Line numbers are found by counting newlines only on the error path: here for the
 * line that fails the task, on the driver for the lines a skip report shows. A bad CSV header
 * always fails.
 */
final class ParseTextSplit
    implements Function2<InputSplit, Iterator<Tuple2<LongWritable, Text>>, Iterator<Example>> {
  private static final long serialVersionUID = 1L;
  private static final int OFFSET_BITS = 40;

  private final LineParser parser;
  private final boolean header;
  private final String[] files;
  private final Broadcast<SerializableConfiguration> conf;
  private final BadRecords policy;
  private final SkippedRecords skipped;

  /**
   * @param skipped where skipped lines are reported; required when {@code policy} skips
   */
  ParseTextSplit(
      LineParser parser,
      boolean header,
      String[] sortedFiles,
      Broadcast<SerializableConfiguration> conf,
      BadRecords policy,
      SkippedRecords skipped) {
    if (policy.skip() && skipped == null) {
      throw new IllegalArgumentException("skipping bad records needs somewhere to report them");
    }
    this.parser = parser;
    this.header = header;
    this.files = sortedFiles;
    this.conf = conf;
    this.policy = policy;
    this.skipped = skipped;
  }

  @Override
  public Iterator<Example> call(InputSplit split, Iterator<Tuple2<LongWritable, Text>> lines) {
    String file = ((FileSplit) split).getPath().toString();
    int index = Arrays.binarySearch(files, file);
    if (index < 0) {
      // Ids would collide across files; the listing and the splits must name files alike.
      throw new IllegalStateException(file + " is not among the listed input files");
    }
    return new SplitExamples(file, (long) index << OFFSET_BITS, split, lines);
  }

  /**
   * The examples of one split, parsed as they are asked for; reports the skipped lines at its end.
   */
  private final class SplitExamples implements Iterator<Example> {
    private final String file;
    private final long fileBits;
    private final long splitStart;
    private final Iterator<Tuple2<LongWritable, Text>> lines;
    private final List<Long> skippedOffsets = new ArrayList<>();
    private Example next;
    private long skippedCount;
    private String firstError;
    private boolean reported;

    SplitExamples(
        String file, long fileBits, InputSplit split, Iterator<Tuple2<LongWritable, Text>> lines) {
      this.file = file;
      this.fileBits = fileBits;
      this.splitStart = ((FileSplit) split).getStart();
      this.lines = lines;
    }

    @Override
    public boolean hasNext() {
      while (next == null && moreLines()) {
        Tuple2<LongWritable, Text> line = lines.next();
        next = parseLine(line._1().get(), line._2().toString());
      }
      if (next == null && !reported && skipped != null) {
        reported = true;
        skipped.add(
            new SkippedRecords.Split(
                file, splitStart, skippedCount, List.copyOf(skippedOffsets), firstError, false));
      }
      return next != null;
    }

    /**
     * Whether the file has another line. The line reader fails with an I/O error (undeclared, from
     * Scala) where a compressed file is truncated or damaged: a fault of the file, named as one.
     */
    private boolean moreLines() {
      try {
        return lines.hasNext();
      } catch (Exception e) {
        if (e instanceof java.io.IOException) {
          throw DataFormatException.inFile(
              file,
              "cannot be read to its end ("
                  + e.getMessage()
                  + "); is it a truncated or damaged compressed file?");
        }
        throw e;
      }
    }

    @Override
    public Example next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Example e = next;
      next = null;
      return e;
    }

    private Example parseLine(long offset, String line) {
      if (header && offset == 0) {
        try {
          ((CsvParser) parser).checkHeader(line);
        } catch (RecordException e) {
          throw DataFormatException.atLine(file, 1, e.getMessage());
        }
        return null;
      }
      try {
        return parser.parse(fileBits | offset, line);
      } catch (RecordException e) {
        if (!policy.skip()) {
          throw DataFormatException.atLine(file, lineNumber(file, offset), e.getMessage());
        }
        skip(offset, e.getMessage());
        return null;
      }
    }

    private void skip(long offset, String detail) {
      skippedCount++;
      if (skippedCount > policy.max()) {
        // More in this split alone than the whole input may have: no need to read on.
        throw DataFormatException.atLine(
            file,
            lineNumber(file, offset),
            detail
                + " (more than --max-bad-records "
                + policy.max()
                + " bad records; stopped here)");
      }
      if (skippedOffsets.size() < SkippedRecords.LINES_SHOWN) {
        skippedOffsets.add(offset);
      }
      if (firstError == null) {
        firstError = detail;
      }
    }
  }

  private long lineNumber(String file, long offset) {
    return linesAt(file, new long[] {offset}, conf.value().get())[0];
  }

  /**
   * The 1-based line numbers at ascending byte {@code offsets} of a (possibly compressed) text
   * file, read once; all −1 when the file cannot be read again.
   */
  static long[] linesAt(String file, long[] offsets, Configuration hadoopConf) {
    Path path = new Path(file);
    try {
      CompressionCodec codec = new CompressionCodecFactory(hadoopConf).getCodec(path);
      InputStream raw = path.getFileSystem(hadoopConf).open(path);
      return LineLocator.linesAt(codec == null ? raw : codec.createInputStream(raw), offsets);
    } catch (IOException e) {
      long[] unknown = new long[offsets.length];
      java.util.Arrays.fill(unknown, -1);
      return unknown;
    }
  }
}
