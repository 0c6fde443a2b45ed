package io.sparkprop.model;

/** A model file that cannot be used; the message names the file and what is wrong. */
public final class ModelFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ModelFormatException(String path, String detail) {
    super(path + ": " + detail);
  }
}
