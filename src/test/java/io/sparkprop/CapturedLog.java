package io.sparkprop;

import java.io.StringWriter;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.layout.PatternLayout;

/** The messages one class logs while this is open, one a line. */
public final class CapturedLog implements AutoCloseable {
  private final StringWriter lines = new StringWriter();
  private final Logger logger;
  private final WriterAppender appender;

  public CapturedLog(Class<?> source) {
    logger = (Logger) LogManager.getLogger(source);
    appender =
        WriterAppender.newBuilder()
            .setName("captured-" + source.getSimpleName() + "-" + System.identityHashCode(this))
            .setTarget(lines)
            .setLayout(PatternLayout.newBuilder().withPattern("%m%n").build())
            .build();
    appender.start();
    logger.addAppender(appender);
  }

  /** What was logged so far. */
  public String text() {
    return lines.toString();
  }

  @Override
  public void close() {
    logger.removeAppender(appender);
    appender.stop();
  }
}
