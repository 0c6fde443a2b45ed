package io.sparkprop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package rules, checked on the sources. Dependencies point down: cli → ml; cli, ml → spark.run
 * → spark.eval → spark.load → spark → {nn, optim, data, report}; report → model → nn; everything
 * may use common. The packages below spark know nothing of Spark or Scala, and no package uses
 * Breeze. A reference counts whether imported or written out in full in the code; comments do not
 * count. Every package has a package-info.java, and every source directory is a package these rules
 * name.
 */
class ArchitectureTest {
  private static final Path SOURCES = Path.of("src/main/java/io/sparkprop");
  private static final Map<String, Set<String>> ALLOWED =
      Map.ofEntries(
          Map.entry("common", Set.of()),
          Map.entry("nn", Set.of("common")),
          Map.entry("optim", Set.of("common")),
          Map.entry("data", Set.of("common")),
          Map.entry("model", Set.of("nn", "common")),
          Map.entry("report", Set.of("model", "nn", "common")),
          Map.entry("spark", Set.of("nn", "optim", "data", "report", "common")),
          Map.entry("spark.load", Set.of("spark", "nn", "data", "common")),
          Map.entry("spark.eval", Set.of("spark", "spark.load", "nn", "data", "common")),
          Map.entry(
              "spark.run",
              Set.of("spark", "spark.eval", "report", "model", "nn", "optim", "data", "common")),
          Map.entry(
              "ml",
              Set.of(
                  "spark", "spark.load", "spark.eval", "model", "nn", "optim", "data", "common")),
          Map.entry(
              "cli",
              Set.of(
                  "ml",
                  "spark",
                  "spark.load",
                  "spark.eval",
                  "spark.run",
                  "report",
                  "model",
                  "nn",
                  "optim",
                  "data",
                  "common")));
  private static final Set<String> SPARK_FREE =
      Set.of("common", "nn", "optim", "data", "model", "report");
  private static final Pattern OURS = Pattern.compile("\\bio\\.sparkprop\\.([a-z][\\w.]*)");
  private static final Pattern CHAR = Pattern.compile("'(?:[^'\\\\\n]|\\\\.)+'");
  private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\\n]|\\\\.)*\"");
  private static final Pattern ENGINE = Pattern.compile("\\b(org\\.apache\\.spark|scala)\\.");

  /** Spark ships Breeze; sparkprop's own code never calls it (the math is netlib BLAS). */
  private static final Pattern BREEZE = Pattern.compile("\\bbreeze\\.");

  private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

  /** The package a reference after "io.sparkprop." names: its leading lower-case parts. */
  private static String packageOf(String reference) {
    StringBuilder pkg = new StringBuilder();
    for (String part : reference.split("\\.")) {
      if (part.isEmpty() || !Character.isLowerCase(part.charAt(0))) {
        break;
      }
      pkg.append(pkg.length() == 0 ? "" : ".").append(part);
    }
    return pkg.toString();
  }

  /** The source without its comments, string contents kept (none name our packages). */
  private static String code(Path file) throws IOException {
    return COMMENT.matcher(Files.readString(file)).replaceAll(" ");
  }

  /** The code with every string and character literal emptied. */
  private static String withoutStrings(String code) {
    return STRING.matcher(CHAR.matcher(code).replaceAll("' '")).replaceAll("\"\"");
  }

  private static List<Path> sources(String pkg) throws IOException {
    try (Stream<Path> files = Files.list(SOURCES.resolve(pkg.replace('.', '/')))) {
      return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
    }
  }

  @Test
  void references_followThePackageRules() throws IOException {
    List<String> violations = new ArrayList<>();
    for (Map.Entry<String, Set<String>> rule : ALLOWED.entrySet()) {
      String pkg = rule.getKey();
      for (Path file : sources(pkg)) {
        String code = code(file);
        Matcher ours = OURS.matcher(code);
        while (ours.find()) {
          String target = packageOf(ours.group(1));
          if (!target.equals(pkg) && !rule.getValue().contains(target)) {
            violations.add(pkg + "/" + file.getFileName() + " uses io.sparkprop." + ours.group(1));
          }
        }
        if (BREEZE.matcher(code).find()) {
          violations.add(pkg + "/" + file.getFileName() + " uses Breeze");
        }
        // A string may name a Spark class (the MLlib model directory's class) without using it.
        Matcher engine = ENGINE.matcher(withoutStrings(code));
        if (SPARK_FREE.contains(pkg) && engine.find()) {
          violations.add(pkg + "/" + file.getFileName() + " uses " + engine.group(1));
        }
      }
    }
    assertEquals(List.of(), violations);
  }

  @Test
  void rules_catchAFullyQualifiedReference() {
    String line = "    io.sparkprop.spark.load.Datasets.shapeOf(spec);";
    Matcher m = OURS.matcher(line);
    assertEquals(true, m.find());
    assertEquals("spark.load", packageOf(m.group(1)));
    assertEquals("nn", packageOf("nn.Blas.get().daxpy"));
  }

  @Test
  void rules_seeSparkInCode_notInAStringNamingIt() {
    String named = "String c = \"org.apache.spark.ml.X\"; char q = '\"'; int n = 1;";
    assertEquals(false, ENGINE.matcher(withoutStrings(named)).find());
    String used = "char q = '\"'; org.apache.spark.sql.Row r; String s = \"a\";";
    assertEquals(true, ENGINE.matcher(withoutStrings(used)).find());
  }

  @Test
  void everyPackage_hasPackageInfo_andRules() throws IOException {
    Set<String> found = new TreeSet<>();
    try (Stream<Path> dirs = Files.walk(SOURCES)) {
      dirs.filter(Files::isDirectory)
          .filter(d -> !d.equals(SOURCES))
          .forEach(d -> found.add(SOURCES.relativize(d).toString().replace('/', '.')));
    }
    assertEquals(new TreeSet<>(ALLOWED.keySet()), found, "every package has a rule");
    List<String> missing = new ArrayList<>();
    for (String pkg : found) {
      if (!Files.isRegularFile(
          SOURCES.resolve(pkg.replace('.', '/')).resolve("package-info.java"))) {
        missing.add(pkg);
      }
    }
    assertEquals(List.of(), missing);
  }
}
