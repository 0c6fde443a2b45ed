package io.sparkprop.spark;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The local file system under the scheme {@code flaky:}, whose k-th opening of a file, counted
 * across every JVM on the machine, fails once: a flaky input split for {@link ClusterIT}, shipped
 * to the executors with --jars. {@code fs.flaky.counter} names the directory that counts the
 * openings (one marker file each) and {@code fs.flaky.fail-at} the opening that fails.
 */
public final class FlakyFileSystem extends RawLocalFileSystem {
  private Path counter;
  private int failAt;

  @Override
  public void initialize(URI uri, Configuration conf) throws IOException {
    super.initialize(uri, conf);
    counter = Path.of(conf.get("fs.flaky.counter"));
    failAt = conf.getInt("fs.flaky.fail-at", 1);
  }

  @Override
  public URI getUri() {
    return URI.create("flaky:///");
  }

  @Override
  public String getScheme() {
    return "flaky";
  }

  @Override
  public FSDataInputStream open(org.apache.hadoop.fs.Path f, int bufferSize) throws IOException {
    Files.createDirectories(counter);
    for (int n = 1; ; n++) {
      try {
        Files.createFile(counter.resolve("open-" + n));
      } catch (FileAlreadyExistsException taken) {
        continue;
      }
      if (n == failAt) {
        throw new IOException("injected failure: opening " + n + " of " + f);
      }
      return super.open(f, bufferSize);
    }
  }
}
