package io.sparkprop.spark.load;

import io.sparkprop.common.Temporaries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Output that appears at its path only once complete: a job writes it beside the path under a
 * hidden name, which is then renamed into place; if the job fails, what it wrote is removed, and
 * what a killed job left is removed by the next write to the same path once it is stale.
 */
public final class StagedOutput {
  private StagedOutput() {}

  /**
   * Runs {@code write} on a hidden sibling of {@code path}, then moves the result to {@code path}.
   *
   * @throws UncheckedIOException when {@code path} exists, before or after the job, or the result
   *     cannot be moved into place
   */
  public static void write(String path, Configuration conf, Consumer<String> write) {
    Path target = new Path(path);
    Path staging = Temporaries.next(target);
    try {
      FileSystem fs = target.getFileSystem(conf);
      refuseExisting(fs, target);
      Temporaries.sweep(fs, target);
      try {
        write.accept(staging.toString());
        // A rename onto an existing directory would move the output inside it.
        refuseExisting(fs, target);
        if (!fs.rename(staging, target)) {
          throw new IOException("cannot move " + staging + " to " + target);
        }
      } finally {
        fs.delete(staging, true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void refuseExisting(FileSystem fs, Path target) throws IOException {
    if (fs.exists(target)) {
      throw new IOException(target + " already exists; choose a new path");
    }
  }
}
