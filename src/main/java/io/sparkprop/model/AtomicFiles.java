package io.sparkprop.model;

import io.sparkprop.common.Temporaries;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.StreamCapabilities;

/**
 * Writes a file so readers see either the old complete file or the new complete one: the content
 * goes to a hidden temporary file in the same directory, is forced to stable storage (fsync on a
 * local disk, hsync on HDFS), and the file is then renamed over the target (an atomic rename on
 * local file systems and HDFS). Without the sync a machine that crashed just after the rename could
 * come back with the new name over an empty file. A killed writer's temporary file is removed by
 * the next write of the same target once it is stale ({@link Temporaries}).
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Produces a file's content; it must leave the stream open (the sync follows). */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * @param overwrite whether an existing file may be replaced
   * @throws IOException when the target exists and {@code overwrite} is false, or on I/O failure;
   *     the target is then unchanged
   */
  public static void write(String target, Configuration conf, boolean overwrite, Content content)
      throws IOException {
    Path path = new Path(target);
    FileSystem fs = path.getFileSystem(conf);
    if (!overwrite && fs.exists(path)) {
      throw new IOException(target + " already exists (pass --overwrite to replace it)");
    }
    Path parent = path.getParent();
    if (parent != null) {
      fs.mkdirs(parent);
    }
    Temporaries.sweep(fs, path);
    Path temporary = Temporaries.next(path);
    if (fs instanceof LocalFileSystem local) {
      // The raw file system writes no .crc side files next to the user's model.
      writeLocal(local.getRawFileSystem(), temporary, path, content);
      return;
    }
    try {
      try (FSDataOutputStream out = fs.create(temporary, false)) {
        content.writeTo(out);
        // Object stores (S3A) refuse hsync; what they store is complete once close returns.
        if (out.hasCapability(StreamCapabilities.HSYNC)) {
          out.hsync();
        }
      }
      FileContext.getFileContext(path.toUri(), conf)
          .rename(temporary, path, overwrite ? Options.Rename.OVERWRITE : Options.Rename.NONE);
    } finally {
      fs.delete(temporary, false);
    }
  }

  private static void writeLocal(FileSystem raw, Path temporary, Path target, Content content)
      throws IOException {
    java.nio.file.Path tmp = Paths.get(raw.makeQualified(temporary).toUri().getPath());
    java.nio.file.Path destination = Paths.get(raw.makeQualified(target).toUri().getPath());
    try {
      try (FileChannel channel =
              FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
          OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16)) {
        content.writeTo(out);
        out.flush();
        channel.force(true);
      }
      Files.move(
          tmp, destination, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      syncDirectory(destination.getParent());
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Makes the rename itself durable: on Linux a directory opened for reading can be synced. */
  private static void syncDirectory(java.nio.file.Path directory) {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Some platforms cannot open a directory; the rename is still atomic there.
    }
  }
}
