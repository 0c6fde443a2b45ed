package io.sparkprop.data;

import java.util.Locale;

/** A floating-point precision, as chosen by the user for caching values or for computing. */
public enum Precision {
  /** 4 bytes a value, rounded to the nearest float (about 7 significant digits). */
  FLOAT32,
  /** 8 bytes a value, exact for what was parsed. */
  FLOAT64;

  /** The name used in flags and config files. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a precision name, case-insensitively.
   *
   * @throws IllegalArgumentException naming the allowed values
   */
  public static Precision parse(String name) {
    for (Precision p : values()) {
      if (p.id().equals(name.trim().toLowerCase(Locale.ROOT))) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown precision '" + name + "' (expected float32 or float64)");
  }
}
