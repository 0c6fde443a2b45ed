package io.sparkprop.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random and mutated input for the three parsers: each either parses, giving a well-formed result,
 * or raises the project's documented error ({@link RecordException} for a text line, {@link
 * DataFormatException} for an IDX file). Any other exception, a hang (the timeouts) or running out
 * of memory fails. Fixed seeds keep failures reproducible; every failure message shows the input.
 */
class ParserFuzzTest {
  private static final int ITERATIONS = 40_000;

  /** Characters that matter to the text formats, plus a few that should never appear. */
  private static final String ALPHABET = "0123456789 :,.-+eE\"\tNaInfinityx\u00e9\u0000";

  private static final DataShape CLASSES = new DataShape(5, 3, DataShape.LabelKind.CLASS_INDEX);
  private static final DataShape MULTI = new DataShape(5, 3, DataShape.LabelKind.MULTI_LABEL);
  private static final DataShape REAL = new DataShape(5, 1, DataShape.LabelKind.REAL);

  private static final String[] VALID_LIBSVM = {
    "2 1:0.5 3:-1.25e-3 5:7", "0 2:1", "1", "1,2 1:1 4:0.5", "  0   1:3  2:4  "
  };
  private static final String[] VALID_CSV = {
    "2,0.5,1,-1.25e-3,7,0", "\"1\",\"0.5\",1,2,3,4", "0 , 1 , 2 , 3 , 4 , 5", "1,1e300,0,0,0,0"
  };

  private static String randomLine(Random random) {
    StringBuilder line = new StringBuilder();
    int length = random.nextInt(40);
    for (int i = 0; i < length; i++) {
      line.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return line.toString();
  }

  /** A valid line with one to three characters inserted, deleted or replaced. */
  private static String mutated(String valid, Random random) {
    StringBuilder line = new StringBuilder(valid);
    int edits = 1 + random.nextInt(3);
    for (int e = 0; e < edits; e++) {
      int at = line.length() == 0 ? 0 : random.nextInt(line.length());
      char ch = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
      switch (random.nextInt(3)) {
        case 0 -> line.insert(at, ch);
        case 1 -> {
          if (line.length() > 0) {
            line.deleteCharAt(at);
          }
        }
        default -> {
          if (line.length() > 0) {
            line.setCharAt(at, ch);
          }
        }
      }
    }
    return line.toString();
  }

  private static void checkParses(LineParser parser, DataShape shape, String line) {
    Example example;
    try {
      example = parser.parse(1, line);
    } catch (RecordException e) {
      assertTrue(
          e.getMessage() != null && !e.getMessage().isBlank(), "an empty message for " + line);
      return;
    } catch (RuntimeException | Error e) {
      throw new AssertionError("'" + line + "' raised " + e, e);
    }
    if (example == null) {
      assertTrue(line.isBlank(), "only a blank line holds no example: '" + line + "'");
      return;
    }
    assertEquals(shape.numOutputs(), example.target().length, line);
    for (double y : example.target()) {
      assertTrue(Double.isFinite(y), "a non-finite label from '" + line + "'");
    }
    double[] features = new double[shape.numFeatures()];
    example.writeFeatures(features, 0, shape.numFeatures());
    for (double x : features) {
      assertTrue(Double.isFinite(x), "a non-finite feature from '" + line + "'");
    }
  }

  private static void fuzz(LineParser parser, DataShape shape, String[] valid, long seed) {
    Random random = new Random(seed);
    for (int i = 0; i < ITERATIONS; i++) {
      String line =
          i % 2 == 0 ? randomLine(random) : mutated(valid[random.nextInt(valid.length)], random);
      checkParses(parser, shape, line);
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void libsvm_randomAndMutatedLines_parseOrRaiseRecordException() {
    fuzz(new LibsvmParser(CLASSES), CLASSES, VALID_LIBSVM, 1);
    fuzz(new LibsvmParser(MULTI), MULTI, VALID_LIBSVM, 2);
    fuzz(new LibsvmParser(REAL), REAL, VALID_LIBSVM, 3);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void csv_randomAndMutatedLines_parseOrRaiseRecordException() {
    fuzz(new CsvParser(CLASSES, ',', 0), CLASSES, VALID_CSV, 4);
    fuzz(new CsvParser(REAL, ',', 5), REAL, VALID_CSV, 5);
    CsvParser header = new CsvParser(CLASSES, ',', 0);
    Random random = new Random(6);
    for (int i = 0; i < ITERATIONS; i++) {
      String line = i % 2 == 0 ? randomLine(random) : mutated("label,a,b,c,d,e", random);
      try {
        header.checkHeader(line);
      } catch (RecordException e) {
        assertTrue(!e.getMessage().isBlank());
      } catch (RuntimeException | Error e) {
        throw new AssertionError("header '" + line + "' raised " + e, e);
      }
    }
  }

  /** Interesting values for a header's 32-bit fields. */
  private static final int[] EDGE_INTS = {
    0, 1, 2, 3, 4, 255, 65_536, Integer.MAX_VALUE, Integer.MIN_VALUE, -1, 0x00000803, 0x00000801
  };

  private static byte[] mutatedIdx(byte[] valid, Random random) {
    byte[] bytes = valid.clone();
    switch (random.nextInt(4)) {
      case 0 -> {
        for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
          bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        }
      }
      case 1 -> bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length));
      case 2 -> {
        bytes = java.util.Arrays.copyOf(bytes, bytes.length + 1 + random.nextInt(8));
        for (int i = valid.length; i < bytes.length; i++) {
          bytes[i] = (byte) random.nextInt(256);
        }
      }
      default -> {
        // A header field (magic, count or a dimension) set to an edge value.
        int fields = Math.min(4, bytes.length / 4);
        int at = 4 * random.nextInt(fields);
        int value = EDGE_INTS[random.nextInt(EDGE_INTS.length)];
        bytes[at] = (byte) (value >>> 24);
        bytes[at + 1] = (byte) (value >>> 16);
        bytes[at + 2] = (byte) (value >>> 8);
        bytes[at + 3] = (byte) value;
      }
    }
    return bytes;
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void idx_mutatedFiles_readOrRaiseDataFormatException(@TempDir Path dir) throws IOException {
    byte[] images = IdxFixtures.all().get("tiny-images-idx3-ubyte");
    byte[] labels = IdxFixtures.all().get("tiny-labels-idx1-ubyte");
    DataShape shape = new DataShape(4, 3, DataShape.LabelKind.CLASS_INDEX);
    Configuration conf = new Configuration();
    Path imageFile = dir.resolve("images");
    Path labelFile = dir.resolve("labels");
    Random random = new Random(7);
    for (int i = 0; i < 3_000; i++) {
      boolean mutateImages = random.nextBoolean();
      byte[] imageBytes = mutateImages ? mutatedIdx(images, random) : images;
      byte[] labelBytes = mutateImages ? labels : mutatedIdx(labels, random);
      Files.write(imageFile, imageBytes);
      Files.write(labelFile, labelBytes);
      String input =
          (mutateImages ? "images " : "labels ") + hex(mutateImages ? imageBytes : labelBytes);
      try {
        IdxDataset dataset = IdxDataset.open(imageFile.toString(), labelFile.toString(), conf);
        long read = 0;
        Iterator<ExampleBlock> blocks = dataset.readBlocks(conf, shape, 0, dataset.count(), 2);
        while (blocks.hasNext()) {
          read += blocks.next().size();
        }
        assertEquals(dataset.count(), read, input);
      } catch (DataFormatException e) {
        assertTrue(e.getMessage().contains(dir.toString()), "names the file: " + e.getMessage());
      } catch (RuntimeException | Error e) {
        fail(input + " raised " + e, e);
      }
    }
  }

  private static String hex(byte[] bytes) {
    StringBuilder s = new StringBuilder();
    for (byte b : bytes) {
      s.append(String.format("%02x", b & 0xff));
    }
    return s.toString();
  }
}
