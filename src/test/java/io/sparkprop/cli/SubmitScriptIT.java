package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/submit.sh without a Spark installation gives the driver the memory spark-submit would: in
 * client mode its JVM is the driver, and it once kept its own 2 GB whatever --driver-memory said.
 * train's driver-heap check prints the heap it found (maxMemory / 1e9, one decimal), so a network
 * too large for any of these heaps shows which heap the driver got: 1 GiB prints 1.1 GB, 2 GiB 2.1,
 * 1500 MiB 1.6, 900 MiB 0.9.
 */
class SubmitScriptIT {

  /** 75,000,002 parameters: Adam's five arrays of them are 3.0 GB. */
  private static final String LAYERS = "2,15000000,2";

  @TempDir Path dir;

  private record Result(int code, String output) {}

  private Result submit(Map<String, String> env, String... sparkArgs) throws Exception {
    Path data = dir.resolve("train.libsvm");
    Files.writeString(data, "1 1:0.5\n0 2:0.5\n");
    List<String> command = new ArrayList<>(List.of("bash", "scripts/submit.sh"));
    command.addAll(List.of(sparkArgs));
    command.addAll(
        List.of(
            "--",
            "train",
            "--train",
            data.toString(),
            "--layers",
            LAYERS,
            "--optimizer",
            "adam",
            "--model-out",
            dir.resolve("model.bin").toString()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().remove("SPARK_HOME");
    builder.environment().remove("SPARK_DRIVER_MEMORY");
    builder.environment().putAll(env);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(300, TimeUnit.SECONDS), "submit.sh finished");
    return new Result(process.exitValue(), output);
  }

  private void assertDriverHeap(String heap, Result result) {
    assertEquals(2, result.code(), result.output());
    assertTrue(
        result.output().contains("3.0 GB, more than its heap of " + heap + " GB"), result.output());
  }

  @Test
  void driverMemory_flagsAndConfigurationSetTheClientDriversHeap() throws Exception {
    assertDriverHeap("1.1", submit(Map.of(), "--master", "local[1]", "--driver-memory", "1g"));
    assertDriverHeap("1.6", submit(Map.of(), "--master", "local[1]", "--driver-memory=1500m"));
    assertDriverHeap(
        "0.9", submit(Map.of(), "--master", "local[1]", "--conf", "spark.driver.memory=900m"));
  }

  @Test
  void driverMemory_defaultsTo2gAndFollowsSparkDriverMemory() throws Exception {
    assertDriverHeap("2.1", submit(Map.of(), "--master", "local[1]"));
    assertDriverHeap("1.1", submit(Map.of("SPARK_DRIVER_MEMORY", "1g"), "--master", "local[1]"));
  }

  @Test
  void sparkSubmitUsageError_exitsNonZero() throws Exception {
    Result result = submit(Map.of(), "--no-such-option");
    assertTrue(result.code() != 0, result.output());
    assertTrue(result.output().contains("Unrecognized option"), result.output());
    assertTrue(result.output().contains("--no-such-option"), result.output());
  }
}
