package io.sparkprop.spark;

import io.sparkprop.data.CsvParser;
import io.sparkprop.data.DataFormatException;
import io.sparkprop.data.Example;
import io.sparkprop.data.LineLocator;
import io.sparkprop.data.LineParser;
import io.sparkprop.data.RecordException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
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
 * bad line fails the task with {@code file:line: …}; the line number is found by counting newlines
 * only then.
 */
final class ParseTextSplit
    implements Function2<InputSplit, Iterator<Tuple2<LongWritable, Text>>, Iterator<Example>> {
  private static final long serialVersionUID = 1L;
  private static final int OFFSET_BITS = 40;

  private final LineParser parser;
  private final boolean header;
  private final String[] files;
  private final Broadcast<SerializableConfiguration> conf;

  ParseTextSplit(
      LineParser parser,
      boolean header,
      String[] sortedFiles,
      Broadcast<SerializableConfiguration> conf) {
    this.parser = parser;
    this.header = header;
    this.files = sortedFiles;
    this.conf = conf;
  }

  @Override
  public Iterator<Example> call(InputSplit split, Iterator<Tuple2<LongWritable, Text>> lines) {
    String file = ((FileSplit) split).getPath().toString();
    int index = Arrays.binarySearch(files, file);
    if (index < 0) {
      // Ids would collide across files; the listing and the splits must name files alike.
      throw new IllegalStateException(file + " is not among the listed input files");
    }
    long fileBits = (long) index << OFFSET_BITS;
    return new Iterator<>() {
      private Example next;

      @Override
      public boolean hasNext() {
        while (next == null && lines.hasNext()) {
          Tuple2<LongWritable, Text> line = lines.next();
          next = parseLine(file, fileBits, line._1().get(), line._2().toString());
        }
        return next != null;
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
    };
  }

  private Example parseLine(String file, long fileBits, long offset, String line) {
    try {
      if (header && offset == 0) {
        ((CsvParser) parser).checkHeader(line);
        return null;
      }
      return parser.parse(fileBits | offset, line);
    } catch (RecordException e) {
      throw DataFormatException.atLine(file, lineNumber(file, offset), e.getMessage());
    }
  }

  private long lineNumber(String file, long offset) {
    Path path = new Path(file);
    try {
      CompressionCodec codec = new CompressionCodecFactory(conf.value().get()).getCodec(path);
      InputStream raw = path.getFileSystem(conf.value().get()).open(path);
      return LineLocator.lineAt(codec == null ? raw : codec.createInputStream(raw), offset);
    } catch (IOException e) {
      return -1;
    }
  }
}
