package io.sparkprop.spark.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkprop.common.ThisProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A checkpoint directory held by one writer: the file {@value #NAME} in it, created only if absent,
 * names the holder (host, pid, start) and is touched every {@link #HEARTBEAT_MILLIS} while it runs.
 * A second writer is refused while the holder lives. A lock left by a writer that died is taken
 * over: its process on this host has ended, or it has not been touched for {@link #STALE_MILLIS}.
 * Closing it stops the heartbeat and deletes the file.
 */
public final class CheckpointLock implements AutoCloseable {
  static final String NAME = "sparkprop.lock";
  static final long HEARTBEAT_MILLIS = 10_000;
  static final long STALE_MILLIS = 120_000;
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointLock.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Path path;
  private final FileSystem fs;
  private final String token;
  private final ScheduledExecutorService heartbeat;

  private CheckpointLock(Path path, FileSystem fs, String token) {
    this.path = path;
    this.fs = fs;
    this.token = token;
    this.heartbeat =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sparkprop-checkpoint-lock");
              t.setDaemon(true);
              return t;
            });
    heartbeat.scheduleWithFixedDelay(
        this::touch, HEARTBEAT_MILLIS, HEARTBEAT_MILLIS, TimeUnit.MILLISECONDS);
  }

  /**
   * Takes the directory's lock, creating the directory if needed.
   *
   * @throws IOException naming the holder when another live writer holds it
   */
  public static CheckpointLock acquire(String directory, Configuration conf) throws IOException {
    Path dir = new Path(directory);
    FileSystem fs = dir.getFileSystem(conf);
    fs.mkdirs(dir);
    Path path = new Path(dir, NAME);
    String token = UUID.randomUUID().toString();
    for (int attempt = 0; ; attempt++) {
      if (create(fs, path, token)) {
        return new CheckpointLock(path, fs, token);
      }
      String holder = staleHolder(fs, path);
      if (holder == null || attempt > 0) {
        throw new IOException(
            "--checkpoint-dir "
                + directory
                + " is in use by "
                + describe(fs, path)
                + "; wait for that run to end, or delete "
                + path
                + " if it is gone");
      }
      LOG.warn("taking over {}, left by {}", path, holder);
      fs.delete(path, false);
    }
  }

  /** Creates the lock file only if absent: false when it exists. */
  private static boolean create(FileSystem fs, Path path, String token) throws IOException {
    byte[] content =
        MAPPER
            .writeValueAsString(
                Map.of(
                    "host",
                    ThisProcess.HOST,
                    "pid",
                    ThisProcess.PID,
                    "since",
                    Instant.now().toString(),
                    "token",
                    token))
            .getBytes(StandardCharsets.UTF_8);
    try {
      if (fs instanceof LocalFileSystem local) {
        // The raw file system's create checks, then creates; the JDK's is one atomic step.
        Files.write(
            Paths.get(local.getRawFileSystem().makeQualified(path).toUri().getPath()),
            content,
            java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE);
      } else {
        try (OutputStream out = fs.create(path, false)) {
          out.write(content);
        }
      }
      return true;
    } catch (FileAlreadyExistsException | org.apache.hadoop.fs.FileAlreadyExistsException e) {
      return false;
    }
  }

  /** Who left the lock, when it is stale; null while its holder may be alive. */
  private static String staleHolder(FileSystem fs, Path path) throws IOException {
    FileStatus status;
    try {
      status = fs.getFileStatus(path);
    } catch (java.io.FileNotFoundException gone) {
      return "a writer that has just ended";
    }
    JsonNode holder = readHolder(fs, path);
    String who = describe(holder);
    if (holder != null
        && ThisProcess.hasEnded(holder.path("host").asText(), holder.path("pid").asLong())) {
      return who + ", which has ended";
    }
    long idle = System.currentTimeMillis() - status.getModificationTime();
    return idle > STALE_MILLIS ? who + ", silent for " + idle / 1000 + " s" : null;
  }

  private static JsonNode readHolder(FileSystem fs, Path path) {
    try (InputStream in = fs.open(path)) {
      JsonNode node = MAPPER.readTree(in);
      return node != null && node.isObject() ? node : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static String describe(FileSystem fs, Path path) {
    return describe(readHolder(fs, path));
  }

  private static String describe(JsonNode holder) {
    if (holder == null) {
      return "an unknown writer";
    }
    return "the run on host "
        + holder.path("host").asText("?")
        + " (pid "
        + holder.path("pid").asText("?")
        + ", since "
        + holder.path("since").asText("?")
        + ")";
  }

  private void touch() {
    try {
      fs.setTimes(path, System.currentTimeMillis(), -1);
    } catch (IOException e) {
      LOG.warn("cannot refresh the checkpoint lock {}: {}", path, e.getMessage());
    }
  }

  /** Stops the heartbeat and deletes the lock if it is still this writer's. */
  @Override
  public void close() throws IOException {
    heartbeat.shutdownNow();
    JsonNode holder = readHolder(fs, path);
    if (holder != null && token.equals(holder.path("token").asText())) {
      fs.delete(path, false);
    }
  }
}
