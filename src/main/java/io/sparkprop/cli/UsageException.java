package io.sparkprop.cli;

/** A bad command line or config file: reported with usage, exit code 2, no stack trace. */
final class UsageException extends Exception {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message, null, false, false);
  }
}
