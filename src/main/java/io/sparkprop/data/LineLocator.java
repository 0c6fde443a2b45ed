package io.sparkprop.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Turns a byte offset in a text file into a 1-based line number. Used only on the error path, so
 * the parsers can work on splits of a large file without counting lines as they go.
 */
public final class LineLocator {
  private LineLocator() {}

  /** The 1-based number of the line starting at {@code offset}: newlines before it, plus one. */
  public static long lineAt(InputStream in, long offset) throws IOException {
    return linesAt(in, new long[] {offset})[0];
  }

  /**
   * The 1-based line numbers of the lines starting at {@code offsets} (ascending), in one pass over
   * the stream up to the last of them.
   */
  public static long[] linesAt(InputStream in, long[] offsets) throws IOException {
    long[] lines = new long[offsets.length];
    long line = 1;
    long position = 0;
    int next = 0;
    byte[] buffer = new byte[64 * 1024];
    try (InputStream stream = new BufferedInputStream(in)) {
      while (next < offsets.length) {
        if (position == offsets[next]) {
          lines[next++] = line;
          continue;
        }
        int read = stream.read(buffer, 0, (int) Math.min(buffer.length, offsets[next] - position));
        if (read < 0) {
          break;
        }
        for (int i = 0; i < read; i++) {
          if (buffer[i] == '\n') {
            line++;
          }
        }
        position += read;
      }
    }
    for (; next < offsets.length; next++) {
      lines[next] = line;
    }
    return lines;
  }
}
