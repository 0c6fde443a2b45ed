package io.sparkprop.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A sparkprop command line for the CLI tests, built option by option. */
final class Args {
  private final List<String> tokens = new ArrayList<>();

  private Args(String command) {
    tokens.add(command);
  }

  /** {@code sparkprop <command>} with no options yet. */
  static Args of(String command) {
    return new Args(command);
  }

  /** {@code train --master local[2] --train <data> --model-out <model>}. */
  static Args train(Path data, String model) {
    return of("train").local().with("--train", data.toString()).with("--model-out", model);
  }

  /** Runs in this JVM: {@code --master local[2]}. */
  Args local() {
    return with("--master", "local[2]");
  }

  /** Adds options: flags each followed by its value, or bare switches like {@code --overwrite}. */
  Args with(String... options) {
    tokens.addAll(List.of(options));
    return this;
  }

  /** Adds space-separated options, as a test table writes them. */
  Args withLine(String options) {
    return with(options.split(" "));
  }

  /** Whether {@code token} is on the line. */
  boolean has(String token) {
    return tokens.contains(token);
  }

  String[] toArray() {
    return tokens.toArray(new String[0]);
  }

  /** Runs the command line through {@link Main#run}. */
  CliRun run() {
    return CliRun.of(toArray());
  }
}
