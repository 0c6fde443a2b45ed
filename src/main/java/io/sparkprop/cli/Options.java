package io.sparkprop.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The parsed options of one subcommand: flags override keys of the {@code --config} file, which
 * override defaults. Every lookup validates its value and names the option in its error.
 */
final class Options {
  /** Options whose value is taken as given, blanks included: a delimiter may be a tab. */
  private static final java.util.Set<String> RAW = java.util.Set.of("delimiter");

  /** The widest block a workspace holds in one array for any sane layer width. */
  static final int MAX_BLOCK_SIZE = 65_536;

  /** More partitions than this is a typo, not a data set. */
  static final int MAX_PARTITIONS = 1_000_000;

  static final int MAX_TREE_DEPTH = 30;

  /** A CSV label column beyond this is a typo. */
  static final int MAX_COLUMN = 10_000_000;

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
    // An empty value clears the option, e.g. --test "" drops the config file's held-out set; a
    // delimiter may be a blank character (a tab, a space), so only an empty one clears it.
    values
        .entrySet()
        .removeIf(
            e -> e.getValue().isEmpty() || (e.getValue().isBlank() && !RAW.contains(e.getKey())));
    return new Options(command, values, origins);
  }

  private static void loadConfig(
      String command, String file, Map<String, String> values, Map<String, String> origins)
      throws UsageException {
    Properties props = readConfig(file);
    for (String key : new java.util.TreeSet<>(props.stringPropertyNames())) {
      known(key, file + ": key '" + key + "'");
      if (key.equals("config")) {
        throw new UsageException(file + ": a config file cannot name another config file");
      }
      if (forCommand(command, key) == null) {
        // One file serves every command (train's keys are ignored by evaluate, and so on).
        continue;
      }
      String value = props.getProperty(key);
      values.put(key, RAW.contains(key) ? value : value.trim());
      origins.put(key, file + ": " + key);
    }
  }

  /**
   * A config file's properties: UTF-8 text (a leading byte-order mark ignored), each key at most
   * once.
   */
  private static Properties readConfig(String file) throws UsageException {
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
    try {
      String text =
          java.nio.charset.StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
              .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(Path.of(file))))
              .toString();
      // Editors on Windows start UTF-8 files with a byte-order mark; it is not part of a key.
      props.load(new java.io.StringReader(text.startsWith("\uFEFF") ? text.substring(1) : text));
    } catch (IOException e) {
      throw new UsageException(
          "cannot read config file "
              + file
              + ": "
              + (e instanceof java.nio.charset.CharacterCodingException
                  ? "not UTF-8 text (" + e.getMessage() + ")"
                  : e.getMessage()));
    }
    if (!repeated.isEmpty()) {
      throw new UsageException(file + ": key '" + repeated.iterator().next() + "' is given twice");
    }
    return props;
  }

  private static OptionDef definition(String command, String name, String where)
      throws UsageException {
    known(name, where);
    OptionDef def = forCommand(command, name);
    if (def == null) {
      throw new UsageException(where + " does not apply to '" + command + "'");
    }
    return def;
  }

  /**
   * The definition of {@code name} for {@code command}, or null: a name may mean different things
   * to commands that share nothing (export's --format is not the data's).
   */
  private static OptionDef forCommand(String command, String name) {
    for (OptionDef def : OptionTable.DEFINITIONS) {
      if (def.name().equals(name) && def.commands().contains(command)) {
        return def;
      }
    }
    return null;
  }

  private static OptionDef known(String name, String where) throws UsageException {
    for (OptionDef def : OptionTable.DEFINITIONS) {
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
    for (OptionDef def : OptionTable.DEFINITIONS) {
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
    for (OptionDef def : OptionTable.DEFINITIONS) {
      if (def.commands().contains(command) && !def.name().equals("config")) {
        String value = get(def.name());
        if (value != null) {
          all.put(def.name(), value);
        }
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
    OptionDef def = forCommand(command, name);
    if (def != null) {
      return def.defaultValue();
    }
    // Shared code may ask for an option its command does not take: its default.
    for (OptionDef other : OptionTable.DEFINITIONS) {
      if (other.name().equals(name)) {
        return other.defaultValue();
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
    return getInt(name, min, Integer.MAX_VALUE);
  }

  /** An integer in [min, max]; the error names the option, the range and what was found. */
  int getInt(String name, int min, int max) throws UsageException {
    String value = get(name);
    try {
      int v = Integer.parseInt(value.trim());
      if (v < min) {
        throw new UsageException(where(name) + " must be at least " + min + ", found " + v);
      }
      if (v > max) {
        throw new UsageException(where(name) + " must be at most " + max + ", found " + v);
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
    sb.append(
        "usage: sparkprop <train|evaluate|predict|convert|inspect|export> [--option value ...]\n");
    for (String c : OptionTable.COMMAND_ORDER) {
      if (command != null && !command.equals(c)) {
        continue;
      }
      sb.append("\n").append(c).append(" options:\n");
      for (OptionDef def : OptionTable.DEFINITIONS) {
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
