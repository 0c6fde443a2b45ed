package io.sparkprop.common;

import java.io.IOException;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hidden temporary siblings an output is written under before it is renamed into place, named
 * {@code .<target>.<host>_<pid>.<uuid>.tmp}. A writer that was killed leaves its temporary behind;
 * the next write of the same target removes it once it is stale: its writer's process is gone (same
 * host) or it has not changed for {@link #STALE_MILLIS} (any host).
 */
public final class Temporaries {
  /** An hour without a change: no writer of ours pauses that long mid-file. */
  public static final long STALE_MILLIS = 3_600_000L;

  private static final Logger LOG = LoggerFactory.getLogger(Temporaries.class);

  private Temporaries() {}

  /** A fresh temporary name for {@code target}, in its directory. */
  public static Path next(Path target) {
    return new Path(
        target.getParent(),
        "."
            + target.getName()
            + "."
            + ThisProcess.HOST
            + "_"
            + ThisProcess.PID
            + "."
            + UUID.randomUUID()
            + ".tmp");
  }

  /**
   * Deletes the stale temporaries of {@code target}; one that cannot be deleted is left with a
   * warning, since the write itself does not depend on it.
   */
  public static void sweep(FileSystem fs, Path target) {
    Path dir = target.getParent();
    Pattern own =
        Pattern.compile(
            "\\." + Pattern.quote(target.getName()) + "\\.(.+)_(\\d+)\\.[0-9a-f-]{36}\\.tmp");
    try {
      if (dir == null || !fs.exists(dir)) {
        return;
      }
      long now = System.currentTimeMillis();
      for (FileStatus status : fs.listStatus(dir)) {
        Matcher m = own.matcher(status.getPath().getName());
        if (m.matches() && isStale(m.group(1), Long.parseLong(m.group(2)), status, now)) {
          LOG.info("removing {}, left by a writer that stopped", status.getPath());
          fs.delete(status.getPath(), true);
        }
      }
    } catch (IOException | NumberFormatException e) {
      LOG.warn("could not remove stale temporaries of {}: {}", target, e.getMessage());
    }
  }

  private static boolean isStale(String host, long pid, FileStatus status, long now) {
    return ThisProcess.hasEnded(host, pid) || now - status.getModificationTime() > STALE_MILLIS;
  }
}
