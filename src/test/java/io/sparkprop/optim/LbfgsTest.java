package io.sparkprop.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.Network;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.nn.Workspace;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LbfgsTest {
  private static final double MINIMUM_TOLERANCE = 1e-8;

  /** Rosenbrock: f = (1 − x)² + 100(y − x²)², minimum 0 at (1, 1). */
  private static double rosenbrock(double[] w, double[] g) {
    double x = w[0];
    double y = w[1];
    g[0] = -2 * (1 - x) - 400 * x * (y - x * x);
    g[1] = 200 * (y - x * x);
    return (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
  }

  private static int minimize(Lbfgs lbfgs, double[] w, Objective f, int maxIterations) {
    double[] g = new double[w.length];
    double value = f.evaluate(w, g);
    for (int it = 1; it <= maxIterations; it++) {
      double next = lbfgs.iterate(w, value, g, f);
      if (next == value || Math.sqrt(Lbfgs.dot(g, g)) < 1e-12) {
        return it;
      }
      value = next;
    }
    return maxIterations;
  }

  @Test
  void iterate_rosenbrock_reachesTheMinimum() {
    double[] w = {-1.2, 1.0};
    int iterations = minimize(new Lbfgs(5, 2), w, LbfgsTest::rosenbrock, 200);
    assertArrayEquals(new double[] {1.0, 1.0}, w, MINIMUM_TOLERANCE);
    assertTrue(iterations < 100, iterations + " iterations");
  }

  @Test
  void iterate_trialStepWhereTheValueIsNaN_backsOffToTheMinimum() {
    // f = (w − 0.5)², undefined beyond 0.8: the first trial (w = 1) is NaN.
    Objective f =
        (w, g) -> {
          g[0] = w[0] > 0.8 ? Double.NaN : 2 * (w[0] - 0.5);
          return w[0] > 0.8 ? Double.NaN : (w[0] - 0.5) * (w[0] - 0.5);
        };
    double[] w = {0};
    minimize(new Lbfgs(3, 1), w, f, 20);
    assertEquals(0.5, w[0], MINIMUM_TOLERANCE);
  }

  @Test
  void iterate_trialStepWhereOnlyTheGradientOverflows_isNotAccepted() {
    // f = (w − 2)² is finite everywhere, its gradient is not beyond w = 0.8.
    Objective f =
        (w, g) -> {
          g[0] = w[0] > 0.8 ? Double.POSITIVE_INFINITY : 2 * (w[0] - 2);
          return (w[0] - 2) * (w[0] - 2);
        };
    double[] w = {0};
    double[] g = new double[1];
    double value = f.evaluate(w, g);
    double next = new Lbfgs(3, 1).iterate(w, value, g, f);
    assertTrue(next < value, next + " < " + value);
    assertTrue(Double.isFinite(g[0]) && w[0] <= 0.8, "accepted w = " + w[0] + ", g = " + g[0]);
  }

  @Test
  void iterate_logisticRegressionAsZeroHiddenLayerNetwork_matchesNewtonSolution() {
    int n = 40;
    int d = 3;
    double lambda = 0.1;
    SplittableRandom random = new SplittableRandom(4);
    double[] x = new double[n * d];
    double[] labels = new double[n];
    for (int j = 0; j < n; j++) {
      for (int k = 0; k < d; k++) {
        x[j * d + k] = 2 * random.nextDouble() - 1;
      }
      labels[j] = x[j * d] - 0.5 * x[j * d + 1] + 0.3 * random.nextGaussian() > 0 ? 1 : 0;
    }
    // The network under test: layers [3, 1], sigmoid output, cross-entropy; w = (W, b).
    NetworkSpec spec =
        NetworkSpec.of(
            new int[] {d, 1}, Activation.SIGMOID, Activation.SIGMOID, Loss.CROSS_ENTROPY);
    Network network = new Network(spec);
    Workspace<double[]> workspace = Workspace.of(spec, n);
    WeightDecay decay = new WeightDecay(lambda, new int[] {0}, new int[] {d});
    Objective cost =
        (w, g) -> {
          java.util.Arrays.fill(g, 0);
          double loss = network.accumulateGradient(w, x, labels, n, workspace, g);
          for (int i = 0; i < g.length; i++) {
            g[i] /= n;
          }
          return loss / n + decay.apply(w, g);
        };
    double[] w = new double[d + 1];
    minimize(new Lbfgs(10, d + 1), w, cost, 100);

    assertArrayEquals(newton(x, labels, n, d, lambda), w, MINIMUM_TOLERANCE);
  }

  /**
   * Regularised logistic regression solved by Newton's method, written out here: gradient (1/n) Σ
   * (p − y) x̃ + λ(W, 0), Hessian (1/n) Σ p(1 − p) x̃ x̃ᵀ + λ diag(1, …, 1, 0), x̃ = (x, 1).
   */
  private static double[] newton(double[] x, double[] y, int n, int d, double lambda) {
    double[] w = new double[d + 1];
    for (int iteration = 0; iteration < 50; iteration++) {
      double[] g = new double[d + 1];
      double[][] h = new double[d + 1][d + 1];
      for (int j = 0; j < n; j++) {
        double[] xt = new double[d + 1];
        System.arraycopy(x, j * d, xt, 0, d);
        xt[d] = 1;
        double z = 0;
        for (int k = 0; k <= d; k++) {
          z += w[k] * xt[k];
        }
        double p = 1 / (1 + Math.exp(-z));
        for (int a = 0; a <= d; a++) {
          g[a] += (p - y[j]) * xt[a] / n;
          for (int b = 0; b <= d; b++) {
            h[a][b] += p * (1 - p) * xt[a] * xt[b] / n;
          }
        }
      }
      for (int k = 0; k < d; k++) {
        g[k] += lambda * w[k];
        h[k][k] += lambda;
      }
      double[] step = solve(h, g);
      for (int k = 0; k <= d; k++) {
        w[k] -= step[k];
      }
    }
    return w;
  }

  /** Gaussian elimination with partial pivoting. */
  private static double[] solve(double[][] a, double[] b) {
    int n = b.length;
    double[][] m = new double[n][];
    for (int i = 0; i < n; i++) {
      m[i] = java.util.Arrays.copyOf(a[i], n + 1);
      m[i][n] = b[i];
    }
    for (int c = 0; c < n; c++) {
      int pivot = c;
      for (int r = c + 1; r < n; r++) {
        if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) {
          pivot = r;
        }
      }
      double[] swap = m[c];
      m[c] = m[pivot];
      m[pivot] = swap;
      for (int r = c + 1; r < n; r++) {
        double factor = m[r][c] / m[c][c];
        for (int k = c; k <= n; k++) {
          m[r][k] -= factor * m[c][k];
        }
      }
    }
    double[] xs = new double[n];
    for (int r = n - 1; r >= 0; r--) {
      double sum = m[r][n];
      for (int k = r + 1; k < n; k++) {
        sum -= m[r][k] * xs[k];
      }
      xs[r] = sum / m[r][r];
    }
    return xs;
  }

  @Test
  void restoredState_continuesExactlyLikeTheOriginal() {
    Lbfgs original = new Lbfgs(3, 2);
    double[] w = {-1.2, 1.0};
    double[] g = new double[2];
    double value = rosenbrock(w, g);
    for (int i = 0; i < 5; i++) {
      value = original.iterate(w, value, g, LbfgsTest::rosenbrock);
    }
    Lbfgs restored = new Lbfgs(3, 2);
    restored.restoreState(original.exportState());
    double[] w2 = w.clone();
    double[] g2 = g.clone();
    double v1 = original.iterate(w, value, g, LbfgsTest::rosenbrock);
    double v2 = restored.iterate(w2, value, g2, LbfgsTest::rosenbrock);
    assertEquals(v1, v2, 0.0);
    assertArrayEquals(w, w2, 0.0);
  }
}
