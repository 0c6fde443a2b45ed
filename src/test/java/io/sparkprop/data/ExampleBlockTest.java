package io.sparkprop.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The compact cached forms decode to exactly the doubles the plain form holds. */
class ExampleBlockTest {
  private static final long[] IDS = {7, 8, 9};

  @Test
  void pixels_decodeToTheirValueOver255() {
    byte[] pixels = {0, 1, (byte) 128, (byte) 255, 51, (byte) 204};
    ExampleBlock block = ExampleBlock.ofPixels(3, 2, 1, IDS, pixels, new double[3]);
    double[] expected = {0, 1 / 255.0, 128 / 255.0, 1.0, 0.2, 0.8};
    assertArrayEquals(expected, block.featureMatrix(new double[6]), 0.0);
    double[] tail = new double[5];
    block.copyFeatures(1, 2, tail, 1);
    assertArrayEquals(new double[] {0, 128 / 255.0, 1.0, 0.2, 0.8}, tail, 0.0);
  }

  @Test
  void oneHotTargets_decodeToTheSameMatrix() {
    double[] targets = {0, 1, 0, 1, 0, 0, 0, 0, 0}; // classes 1, 0, and an unlabelled column
    ExampleBlock block = new ExampleBlock(3, 1, 3, IDS, new double[] {1, 2, 3}, targets);
    double[] buffer = new double[9];
    java.util.Arrays.fill(buffer, 5.0); // stale contents must be overwritten
    assertArrayEquals(targets, block.targetMatrix(buffer), 0.0);
  }

  @Test
  void otherTargets_areKeptAsGiven() {
    double[] targets = {0.25, 1, -0.0, 1, 1, 0};
    ExampleBlock block = new ExampleBlock(3, 1, 2, IDS, new double[] {1, 2, 3}, targets);
    assertSame(targets, block.targetMatrix(new double[6]));
    double[] features = block.featureMatrix(new double[3]);
    assertArrayEquals(new double[] {1, 2, 3}, features, 0.0);
  }

  @Test
  void columns_ofAPixelBlock_keepValuesIdsAndTargets() {
    byte[] pixels = {10, 20, 30, 40, 50, 60};
    double[] targets = {1, 0, 0, 1, 1, 0};
    ExampleBlock block = ExampleBlock.ofPixels(3, 2, 2, IDS, pixels, targets);
    ExampleBlock picked = block.columns(new int[] {0, 2});
    assertEquals(2, picked.size());
    assertEquals(9, picked.id(1));
    assertArrayEquals(
        new double[] {10 / 255.0, 20 / 255.0, 50 / 255.0, 60 / 255.0}, picked.features(), 0.0);
    assertArrayEquals(new double[] {1, 0, 1, 0}, picked.targets(), 0.0);
  }

  private static final DataShape SHAPE = new DataShape(2, 2, DataShape.LabelKind.CLASS_INDEX);

  @Test
  void pack_asFloats_keepsEachValueRoundedToTheNearestFloat() {
    List<Example> examples =
        List.of(
            new Example(0, new double[] {1, 0}, null, new double[] {0.1, -2.5}),
            new Example(1, new double[] {0, 1}, new int[] {1}, new double[] {1e-3}));
    ExampleBlock block = ExampleBlock.pack(examples.iterator(), SHAPE, 8, true).next();
    assertArrayEquals(new double[] {(float) 0.1, -2.5, 0, (float) 1e-3}, block.features(), 0.0);
    assertArrayEquals(new double[] {1, 0, 0, 1}, block.targets(), 0.0);
    ExampleBlock exact = ExampleBlock.pack(examples.iterator(), SHAPE, 8, false).next();
    assertArrayEquals(new double[] {0.1, -2.5, 0, 1e-3}, exact.features(), 0.0);
  }

  @Test
  void pack_asFloats_valueBeyondFloatRange_keepsTheBlockExact() {
    List<Example> examples =
        List.of(
            new Example(0, new double[] {1, 0}, null, new double[] {0.1, 1e300}),
            new Example(1, new double[] {0, 1}, null, new double[] {0.2, 3}));
    ExampleBlock block = ExampleBlock.pack(examples.iterator(), SHAPE, 8, true).next();
    assertArrayEquals(new double[] {0.1, 1e300, 0.2, 3}, block.features(), 0.0);
  }

  @Test
  void featureMatrixAsFloats_eachStorage_givesTheDoublesRoundedToFloats() {
    List<Example> examples =
        List.of(
            new Example(0, new double[] {1, 0}, null, new double[] {0.1, -2.5}),
            new Example(1, new double[] {0, 1}, null, new double[] {1e-3, 7}));
    float[] rounded = {(float) 0.1, -2.5f, (float) 1e-3, 7f};
    ExampleBlock floats = ExampleBlock.pack(examples.iterator(), SHAPE, 8, true).next();
    assertArrayEquals(rounded, floats.featureMatrix(new float[4]), 0f);
    ExampleBlock doubles = ExampleBlock.pack(examples.iterator(), SHAPE, 8, false).next();
    assertArrayEquals(rounded, doubles.featureMatrix(new float[4]), 0f);

    byte[] pixels = {0, 1, (byte) 128, (byte) 255, 51, (byte) 204};
    ExampleBlock image = ExampleBlock.ofPixels(3, 2, 1, IDS, pixels, new double[3]);
    float[] column = new float[3];
    image.copyFeatures(1, 1, column, 1);
    assertArrayEquals(new float[] {0, (float) (128 / 255.0), 1f}, column, 0f);
  }

  /** 32 features × 4 columns; rows 0–7, 20–21 and 31 zero in every column, the others not. */
  private static byte[] bordered() {
    byte[] pixels = new byte[32 * 4];
    for (int i = 8; i < 31; i++) {
      if (i != 20 && i != 21) {
        pixels[(i % 4) * 32 + i] = (byte) (3 * i + 100); // row i is non-zero in column i mod 4
        pixels[((i + 1) % 4) * 32 + i] = (byte) i;
      }
    }
    return pixels;
  }

  private static final long[] FOUR_IDS = {1, 2, 3, 4};

  @Test
  void pixels_rowsZeroInEveryColumn_areLeftOutAndDecodeAsZero() {
    byte[] pixels = bordered();
    ExampleBlock block = ExampleBlock.ofPixels(4, 32, 1, FOUR_IDS, pixels, new double[4]);
    assertArrayEquals(new int[] {8, 12, 22, 9}, block.storedRuns());
    assertEquals(21, block.storedRows());
    double[] dense = new double[32 * 4];
    for (int i = 0; i < dense.length; i++) {
      dense[i] = (pixels[i] & 0xff) * (1.0 / 255);
    }
    assertArrayEquals(dense, block.featureMatrix(new double[dense.length]), 0.0);
    assertArrayEquals(dense, block.features(), 0.0);
    double[] middle = new double[2 * 32 + 3];
    java.util.Arrays.fill(middle, 9.0); // stale contents must be overwritten
    block.copyFeatures(1, 2, middle, 2);
    for (int i = 0; i < 64; i++) {
      assertEquals(dense[32 + i], middle[2 + i], 0.0, "value " + i);
    }
    float[] asFloats = block.featureMatrix(new float[dense.length]);
    for (int i = 0; i < dense.length; i++) {
      assertEquals((float) dense[i], asFloats[i], 0f);
    }
  }

  @Test
  void storedFeatureMatrix_holdsTheKeptRowsInOrder() {
    byte[] pixels = bordered();
    ExampleBlock block = ExampleBlock.ofPixels(4, 32, 1, FOUR_IDS, pixels, new double[4]);
    int[] kept = new int[21];
    int t = 0;
    for (int i = 8; i < 31; i++) {
      if (i != 20 && i != 21) {
        kept[t++] = i;
      }
    }
    double[] expected = new double[21 * 4];
    for (int j = 0; j < 4; j++) {
      for (int k = 0; k < 21; k++) {
        expected[j * 21 + k] = (pixels[j * 32 + kept[k]] & 0xff) * (1.0 / 255);
      }
    }
    assertArrayEquals(expected, block.storedFeatureMatrix(new double[21 * 4]), 0.0);
    float[] floats = block.storedFeatureMatrix(new float[21 * 4]);
    for (int i = 0; i < expected.length; i++) {
      assertEquals((float) expected[i], floats[i], 0f);
    }
  }

  @Test
  void storedFeatureMatrix_decodesPixelsWithTheGivenDecoder_andOnlyPixels() {
    byte[] pixels = bordered();
    ExampleBlock block = ExampleBlock.ofPixels(4, 32, 1, FOUR_IDS, pixels, new double[4]);
    float[] expected = block.storedFeatureMatrix(new float[21 * 4]);
    int[] calls = {0};
    double[] expectedDoubles = block.storedFeatureMatrix(new double[21 * 4]);
    ExampleBlock.PixelDecoder decoder =
        new ExampleBlock.PixelDecoder() {
          @Override
          public void decode(byte[] from, int start, float[] into, int offset, int n) {
            calls[0]++;
            for (int i = 0; i < n; i++) {
              into[offset + i] = (from[start + i] & 0xff) / 255f;
            }
          }

          @Override
          public void decode(byte[] from, int start, double[] into, int offset, int n) {
            calls[0]++;
            for (int i = 0; i < n; i++) {
              into[offset + i] = (from[start + i] & 0xff) * (1.0 / 255);
            }
          }
        };
    assertArrayEquals(expected, block.storedFeatureMatrix(new float[21 * 4], decoder), 0f);
    assertEquals(1, calls[0]);
    assertArrayEquals(expectedDoubles, block.storedFeatureMatrix(new double[21 * 4], decoder), 0.0);
    assertEquals(2, calls[0]);
    List<Example> examples =
        List.of(new Example(0, new double[] {1, 0}, null, new double[] {0.1, -2.5}));
    ExampleBlock floats = ExampleBlock.pack(examples.iterator(), SHAPE, 8, true).next();
    floats.storedFeatureMatrix(new float[2], decoder);
    floats.storedFeatureMatrix(new double[2], decoder);
    assertEquals(2, calls[0], "a block of floats has no pixels to decode");
  }

  @Test
  void fewerThanOneSixteenthOfTheRowsZero_keepsAllRows() {
    int cols = 32;
    long[] ids = new long[cols];
    byte[] pixels = new byte[32 * cols];
    java.util.Arrays.fill(pixels, (byte) 7);
    pixels[5] = 0; // row 5: zero in column 0 only
    for (int j = 0; j < cols; j++) {
      pixels[j * 32 + 9] = 0; // row 9: zero in every column, but one row of 32 is under 1/16
    }
    ExampleBlock one = ExampleBlock.ofPixels(cols, 32, 1, ids, pixels, new double[cols]);
    assertEquals(null, one.storedRuns());
    assertEquals(32, one.storedRows());
    for (int j = 0; j < cols; j++) {
      pixels[j * 32 + 10] = 0; // rows 9 and 10: two of 32, 1/16
    }
    ExampleBlock two = ExampleBlock.ofPixels(cols, 32, 1, ids, pixels, new double[cols]);
    assertArrayEquals(new int[] {0, 9, 11, 21}, two.storedRuns());
  }

  @Test
  void narrowBlock_keepsAllRowsWhenLeavingThemOutSavesLessThanTheRunsCost() {
    byte[] pixels = new byte[32 * 2];
    java.util.Arrays.fill(pixels, (byte) 7);
    pixels[9] = 0;
    pixels[32 + 9] = 0;
    pixels[10] = 0;
    pixels[32 + 10] = 0; // 4 bytes saved, 2 runs to record
    ExampleBlock block = ExampleBlock.ofPixels(2, 32, 1, new long[2], pixels, new double[2]);
    assertEquals(null, block.storedRuns());
  }

  @Test
  void allZeroBlock_storesNoRows() {
    ExampleBlock block = ExampleBlock.ofPixels(4, 32, 1, FOUR_IDS, new byte[32 * 4], new double[4]);
    assertArrayEquals(new int[0], block.storedRuns());
    assertEquals(0, block.storedRows());
    assertArrayEquals(new double[32 * 4], block.features(), 0.0);
  }

  @Test
  void pack_leavesOutZeroRowsButKeepsNegativeZero() {
    DataShape shape = new DataShape(32, 2, DataShape.LabelKind.CLASS_INDEX);
    List<Example> examples = new java.util.ArrayList<>();
    List<double[]> xs = new java.util.ArrayList<>();
    for (int j = 0; j < 3; j++) {
      double[] x = new double[32];
      xs.add(x);
      for (int i = 4; i < 32; i++) {
        x[i] = 0.5 * i + j;
      }
      x[1] = j == 2 ? -0.0 : 0.0; // row 1 holds a −0 once: not a +0 row, kept exactly
      examples.add(new Example(j, new double[] {1, 0}, null, x));
    }
    for (boolean asFloats : new boolean[] {false, true}) {
      ExampleBlock block = ExampleBlock.pack(examples.iterator(), shape, 8, asFloats).next();
      assertArrayEquals(new int[] {1, 1, 4, 28}, block.storedRuns(), "floats " + asFloats);
      double[] features = block.features();
      for (int j = 0; j < 3; j++) {
        assertArrayEquals(xs.get(j), slice(features, j, 32), 0.0);
        assertEquals(
            Double.doubleToRawLongBits(xs.get(j)[1]),
            Double.doubleToRawLongBits(features[j * 32 + 1]));
      }
    }
  }

  @Test
  void columns_ofABlockWithRowsLeftOut_keepValuesAndRuns() {
    byte[] pixels = bordered();
    ExampleBlock block = ExampleBlock.ofPixels(4, 32, 1, FOUR_IDS, pixels, new double[4]);
    ExampleBlock picked = block.columns(new int[] {1, 3});
    assertArrayEquals(block.storedRuns(), picked.storedRuns());
    double[] all = block.features();
    double[] expected = new double[64];
    System.arraycopy(all, 32, expected, 0, 32);
    System.arraycopy(all, 96, expected, 32, 32);
    assertArrayEquals(expected, picked.features(), 0.0);
    assertEquals(4, picked.id(1));
  }

  private static double[] slice(double[] matrix, int column, int rows) {
    return java.util.Arrays.copyOfRange(matrix, column * rows, (column + 1) * rows);
  }

  /**
   * A sparse block reads back exactly the dense block's features (binary, float and double values,
   * a column with no nonzeros), in whole and by columns; AUTO chooses sparse only below 1 in 16.
   */
  @Test
  void sparseBlock_readsAsTheDenseBlock() {
    DataShape shape = new DataShape(50, 3, DataShape.LabelKind.CLASS_INDEX);
    java.util.SplittableRandom random = new java.util.SplittableRandom(8);
    for (String kind : new String[] {"binary", "floats", "doubles"}) {
      List<Example> examples = new ArrayList<>();
      for (int j = 0; j < 12; j++) {
        int[] indices =
            j == 5 ? new int[0] : random.ints(0, 50).distinct().limit(3).sorted().toArray();
        double[] values = new double[indices.length];
        for (int k = 0; k < values.length; k++) {
          values[k] = kind.equals("binary") ? 1.0 : random.nextDouble(-3, 3);
        }
        double[] target = new double[3];
        target[j % 3] = 1;
        examples.add(new Example(100 + j, target, indices, values));
      }
      boolean asFloats = kind.equals("floats");
      ExampleBlock sparse =
          ExampleBlock.pack(examples.iterator(), shape, 16, asFloats, Sparsity.ON).next();
      ExampleBlock dense =
          ExampleBlock.pack(examples.iterator(), shape, 16, asFloats, Sparsity.OFF).next();
      assertTrue(sparse.isSparse() && !dense.isSparse(), kind);
      assertEquals(
          kind.equals("binary"), sparse.sparseFloats() == null && sparse.sparseDoubles() == null);
      assertEquals(kind.equals("floats"), sparse.sparseFloats() != null, kind);
      assertArrayEquals(dense.features(), sparse.features(), kind);
      float[] a = new float[50 * 12];
      float[] b = new float[50 * 12];
      assertArrayEquals(dense.featureMatrix(a), sparse.featureMatrix(b), kind);
      int[] some = {0, 5, 7, 11};
      assertArrayEquals(dense.columns(some).features(), sparse.columns(some).features(), kind);
      for (int k = 0; k < some.length; k++) {
        assertEquals(dense.id(some[k]), sparse.columns(some).id(k));
      }
      assertTrue(
          ExampleBlock.pack(examples.iterator(), shape, 16, asFloats, Sparsity.AUTO)
              .next()
              .isSparse(),
          "3 of 50 values is under 1 in 16");
    }
    List<Example> halfFull = new ArrayList<>();
    for (int j = 0; j < 4; j++) {
      halfFull.add(
          new Example(
              j, new double[] {1, 0, 0}, new int[] {1, 2, 3, 4}, new double[] {1, 2, 3, 4}));
    }
    assertTrue(
        !ExampleBlock.pack(
                halfFull.iterator(),
                new DataShape(50, 3, DataShape.LabelKind.CLASS_INDEX),
                16,
                true,
                Sparsity.AUTO)
            .next()
            .isSparse(),
        "4 of 50 values is above 1 in 16: dense");
  }
}
