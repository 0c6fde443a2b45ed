package io.sparkprop.nn;

import io.sparkprop.common.Named;

/**
 * Element-wise activation functions g and their derivatives g'(z), the latter written in terms of
 * the output a = g(z) so the backward pass never needs z again (for the sigmoid σ'(z) = σ(z)(1 −
 * σ(z))). {@link #SOFTMAX} normalises each column and is allowed only as the output activation,
 * paired with cross-entropy, where δ^L = a − y needs no Jacobian.
 */
public enum Activation implements Named {
  SIGMOID("sigmoid"),
  TANH("tanh"),
  RELU("relu"),
  IDENTITY("identity"),
  SOFTMAX("softmax");

  private final String id;

  Activation(String id) {
    this.id = id;
  }

  @Override
  public String id() {
    return id;
  }

  /** Whether this activation may be used in a hidden layer. */
  public boolean allowedInHiddenLayer() {
    return this != SOFTMAX;
  }

  /** Whether this activation may be used in the output layer. */
  public boolean allowedInOutputLayer() {
    return this == SIGMOID || this == SOFTMAX || this == IDENTITY;
  }

  /**
   * Applies g in place to the column-major block {@code values} of {@code rows × cols}.
   *
   * @param values column-major, rows × cols from offset 0; overwritten with g(values)
   */
  public void apply(double[] values, int rows, int cols) {
    int n = rows * cols;
    switch (this) {
      case SIGMOID -> ElementWise.get().sigmoid(values, n);
      case TANH -> ElementWise.get().tanh(values, n);
      case RELU -> ElementWise.get().relu(values, n);
      case IDENTITY -> {}
      case SOFTMAX -> softmax(values, rows, cols);
    }
  }

  /**
   * Applies a hidden layer's g in place to floats, computing in float; as {@link #apply(double[],
   * int, int)}. Softmax, an output activation, is applied in double by the {@link Network}.
   *
   * @throws UnsupportedOperationException for softmax
   */
  public void apply(float[] values, int rows, int cols) {
    int n = rows * cols;
    switch (this) {
      case SIGMOID -> ElementWise.get().sigmoid(values, n);
      case TANH -> ElementWise.get().tanh(values, n);
      case RELU -> ElementWise.get().relu(values, n);
      case IDENTITY -> {}
      case SOFTMAX ->
          throw new UnsupportedOperationException(
              "softmax is an output activation; the network applies it in double");
    }
  }

  /**
   * Multiplies {@code delta} element-wise by g'(z), computed from the activations a = g(z): sigmoid
   * a(1 − a), tanh 1 − a², ReLU [a > 0], identity 1.
   *
   * @param delta first {@code length} entries overwritten with delta ⊙ g'(z)
   * @param activations the layer's outputs a, same layout as delta; read only
   */
  public void multiplyByDerivative(double[] delta, double[] activations, int length) {
    switch (this) {
      case SIGMOID -> {
        for (int i = 0; i < length; i++) {
          double a = activations[i];
          delta[i] *= a * (1.0 - a);
        }
      }
      case TANH -> {
        for (int i = 0; i < length; i++) {
          double a = activations[i];
          delta[i] *= 1.0 - a * a;
        }
      }
      case RELU -> ElementWise.get().reluMask(delta, activations, length);
      case IDENTITY -> {}
      case SOFTMAX -> throw outputOnly();
    }
  }

  /** As {@link #multiplyByDerivative(double[], double[], int)}, computing in float. */
  public void multiplyByDerivative(float[] delta, float[] activations, int length) {
    switch (this) {
      case SIGMOID -> {
        for (int i = 0; i < length; i++) {
          float a = activations[i];
          delta[i] *= a * (1.0f - a);
        }
      }
      case TANH -> {
        for (int i = 0; i < length; i++) {
          float a = activations[i];
          delta[i] *= 1.0f - a * a;
        }
      }
      case RELU -> ElementWise.get().reluMask(delta, activations, length);
      case IDENTITY -> {}
      case SOFTMAX -> throw outputOnly();
    }
  }

  private static UnsupportedOperationException outputOnly() {
    return new UnsupportedOperationException(
        "softmax has a non-diagonal Jacobian; it is only supported as output with cross-entropy");
  }

  /** Which implementation runs the element-wise loops in this JVM, for start-up logs. */
  public static String implementationName() {
    return ElementWise.get().description();
  }

  /**
   * σ(z) = 1/(1 + e^{−z}). Each step rounds once, so the result is within a few ulps for every z;
   * below z ≈ −709 e^{−z} overflows to +∞ and the result is 0, less than 10⁻³⁰⁷ from the true
   * value. There is no branch: on random signs of z this loop runs about twice as fast as one that
   * branches on the sign to avoid that overflow.
   */
  static double sigmoid(double z) {
    return 1.0 / (1.0 + Math.exp(-z));
  }

  /**
   * Softmax of each column: the column's maximum subtracted first, which keeps e^z from overflowing
   * and leaves the result unchanged; then one exponential pass over the whole block (SIMD where the
   * element-wise kernels have it) and each column scaled by 1/Σ. The column's largest entry becomes
   * e⁰/Σ = 1/Σ, from which {@link Loss} reads ln Σ back.
   */
  private static void softmax(double[] values, int rows, int cols) {
    for (int c = 0; c < cols; c++) {
      int offset = c * rows;
      double max = Double.NEGATIVE_INFINITY;
      for (int r = 0; r < rows; r++) {
        max = Math.max(max, values[offset + r]);
      }
      for (int r = 0; r < rows; r++) {
        values[offset + r] -= max;
      }
    }
    ElementWise.get().exp(values, rows * cols);
    for (int c = 0; c < cols; c++) {
      int offset = c * rows;
      double sum = 0;
      for (int r = 0; r < rows; r++) {
        sum += values[offset + r];
      }
      double inverse = 1.0 / sum;
      for (int r = 0; r < rows; r++) {
        values[offset + r] *= inverse;
      }
    }
  }

  /**
   * Parses an activation name, case-insensitively.
   *
   * @throws IllegalArgumentException naming the allowed values
   */
  public static Activation parse(String name) {
    return Named.parse(Activation.class, "activation", name);
  }
}
