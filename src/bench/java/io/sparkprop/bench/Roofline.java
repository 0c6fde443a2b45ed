package io.sparkprop.bench;

import dev.ludovic.netlib.blas.BLAS;
import io.sparkprop.nn.Blas;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The GEMM limit of a gradient pass: the GEMM calls one block of the forward and backward pass
 * makes (the shapes and transposes of {@link io.sparkprop.nn.Network}), run back to back on {@code
 * threads} threads at once with the same BLAS, and the FLOP rate they reach together: dgemm, or
 * sgemm for the float32 pass.
 */
final class Roofline {
  /** One dgemm: C (m × n) = op(A) op(B), inner dimension k. */
  record Gemm(String transA, String transB, int m, int n, int k) {
    double flops() {
      return 2.0 * m * n * k;
    }
  }

  private Roofline() {}

  /**
   * The GEMMs of one block of {@code block} examples through a network of these layer sizes, whose
   * first layer multiplies by {@code inputRows} rows of the input (the rows a block stores; n_0
   * when it stores all).
   */
  static List<Gemm> blockGemms(int[] layers, int block, int inputRows) {
    List<Gemm> gemms = new ArrayList<>();
    for (int l = 1; l < layers.length; l++) {
      int inner = l == 1 ? inputRows : layers[l - 1];
      gemms.add(new Gemm("N", "N", layers[l], block, inner));
      gemms.add(new Gemm("N", "T", layers[l], inner, block));
      if (l > 1) {
        gemms.add(new Gemm("T", "N", layers[l - 1], block, layers[l]));
      }
    }
    return gemms;
  }

  static double flops(List<Gemm> gemms) {
    return gemms.stream().mapToDouble(Gemm::flops).sum();
  }

  /**
   * FLOP/s of {@code gemms} run back to back on each of {@code threads}: the best of three runs of
   * about {@code seconds} each, since a limit is what the machine can reach, not its average.
   */
  static double measure(List<Gemm> gemms, int threads, double seconds, boolean floats)
      throws InterruptedException {
    run(gemms, threads, Math.min(1.0, seconds / 2), floats); // warm-up: JIT and caches
    double best = 0;
    for (int i = 0; i < 3; i++) {
      best = Math.max(best, run(gemms, threads, seconds, floats));
    }
    return best;
  }

  private static double run(List<Gemm> gemms, int threads, double seconds, boolean floats)
      throws InterruptedException {
    AtomicLong rounds = new AtomicLong();
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    List<Thread> workers = new ArrayList<>();
    long start = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      Thread worker = new Thread(() -> rounds.addAndGet(repeat(gemms, deadline, floats)));
      workers.add(worker);
      worker.start();
    }
    for (Thread worker : workers) {
      worker.join();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    return rounds.get() * flops(gemms) / elapsed;
  }

  /** Runs the sequence until the deadline on this thread's own buffers; returns the rounds. */
  private static long repeat(List<Gemm> gemms, long deadline, boolean floats) {
    BLAS blas = Blas.get();
    List<double[][]> doubles = new ArrayList<>();
    List<float[][]> singles = new ArrayList<>();
    for (Gemm g : gemms) {
      double[] a = filled(g.m() * g.k());
      double[] b = filled(g.k() * g.n());
      doubles.add(new double[][] {a, b, new double[g.m() * g.n()]});
      singles.add(new float[][] {toFloats(a), toFloats(b), new float[g.m() * g.n()]});
    }
    long rounds = 0;
    while (System.nanoTime() < deadline) {
      for (int i = 0; i < gemms.size(); i++) {
        Gemm g = gemms.get(i);
        int lda = g.transA().equals("N") ? g.m() : g.k();
        int ldb = g.transB().equals("N") ? g.k() : g.n();
        if (floats) {
          float[][] abc = singles.get(i);
          blas.sgemm(
              g.transA(),
              g.transB(),
              g.m(),
              g.n(),
              g.k(),
              1f,
              abc[0],
              lda,
              abc[1],
              ldb,
              1f,
              abc[2],
              g.m());
        } else {
          double[][] abc = doubles.get(i);
          blas.dgemm(
              g.transA(),
              g.transB(),
              g.m(),
              g.n(),
              g.k(),
              1.0,
              abc[0],
              lda,
              abc[1],
              ldb,
              1.0,
              abc[2],
              g.m());
        }
      }
      rounds++;
    }
    return rounds;
  }

  private static float[] toFloats(double[] x) {
    float[] out = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = (float) x[i];
    }
    return out;
  }

  private static double[] filled(int n) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = ((i * 7919) % 1000) / 1000.0 - 0.5;
    }
    return x;
  }
}
