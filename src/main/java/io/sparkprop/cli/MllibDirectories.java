package io.sparkprop.cli;

import io.sparkprop.common.Temporaries;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes a directory output (an exported Spark MLlib model) atomically: Spark's writer fills a
 * hidden temporary sibling, which is then renamed into place, so a reader sees the old complete
 * directory or the new one and a failed export leaves nothing under the target's name.
 */
final class MllibDirectories {
  private MllibDirectories() {}

  /** Writes a directory's content at the path it is given. */
  @FunctionalInterface
  interface Content {
    void writeTo(String directory) throws IOException;
  }

  /**
   * The checks made before Spark starts: the target may replace nothing without {@code overwrite},
   * may not replace a file, and its nearest existing ancestor must be a writable directory.
   */
  static void requireWritable(String target, Configuration hadoop, boolean overwrite)
      throws IOException {
    Path path = new Path(target);
    FileSystem fs = path.getFileSystem(hadoop);
    if (fs.exists(path)) {
      if (!overwrite) {
        throw new IOException(target + " already exists (pass --overwrite to replace it)");
      }
      if (!fs.getFileStatus(path).isDirectory()) {
        throw new IOException(target + " is a file; an MLlib model is a directory");
      }
    }
    OutputPaths.requireWritableAncestor(path, fs, target);
  }

  /** Fills a temporary sibling of {@code target}, then renames it to {@code target}. */
  static void write(String target, Configuration hadoop, boolean overwrite, Content content)
      throws IOException {
    requireWritable(target, hadoop, overwrite);
    Path path = new Path(target);
    FileSystem fs = path.getFileSystem(hadoop);
    fs.mkdirs(path.getParent());
    Temporaries.sweep(fs, path);
    Path temporary = Temporaries.next(path);
    Path old = Temporaries.next(path);
    try {
      content.writeTo(temporary.toString());
      boolean replacing = fs.exists(path);
      if (replacing && !fs.rename(path, old)) {
        throw new IOException("cannot move the existing " + target + " aside to replace it");
      }
      if (!fs.rename(temporary, path)) {
        if (replacing) {
          fs.rename(old, path);
        }
        throw new IOException("cannot rename the exported directory to " + target);
      }
      fs.delete(old, true);
    } finally {
      fs.delete(temporary, true);
    }
  }
}
