package io.sparkprop.nn;

import io.sparkprop.common.Named;

/** The arithmetic of the gradient passes, as chosen by the user ({@code --precision}). */
public enum Precision implements Named {
  /** The matrices in IEEE binary32 (sgemm); losses, gradient sums and weights stay double. */
  FLOAT32,
  /** IEEE binary64 throughout (dgemm). */
  FLOAT64;

  @Override
  public String id() {
    return Named.idOf(this);
  }

  /** The arithmetic that computes in this precision. */
  public Arithmetic<?> arithmetic() {
    return this == FLOAT32 ? Arithmetic.FLOAT32 : Arithmetic.FLOAT64;
  }

  /**
   * Parses a precision name, case-insensitively.
   *
   * @throws IllegalArgumentException naming the allowed values
   */
  public static Precision parse(String name) {
    return Named.parse(Precision.class, "precision", name);
  }
}
