package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The classpaths the project assembles for running Spark without an installation (local mode's
 * launcher, and the standalone test cluster's Spark home) let Spark set up Kryo and write Parquet.
 * Spark sets up Kryo when memory runs short and it spills a cached block; with spark-mllib-local
 * but no Breeze it failed with NoClassDefFoundError breeze/linalg/Matrix, and local-mode training
 * failed with it. Parquet needs its shaded Jackson, a runtime-only jar that a classpath of
 * compile-scope jars leaves out (NoClassDefFoundError shaded/parquet/.../ObjectMapper).
 */
class RuntimeClasspathIT {

  private static String probe(String classpath, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(Files.readString(Path.of("target/launcher/java-options")).trim().split("\\s+")));
    command.addAll(
        List.of("-cp", "target/test-classes:" + classpath, ClasspathProbe.class.getName()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(300, TimeUnit.SECONDS), "the probe finished");
    assertEquals(0, process.exitValue(), output);
    return output;
  }

  @Test
  void launcherClasspath_letsSparkSetUpKryoAndWriteParquet() throws Exception {
    String classpath =
        Files.readString(Path.of("target/launcher/classpath")).trim()
            + ":"
            + Files.readString(Path.of("target/launcher/runtime-classpath")).trim();
    assertTrue(classpath.contains("spark-core_2.13"), "the launcher classpath holds Spark");
    String output = probe(classpath);
    assertTrue(output.contains("kryo ready"), output);
    assertTrue(output.contains("parquet ready"), output);
  }

  @Test
  void clusterSparkHome_letsSparkSetUpKryoAndWriteParquet() throws Exception {
    Process build = new ProcessBuilder("bash", "scripts/cluster/spark-home.sh").inheritIO().start();
    assertTrue(build.waitFor(600, TimeUnit.SECONDS) && build.exitValue() == 0, "spark home built");
    String output = probe("target/spark-home/jars/*");
    assertTrue(output.contains("kryo ready"), output);
    assertTrue(output.contains("parquet ready"), output);
  }

  /**
   * The jar built against Spark 4.2 runs on Spark 4.1: on the jars of a Spark 4.1.0 installation
   * (from Maven Central, as the test cluster's), the command line converts, trains from and
   * predicts a Parquet table, and a Pipeline with the Spark ML estimator fits, saves, loads and
   * scores.
   */
  @Test
  void spark41Jars_runTheJarOnTablesAndInAPipeline() throws Exception {
    ProcessBuilder home = new ProcessBuilder("bash", "scripts/cluster/spark-home.sh").inheritIO();
    home.environment().put("SPARKPROP_SPARK_VERSION", "4.1.0");
    Process build = home.start();
    assertTrue(build.waitFor(900, TimeUnit.SECONDS) && build.exitValue() == 0, "spark home built");
    String jar = "target/sparkprop-" + System.getProperty("sparkprop.version", "0.1.0") + ".jar";
    String output = probe(jar + ":target/spark-home-4.1.0/jars/*", "sparkprop");
    assertTrue(output.contains("pipeline ready"), output);
    assertTrue(output.contains("command line ready"), output);
    assertTrue(output.contains("spark 4.1.0"), output);
  }

  /** Spark ships Breeze; sparkprop's jar holds sparkprop's classes only. */
  @Test
  void jar_shipsNoBreeze() throws Exception {
    String jar = "target/sparkprop-" + System.getProperty("sparkprop.version", "0.1.0") + ".jar";
    try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar)) {
      List<String> foreign =
          file.stream()
              .map(java.util.jar.JarEntry::getName)
              .filter(n -> n.endsWith(".class") && !n.startsWith("io/sparkprop/"))
              .toList();
      assertEquals(List.of(), foreign);
      assertTrue(file.stream().anyMatch(e -> e.getName().startsWith("io/sparkprop/ml/")));
    }
  }
}
