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
    long line = 1;
    long position = 0;
    byte[] buffer = new byte[64 * 1024];
    try (InputStream stream = new BufferedInputStream(in)) {
      while (position < offset) {
        int read = stream.read(buffer, 0, (int) Math.min(buffer.length, offset - position));
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
    return line;
  }
}
