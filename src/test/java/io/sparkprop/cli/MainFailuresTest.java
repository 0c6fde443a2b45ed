package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.data.DataFormatException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the CLI prints when a command fails after its options parsed (exit code 1): the error in the
 * user's terms, and a stack trace only for what it cannot explain.
 */
class MainFailuresTest {

  /** The error stream's text and the exit code of one failure. */
  private record Printed(int code, String err) {}

  private static Printed failed(String command, Throwable e) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    int code = Main.failed(command, e, err);
    return new Printed(code, bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void failed_outOfMemory_namesTheDriverAndWhereToGiveItMore() {
    Printed p = failed("train", new OutOfMemoryError("Java heap space"));
    assertEquals(1, p.code());
    assertEquals(
        "sparkprop train: the driver ran out of memory (Java heap space); give it more"
            + " (--driver-memory or spark.driver.memory; SPARKPROP_JAVA_OPTS=-Xmx… for"
            + " scripts/sparkprop), or use a smaller network or --block-size"
            + System.lineSeparator(),
        p.err());
  }

  /** What the driver's handler printed, and the exit codes it asked for, when a thread died. */
  private record Died(List<Integer> exits, String err) {}

  private static Died dies(String threadName, Throwable e) throws InterruptedException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    List<Integer> exits = new ArrayList<>();
    Thread thread =
        new Thread(
            () -> {
              if (e instanceof Error error) {
                throw error;
              }
              throw (RuntimeException) e;
            },
            threadName);
    thread.setUncaughtExceptionHandler(Main.outOfMemoryExits("train", err, exits::add));
    thread.start();
    thread.join();
    return new Died(exits, bytes.toString(StandardCharsets.UTF_8));
  }

  /**
   * A Spark thread of the driver that runs out of memory (one deserializing a task's result, whose
   * job would then wait for it forever) ends the run with exit code 1 and the same message.
   */
  @Test
  void outOfMemoryExits_inAnotherThread_reportsItAndExits() throws InterruptedException {
    Died d = dies("task-result-getter-3", new OutOfMemoryError("Java heap space"));
    assertEquals(List.of(1), d.exits());
    assertTrue(
        d.err()
            .startsWith(
                "sparkprop train: the driver ran out of memory (Java heap space in thread"
                    + " task-result-getter-3); give it more"),
        d.err());
  }

  @Test
  void outOfMemoryExits_anotherException_printsItsTraceAndDoesNotExit()
      throws InterruptedException {
    Died d = dies("listener", new IllegalStateException("a listener's bug"));
    assertEquals(List.of(), d.exits());
    assertTrue(
        d.err()
            .startsWith(
                "Exception in thread \"listener\" java.lang.IllegalStateException: a listener's"
                    + " bug"),
        d.err());
    assertTrue(d.err().contains("\tat "), "with its stack: " + d.err());
  }

  @Test
  void failed_ioException_printsItsMessageWithoutATrace() {
    Printed p = failed("predict", new IOException("out/predictions exists (use --overwrite)"));
    assertEquals(1, p.code());
    assertEquals(
        "sparkprop predict: out/predictions exists (use --overwrite)" + System.lineSeparator(),
        p.err());
  }

  /** A task's data error reaches the driver wrapped by Spark; the user sees the data error. */
  @Test
  void failed_wrappedDataError_printsTheDataErrorOnly() {
    Exception spark =
        new RuntimeException(
            "Job aborted due to stage failure",
            DataFormatException.inFile("data/x.libsvm", "holds no examples"));
    Printed p = failed("evaluate", spark);
    assertEquals(1, p.code());
    assertTrue(p.err().startsWith("sparkprop evaluate: data/x.libsvm"), p.err());
    assertTrue(p.err().contains("holds no examples"), p.err());
    assertTrue(!p.err().contains("Job aborted") && !p.err().contains("\tat "), p.err());
  }

  @Test
  void failed_unexplainedException_saysUnexpectedAndPrintsTheTrace() {
    Printed p = failed("train", new IllegalStateException("broken invariant"));
    assertEquals(1, p.code());
    assertTrue(p.err().startsWith("sparkprop train: unexpected failure"), p.err());
    assertTrue(p.err().contains("java.lang.IllegalStateException: broken invariant"), p.err());
    assertTrue(p.err().contains("\tat "), "the stack trace: " + p.err());
  }
}
