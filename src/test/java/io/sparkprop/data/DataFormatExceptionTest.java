package io.sparkprop.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.Test;

/**
 * A data error is its message: Spark logs a failed task's exception with its frames, so the
 * exception has none, unless sparkprop's data logger is at DEBUG.
 */
class DataFormatExceptionTest {
  @Test
  void stackTrace_isEmpty_unlessDebugging() {
    String logger = DataFormatException.class.getName();
    Level before = LogManager.getLogger(logger).getLevel();
    try {
      Configurator.setLevel(logger, Level.INFO);
      DataFormatException quiet = DataFormatException.atLine("f.libsvm", 2, "bad");
      assertEquals(0, quiet.getStackTrace().length);
      assertEquals("f.libsvm:2: bad", quiet.getMessage());

      Configurator.setLevel(logger, Level.DEBUG);
      assertTrue(DataFormatException.atLine("f.libsvm", 2, "bad").getStackTrace().length > 0);
    } finally {
      Configurator.setLevel(logger, before);
    }
  }
}
