package io.sparkprop.spark.load;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.data.ExampleBlock;
import org.apache.spark.util.SizeEstimator;
import org.junit.jupiter.api.Test;

/**
 * What a cached block costs, as Spark's own estimator (the one the block manager charges storage
 * memory by) measures it: 8-bit images with class labels stay near one byte per feature.
 */
class CachedSizeTest {
  @Test
  void mnistShapedPixelBlock_noZeroRows_costsAtMost1point1BytesPerFeature() {
    double perFeature = pixelBlockBytesPerFeature(0);
    assertTrue(perFeature <= 1.1, perFeature + " bytes per feature");
  }

  @Test
  void pixelBlockWithZeroBorder_costsOnlyItsOtherRows() {
    // Rows 0–199 are zero in every column: 584 of 784 rows stored, 0.745 of a byte per feature.
    double perFeature = pixelBlockBytesPerFeature(200);
    assertTrue(perFeature <= 584.0 / 784 + 0.05, perFeature + " bytes per feature");
  }

  /** Spark's estimate for a 128-column block of 784 pixels whose first rows are zero throughout. */
  private static double pixelBlockBytesPerFeature(int zeroRows) {
    int n0 = 784;
    int classes = 10;
    int size = 128;
    long[] ids = new long[size];
    double[] targets = new double[size * classes];
    byte[] pixels = new byte[size * n0];
    for (int j = 0; j < size; j++) {
      ids[j] = j;
      targets[j * classes + j % classes] = 1;
      for (int i = zeroRows; i < n0; i++) {
        pixels[j * n0 + i] = (byte) (1 + (i + j) % 255);
      }
    }
    ExampleBlock block = ExampleBlock.ofPixels(size, n0, classes, ids, pixels, targets);
    return (double) SizeEstimator.estimate(block) / size / n0;
  }

  @Test
  void denseTextBlockAsFloats_costsFourBytesPerFeaturePlusIdAndClass() {
    int n0 = 784;
    int classes = 10;
    int size = 128;
    java.util.List<io.sparkprop.data.Example> examples = new java.util.ArrayList<>();
    for (int j = 0; j < size; j++) {
      double[] target = new double[classes];
      target[j % classes] = 1;
      double[] x = new double[n0];
      java.util.Arrays.fill(x, 0.1 * j);
      examples.add(new io.sparkprop.data.Example(j, target, null, x));
    }
    io.sparkprop.data.DataShape shape =
        new io.sparkprop.data.DataShape(
            n0, classes, io.sparkprop.data.DataShape.LabelKind.CLASS_INDEX);
    ExampleBlock block = ExampleBlock.pack(examples.iterator(), shape, size, true).next();
    double perExample = (double) SizeEstimator.estimate(block) / size;
    // 4 bytes a feature, 8 for the id, 4 for the class index, and the block's few headers.
    assertTrue(perExample <= 4 * n0 + 8 + 4 + 2, perExample + " bytes per example");
  }

  /**
   * The data: 50,000 binary features, 40 nonzeros an example, in blocks of 128: a sparse
   * block keeps a 4-byte row index per nonzero and no values (all are 1), so with the id, the class
   * and the column starts it stays well under 16 bytes a nonzero; the same values as floats add 4.
   */
  @Test
  void sparseHashedBlock_costsAtMost16BytesPerNonzero() {
    for (boolean binary : new boolean[] {true, false}) {
      int n0 = 50_000;
      int size = 128;
      java.util.SplittableRandom random = new java.util.SplittableRandom(3);
      java.util.List<io.sparkprop.data.Example> examples = new java.util.ArrayList<>();
      for (int j = 0; j < size; j++) {
        int[] indices = random.ints(0, n0).distinct().limit(40).sorted().toArray();
        double[] values = new double[40];
        java.util.Arrays.fill(values, 1.0);
        if (!binary) {
          values = random.doubles(40, 0.1, 2).toArray();
        }
        examples.add(new io.sparkprop.data.Example(j, new double[] {j % 2}, indices, values));
      }
      io.sparkprop.data.DataShape shape =
          new io.sparkprop.data.DataShape(n0, 1, io.sparkprop.data.DataShape.LabelKind.BINARY);
      ExampleBlock block =
          ExampleBlock.pack(examples.iterator(), shape, size, true, io.sparkprop.data.Sparsity.AUTO)
              .next();
      assertTrue(block.isSparse(), "40 of 50,000 is far below 1 in 16");
      double perNonzero = (double) SizeEstimator.estimate(block) / (size * 40);
      assertTrue(perNonzero <= (binary ? 5.0 : 9.0), perNonzero + " bytes per nonzero");
      assertTrue(perNonzero <= 16, "the issue's bound");
    }
  }
}
