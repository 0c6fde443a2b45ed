package io.sparkprop.report;

import java.util.Locale;

/** How losses are printed: five decimals in the usual range, scientific notation outside it. */
public final class Numbers {
  private Numbers() {}

  /** 0.05542, 47.10000; 1.0000e+53 and 3.2000e-07 rather than 300 digits or 0.00000. */
  public static String loss(double value) {
    double a = Math.abs(value);
    if (Double.isFinite(value) && (a == 0 || (a >= 1e-4 && a < 1e6))) {
      return String.format(Locale.ROOT, "%.5f", value);
    }
    return Double.isFinite(value)
        ? String.format(Locale.ROOT, "%.4e", value)
        : Double.toString(value);
  }
}
