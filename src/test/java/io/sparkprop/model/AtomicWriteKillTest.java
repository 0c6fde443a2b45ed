package io.sparkprop.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process writing a model over and over is killed with SIGKILL at random moments, mid-write most
 * of the time: the file left behind is always one complete generation, never a mix or a torn file,
 * and never older than the last write the process saw return. The temporaries the killed writers
 * leave are removed by the next write.
 */
class AtomicWriteKillTest {

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void killedWhileOverwriting_leavesTheOldOrTheNewCompleteModel(@TempDir Path dir)
      throws Exception {
    String target = dir.resolve("model.json").toString();
    Random random = new Random(5);
    for (int trial = 0; trial < 5; trial++) {
      Process writer =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx256m",
                  "-cp",
                  System.getProperty("java.class.path"),
                  AtomicWriteLoop.class.getName(),
                  target)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      // The process's pipe closes when it is killed: a thread keeps the last line it printed.
      AtomicLong lastReturned = new AtomicLong(-1);
      CountDownLatch firstWrite = new CountDownLatch(1);
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader out =
                    new BufferedReader(
                        new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String line = out.readLine(); line != null; line = out.readLine()) {
                    lastReturned.set(Long.parseLong(line.substring("written ".length())));
                    firstWrite.countDown();
                  }
                } catch (IOException closed) {
                  // The pipe went away with the process.
                }
              });
      reader.start();
      // Let it finish one write, so the kill below lands while it overwrites a complete model.
      assertTrue(firstWrite.await(60, TimeUnit.SECONDS), "the writer wrote a first model");
      Thread.sleep(random.nextInt(400));
      long returnedBeforeKill = lastReturned.get();
      writer.destroyForcibly();
      assertTrue(writer.waitFor(30, TimeUnit.SECONDS), "the writer died");
      reader.join(10_000);

      Model model = ModelFile.read(target, new Configuration());
      double generation = model.weights()[0];
      for (double w : model.weights()) {
        assertEquals(generation, w, 0.0, "one generation throughout");
      }
      assertEquals(Integer.toString((int) generation), model.metadata().get("generation"));
      assertTrue(
          generation >= returnedBeforeKill,
          "generation " + generation + " after the write of " + returnedBeforeKill + " returned");
    }
    // Every killed writer may have left a temporary; the next write removes them, theirs all dead.
    ModelFile.write(ModelFile.read(target, new Configuration()), target, new Configuration(), true);
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(List.of("model.json"), left.map(p -> p.getFileName().toString()).toList());
    }
  }
}
