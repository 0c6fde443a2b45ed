package io.sparkprop.nn;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ElementWise} on the Java Vector API, at the CPU's preferred width. Every element goes
 * through the same vector code, the last partial vector's too (a masked load and store), so a
 * value's result never depends on where it sits in the array or on the block size. Each loop runs
 * unmasked up to the last full vector: masking every iteration is several times slower on JDK 17.
 */
final class VectorElementWise extends ElementWise {
  private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;

  /** As many bytes as FLOATS has lanes; null where that is under the smallest vector (64 bits). */
  private static final VectorSpecies<Byte> PIXELS =
      FLOATS.length() >= 8
          ? VectorSpecies.of(byte.class, VectorShape.forBitSize(8 * FLOATS.length()))
          : null;

  /** As many bytes as DOUBLES has lanes, or null (as for PIXELS). */
  private static final VectorSpecies<Byte> PIXELS_FOR_DOUBLES =
      DOUBLES.length() >= 8
          ? VectorSpecies.of(byte.class, VectorShape.forBitSize(8 * DOUBLES.length()))
          : null;

  static int doubleLanes() {
    return DOUBLES.length();
  }

  @Override
  String description() {
    return "Java Vector API, " + DOUBLES.vectorBitSize() + "-bit";
  }

  @Override
  void sigmoid(double[] values, int n) {
    int i = 0;
    for (int full = DOUBLES.loopBound(n); i < full; i += DOUBLES.length()) {
      sigmoid(DoubleVector.fromArray(DOUBLES, values, i)).intoArray(values, i);
    }
    if (i < n) {
      VectorMask<Double> tail = DOUBLES.indexInRange(i, n);
      sigmoid(DoubleVector.fromArray(DOUBLES, values, i, tail)).intoArray(values, i, tail);
    }
  }

  @Override
  void sigmoid(float[] values, int n) {
    int i = 0;
    for (int full = FLOATS.loopBound(n); i < full; i += FLOATS.length()) {
      sigmoid(FloatVector.fromArray(FLOATS, values, i)).intoArray(values, i);
    }
    if (i < n) {
      VectorMask<Float> tail = FLOATS.indexInRange(i, n);
      sigmoid(FloatVector.fromArray(FLOATS, values, i, tail)).intoArray(values, i, tail);
    }
  }

  /** 1/(1 + e^{−z}), as {@link Activation#sigmoid}: exp overflows to +∞ below −709 and gives 0. */
  private static DoubleVector sigmoid(DoubleVector z) {
    return DoubleVector.broadcast(DOUBLES, 1.0).div(z.neg().lanewise(VectorOperators.EXP).add(1.0));
  }

  private static FloatVector sigmoid(FloatVector z) {
    return FloatVector.broadcast(FLOATS, 1.0f).div(z.neg().lanewise(VectorOperators.EXP).add(1.0f));
  }

  @Override
  void exp(double[] values, int n) {
    int i = 0;
    for (int full = DOUBLES.loopBound(n); i < full; i += DOUBLES.length()) {
      DoubleVector.fromArray(DOUBLES, values, i).lanewise(VectorOperators.EXP).intoArray(values, i);
    }
    if (i < n) {
      VectorMask<Double> tail = DOUBLES.indexInRange(i, n);
      DoubleVector.fromArray(DOUBLES, values, i, tail)
          .lanewise(VectorOperators.EXP)
          .intoArray(values, i, tail);
    }
  }

  @Override
  void tanh(double[] values, int n) {
    int i = 0;
    for (int full = DOUBLES.loopBound(n); i < full; i += DOUBLES.length()) {
      DoubleVector.fromArray(DOUBLES, values, i)
          .lanewise(VectorOperators.TANH)
          .intoArray(values, i);
    }
    if (i < n) {
      VectorMask<Double> tail = DOUBLES.indexInRange(i, n);
      DoubleVector.fromArray(DOUBLES, values, i, tail)
          .lanewise(VectorOperators.TANH)
          .intoArray(values, i, tail);
    }
  }

  @Override
  void tanh(float[] values, int n) {
    int i = 0;
    for (int full = FLOATS.loopBound(n); i < full; i += FLOATS.length()) {
      FloatVector.fromArray(FLOATS, values, i).lanewise(VectorOperators.TANH).intoArray(values, i);
    }
    if (i < n) {
      VectorMask<Float> tail = FLOATS.indexInRange(i, n);
      FloatVector.fromArray(FLOATS, values, i, tail)
          .lanewise(VectorOperators.TANH)
          .intoArray(values, i, tail);
    }
  }

  @Override
  void relu(double[] values, int n) {
    int i = 0;
    for (int full = DOUBLES.loopBound(n); i < full; i += DOUBLES.length()) {
      DoubleVector.fromArray(DOUBLES, values, i).max(0.0).intoArray(values, i);
    }
    if (i < n) {
      VectorMask<Double> tail = DOUBLES.indexInRange(i, n);
      DoubleVector.fromArray(DOUBLES, values, i, tail).max(0.0).intoArray(values, i, tail);
    }
  }

  @Override
  void relu(float[] values, int n) {
    int i = 0;
    for (int full = FLOATS.loopBound(n); i < full; i += FLOATS.length()) {
      FloatVector.fromArray(FLOATS, values, i).max(0.0f).intoArray(values, i);
    }
    if (i < n) {
      VectorMask<Float> tail = FLOATS.indexInRange(i, n);
      FloatVector.fromArray(FLOATS, values, i, tail).max(0.0f).intoArray(values, i, tail);
    }
  }

  @Override
  void reluMask(double[] delta, double[] activations, int n) {
    int i = 0;
    for (int full = DOUBLES.loopBound(n); i < full; i += DOUBLES.length()) {
      DoubleVector a = DoubleVector.fromArray(DOUBLES, activations, i);
      DoubleVector.fromArray(DOUBLES, delta, i)
          .blend(0.0, a.compare(VectorOperators.LE, 0.0))
          .intoArray(delta, i);
    }
    if (i < n) {
      VectorMask<Double> tail = DOUBLES.indexInRange(i, n);
      DoubleVector a = DoubleVector.fromArray(DOUBLES, activations, i, tail);
      DoubleVector.fromArray(DOUBLES, delta, i, tail)
          .blend(0.0, a.compare(VectorOperators.LE, 0.0))
          .intoArray(delta, i, tail);
    }
  }

  @Override
  void reluMask(float[] delta, float[] activations, int n) {
    int i = 0;
    for (int full = FLOATS.loopBound(n); i < full; i += FLOATS.length()) {
      FloatVector a = FloatVector.fromArray(FLOATS, activations, i);
      FloatVector.fromArray(FLOATS, delta, i)
          .blend(0.0f, a.compare(VectorOperators.LE, 0.0f))
          .intoArray(delta, i);
    }
    if (i < n) {
      VectorMask<Float> tail = FLOATS.indexInRange(i, n);
      FloatVector a = FloatVector.fromArray(FLOATS, activations, i, tail);
      FloatVector.fromArray(FLOATS, delta, i, tail)
          .blend(0.0f, a.compare(VectorOperators.LE, 0.0f))
          .intoArray(delta, i, tail);
    }
  }

  /**
   * Widens a vector of bytes to floats (signed, −128…127), adds 256 to the negative ones and
   * divides by 255: IEEE division, so each lane is exactly the scalar p/255f. The last partial
   * vector goes through the same division in scalar code.
   */
  @Override
  void pixels(byte[] pixels, int from, float[] into, int offset, int n) {
    int i = 0;
    if (PIXELS != null) {
      for (int full = PIXELS.loopBound(n); i < full; i += PIXELS.length()) {
        FloatVector signed =
            (FloatVector)
                ByteVector.fromArray(PIXELS, pixels, from + i)
                    .convertShape(VectorOperators.B2F, FLOATS, 0);
        signed
            .add(256f, signed.compare(VectorOperators.LT, 0f))
            .div(255f)
            .intoArray(into, offset + i);
      }
    }
    for (; i < n; i++) {
      into[offset + i] = (pixels[from + i] & 0xff) / 255f;
    }
  }

  // HotSpot on JDK 17 leaves these loops scalar (the two arrays might be one): 3× faster here.
  @Override
  void add(double[] values, int from, double[] into, int offset, int n) {
    int i = 0;
    for (int full = DOUBLES.loopBound(n); i < full; i += DOUBLES.length()) {
      DoubleVector.fromArray(DOUBLES, into, offset + i)
          .add(DoubleVector.fromArray(DOUBLES, values, from + i))
          .intoArray(into, offset + i);
    }
    for (; i < n; i++) {
      into[offset + i] += values[from + i];
    }
  }

  @Override
  void add(float[] values, int from, float[] into, int offset, int n) {
    int i = 0;
    for (int full = FLOATS.loopBound(n); i < full; i += FLOATS.length()) {
      FloatVector.fromArray(FLOATS, into, offset + i)
          .add(FloatVector.fromArray(FLOATS, values, from + i))
          .intoArray(into, offset + i);
    }
    for (; i < n; i++) {
      into[offset + i] += values[from + i];
    }
  }

  @Override
  void pixels(byte[] pixels, int from, double[] into, int offset, int n) {
    int i = 0;
    if (PIXELS_FOR_DOUBLES != null) {
      for (int full = PIXELS_FOR_DOUBLES.loopBound(n); i < full; i += PIXELS_FOR_DOUBLES.length()) {
        DoubleVector signed =
            (DoubleVector)
                ByteVector.fromArray(PIXELS_FOR_DOUBLES, pixels, from + i)
                    .convertShape(VectorOperators.B2D, DOUBLES, 0);
        signed
            .add(256.0, signed.compare(VectorOperators.LT, 0.0))
            .mul(PIXEL_SCALE)
            .intoArray(into, offset + i);
      }
    }
    for (; i < n; i++) {
      into[offset + i] = (pixels[from + i] & 0xff) * PIXEL_SCALE;
    }
  }

  @Override
  void gather4(
      double a0,
      int f0,
      double a1,
      int f1,
      double a2,
      int f2,
      double a3,
      int f3,
      double[] values,
      double[] into,
      int offset,
      int length) {
    DoubleVector b0 = DoubleVector.broadcast(DOUBLES, a0);
    DoubleVector b1 = DoubleVector.broadcast(DOUBLES, a1);
    DoubleVector b2 = DoubleVector.broadcast(DOUBLES, a2);
    DoubleVector b3 = DoubleVector.broadcast(DOUBLES, a3);
    int i = 0;
    for (int upper = DOUBLES.loopBound(length); i < upper; i += DOUBLES.length()) {
      DoubleVector sum = DoubleVector.fromArray(DOUBLES, into, offset + i);
      sum = DoubleVector.fromArray(DOUBLES, values, f0 + i).fma(b0, sum);
      sum = DoubleVector.fromArray(DOUBLES, values, f1 + i).fma(b1, sum);
      sum = DoubleVector.fromArray(DOUBLES, values, f2 + i).fma(b2, sum);
      sum = DoubleVector.fromArray(DOUBLES, values, f3 + i).fma(b3, sum);
      sum.intoArray(into, offset + i);
    }
    for (; i < length; i++) {
      into[offset + i] +=
          a0 * values[f0 + i] + a1 * values[f1 + i] + a2 * values[f2 + i] + a3 * values[f3 + i];
    }
  }

  @Override
  void scatter4(
      double a0,
      int o0,
      double a1,
      int o1,
      double a2,
      int o2,
      double a3,
      int o3,
      double[] values,
      int from,
      double[] into,
      int length) {
    DoubleVector b0 = DoubleVector.broadcast(DOUBLES, a0);
    DoubleVector b1 = DoubleVector.broadcast(DOUBLES, a1);
    DoubleVector b2 = DoubleVector.broadcast(DOUBLES, a2);
    DoubleVector b3 = DoubleVector.broadcast(DOUBLES, a3);
    int i = 0;
    for (int upper = DOUBLES.loopBound(length); i < upper; i += DOUBLES.length()) {
      DoubleVector v = DoubleVector.fromArray(DOUBLES, values, from + i);
      v.fma(b0, DoubleVector.fromArray(DOUBLES, into, o0 + i)).intoArray(into, o0 + i);
      v.fma(b1, DoubleVector.fromArray(DOUBLES, into, o1 + i)).intoArray(into, o1 + i);
      v.fma(b2, DoubleVector.fromArray(DOUBLES, into, o2 + i)).intoArray(into, o2 + i);
      v.fma(b3, DoubleVector.fromArray(DOUBLES, into, o3 + i)).intoArray(into, o3 + i);
    }
    for (; i < length; i++) {
      double v = values[from + i];
      into[o0 + i] += a0 * v;
      into[o1 + i] += a1 * v;
      into[o2 + i] += a2 * v;
      into[o3 + i] += a3 * v;
    }
  }

  @Override
  void gather4(
      float a0,
      int f0,
      float a1,
      int f1,
      float a2,
      int f2,
      float a3,
      int f3,
      float[] values,
      float[] into,
      int offset,
      int length) {
    FloatVector b0 = FloatVector.broadcast(FLOATS, a0);
    FloatVector b1 = FloatVector.broadcast(FLOATS, a1);
    FloatVector b2 = FloatVector.broadcast(FLOATS, a2);
    FloatVector b3 = FloatVector.broadcast(FLOATS, a3);
    int i = 0;
    for (int upper = FLOATS.loopBound(length); i < upper; i += FLOATS.length()) {
      FloatVector sum = FloatVector.fromArray(FLOATS, into, offset + i);
      sum = FloatVector.fromArray(FLOATS, values, f0 + i).fma(b0, sum);
      sum = FloatVector.fromArray(FLOATS, values, f1 + i).fma(b1, sum);
      sum = FloatVector.fromArray(FLOATS, values, f2 + i).fma(b2, sum);
      sum = FloatVector.fromArray(FLOATS, values, f3 + i).fma(b3, sum);
      sum.intoArray(into, offset + i);
    }
    for (; i < length; i++) {
      into[offset + i] +=
          a0 * values[f0 + i] + a1 * values[f1 + i] + a2 * values[f2 + i] + a3 * values[f3 + i];
    }
  }

  @Override
  void scatter4(
      float a0,
      int o0,
      float a1,
      int o1,
      float a2,
      int o2,
      float a3,
      int o3,
      float[] values,
      int from,
      float[] into,
      int length) {
    FloatVector b0 = FloatVector.broadcast(FLOATS, a0);
    FloatVector b1 = FloatVector.broadcast(FLOATS, a1);
    FloatVector b2 = FloatVector.broadcast(FLOATS, a2);
    FloatVector b3 = FloatVector.broadcast(FLOATS, a3);
    int i = 0;
    for (int upper = FLOATS.loopBound(length); i < upper; i += FLOATS.length()) {
      FloatVector v = FloatVector.fromArray(FLOATS, values, from + i);
      v.fma(b0, FloatVector.fromArray(FLOATS, into, o0 + i)).intoArray(into, o0 + i);
      v.fma(b1, FloatVector.fromArray(FLOATS, into, o1 + i)).intoArray(into, o1 + i);
      v.fma(b2, FloatVector.fromArray(FLOATS, into, o2 + i)).intoArray(into, o2 + i);
      v.fma(b3, FloatVector.fromArray(FLOATS, into, o3 + i)).intoArray(into, o3 + i);
    }
    for (; i < length; i++) {
      float v = values[from + i];
      into[o0 + i] += a0 * v;
      into[o1 + i] += a1 * v;
      into[o2 + i] += a2 * v;
      into[o3 + i] += a3 * v;
    }
  }
}
