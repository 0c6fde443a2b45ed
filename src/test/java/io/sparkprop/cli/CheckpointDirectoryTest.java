package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.common.ThisProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint directory belongs to the runs that write it: a resume that cannot continue is
 * refused before Spark starts (exit 2), a run's own checkpoints are not silently restarted over,
 * and a second writer is kept out while the first lives.
 */
class CheckpointDirectoryTest {
  private static final String XOR = "0 1:0 2:0\n1 1:0 2:1\n1 1:1 2:0\n0 1:1 2:1\n";

  /** XOR, 2-4-1, one step an epoch, a checkpoint every epoch, the newest 5 kept. */
  private static Args train(Path dir, String model, String epochs) throws IOException {
    Path data = dir.resolve("xor.libsvm");
    if (Files.notExists(data)) {
      Files.writeString(data, XOR);
    }
    return Args.train(data, dir.resolve(model).toString())
        .with("--layers", "2,4,1", "--epochs", epochs, "--seed", "3")
        .with("--checkpoint-dir", dir.resolve("checkpoints").toString(), "--keep-checkpoints", "5");
  }

  /** The steps in the checkpoint names, newest first. */
  private static List<Long> steps(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("checkpoints"))) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.matches("checkpoint-[0-9a-f]{12}-\\d+\\.json"))
          .map(n -> Long.parseLong(n.substring(n.lastIndexOf('-') + 1, n.length() - 5)))
          .sorted(java.util.Comparator.reverseOrder())
          .toList();
    }
  }

  @Test
  void resume_pastTheStepsAskedFor_isAUsageError(@TempDir Path dir) throws IOException {
    CliRun first = train(dir, "a.json", "4").run();
    assertEquals(0, first.code(), first.err());
    CliRun shorter = train(dir, "b.json", "2").with("--resume").run();
    assertEquals(2, shorter.code(), shorter.err());
    assertTrue(
        shorter
            .err()
            .contains(
                "is at step 4 (epoch 4), past the 2 steps (2 epochs) asked for; ask for at least 4"
                    + " epochs"),
        shorter.err());
    assertFalse(Files.exists(dir.resolve("b.json")), "nothing trained, nothing written");
    assertEquals(List.of(4L, 3L, 2L, 1L), steps(dir), "the checkpoints are left as they were");

    CliRun longer = train(dir, "c.json", "6").with("--resume").run();
    assertEquals(0, longer.code(), longer.err());
    assertEquals(List.of(6L, 5L, 4L, 3L, 2L), steps(dir), "continued from step 4");
  }

  @Test
  void freshRun_overItsOwnCheckpoints_needsOverwriteWhichStartsOver(@TempDir Path dir)
      throws IOException {
    assertEquals(0, train(dir, "a.json", "4").run().code());
    CliRun again = train(dir, "b.json", "2").run();
    assertEquals(1, again.code(), again.err());
    assertTrue(
        again
            .err()
            .contains(
                "already holds checkpoints of this run (up to step 4); pass --resume to continue"
                    + " it, or --overwrite to start over"),
        again.err());
    assertFalse(again.err().contains("\tat "), again.err());

    CliRun over = train(dir, "b.json", "2").with("--overwrite").run();
    assertEquals(0, over.code(), over.err());
    assertEquals(List.of(2L, 1L), steps(dir), "the old run's checkpoints are gone");
  }

  @Test
  void secondWriter_whileTheFirstLives_isRefused(@TempDir Path dir) throws IOException {
    Path checkpoints = Files.createDirectories(dir.resolve("checkpoints"));
    // A writer in this very process: alive, and its lock fresh.
    Files.writeString(
        checkpoints.resolve("sparkprop.lock"),
        "{\"host\":\""
            + ThisProcess.HOST
            + "\",\"pid\":"
            + ThisProcess.PID
            + ",\"since\":\"2026-12-03T00:00:00Z\",\"token\":\"other\"}");
    CliRun second = train(dir, "a.json", "2").run();
    assertEquals(1, second.code(), second.err());
    assertTrue(
        second.err().contains("is in use by the run on host " + ThisProcess.HOST + " (pid "),
        second.err());
    assertTrue(second.err().contains("wait for that run to end, or delete "), second.err());
    assertTrue(Files.exists(checkpoints.resolve("sparkprop.lock")), "the holder's lock stays");
    assertFalse(Files.exists(dir.resolve("a.json")));
  }

  @Test
  void lockOfAWriterSilentFor10Minutes_isTakenOverAndReleased(@TempDir Path dir)
      throws IOException {
    Path checkpoints = Files.createDirectories(dir.resolve("checkpoints"));
    Path lock = checkpoints.resolve("sparkprop.lock");
    Files.writeString(lock, "{\"host\":\"elsewhere\",\"pid\":1,\"token\":\"other\"}");
    Files.setLastModifiedTime(lock, FileTime.fromMillis(System.currentTimeMillis() - 600_000));
    CliRun run = train(dir, "a.json", "2").run();
    assertEquals(0, run.code(), run.err());
    assertEquals(List.of(2L, 1L), steps(dir));
    assertFalse(Files.exists(lock), "released at the end");
  }
}
