package io.sparkprop.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxDatasetTest {
  private static final Path FIXTURES = Path.of("src/test/resources/data");
  private static final DataShape SHAPE = new DataShape(4, 3, DataShape.LabelKind.CLASS_INDEX);
  private static final Configuration CONF = new Configuration();

  private static String fixture(String name) {
    return FIXTURES.resolve(name).toAbsolutePath().toString();
  }

  @Test
  void fixtures_onDisk_equalTheirGenerator() throws IOException {
    for (Map.Entry<String, byte[]> e : IdxFixtures.all().entrySet()) {
      if (!e.getKey().startsWith("gzipped")) {
        assertArrayEquals(
            e.getValue(), Files.readAllBytes(FIXTURES.resolve(e.getKey())), e.getKey());
      }
    }
  }

  @Test
  void readBlocks_tinyPair_scalesPixelsAndOneHotEncodesLabels() {
    IdxDataset data =
        IdxDataset.open(fixture("tiny-images-idx3-ubyte"), fixture("tiny-labels-idx1-ubyte"), CONF);
    assertEquals(3, data.count());
    Iterator<ExampleBlock> blocks = data.readBlocks(CONF, SHAPE, 0, 3, 2);
    ExampleBlock first = blocks.next();
    ExampleBlock second = blocks.next();
    assertTrue(!blocks.hasNext());
    assertEquals(2, first.size());
    assertEquals(1, second.size());
    assertArrayEquals(new double[] {0, 1, 0.2, 0.4, 0.8, 0, 0, 0}, first.features(), 1e-15);
    assertArrayEquals(new double[] {1, 0, 0, 0, 0, 1}, first.targets());
    assertArrayEquals(new double[] {0, 1, 0}, second.targets());
    assertEquals(2, second.id(0));
  }

  @Test
  void readBlocks_middleRange_startsAtThatRecord() {
    IdxDataset data =
        IdxDataset.open(fixture("tiny-images-idx3-ubyte"), fixture("tiny-labels-idx1-ubyte"), CONF);
    ExampleBlock block = data.readBlocks(CONF, SHAPE, 1, 2, 8).next();
    assertEquals(1, block.size());
    assertEquals(1, block.id(0));
    assertArrayEquals(new double[] {0.8, 0, 0, 0}, block.features(), 1e-15);
  }

  private static String openError(String images, String labels) {
    return assertThrows(DataFormatException.class, () -> IdxDataset.open(images, labels, CONF))
        .getMessage();
  }

  @Test
  void open_badMagic_namesFileExpectedAndFound() {
    String message =
        openError(fixture("bad-magic-images-idx3-ubyte"), fixture("tiny-labels-idx1-ubyte"));
    assertTrue(
        message.contains("bad-magic-images-idx3-ubyte: bad magic number (expected 0x00000803"),
        message);
    assertTrue(message.contains("found 0x00000804"), message);
  }

  /** A one-dimensional label file where images belong: its magic says 1 dimension, not 3. */
  @Test
  void open_filesSwapped_wrongDimensionCountIsABadMagic() {
    String message =
        openError(fixture("tiny-labels-idx1-ubyte"), fixture("tiny-images-idx3-ubyte"));
    assertTrue(
        message.endsWith(
            "tiny-labels-idx1-ubyte: bad magic number (expected 0x00000803, unsigned bytes in 3"
                + " dimensions, found 0x00000801)"),
        message);
  }

  @Test
  void open_truncatedImages_reportsExpectedAndFoundBytes() {
    String message =
        openError(fixture("truncated-images-idx3-ubyte"), fixture("tiny-labels-idx1-ubyte"));
    assertTrue(
        message.contains("truncated-images-idx3-ubyte: is truncated (expected 28 bytes"), message);
    assertTrue(message.contains("found 25"), message);
  }

  @Test
  void open_trailingBytes_isRejected() {
    String message =
        openError(fixture("trailing-images-idx3-ubyte"), fixture("tiny-labels-idx1-ubyte"));
    assertTrue(message.contains("has 2 trailing bytes"), message);
  }

  @Test
  void open_labelCountMismatch_namesBothFiles() {
    String message =
        openError(fixture("tiny-images-idx3-ubyte"), fixture("short-labels-idx1-ubyte"));
    assertTrue(message.contains("short-labels-idx1-ubyte: holds 2 labels but"), message);
    assertTrue(message.contains("holds 3 images"), message);
  }

  @Test
  void open_gzipFile_saysDecompressFirst(@TempDir Path dir) throws IOException {
    Path gz = dir.resolve("images-idx3-ubyte");
    Files.write(gz, IdxFixtures.all().get("gzipped-images-idx3-ubyte"));
    assertTrue(openError(gz.toString(), null).contains("is gzip-compressed; decompress it first"));
  }

  @Test
  void readBlocks_labelBeyondOutputs_namesRecord() {
    IdxDataset data =
        IdxDataset.open(
            fixture("tiny-images-idx3-ubyte"), fixture("bad-label-labels-idx1-ubyte"), CONF);
    DataFormatException e =
        assertThrows(DataFormatException.class, () -> data.readBlocks(CONF, SHAPE, 0, 3, 8).next());
    assertTrue(
        e.getMessage()
            .contains(
                "bad-label-labels-idx1-ubyte: record 1: label must be an "
                    + "integer class in 0..2 for 3 outputs, found 7"),
        e.getMessage());
  }

  @Test
  void readBlocks_imageSizeDiffersFromInputLayer_isRejected() {
    IdxDataset data =
        IdxDataset.open(fixture("tiny-images-idx3-ubyte"), fixture("tiny-labels-idx1-ubyte"), CONF);
    DataShape wrong = new DataShape(5, 3, DataShape.LabelKind.CLASS_INDEX);
    DataFormatException e =
        assertThrows(DataFormatException.class, () -> data.readBlocks(CONF, wrong, 0, 3, 8));
    assertTrue(e.getMessage().contains("2×2 = 4 pixels, but the input layer expects 5"));
  }
}
