package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.report.EpochStats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model is written last: when the history or the report cannot be written after the checks
 * before Spark passed (a directory appeared at its path while training ran), the run fails and the
 * model it was asked to replace is left as it was, not paired with another run's history.
 */
class TrainOutputsTest {

  @Test
  void write_historyOrReportFailingAfterTheChecks_leavesTheOldModel(@TempDir Path dir)
      throws Exception {
    for (String blocked : List.of("m.history.csv", "m.report.html")) {
      Path run = Files.createDirectory(dir.resolve("run-" + blocked));
      Path model = Files.writeString(run.resolve("m.json"), "the previous run's model");
      Path data = Files.writeString(run.resolve("d.libsvm"), "0 1:0\n1 1:1\n");
      String[] args =
          Args.train(data, model.toString()).with("--layers", "1,1", "--overwrite").toArray();
      Options o = Options.parse("train", java.util.Arrays.copyOfRange(args, 1, args.length));
      TrainJob job = TrainJob.from(o, SparkStart.conf(o, "train"));
      // Training runs here; meanwhile something makes a directory where the output goes.
      Files.createDirectories(run.resolve(blocked).resolve("inside"));

      PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
      IOException e =
          assertThrows(
              IOException.class,
              () -> TrainOutputs.write(job, result(), new Configuration(), out),
              blocked);
      assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
      assertArrayEquals(
          "the previous run's model".getBytes(StandardCharsets.UTF_8),
          Files.readAllBytes(model),
          blocked + " failed: the model is untouched");
      if (blocked.equals("m.report.html")) {
        assertTrue(Files.exists(run.resolve("m.history.csv")), "the history went first");
      }
    }
  }

  /** One epoch of a 1-1 network. */
  private static TrainingResult result() {
    double nan = Double.NaN;
    EpochStats epoch = EpochStats.of(new double[] {1, 1, 0.5, nan, nan, nan, nan, 0.1, 10, 0.1});
    return new TrainingResult(new double[] {0.5, 0.1}, 1, List.of(epoch), 2, -1, -1, null);
  }
}
