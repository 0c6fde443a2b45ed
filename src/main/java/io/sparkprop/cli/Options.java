package io.sparkprop.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The parsed options of one subcommand: flags override keys of the {@code --config} file, which
 * override defaults. Every lookup validates its value and names the option in its error.
 */
final class Options {
  static final Set<String> ALL = Set.of("train", "evaluate", "predict", "inspect");
  private static final Set<String> DATA = Set.of("train", "evaluate", "predict");
  private static final Set<String> SPARK = DATA;

  static final List<OptionDef> DEFINITIONS =
      List.of(
          new OptionDef(
              "config", "FILE", null, "properties file of options (keys are the flag names)", ALL),
          new OptionDef(
              "master",
              "URL",
              null,
              "Spark master; default: what spark-submit sets (the project's scripts pass local[*])",
              SPARK),
          new OptionDef(
              "train",
              "PATH",
              null,
              "training data: file, directory or glob on any Hadoop file system",
              Set.of("train")),
          new OptionDef(
              "train-labels",
              "PATH",
              null,
              "idx: label file for --train (default: inferred from its name)",
              Set.of("train")),
          new OptionDef(
              "test",
              "PATH",
              null,
              "held-out data, evaluated after every epoch (train) or once (evaluate)",
              Set.of("train", "evaluate")),
          new OptionDef(
              "test-labels",
              "PATH",
              null,
              "idx: label file for --test (default: inferred from its name)",
              Set.of("train", "evaluate")),
          new OptionDef("input", "PATH", null, "data to predict", Set.of("predict")),
          new OptionDef(
              "predictions",
              "DIR",
              null,
              "where predict writes its text output (a new directory)",
              Set.of("predict")),
          new OptionDef("format", "libsvm|csv|idx", "libsvm", "data format", DATA),
          new OptionDef("delimiter", "CHAR", ",", "csv: field separator (\\t for tab)", DATA),
          new OptionDef(
              "label-column", "N", "0", "csv: 0-based position of the label column", DATA),
          new OptionDef("header", null, "false", "csv: every file starts with a header line", DATA),
          new OptionDef(
              "layers",
              "N0,N1,...,NL",
              null,
              "layer sizes, inputs first (required unless --init-model)",
              Set.of("train")),
          new OptionDef(
              "activation",
              "sigmoid|tanh|relu|identity",
              "sigmoid",
              "hidden-layer activation",
              Set.of("train")),
          new OptionDef(
              "output",
              "sigmoid|softmax|identity",
              null,
              "output activation; default softmax for 2+ outputs, else sigmoid",
              Set.of("train")),
          new OptionDef(
              "loss",
              "cross-entropy|squared-error",
              null,
              "loss; default cross-entropy, squared-error for identity output",
              Set.of("train")),
          new OptionDef(
              "optimizer",
              "gd|sgd|momentum|nesterov|adam|lbfgs",
              "gd",
              "update rule",
              Set.of("train")),
          new OptionDef(
              "validation-fraction",
              "F",
              "0",
              "split this fraction of --train off (seeded) and evaluate it every epoch; 0 for none",
              Set.of("train")),
          new OptionDef(
              "early-stopping-patience",
              "N",
              "0",
              "stop after N epochs without a lower validation (else test) loss; keep the best; 0 off",
              Set.of("train")),
          new OptionDef(
              "min-delta",
              "D",
              "0",
              "how much lower a loss must be to count as better",
              Set.of("train")),
          new OptionDef(
              "checkpoint-dir",
              "DIR",
              null,
              "write checkpoints here (any Hadoop file system); needed by --resume",
              Set.of("train")),
          new OptionDef(
              "checkpoint-every",
              "N",
              "1",
              "write a checkpoint every N epochs (or steps)",
              Set.of("train")),
          new OptionDef(
              "checkpoint-unit",
              "epoch|step",
              "epoch",
              "what --checkpoint-every counts; step suits long sampled epochs",
              Set.of("train")),
          new OptionDef(
              "keep-checkpoints", "K", "3", "keep the newest K checkpoints", Set.of("train")),
          new OptionDef(
              "resume",
              null,
              "false",
              "continue from the newest valid checkpoint in --checkpoint-dir, if any",
              Set.of("train")),
          new OptionDef("history-size", "M", "10", "lbfgs: curvature pairs kept", Set.of("train")),
          new OptionDef(
              "tolerance",
              "TOL",
              "1e-9",
              "lbfgs: stop when an iteration lowers the cost by less (relative)",
              Set.of("train")),
          new OptionDef("beta1", "B1", "0.9", "adam: first-moment decay in [0,1)", Set.of("train")),
          new OptionDef(
              "beta2", "B2", "0.999", "adam: second-moment decay in [0,1)", Set.of("train")),
          new OptionDef(
              "epsilon",
              "EPS",
              "1e-8",
              "adam: added to the root of the second moment",
              Set.of("train")),
          new OptionDef(
              "weight-decay",
              "LAMBDA",
              "0",
              "L2 strength: adds (λ/2)Σw² over weights, not biases",
              Set.of("train")),
          new OptionDef(
              "clip-norm",
              "C",
              "0",
              "scale the gradient to norm C when longer; 0 turns it off",
              Set.of("train")),
          new OptionDef(
              "schedule",
              "constant|step|exponential|cosine",
              "constant",
              "learning-rate schedule after warm-up",
              Set.of("train")),
          new OptionDef(
              "decay-rate",
              "R",
              "0.5",
              "step/exponential: factor per --decay-steps",
              Set.of("train")),
          new OptionDef(
              "decay-steps",
              "N",
              null,
              "step/exponential: steps per decay; default one epoch",
              Set.of("train")),
          new OptionDef(
              "warmup-steps",
              "N",
              "0",
              "steps of linear warm-up to --learning-rate",
              Set.of("train")),
          new OptionDef(
              "min-learning-rate",
              "ETA",
              "0",
              "cosine: the rate at the last step",
              Set.of("train")),
          new OptionDef("learning-rate", "ETA", "0.1", "step size η", Set.of("train")),
          new OptionDef(
              "momentum", "MU", "0.9", "momentum: velocity decay μ in [0,1)", Set.of("train")),
          new OptionDef(
              "batch-fraction",
              "F",
              null,
              "fraction of examples sampled per step, in (0,1]; default 1 (gd, momentum) or 0.01 (sgd)",
              Set.of("train")),
          new OptionDef(
              "precision",
              "float32|float64",
              "float64",
              "arithmetic of the gradient passes: float32 runs sgemm",
              Set.of("train")),
          new OptionDef(
              "epochs",
              "N",
              "10",
              "passes over the data (1/batch-fraction steps each)",
              Set.of("train")),
          new OptionDef(
              "iterations", "N", null, "number of steps; overrides --epochs", Set.of("train")),
          new OptionDef("seed", "N", "1", "seed for initial weights and sampling", Set.of("train")),
          new OptionDef(
              "init-model",
              "PATH",
              null,
              "warm start from this model file (architecture must match)",
              Set.of("train")),
          new OptionDef("model-out", "PATH", null, "where train writes the model", Set.of("train")),
          new OptionDef(
              "overwrite",
              null,
              "false",
              "allow replacing an existing --model-out",
              Set.of("train")),
          new OptionDef(
              "model", "PATH", null, "model file to use", Set.of("evaluate", "predict", "inspect")),
          new OptionDef(
              "json", null, "false", "inspect: print the whole model as JSON", Set.of("inspect")),
          new OptionDef(
              "partitions",
              "N",
              "0",
              "partitions of the cached data; 0 keeps the input's split",
              DATA),
          new OptionDef("block-size", "N", "128", "examples per block (GEMM width)", DATA),
          new OptionDef(
              "cache-precision",
              "float32|float64",
              "float32",
              "libsvm, csv: cached feature values as floats (4 bytes) or exact doubles (8)",
              DATA),
          new OptionDef(
              "on-bad-record",
              "fail|skip",
              "fail",
              "libsvm, csv: fail at a malformed line, or skip it and report the count",
              Set.of("train", "evaluate")),
          new OptionDef(
              "max-bad-records",
              "N",
              "1000",
              "with skip: fail when more lines than this are malformed in all",
              Set.of("train", "evaluate")),
          new OptionDef(
              "tree-depth", "N", "2", "depth of the treeAggregate combining partition sums", DATA),
          new OptionDef(
              "storage-level",
              "LEVEL",
              "MEMORY_AND_DISK",
              "Spark storage level of the cached blocks",
              DATA),
          new OptionDef(
              "log-every",
              "N",
              "0",
              "log every N steps within an epoch; 0 picks ~5 lines for long epochs",
              Set.of("train")));

  private final String command;
  private final Map<String, String> values;
  private final Map<String, String> origins;

  private Options(String command, Map<String, String> values, Map<String, String> origins) {
    this.command = command;
    this.values = values;
    this.origins = origins;
  }

  /** Parses {@code args} (after the subcommand) and the {@code --config} file they name. */
  static Options parse(String command, String[] args) throws UsageException {
    Map<String, String> flags = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--") || arg.length() == 2) {
        throw new UsageException("unexpected argument '" + arg + "' (options start with --)");
      }
      String name = arg.substring(2);
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      OptionDef def = definition(command, name, "--" + name);
      if (def.isSwitch()) {
        value = value == null ? "true" : value;
      } else if (value == null) {
        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
          throw new UsageException("--" + name + " needs a value (" + def.valueName() + ")");
        }
        value = args[++i];
      }
      if (flags.containsKey(name)) {
        throw new UsageException("--" + name + " is given twice");
      }
      flags.put(name, value);
    }
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, String> origins = new LinkedHashMap<>();
    if (flags.containsKey("config")) {
      loadConfig(command, flags.get("config"), values, origins);
    }
    for (Map.Entry<String, String> e : flags.entrySet()) {
      values.put(e.getKey(), e.getValue());
      origins.put(e.getKey(), "--" + e.getKey());
    }
    // An empty value clears the option, e.g. --test "" drops the config file's held-out set.
    values.values().removeIf(String::isBlank);
    return new Options(command, values, origins);
  }

  private static void loadConfig(
      String command, String file, Map<String, String> values, Map<String, String> origins)
      throws UsageException {
    // Properties keeps the last of two equal keys silently; a config file must not.
    java.util.Set<Object> repeated = new java.util.TreeSet<>();
    Properties props =
        new Properties() {
          private static final long serialVersionUID = 1L;

          @Override
          public synchronized Object put(Object key, Object value) {
            if (containsKey(key)) {
              repeated.add(key);
            }
            return super.put(key, value);
          }
        };
    try (InputStream in = Files.newInputStream(Path.of(file))) {
      props.load(in);
    } catch (IOException e) {
      throw new UsageException("cannot read config file " + file + ": " + e.getMessage());
    }
    if (!repeated.isEmpty()) {
      throw new UsageException(file + ": key '" + repeated.iterator().next() + "' is given twice");
    }
    for (String key : new java.util.TreeSet<>(props.stringPropertyNames())) {
      OptionDef def = known(key, file + ": key '" + key + "'");
      if (def.name().equals("config")) {
        throw new UsageException(file + ": a config file cannot name another config file");
      }
      if (!def.commands().contains(command)) {
        // One file serves every command (train's keys are ignored by evaluate, and so on).
        continue;
      }
      values.put(key, props.getProperty(key).trim());
      origins.put(key, file + ": " + key);
    }
  }

  private static OptionDef definition(String command, String name, String where)
      throws UsageException {
    OptionDef def = known(name, where);
    if (!def.commands().contains(command)) {
      throw new UsageException(where + " does not apply to '" + command + "'");
    }
    return def;
  }

  private static OptionDef known(String name, String where) throws UsageException {
    for (OptionDef def : DEFINITIONS) {
      if (def.name().equals(name)) {
        return def;
      }
    }
    String closest = closest(name);
    throw new UsageException(
        where
            + " is not a known option"
            + (closest == null ? "" : " (did you mean '" + closest + "'?)"));
  }

  private static String closest(String name) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (OptionDef def : DEFINITIONS) {
      int d = editDistance(name.toLowerCase(Locale.ROOT).replace('_', '-'), def.name());
      if (d < bestDistance) {
        bestDistance = d;
        best = def.name();
      }
    }
    return bestDistance <= Math.max(2, name.length() / 3) ? best : null;
  }

  private static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] =
            Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  /** Every option of this command with its effective value (given, from the file, or default). */
  Map<String, String> effective() {
    Map<String, String> all = new LinkedHashMap<>();
    for (OptionDef def : DEFINITIONS) {
      String value = get(def.name());
      if (def.commands().contains(command) && value != null && !def.name().equals("config")) {
        all.put(def.name(), value);
      }
    }
    return all;
  }

  boolean has(String name) {
    return values.containsKey(name);
  }

  /** The value, or the option's default, or null. */
  String get(String name) {
    String value = values.get(name);
    if (value != null) {
      return value;
    }
    for (OptionDef def : DEFINITIONS) {
      if (def.name().equals(name)) {
        return def.defaultValue();
      }
    }
    throw new IllegalArgumentException("no option " + name);
  }

  String required(String name) throws UsageException {
    String value = get(name);
    if (value == null || value.isBlank()) {
      throw new UsageException("--" + name + " is required for '" + command + "'");
    }
    return value;
  }

  int getInt(String name, int min) throws UsageException {
    String value = get(name);
    try {
      int v = Integer.parseInt(value.trim());
      if (v < min) {
        throw new UsageException(where(name) + " must be at least " + min + ", found " + v);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new UsageException(where(name) + " expects an integer, found '" + value + "'");
    }
  }

  long getLong(String name) throws UsageException {
    String value = get(name);
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new UsageException(where(name) + " expects an integer, found '" + value + "'");
    }
  }

  double getDouble(String name) throws UsageException {
    String value = get(name);
    try {
      double v = Double.parseDouble(value.trim());
      if (!Double.isFinite(v)) {
        throw new UsageException(where(name) + " must be finite, found " + value);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new UsageException(where(name) + " expects a number, found '" + value + "'");
    }
  }

  boolean getBoolean(String name) throws UsageException {
    String value = get(name).trim().toLowerCase(Locale.ROOT);
    if (value.equals("true") || value.equals("false")) {
      return Boolean.parseBoolean(value);
    }
    throw new UsageException(where(name) + " expects true or false, found '" + value + "'");
  }

  /** Where a value came from, for error messages: the flag or the config file and key. */
  String where(String name) {
    return origins.getOrDefault(name, "--" + name);
  }

  /** The usage text of a subcommand, or of all when {@code command} is null. */
  static String usage(String command) {
    StringBuilder sb = new StringBuilder();
    sb.append("usage: sparkprop <train|evaluate|predict|inspect> [--option value ...]\n");
    for (String c : List.of("train", "evaluate", "predict", "inspect")) {
      if (command != null && !command.equals(c)) {
        continue;
      }
      sb.append("\n").append(c).append(" options:\n");
      for (OptionDef def : DEFINITIONS) {
        if (def.commands().contains(c)) {
          String flag = "--" + def.name() + (def.isSwitch() ? "" : " " + def.valueName());
          sb.append(
              String.format(
                  Locale.ROOT,
                  "  %-42s %s%s%n",
                  flag,
                  def.help(),
                  def.defaultValue() == null || def.isSwitch()
                      ? ""
                      : " (default " + def.defaultValue() + ")"));
        }
      }
    }
    return sb.toString();
  }
}
