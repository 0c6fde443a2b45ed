package io.sparkprop.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * The entry point: {@code sparkprop <train|evaluate|predict|convert|inspect|export> [--option value
 * …]}. Exit codes: 0 success, 1 the run failed (bad data, bad model file, divergence, I/O), 2 bad
 * usage.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    if (code != 0) {
      System.exit(code);
    }
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
      return failed(command, e, err);
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
              + "); give it more (spark.driver.memory, or SPARKPROP_JAVA_OPTS=-Xmx… for"
              + " scripts/sparkprop), or use a smaller network or --block-size");
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
