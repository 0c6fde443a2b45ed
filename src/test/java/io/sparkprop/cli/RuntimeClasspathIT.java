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

  private static String probe(String classpath) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(Files.readString(Path.of("target/launcher/java-options")).trim().split("\\s+")));
    command.addAll(
        List.of("-cp", "target/test-classes:" + classpath, ClasspathProbe.class.getName()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the probe finished");
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
}
