package io.sparkprop.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * The entry point: {@code sparkprop <train|evaluate|predict|convert|inspect|export> [--option value
 * …]}. Exit codes: 0 success, 1 the run failed (bad data, bad model file, divergence, I/O), 2 bad
 * usage.
 */
public final class Main {
  private Main() {}

  /**
   * Set once a thread's OutOfMemoryError is ending the JVM: what fails after it (the job Spark's
   * shutdown cancels, threads it interrupts) is a consequence, not news, and is not printed.
   */
  private static volatile boolean exiting;

  public static void main(String[] args) {
    String command = args.length > 0 ? args[0] : "";
    Thread.setDefaultUncaughtExceptionHandler(
        outOfMemoryExits(command, System.err, Main::exitWithin10Seconds));
    int code = run(args, System.out, System.err);
    if (code != 0) {
      System.exit(code);
    }
  }

  /**
   * What a thread of the driver that dies does: an OutOfMemoryError (in a thread of Spark's, say
   * one that deserializes a task's result) is reported as {@link #failed} reports one and ends the
   * run with {@code exit.accept(1)}, since Spark would otherwise wait for that result forever; any
   * other exception is printed with its stack, as the JVM does by default.
   */
  static Thread.UncaughtExceptionHandler outOfMemoryExits(
      String command, PrintStream err, IntConsumer exit) {
    return (thread, e) -> {
      if (exiting) {
        return;
      }
      if (e instanceof OutOfMemoryError) {
        failed(
            command, new OutOfMemoryError(e.getMessage() + " in thread " + thread.getName()), err);
        err.flush();
        exit.accept(1);
      } else {
        err.print("Exception in thread \"" + thread.getName() + "\" ");
        e.printStackTrace(err);
      }
    };
  }

  /** System.exit, or a halt if Spark's shutdown hooks have not let the JVM end in 10 s. */
  private static void exitWithin10Seconds(int code) {
    exiting = true;
    Thread halt =
        new Thread(
            () -> {
              try {
                Thread.sleep(10_000);
              } catch (InterruptedException e) {
                return;
              }
              Runtime.getRuntime().halt(code);
            },
            "sparkprop-exit");
    halt.setDaemon(true);
    halt.start();
    System.exit(code);
  }

  /** Runs a command and returns its exit code; never calls System.exit. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      (args.length == 0 ? err : out).print(Options.usage(null));
      return args.length == 0 ? 2 : 0;
    }
    String command = args[0];
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    if (!OptionTable.COMMANDS.contains(command)) {
      err.println(
          "sparkprop: unknown command '"
              + command
              + "' (expected train, evaluate, predict, convert, inspect or export)");
      err.print(Options.usage(null));
      return 2;
    }
    if (Arrays.asList(rest).contains("--help")) {
      out.print(Options.usage(command));
      return 0;
    }
    try {
      dispatch(command, Options.parse(command, rest), out);
      return 0;
    } catch (UsageException e) {
      err.println("sparkprop " + command + ": " + e.getMessage());
      err.print(Options.usage(command));
      return 2;
    } catch (Exception | OutOfMemoryError e) {
      return exiting ? 1 : failed(command, e, err);
    }
  }

  /** Says why the command failed, in the user's terms where there are some; returns exit code 1. */
  static int failed(String command, Throwable e, PrintStream err) {
    String prefix = "sparkprop " + command + ": ";
    if (e instanceof IOException || e instanceof UncheckedIOException) {
      err.println(prefix + e.getMessage());
    } else if (e instanceof OutOfMemoryError) {
      err.println(
          prefix
              + "the driver ran out of memory ("
              + e.getMessage()
              + "); give it more (--driver-memory or spark.driver.memory;"
              + " SPARKPROP_JAVA_OPTS=-Xmx… for scripts/sparkprop), or use a smaller network or"
              + " --block-size");
    } else {
      // Spark's own exceptions are checked in Java's eyes though undeclared, hence Exception.
      RuntimeException cause = Failures.userFacingCause(e);
      if (cause != null) {
        err.println(prefix + cause.getMessage());
      } else {
        err.println(prefix + "unexpected failure");
        e.printStackTrace(err);
      }
    }
    return 1;
  }

  /** Runs the command with its parsed options. */
  private static void dispatch(String command, Options options, PrintStream out)
      throws UsageException, IOException {
    switch (command) {
      case "train" -> Commands.train(options, out);
      case "evaluate" -> Commands.evaluate(options, out);
      case "predict" -> Commands.predict(options, out);
      case "convert" -> Commands.convert(options, out);
      case "export" -> Commands.export(options, out);
      default -> Commands.inspect(options, out);
    }
  }
}
