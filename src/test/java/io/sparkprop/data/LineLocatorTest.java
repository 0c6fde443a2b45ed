package io.sparkprop.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LineLocatorTest {
  private static final byte[] TEXT = "a\nbb\n\nccc\n".getBytes(StandardCharsets.US_ASCII);

  @Test
  void linesAt_lineStartsInOnePass_countNewlinesBeforeEach() throws IOException {
    // Lines start at bytes 0 ("a"), 2 ("bb"), 5 (empty) and 6 ("ccc").
    assertArrayEquals(
        new long[] {1, 2, 2, 3, 4},
        LineLocator.linesAt(new ByteArrayInputStream(TEXT), new long[] {0, 2, 2, 5, 6}));
    assertEquals(4, LineLocator.lineAt(new ByteArrayInputStream(TEXT), 6));
  }
}
