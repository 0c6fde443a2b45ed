package io.sparkprop.cli;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsAction;
import org.apache.hadoop.security.AccessControlException;

/** The checks an output path passes before Spark starts, so that no run fails at its end. */
final class OutputPaths {
  private OutputPaths() {}

  /**
   * A path a command creates and never replaces (predictions, a converted table): it must not
   * exist, and the nearest existing directory above it must be a writable directory.
   */
  static void requireNew(String output, Configuration hadoop) throws IOException {
    Path path = new Path(output);
    FileSystem fs = path.getFileSystem(hadoop);
    if (fs.exists(path)) {
      throw new IOException(output + " already exists; choose a new path");
    }
    requireWritableAncestor(path, fs, output);
  }

  /**
   * The nearest existing directory above {@code path}, where it (and any directory between) will be
   * created, must be a writable directory, not a file.
   */
  static void requireWritableAncestor(Path path, FileSystem fs, String what) throws IOException {
    for (Path p = path.getParent(); p != null; p = p.getParent()) {
      if (fs.exists(p)) {
        if (!fs.getFileStatus(p).isDirectory()) {
          throw new IOException("cannot write " + what + ": " + p + " is a file");
        }
        requireWritable(p, fs, what);
        return;
      }
    }
  }

  static void requireWritable(Path dir, FileSystem fs, String what) throws IOException {
    try {
      fs.access(dir, FsAction.WRITE);
    } catch (AccessControlException e) {
      throw new IOException("cannot write " + what + ": " + dir + " is not writable", e);
    }
  }
}
