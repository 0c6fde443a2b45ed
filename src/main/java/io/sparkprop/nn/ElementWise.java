package io.sparkprop.nn;

import java.util.Locale;

/**
 * The element-wise loops of the hidden layers, on doubles and on floats: σ, tanh and ReLU forward,
 * and ReLU's derivative mask backward; the sums of arrays the gradient is gathered with; and the
 * decoding of 8-bit pixels into floats. Two implementations: {@link VectorElementWise}, on the Java
 * Vector API (SIMD exp and tanh, branch-free masks), and {@link ScalarElementWise}, plain loops.
 * One is chosen per JVM, at first use; the other arithmetic (σ' = a(1 − a), tanh' = 1 − a²) is
 * simple enough for HotSpot to vectorise by itself and stays in {@link Activation}.
 *
 * <p>The Vector API is used when the module {@code jdk.incubator.vector} is resolved (Spark 4's
 * launcher adds it to every driver and executor; so do sparkprop's scripts and tests), the CPU is
 * x86-64 (where HotSpot compiles exp and tanh to SIMD code) and its vectors hold at least four
 * doubles. The system property {@code sparkprop.elementwise} = {@code scalar} or {@code vector}
 * overrides the choice.
 */
abstract class ElementWise {
  /**
   * The property that overrides the choice: {@code auto} (default), {@code scalar}, {@code vector}.
   */
  static final String PROPERTY = "sparkprop.elementwise";

  private static final String VECTOR_MODULE = "jdk.incubator.vector";

  /** 1/255 rounded to a double: what a pixel is multiplied by. */
  static final double PIXEL_SCALE = 1.0 / 255.0;

  private static volatile ElementWise instance;

  /** The implementation this JVM uses. */
  static ElementWise get() {
    ElementWise chosen = instance;
    if (chosen == null) {
      chosen = choose(System.getProperty(PROPERTY, "auto"));
      instance = chosen;
    }
    return chosen;
  }

  /**
   * The implementation for a setting of {@link #PROPERTY}.
   *
   * @throws IllegalArgumentException for an unknown setting, or {@code vector} where the Vector API
   *     cannot be used
   */
  static ElementWise choose(String setting) {
    String mode = setting.trim().toLowerCase(Locale.ROOT);
    switch (mode) {
      case "scalar":
        return new ScalarElementWise();
      case "auto":
        return vectorUsable() ? vector() : new ScalarElementWise();
      case "vector":
        if (!ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent()) {
          throw new IllegalArgumentException(
              PROPERTY + "=vector needs the JVM flag --add-modules=" + VECTOR_MODULE);
        }
        return vector();
      default:
        throw new IllegalArgumentException(
            PROPERTY + " must be auto, scalar or vector, found '" + setting + "'");
    }
  }

  private static boolean vectorUsable() {
    String arch = System.getProperty("os.arch", "");
    return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent()
        && (arch.equals("amd64") || arch.equals("x86_64"))
        && VectorElementWise.doubleLanes() >= 4;
  }

  /**
   * Loaded by name, so that a JVM without the module never links the class that imports it; this
   * method is reached only once the module is known to be resolved.
   */
  private static ElementWise vector() {
    try {
      return (ElementWise)
          Class.forName("io.sparkprop.nn.VectorElementWise").getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot load the Vector API element-wise kernels", e);
    }
  }

  /** A one-line description for start-up logs: the implementation and its vector width. */
  abstract String description();

  /**
   * into[offset + i] += Σ_q a_q × values[f_q + i] over four source columns q = 0 … 3, i < length:
   * four nonzeros of one sparse input column times their columns of W¹.
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
      double[] values,
      double[] into,
      int offset,
      int length);

  abstract void gather4(
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
      int length);

  /**
   * into[o_q + i] += a_q × values[from + i] for four destination columns q = 0 … 3, i < length: one
   * column of δ¹ into the ∂W¹ columns of four nonzeros.
   */
  abstract void scatter4(
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
      int length);

  abstract void scatter4(
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
      int length);

  /** v[i] = σ(v[i]) = 1/(1 + e^{−v[i]}) for i &lt; n. */
  abstract void sigmoid(double[] values, int n);

  abstract void sigmoid(float[] values, int n);

  /** v[i] = tanh(v[i]) for i &lt; n. */
  abstract void tanh(double[] values, int n);

  abstract void tanh(float[] values, int n);

  /** values[i] = e^{values[i]} for i &lt; n, in place. */
  abstract void exp(double[] values, int n);

  /** v[i] = max(v[i], 0) for i &lt; n; NaN stays NaN. */
  abstract void relu(double[] values, int n);

  abstract void relu(float[] values, int n);

  /** delta[i] = 0 where activations[i] ≤ 0 (ReLU's derivative is 0 there, 1 elsewhere). */
  abstract void reluMask(double[] delta, double[] activations, int n);

  abstract void reluMask(float[] delta, float[] activations, int n);

  /**
   * into[offset + i] = p/255 rounded to the nearest float, p = pixels[from + i] read unsigned, for
   * i &lt; n. That is the float nearest to (p & 0xff) × (1/255) in double, for all 256 p.
   */
  abstract void pixels(byte[] pixels, int from, float[] into, int offset, int n);

  /**
   * into[offset + i] = (p & 0xff) × (1.0/255), p = pixels[from + i], for i &lt; n: one exact
   * widening and one rounded product, the same in any implementation.
   */
  abstract void pixels(byte[] pixels, int from, double[] into, int offset, int n);

  /** into[offset + i] += values[from + i] for i &lt; n (each sum exactly as in scalar code). */
  abstract void add(double[] values, int from, double[] into, int offset, int n);

  abstract void add(float[] values, int from, float[] into, int offset, int n);
}
