package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The option reference in docs/cli.md says what the option table says: the same options, each with
 * its value, the commands that take it, and its default.
 */
class CliDocsTest {
  private static final Path REFERENCE = Path.of("docs/cli.md");

  /** A row of the reference's table: | `--name VALUE` | commands | default | meaning |. */
  private static final Pattern ROW =
      Pattern.compile("^\\| `--([a-z0-9-]+)( [^`]+)?` \\|([^|]*)\\|([^|]*)\\|", Pattern.MULTILINE);

  private record Documented(String value, Set<String> commands, String defaultValue) {}

  /**
   * The rows by key: the option's name, and for a name that means different things to different
   * commands (export's --format), the name and its commands.
   */
  private static Map<String, Documented> reference() throws IOException {
    Matcher m = ROW.matcher(Files.readString(REFERENCE).replace("\\|", "¦"));
    Map<String, Documented> rows = new LinkedHashMap<>();
    while (m.find()) {
      String commands = m.group(3).trim();
      Set<String> set =
          commands.equals("all")
              ? OptionTable.COMMANDS
              : new TreeSet<>(List.of(commands.split(",\\s*")));
      String value = m.group(2) == null ? null : m.group(2).trim().replace('¦', '|');
      Documented previous =
          rows.put(
              key(m.group(1), set), new Documented(value, set, m.group(4).trim().replace("`", "")));
      assertEquals(null, previous, "--" + m.group(1) + " is documented twice for " + set);
    }
    return rows;
  }

  /** An option's key: its name, with its commands when another option has the same name. */
  private static String key(String name, Set<String> commands) {
    long sameName = OptionTable.DEFINITIONS.stream().filter(d -> d.name().equals(name)).count();
    return sameName > 1 ? name + " " + new TreeSet<>(commands) : name;
  }

  private static String key(OptionDef def) {
    return key(def.name(), def.commands());
  }

  @Test
  void reference_documentsEveryOptionAndNoOther() throws IOException {
    Set<String> table = new TreeSet<>();
    OptionTable.DEFINITIONS.forEach(d -> table.add(key(d)));
    assertEquals(table, new TreeSet<>(reference().keySet()));
  }

  @Test
  void optionsOfOneName_shareNoCommand() {
    Map<String, Set<String>> seen = new TreeMap<>();
    for (OptionDef def : OptionTable.DEFINITIONS) {
      Set<String> before = seen.computeIfAbsent(def.name(), n -> new TreeSet<>());
      for (String command : def.commands()) {
        assertTrue(before.add(command), "--" + def.name() + " is defined twice for " + command);
      }
    }
  }

  @Test
  void reference_givesEachOptionsCommandsValueAndDefault() throws IOException {
    Map<String, Documented> reference = reference();
    Map<String, String> wrong = new TreeMap<>();
    for (OptionDef def : OptionTable.DEFINITIONS) {
      Documented doc = reference.get(key(def));
      if (doc == null) {
        continue;
      }
      if (!new TreeSet<>(def.commands()).equals(new TreeSet<>(doc.commands()))) {
        wrong.merge(
            def.name(),
            "commands " + def.commands() + ", documented " + doc.commands(),
            CliDocsTest::both);
      }
      if (def.isSwitch() != (doc.value() == null)) {
        wrong.merge(
            def.name(),
            "switch " + def.isSwitch() + ", documented value " + doc.value(),
            CliDocsTest::both);
      }
      String shown = def.defaultValue();
      if (shown != null
          && !doc.defaultValue().equals(shown)
          && !doc.defaultValue().startsWith(shown + " (")) {
        wrong.merge(
            def.name(),
            "default " + shown + ", documented '" + doc.defaultValue() + "'",
            CliDocsTest::both);
      }
    }
    assertEquals(Map.of(), wrong);
  }

  private static String both(String first, String second) {
    return first + "; " + second;
  }

  @Test
  void reference_parsesTheTableItShows() throws IOException {
    List<String> names = new ArrayList<>(reference().keySet());
    assertTrue(names.size() > 40, "rows found: " + names);
    assertEquals("config", names.get(0));
  }
}
