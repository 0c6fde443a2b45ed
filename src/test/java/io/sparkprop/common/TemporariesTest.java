package io.sparkprop.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sweep removes a temporary whose writer is gone (its process on this host has ended, or it has
 * not changed for an hour) and keeps one that may still be written, and anything not of its target.
 */
class TemporariesTest {

  @Test
  void sweep_removesOnlyTheStaleTemporariesOfItsTarget(@TempDir Path dir) throws Exception {
    org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(dir.resolve("m.json").toUri());
    FileSystem fs = FileSystem.getLocal(new Configuration()).getRawFileSystem();

    String live = Temporaries.next(target).getName(); // this process: alive
    String host = live.substring(".m.json.".length(), live.lastIndexOf('_'));
    String dead = ".m.json." + host + "_" + endedPid() + "." + UUID.randomUUID() + ".tmp";
    String otherHostFresh = ".m.json.elsewhere_1." + UUID.randomUUID() + ".tmp";
    String otherHostOld = ".m.json.elsewhere_2." + UUID.randomUUID() + ".tmp";
    String otherTarget = ".n.json.elsewhere_3." + UUID.randomUUID() + ".tmp";
    for (String name : List.of(live, dead, otherHostFresh, otherHostOld, otherTarget)) {
      Files.writeString(dir.resolve(name), "partial");
    }
    Files.createDirectory(
        dir.resolve(".m.json." + host + "_" + endedPid() + "." + UUID.randomUUID() + ".tmp"));
    long twoHoursAgo = System.currentTimeMillis() - 2 * Temporaries.STALE_MILLIS;
    Files.setLastModifiedTime(dir.resolve(otherHostOld), FileTime.fromMillis(twoHoursAgo));
    Files.setLastModifiedTime(dir.resolve(otherTarget), FileTime.fromMillis(twoHoursAgo));

    Temporaries.sweep(fs, target);

    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(
          List.of(live, otherHostFresh, otherTarget).stream().sorted().toList(),
          left.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void next_isHiddenBesideItsTargetAndNewEachTime(@TempDir Path dir) {
    org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(dir.resolve("m.json").toUri());
    org.apache.hadoop.fs.Path a = Temporaries.next(target);
    assertEquals(target.getParent(), a.getParent());
    assertTrue(a.getName().startsWith(".m.json.") && a.getName().endsWith(".tmp"), a.getName());
    assertTrue(!a.equals(Temporaries.next(target)));
  }

  /** The pid of a process that has ended. */
  private static long endedPid() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    return p.pid();
  }
}
