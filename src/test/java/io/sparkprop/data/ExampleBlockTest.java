package io.sparkprop.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

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
}
