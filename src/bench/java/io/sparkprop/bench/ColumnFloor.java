package io.sparkprop.bench;

import io.sparkprop.nn.Precision;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.stream.Stream;

/**
 * The memory floor of a sparse first layer: the least any design must move between memory and core
 * in a partition's gradient pass, whatever the order of its arithmetic. Each partition reads every
 * column of W¹ its examples touch and adds it into the same column of its own ∂W¹, once, in address
 * order (so the hardware prefetches at full speed); the partitions run at once on their own
 * threads, sharing W¹ as the executors share the broadcast. Its time is what n_0 adds to a pass
 * from memory alone: at 50,000 features W¹ and ∂W¹ sit in the caches, at 2^20 they do not.
 */
final class ColumnFloor {
  /** The least time {@link #seconds} spends in untimed runs. */
  static final double WARM_UP_SECONDS = 0.5;

  private ColumnFloor() {}

  /**
   * The features each LIBSVM part file in {@code dir} touches (its indices, from 1, less one), a
   * part file being a partition: sorted, distinct.
   */
  static int[][] touchedByPart(Path dir, int features) throws IOException {
    List<int[]> parts = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file :
          files.filter(f -> f.getFileName().toString().startsWith("part-")).sorted().toList()) {
        parts.add(touched(file, features));
      }
    }
    return parts.toArray(new int[0][]);
  }

  private static int[] touched(Path file, int features) throws IOException {
    BitSet seen = new BitSet(features);
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String[] fields = line.trim().split(" ");
        for (int i = 1; i < fields.length; i++) {
          seen.set(Integer.parseInt(fields[i].substring(0, fields[i].indexOf(':'))) - 1);
        }
      }
    }
    return seen.stream().toArray();
  }

  /**
   * Seconds for every partition to add its touched columns of W¹ ({@code rows} values each, in
   * {@code precision}) into its ∂W¹, all partitions at once: the best of {@code runs}, since a
   * floor is what the machine can reach, not its average. Untimed runs first, for at least {@link
   * #WARM_UP_SECONDS}, so that the loops run compiled at every width (at 50,000 features a run is
   * under a millisecond).
   */
  static double seconds(int features, int rows, Precision precision, int[][] touched, int runs)
      throws InterruptedException {
    boolean floats = precision == Precision.FLOAT32;
    int length = Math.multiplyExact(features, rows);
    Object w = filled(floats, length);
    Object[] gradients = new Object[touched.length];
    for (int p = 0; p < touched.length; p++) {
      gradients[p] = floats ? new float[length] : new double[length];
    }
    long warm = System.nanoTime() + (long) (WARM_UP_SECONDS * 1e9);
    for (int run = 0; run < 3 || System.nanoTime() < warm; run++) {
      once(w, gradients, touched, rows);
    }
    double best = Double.MAX_VALUE;
    for (int run = 0; run < runs; run++) {
      best = Math.min(best, once(w, gradients, touched, rows));
    }
    return best;
  }

  private static double once(Object w, Object[] gradients, int[][] touched, int rows)
      throws InterruptedException {
    List<Thread> workers = new ArrayList<>();
    long start = System.nanoTime();
    for (int p = 0; p < touched.length; p++) {
      int[] columns = touched[p];
      Object gradient = gradients[p];
      Thread worker =
          new Thread(
              () -> {
                if (w instanceof float[] single) {
                  add(single, (float[]) gradient, columns, rows);
                } else {
                  add((double[]) w, (double[]) gradient, columns, rows);
                }
              });
      workers.add(worker);
      worker.start();
    }
    for (Thread worker : workers) {
      worker.join();
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private static void add(double[] w, double[] gradient, int[] columns, int rows) {
    for (int column : columns) {
      int at = column * rows;
      for (int i = at; i < at + rows; i++) {
        gradient[i] += w[i];
      }
    }
  }

  private static void add(float[] w, float[] gradient, int[] columns, int rows) {
    for (int column : columns) {
      int at = column * rows;
      for (int i = at; i < at + rows; i++) {
        gradient[i] += w[i];
      }
    }
  }

  private static Object filled(boolean floats, int length) {
    if (floats) {
      float[] w = new float[length];
      Arrays.fill(w, 0.5f);
      return w;
    }
    double[] w = new double[length];
    Arrays.fill(w, 0.5);
    return w;
  }
}
