package io.sparkprop.bench;

import io.sparkprop.data.DataShape;
import io.sparkprop.data.ExampleBlock;
import io.sparkprop.data.IdxDataset;
import io.sparkprop.nn.Network;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;

/**
 * scripts/generate-data.sh: a large LIBSVM data set for load tests, made of MNIST's training set
 * and noisy copies of it (each non-zero pixel of a copy moved by −1, 0 or +1), one part file per
 * copy, values p/255 to four decimals. About 90 MB of text per copy.
 *
 * <p>Arguments: MNIST_DIR OUT_DIR COPIES.
 */
public final class GenerateData {
  private static final int PIXELS = 784;

  private GenerateData() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      System.err.println("usage: GenerateData MNIST_DIR OUT_DIR COPIES");
      System.exit(2);
    }
    Path mnist = Path.of(args[0]);
    Path out = Path.of(args[1]);
    int copies = Integer.parseInt(args[2]);
    Files.createDirectories(out);
    Configuration conf = new Configuration();
    IdxDataset dataset =
        IdxDataset.open(
            mnist.resolve("train-images-idx3-ubyte").toString(),
            mnist.resolve("train-labels-idx1-ubyte").toString(),
            conf);
    DataShape shape = new DataShape(PIXELS, 10, DataShape.LabelKind.CLASS_INDEX);
    long bytes = 0;
    for (int c = 0; c < copies; c++) {
      Path part = out.resolve(String.format("part-%05d.libsvm", c));
      SplittableRandom random = new SplittableRandom(c);
      try (Writer w =
          new BufferedWriter(Files.newBufferedWriter(part, StandardCharsets.US_ASCII), 1 << 20)) {
        Iterator<ExampleBlock> blocks = dataset.readBlocks(conf, shape, 0, dataset.count(), 1024);
        StringBuilder line = new StringBuilder(4096);
        while (blocks.hasNext()) {
          ExampleBlock block = blocks.next();
          double[] x = block.features();
          double[] y = block.targets();
          for (int j = 0; j < block.size(); j++) {
            line.setLength(0);
            line.append(Network.classOf(y, 10, j));
            for (int i = 0; i < PIXELS; i++) {
              long p = Math.round(x[j * PIXELS + i] * 255);
              if (p > 0 && c > 0) {
                p = Math.max(0, Math.min(255, p + random.nextInt(3) - 1));
              }
              if (p > 0) {
                line.append(' ').append(i + 1).append(':');
                appendFraction(line, p);
              }
            }
            line.append('\n');
            w.append(line);
            bytes += line.length();
          }
        }
      }
      System.err.printf("%s: copy %d of %d, %.2f GB so far%n", part, c + 1, copies, bytes / 1e9);
    }
  }

  /** p/255 with four decimals, e.g. 0.4510 (1 for p = 255). */
  private static void appendFraction(StringBuilder line, long p) {
    long tenThousandths = Math.round(p * 10_000.0 / 255);
    if (tenThousandths >= 10_000) {
      line.append('1');
      return;
    }
    line.append("0.");
    String digits = Long.toString(tenThousandths);
    for (int pad = digits.length(); pad < 4; pad++) {
      line.append('0');
    }
    line.append(digits);
  }
}
