package io.sparkprop.optim;

/**
 * Gradient clipping by norm: a gradient g longer than C is scaled to g·C/‖g‖₂, keeping its
 * direction. Applied on the driver to the averaged (and weight-decayed) gradient, before the
 * optimizer's update.
 */
public final class GradientClipping {
  private GradientClipping() {}

  /**
   * Scales {@code gradient} in place to Euclidean norm {@code maxNorm} when it is longer; 0 turns
   * clipping off. Returns the norm before clipping.
   */
  public static double clipToNorm(double[] gradient, double maxNorm) {
    double sum = 0;
    for (double g : gradient) {
      sum += g * g;
    }
    double norm = Math.sqrt(sum);
    if (maxNorm > 0 && norm > maxNorm) {
      double scale = maxNorm / norm;
      for (int i = 0; i < gradient.length; i++) {
        gradient[i] *= scale;
      }
    }
    return norm;
  }
}
