package io.sparkprop.nn;

import dev.ludovic.netlib.blas.BLAS;
import java.util.Arrays;

/**
 * The number type a {@link Network} computes in, {@code A} being its array type: the matrix kernels
 * (GEMM, bias columns, row sums) and the hidden layers' element-wise functions on arrays of that
 * type, and the passage of the output layer's values to and from doubles, in which {@link Loss} is
 * written once. For doubles that passage hands back the same array and costs nothing; for floats it
 * converts O(n_L × B) values per block, next to the O(n_l × n_{l−1} × B) of the GEMMs.
 */
public abstract sealed class Arithmetic<A> permits Arithmetic.Doubles, Arithmetic.Floats {
  /** IEEE binary64 throughout: dgemm. */
  public static final Arithmetic<double[]> FLOAT64 = new Doubles();

  /** IEEE binary32 for the matrices: sgemm; losses, gradients' sums and weights stay double. */
  public static final Arithmetic<float[]> FLOAT32 = new Floats();

  private static final BLAS BLAS = Blas.get();

  private Arithmetic() {}

  /**
   * into[offset + i] = p/255 rounded to the nearest float, for the unsigned bytes p = pixels[from +
   * i], i &lt; n: the decoding of 8-bit images, on the hidden layers' element-wise kernels (SIMD
   * where the JVM has the Vector API).
   */
  public static void decodePixels(byte[] pixels, int from, float[] into, int offset, int n) {
    ElementWise.get().pixels(pixels, from, into, offset, n);
  }

  /**
   * into[offset + i] = (p & 0xff) × (1.0/255) for the bytes p = pixels[from + i], i &lt; n, with
   * 1.0/255 rounded to a double: as {@link #decodePixels(byte[], int, float[], int, int)}, in
   * doubles.
   */
  public static void decodePixels(byte[] pixels, int from, double[] into, int offset, int n) {
    ElementWise.get().pixels(pixels, from, into, offset, n);
  }

  /** A new zeroed array of {@code length} values. */
  public abstract A allocate(int length);

  /** {@code values} in this type: the array itself for doubles (do not modify), else a copy. */
  public abstract A fromDoubles(double[] values);

  /** {@code values} in this type: the array itself for floats (do not modify), else a copy. */
  public abstract A fromFloats(float[] values);

  /** C = A·B + β C on column-major matrices, op(X) = Xᵀ where {@code trans*} is set. */
  abstract void gemm(
      boolean transA,
      boolean transB,
      int m,
      int n,
      int k,
      A a,
      int aOffset,
      int lda,
      A b,
      int bOffset,
      int ldb,
      double beta,
      A c,
      int cOffset,
      int ldc);

  /** Fills the {@code cols} columns of {@code out} (rows × cols) with source[offset … +rows). */
  final void fillColumns(A source, int offset, A out, int rows, int cols) {
    for (int c = 0; c < cols; c++) {
      System.arraycopy(source, offset, out, c * rows, rows);
    }
  }

  /** Applies the hidden activation g in place to the rows × cols {@code values}. */
  abstract void activate(Activation g, A values, int rows, int cols);

  /** delta[i] *= g'(z_i) for i &lt; n, from the activations a = g(z). */
  abstract void multiplyByDerivative(Activation g, A delta, A activations, int n);

  /** into[offset + r] += Σ_c matrix[r, c] for the column-major rows × cols {@code matrix}. */
  abstract void addRowSums(A matrix, int rows, int cols, A into, int offset);

  /** values[from + i] = 0 for i &lt; length. */
  abstract void clear(A values, int from, int length);

  /** into[offset + i] += values[from + i] for i &lt; length. */
  abstract void addRange(A values, int from, A into, int offset, int length);

  /**
   * into[offset + i] += alpha × values[from + i] for i &lt; length: one nonzero of a sparse input
   * times a column, too short for a BLAS call to pay.
   */
  abstract void axpy(double alpha, A values, int from, A into, int offset, int length);

  /**
   * into[offset + i] += Σ_q a_q × values[f_q + i] for four columns q = 0 … 3: four independent
   * streams of loads, so a sparse input's scattered weight columns are fetched together. Scalars,
   * not arrays, so that the per-block loop allocates nothing.
   */
  abstract void gather4(
      double a0,
      int f0,
      double a1,
      int f1,
      double a2,
      int f2,
      double a3,
      int f3,
      A values,
      A into,
      int offset,
      int length);

  /** into[o_q + i] += a_q × values[from + i] for four destination columns q = 0 … 3. */
  abstract void scatter4(
      double a0,
      int o0,
      double a1,
      int o1,
      double a2,
      int o2,
      double a3,
      int o3,
      A values,
      int from,
      A into,
      int length);

  /**
   * The first n values as doubles: {@code values} itself for doubles, else converted into {@code
   * scratch}.
   */
  abstract double[] toDoubles(A values, int n, double[] scratch);

  /**
   * Stores the first n of {@code values} into {@code out}; nothing to do when they are one array.
   */
  abstract void store(double[] values, int n, A out);

  static final class Doubles extends Arithmetic<double[]> {
    @Override
    public double[] allocate(int length) {
      return new double[length];
    }

    @Override
    public double[] fromDoubles(double[] values) {
      return values;
    }

    @Override
    public double[] fromFloats(float[] values) {
      double[] out = new double[values.length];
      for (int i = 0; i < values.length; i++) {
        out[i] = values[i];
      }
      return out;
    }

    @Override
    void gemm(
        boolean transA,
        boolean transB,
        int m,
        int n,
        int k,
        double[] a,
        int aOffset,
        int lda,
        double[] b,
        int bOffset,
        int ldb,
        double beta,
        double[] c,
        int cOffset,
        int ldc) {
      BLAS.dgemm(
          transA ? "T" : "N",
          transB ? "T" : "N",
          m,
          n,
          k,
          1.0,
          a,
          aOffset,
          lda,
          b,
          bOffset,
          ldb,
          beta,
          c,
          cOffset,
          ldc);
    }

    @Override
    void activate(Activation g, double[] values, int rows, int cols) {
      g.apply(values, rows, cols);
    }

    @Override
    void multiplyByDerivative(Activation g, double[] delta, double[] activations, int n) {
      g.multiplyByDerivative(delta, activations, n);
    }

    @Override
    void addRowSums(double[] matrix, int rows, int cols, double[] into, int offset) {
      ElementWise kernels = ElementWise.get();
      for (int c = 0; c < cols; c++) {
        kernels.add(matrix, c * rows, into, offset, rows);
      }
    }

    @Override
    void clear(double[] values, int from, int length) {
      Arrays.fill(values, from, from + length, 0.0);
    }

    @Override
    void addRange(double[] values, int from, double[] into, int offset, int length) {
      ElementWise.get().add(values, from, into, offset, length);
    }

    @Override
    void axpy(double alpha, double[] values, int from, double[] into, int offset, int length) {
      if (alpha == 1.0) { // a binary feature: the same sums, through the vector kernel
        ElementWise.get().add(values, from, into, offset, length);
        return;
      }
      for (int i = 0; i < length; i++) {
        into[offset + i] += alpha * values[from + i];
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
      ElementWise.get().gather4(a0, f0, a1, f1, a2, f2, a3, f3, values, into, offset, length);
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
      ElementWise.get().scatter4(a0, o0, a1, o1, a2, o2, a3, o3, values, from, into, length);
    }

    @Override
    double[] toDoubles(double[] values, int n, double[] scratch) {
      return values;
    }

    @Override
    void store(double[] values, int n, double[] out) {
      if (values != out) {
        System.arraycopy(values, 0, out, 0, n);
      }
    }
  }

  static final class Floats extends Arithmetic<float[]> {
    @Override
    public float[] allocate(int length) {
      return new float[length];
    }

    @Override
    public float[] fromDoubles(double[] values) {
      float[] out = new float[values.length];
      store(values, values.length, out);
      return out;
    }

    @Override
    public float[] fromFloats(float[] values) {
      return values;
    }

    @Override
    void gemm(
        boolean transA,
        boolean transB,
        int m,
        int n,
        int k,
        float[] a,
        int aOffset,
        int lda,
        float[] b,
        int bOffset,
        int ldb,
        double beta,
        float[] c,
        int cOffset,
        int ldc) {
      BLAS.sgemm(
          transA ? "T" : "N",
          transB ? "T" : "N",
          m,
          n,
          k,
          1.0f,
          a,
          aOffset,
          lda,
          b,
          bOffset,
          ldb,
          (float) beta,
          c,
          cOffset,
          ldc);
    }

    @Override
    void activate(Activation g, float[] values, int rows, int cols) {
      g.apply(values, rows, cols);
    }

    @Override
    void multiplyByDerivative(Activation g, float[] delta, float[] activations, int n) {
      g.multiplyByDerivative(delta, activations, n);
    }

    @Override
    void addRowSums(float[] matrix, int rows, int cols, float[] into, int offset) {
      ElementWise kernels = ElementWise.get();
      for (int c = 0; c < cols; c++) {
        kernels.add(matrix, c * rows, into, offset, rows);
      }
    }

    @Override
    void clear(float[] values, int from, int length) {
      Arrays.fill(values, from, from + length, 0f);
    }

    @Override
    void addRange(float[] values, int from, float[] into, int offset, int length) {
      ElementWise.get().add(values, from, into, offset, length);
    }

    @Override
    void axpy(double alpha, float[] values, int from, float[] into, int offset, int length) {
      if (alpha == 1.0) { // a binary feature: the same sums, through the vector kernel
        ElementWise.get().add(values, from, into, offset, length);
        return;
      }
      float a = (float) alpha;
      for (int i = 0; i < length; i++) {
        into[offset + i] += a * values[from + i];
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
        float[] values,
        float[] into,
        int offset,
        int length) {
      ElementWise.get()
          .gather4(
              (float) a0,
              f0,
              (float) a1,
              f1,
              (float) a2,
              f2,
              (float) a3,
              f3,
              values,
              into,
              offset,
              length);
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
        float[] values,
        int from,
        float[] into,
        int length) {
      ElementWise.get()
          .scatter4(
              (float) a0,
              o0,
              (float) a1,
              o1,
              (float) a2,
              o2,
              (float) a3,
              o3,
              values,
              from,
              into,
              length);
    }

    @Override
    double[] toDoubles(float[] values, int n, double[] scratch) {
      for (int i = 0; i < n; i++) {
        scratch[i] = values[i];
      }
      return scratch;
    }

    @Override
    void store(double[] values, int n, float[] out) {
      for (int i = 0; i < n; i++) {
        out[i] = (float) values[i];
      }
    }
  }
}
