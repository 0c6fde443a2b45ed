package io.sparkprop.cli;

import io.sparkprop.data.DataFormatException;
import io.sparkprop.model.ModelFormatException;
import io.sparkprop.spark.DivergenceException;
import java.io.UncheckedIOException;

/**
 * Finds the project's own error inside an exception that Spark may have wrapped: a task's exception
 * reaches the driver as the cause of a SparkException ("Job aborted due to stage failure …").
 */
public final class Failures {
  private Failures() {}

  /**
   * The data, model, divergence or I/O error (a file a task could not read) in {@code e}'s cause
   * chain, or null if there is none.
   */
  public static RuntimeException userFacingCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof DataFormatException
          || t instanceof ModelFormatException
          || t instanceof DivergenceException
          || t instanceof UncheckedIOException) {
        return (RuntimeException) t;
      }
    }
    return null;
  }
}
