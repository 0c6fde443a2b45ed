package io.sparkprop.data;

import io.sparkprop.common.Named;

/** How cached blocks keep the feature values of text formats ({@code --cache-precision}). */
public enum CachePrecision implements Named {
  /** 4 bytes a value, rounded to the nearest float (about 7 significant digits). */
  FLOAT32,
  /** 8 bytes a value, exact for what was parsed. */
  FLOAT64;

  @Override
  public String id() {
    return Named.idOf(this);
  }

  /**
   * Parses a precision name, case-insensitively.
   *
   * @throws IllegalArgumentException naming the allowed values
   */
  public static CachePrecision parse(String name) {
    return Named.parse(CachePrecision.class, "precision", name);
  }
}
