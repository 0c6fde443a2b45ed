package io.sparkprop.nn;

/**
 * Run in a JVM of its own by {@link ElementWiseTest}: prints the element-wise implementation the
 * JVM chose and σ(0) computed through it, so a JVM without the Vector API module can be checked.
 */
public final class ElementWiseProbe {
  private ElementWiseProbe() {}

  public static void main(String[] args) {
    float[] values = {0.0f};
    Activation.SIGMOID.apply(values, 1, 1);
    System.out.println(Activation.implementationName() + " " + values[0]);
  }
}
