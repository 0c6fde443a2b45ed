package io.sparkprop.data;

/**
 * A malformed record, not yet located; readers turn it into a {@link DataFormatException} naming
 * the file and line.
 */
public final class RecordException extends Exception {
  private static final long serialVersionUID = 1L;

  public RecordException(String detail) {
    super(detail, null, false, false);
  }
}
