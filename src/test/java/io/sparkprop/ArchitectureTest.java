package io.sparkprop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package rules, checked on the sources: nn, optim and data depend on no other package of ours
 * and on nothing of Spark or Scala; model depends only on nn; spark on nn, optim, data and model;
 * cli on anything. Every package has a package-info.java.
 */
class ArchitectureTest {
  private static final Path SOURCES = Path.of("src/main/java/io/sparkprop");
  private static final Map<String, Set<String>> ALLOWED =
      Map.of(
          "nn", Set.of(),
          "optim", Set.of(),
          "data", Set.of(),
          "model", Set.of("nn"),
          "spark", Set.of("nn", "optim", "data", "model"),
          "cli", Set.of("nn", "optim", "data", "model", "spark"));
  private static final Set<String> SPARK_FREE = Set.of("nn", "optim", "data", "model");
  private static final Pattern IMPORT =
      Pattern.compile("^import (static )?([\\w.]+)", Pattern.MULTILINE);

  @Test
  void imports_followThePackageRules() throws IOException {
    List<String> violations = new ArrayList<>();
    for (Map.Entry<String, Set<String>> rule : ALLOWED.entrySet()) {
      String pkg = rule.getKey();
      try (Stream<Path> files = Files.list(SOURCES.resolve(pkg))) {
        for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
          Matcher m = IMPORT.matcher(Files.readString(file));
          while (m.find()) {
            String imported = m.group(2);
            if (imported.startsWith("io.sparkprop.")) {
              String target = imported.split("\\.")[2];
              if (!target.equals(pkg) && !rule.getValue().contains(target)) {
                violations.add(file.getFileName() + " imports " + imported);
              }
            }
            if (SPARK_FREE.contains(pkg)
                && (imported.startsWith("org.apache.spark.") || imported.startsWith("scala."))) {
              violations.add(file.getFileName() + " imports " + imported);
            }
          }
        }
      }
    }
    assertEquals(List.of(), violations);
  }

  @Test
  void everyPackage_hasPackageInfo() {
    List<String> missing = new ArrayList<>();
    for (String pkg : ALLOWED.keySet()) {
      if (!Files.isRegularFile(SOURCES.resolve(pkg).resolve("package-info.java"))) {
        missing.add(pkg);
      }
    }
    assertEquals(List.of(), missing);
  }
}
