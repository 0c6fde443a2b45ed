package io.sparkprop.data;

/**
 * Bad input data, located: the message reads {@code path:line: what is wrong (expected …, found
 * …)}, or {@code path: record N: …} for binary files.
 *
 * <p>The message is the whole story: the place in the data and what was wrong there. So the
 * exception carries no stack trace (Spark logs a failed task's exception, frames and all, before
 * the run's one-line error) unless the logger {@code io.sparkprop.data} is at DEBUG.
 */
public final class DataFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(DataFormatException.class);

  public DataFormatException(String message) {
    super(message);
  }

  /** An error on a 1-based line of a text file. */
  public static DataFormatException atLine(String path, long line, String detail) {
    return new DataFormatException(path + ":" + line + ": " + detail);
  }

  /** An error in a 0-based record of a binary file. */
  public static DataFormatException atRecord(String path, long record, String detail) {
    return new DataFormatException(path + ": record " + record + ": " + detail);
  }

  /** An error about a whole file. */
  public static DataFormatException inFile(String path, String detail) {
    return new DataFormatException(path + ": " + detail);
  }

  /** Records the stack only when debugging: see the class comment. */
  @Override
  public synchronized Throwable fillInStackTrace() {
    return LOG.isDebugEnabled() ? super.fillInStackTrace() : this;
  }
}
