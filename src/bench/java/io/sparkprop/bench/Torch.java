package io.sparkprop.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * PyTorch's side, the single-machine alternative: {@code src/bench/python/torch_reference.py} run
 * by a Python that can import torch, on the same MNIST files and as many threads as Spark has
 * cores. The Spark side is idle meanwhile, so both get the machine in turn.
 */
final class Torch {
  static final Path SCRIPT = Path.of("src/bench/python/torch_reference.py");
  private static final long TIMEOUT_MINUTES = 10;

  /**
   * PyTorch's figures (seconds): full passes, time to 97 % (NaN if not reached) and the epoch, and
   * conf/mnist.properties' run: its seconds, final accuracy and the seconds to 98 % (NaN if not).
   */
  record Figures(
      String version,
      int threads,
      double passFloat64,
      double passFloat32,
      double to97,
      int epochTo97,
      double confSeconds,
      double confAccuracy,
      double confTo98) {}

  private Torch() {}

  /** Whether {@code python} runs and can import torch. */
  static boolean available(String python) {
    try {
      Process p =
          new ProcessBuilder(python, "-c", "import torch")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return p.waitFor(2, TimeUnit.MINUTES) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Runs the reference on {@code mnist} with {@code threads} threads; its stderr passes through.
   */
  static Figures run(String python, Path mnist, int threads, int passes)
      throws IOException, InterruptedException {
    if (!Files.isRegularFile(SCRIPT)) {
      throw new IOException(SCRIPT + " not found: run the benchmark from the project's root");
    }
    Process p =
        new ProcessBuilder(
                python,
                SCRIPT.toString(),
                mnist.toString(),
                "--threads",
                String.valueOf(threads),
                "--passes",
                String.valueOf(passes))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    List<JsonNode> lines = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        Bench.log("PyTorch: " + line);
        lines.add(json.readTree(line));
      }
    }
    if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IOException(SCRIPT + " did not end within " + TIMEOUT_MINUTES + " minutes");
    }
    if (p.exitValue() != 0) {
      throw new IOException(SCRIPT + " exited with " + p.exitValue() + " (its stderr is above)");
    }
    return figures(lines);
  }

  private static Figures figures(List<JsonNode> lines) throws IOException {
    JsonNode pass64 = find(lines, "pass", "float64");
    JsonNode pass32 = find(lines, "pass", "float32");
    JsonNode to97 = find(lines, "to97", null);
    JsonNode conf = find(lines, "conf", null);
    return new Figures(
        pass64.path("torch").asText(),
        pass64.path("threads").asInt(),
        pass64.path("median_s").asDouble(),
        pass32.path("median_s").asDouble(),
        orNaN(to97.path("reached_s")),
        to97.path("reached_epoch").asInt(0),
        conf.path("seconds").asDouble(),
        conf.path("final_accuracy").asDouble(),
        orNaN(conf.path("reached_s")));
  }

  private static JsonNode find(List<JsonNode> lines, String what, String dtype) throws IOException {
    for (JsonNode line : lines) {
      if (line.path("what").asText().equals(what)
          && (dtype == null || line.path("dtype").asText().equals(dtype))) {
        return line;
      }
    }
    throw new IOException(
        SCRIPT + " printed no \"" + what + "\"" + (dtype == null ? "" : " " + dtype) + " line");
  }

  private static double orNaN(JsonNode value) {
    return value.isNumber() ? value.asDouble() : Double.NaN;
  }
}
