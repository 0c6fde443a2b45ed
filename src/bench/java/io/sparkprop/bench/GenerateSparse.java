package io.sparkprop.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Hashed sparse data, as click, text and log models see it: each example has a fixed number of
 * distinct binary features among n_0 (drawn uniformly, seeded), written as LIBSVM part files. The
 * class is learnable: 1 when more of the example's features are "positive" (a fixed hash of the
 * feature index) than not, ties broken by the first feature.
 */
public final class GenerateSparse {
  private GenerateSparse() {}

  /** scripts/generate-data.sh --sparse OUT_DIR EXAMPLES FEATURES NONZEROS [PARTS]. */
  public static void main(String[] args) throws IOException {
    if (args.length < 4 || args.length > 5) {
      throw new IllegalArgumentException(
          "expected OUT_DIR EXAMPLES FEATURES NONZEROS [PARTS], found " + args.length + " args");
    }
    Path out = Path.of(args[0]);
    write(
        out,
        Integer.parseInt(args[1]),
        Integer.parseInt(args[2]),
        Integer.parseInt(args[3]),
        args.length == 5 ? Integer.parseInt(args[4]) : 2,
        19);
    System.out.println("wrote " + args[1] + " examples in " + out);
  }

  /**
   * Writes {@code examples} lines over {@code parts} files part-00000 … in {@code dir}.
   *
   * @param nonZeros distinct features an example, at most {@code features}
   */
  static void write(Path dir, int examples, int features, int nonZeros, int parts, long seed)
      throws IOException {
    if (nonZeros < 1 || nonZeros > features || parts < 1 || examples < parts) {
      throw new IllegalArgumentException(
          "need 1 ≤ nonzeros ≤ features and 1 ≤ parts ≤ examples, found "
              + nonZeros
              + ", "
              + features
              + ", "
              + parts
              + ", "
              + examples);
    }
    Files.createDirectories(dir);
    SplittableRandom random = new SplittableRandom(seed);
    for (int part = 0; part < parts; part++) {
      Path file = dir.resolve(String.format("part-%05d", part));
      int lines = examples / parts + (part < examples % parts ? 1 : 0);
      try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        for (int i = 0; i < lines; i++) {
          int[] indices =
              random.ints(1, features + 1).distinct().limit(nonZeros).sorted().toArray();
          w.write(label(indices));
          for (int index : indices) {
            w.write(' ');
            w.write(Integer.toString(index));
            w.write(":1");
          }
          w.write('\n');
        }
      }
    }
  }

  private static String label(int[] indices) {
    int balance = 0;
    for (int index : indices) {
      balance += positive(index) ? 1 : -1;
    }
    return balance > 0 || (balance == 0 && positive(indices[0])) ? "1" : "0";
  }

  /** Half of the features, by a fixed mix of their index. */
  private static boolean positive(int index) {
    long h = index * 0x9E3779B97F4A7C15L;
    return ((h ^ (h >>> 31)) & 1) == 0;
  }
}
