package io.sparkprop.nn;

import dev.ludovic.netlib.blas.BLAS;

/**
 * The process-wide BLAS: native where a system BLAS loads, else the Java Vector API or pure Java.
 */
public final class Blas {
  private static final BLAS INSTANCE = BLAS.getInstance();

  private Blas() {}

  /** The BLAS implementation in use. */
  public static BLAS get() {
    return INSTANCE;
  }

  /** The implementation's class name, for start-up logs and benchmark reports. */
  public static String implementationName() {
    return INSTANCE.getClass().getName();
  }
}
