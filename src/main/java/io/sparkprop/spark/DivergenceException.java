package io.sparkprop.spark;

/**
 * Training produced a NaN or infinite loss or gradient, or a loss grown far past its lowest;
 * nothing after the last good step is kept.
 */
public final class DivergenceException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int step;

  public DivergenceException(int step, String what) {
    super("training diverged at step " + step + ": " + what + " (try a smaller --learning-rate)");
    this.step = step;
  }

  /** The step whose loss or gradient was not finite. */
  public int step() {
    return step;
  }
}
