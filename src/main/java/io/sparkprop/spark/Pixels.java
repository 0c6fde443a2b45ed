package io.sparkprop.spark;

import io.sparkprop.data.ExampleBlock;
import io.sparkprop.nn.Arithmetic;

/**
 * The pixel decoding the executors use: the element-wise kernels' (SIMD where the JVM has the
 * Vector API), which give the same values as the block's own loops.
 */
final class Pixels implements ExampleBlock.PixelDecoder {
  static final Pixels DECODER = new Pixels();

  private Pixels() {}

  @Override
  public void decode(byte[] pixels, int from, double[] into, int offset, int n) {
    Arithmetic.decodePixels(pixels, from, into, offset, n);
  }

  @Override
  public void decode(byte[] pixels, int from, float[] into, int offset, int n) {
    Arithmetic.decodePixels(pixels, from, into, offset, n);
  }
}
