package io.sparkprop.spark;

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
  void mnistShapedPixelBlock_costsAtMost1point1BytesPerFeature() {
    int n0 = 784;
    int classes = 10;
    int size = 128;
    long[] ids = new long[size];
    double[] targets = new double[size * classes];
    for (int j = 0; j < size; j++) {
      ids[j] = j;
      targets[j * classes + j % classes] = 1;
    }
    ExampleBlock block =
        ExampleBlock.ofPixels(size, n0, classes, ids, new byte[size * n0], targets);
    double perFeature = (double) SizeEstimator.estimate(block) / size / n0;
    assertTrue(perFeature <= 1.1, perFeature + " bytes per feature");
  }
}
