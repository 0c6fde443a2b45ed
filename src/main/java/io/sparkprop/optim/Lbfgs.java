package io.sparkprop.optim;

import java.util.HashMap;
import java.util.Map;

/**
 * Limited-memory BFGS (Nocedal &amp; Wright, Numerical Optimization, 2nd ed.): the direction d =
 * −H∇f from the two-loop recursion over the last m pairs s = Δw, y = Δ∇f (Algorithm 7.4, H₀ = (sᵀy
 * / yᵀy) I), and a step length satisfying the strong Wolfe conditions f(w + αd) ≤ f + c₁α∇fᵀd and
 * |∇f(w + αd)ᵀd| ≤ c₂|∇fᵀd| (Algorithms 3.5 and 3.6, c₁ = 1e-4, c₂ = 0.9). The pairs are the state.
 */
public final class Lbfgs {
  private static final double C1 = 1e-4;
  private static final double C2 = 0.9;
  private static final int MAX_EVALUATIONS = 25;

  private final int historySize;
  private final double[][] s;
  private final double[][] y;
  private final double[] rho;
  private int pairs;
  private int newest = -1;
  private int evaluations;

  public Lbfgs(int historySize, int numParameters) {
    if (historySize < 1) {
      throw new IllegalArgumentException("history size must be at least 1, found " + historySize);
    }
    this.historySize = historySize;
    this.s = new double[historySize][numParameters];
    this.y = new double[historySize][numParameters];
    this.rho = new double[historySize];
  }

  /** Objective evaluations made by the last {@link #iterate} call. */
  public int evaluations() {
    return evaluations;
  }

  /**
   * One iteration from {@code weights}, where f = {@code value} and ∇f = {@code gradient}.
   *
   * @param weights overwritten with the new point
   * @param gradient overwritten with ∇f at the new point
   * @return f at the new point, or {@code value} unchanged (weights too) when no step along the
   *     direction decreases f: the method has converged as far as it can
   */
  public double iterate(double[] weights, double value, double[] gradient, Objective objective) {
    evaluations = 0;
    double[] direction = direction(gradient);
    double slope = dot(gradient, direction);
    if (!(slope < 0)) {
      // Not a descent direction (curvature pairs gone stale): restart from steepest descent.
      pairs = 0;
      direction = direction(gradient);
      slope = dot(gradient, direction);
    }
    LineSearch search = new LineSearch(weights, value, slope, direction, objective);
    if (!search.run()) {
      return value;
    }
    remember(search.step, direction, search.gradient, gradient);
    for (int i = 0; i < weights.length; i++) {
      weights[i] += search.step * direction[i];
    }
    System.arraycopy(search.gradient, 0, gradient, 0, gradient.length);
    return search.value;
  }

  /** −H∇f by the two-loop recursion; steepest descent scaled to unit length without history. */
  private double[] direction(double[] gradient) {
    double[] q = gradient.clone();
    if (pairs == 0) {
      double norm = Math.sqrt(dot(q, q));
      scale(q, -1.0 / Math.max(norm, Double.MIN_NORMAL));
      return q;
    }
    double[] alpha = new double[pairs];
    for (int k = 0; k < pairs; k++) {
      int i = Math.floorMod(newest - k, historySize);
      alpha[k] = rho[i] * dot(s[i], q);
      axpy(-alpha[k], y[i], q);
    }
    scale(q, 1.0 / (rho[newest] * dot(y[newest], y[newest])));
    for (int k = pairs - 1; k >= 0; k--) {
      int i = Math.floorMod(newest - k, historySize);
      double beta = rho[i] * dot(y[i], q);
      axpy(alpha[k] - beta, s[i], q);
    }
    scale(q, -1.0);
    return q;
  }

  private void remember(double step, double[] direction, double[] newGradient, double[] gradient) {
    int next = (newest + 1) % historySize;
    double sy = 0;
    for (int i = 0; i < direction.length; i++) {
      s[next][i] = step * direction[i];
      y[next][i] = newGradient[i] - gradient[i];
      sy += s[next][i] * y[next][i];
    }
    // Only pairs with positive curvature keep H positive definite.
    if (sy > 1e-12 * Math.sqrt(dot(s[next], s[next]) * dot(y[next], y[next]))) {
      rho[next] = 1.0 / sy;
      newest = next;
      pairs = Math.min(pairs + 1, historySize);
    }
  }

  /** Algorithms 3.5 (bracketing) and 3.6 (zoom, by safeguarded cubic interpolation). */
  private final class LineSearch {
    private final double[] origin;
    private final double value0;
    private final double slope0;
    private final double[] direction;
    private final Objective objective;
    private final double[] point;
    double step;
    double value;
    double[] gradient;

    LineSearch(double[] origin, double value0, double slope0, double[] direction, Objective f) {
      this.origin = origin;
      this.value0 = value0;
      this.slope0 = slope0;
      this.direction = direction;
      this.objective = f;
      this.point = new double[origin.length];
    }

    /** Evaluates φ(α) = f(w + αd); returns {φ, φ'} and keeps ∇f in a new array. */
    private double[] phi(double alpha, double[] gradientOut) {
      for (int i = 0; i < point.length; i++) {
        point[i] = origin[i] + alpha * direction[i];
      }
      evaluations++;
      double f = objective.evaluate(point, gradientOut);
      return new double[] {f, dot(gradientOut, direction)};
    }

    boolean run() {
      double previousAlpha = 0;
      double previousValue = value0;
      double previousSlope = slope0;
      double alpha = 1.0;
      for (int i = 1; evaluations < MAX_EVALUATIONS; i++) {
        double[] g = new double[origin.length];
        double[] p = phi(alpha, g);
        if (!isFinite(p)
            || p[0] > value0 + C1 * alpha * slope0
            || (i > 1 && p[0] >= previousValue)) {
          return zoom(previousAlpha, previousValue, previousSlope, alpha, p[0], p[1]);
        }
        if (Math.abs(p[1]) <= -C2 * slope0) {
          return accept(alpha, p[0], g);
        }
        if (p[1] >= 0) {
          return zoom(alpha, p[0], p[1], previousAlpha, previousValue, previousSlope);
        }
        previousAlpha = alpha;
        previousValue = p[0];
        previousSlope = p[1];
        step = alpha;
        value = p[0];
        gradient = g;
        alpha *= 2;
      }
      return false;
    }

    private boolean zoom(
        double lo, double loValue, double loSlope, double hi, double hiValue, double hiSlope) {
      while (evaluations < MAX_EVALUATIONS) {
        double alpha = interpolate(lo, loValue, loSlope, hi, hiValue, hiSlope);
        double[] g = new double[origin.length];
        double[] p = phi(alpha, g);
        if (!isFinite(p) || p[0] > value0 + C1 * alpha * slope0 || p[0] >= loValue) {
          hi = alpha;
          hiValue = p[0];
          hiSlope = p[1];
        } else {
          if (Math.abs(p[1]) <= -C2 * slope0) {
            return accept(alpha, p[0], g);
          }
          if (p[1] * (hi - lo) >= 0) {
            hi = lo;
            hiValue = loValue;
            hiSlope = loSlope;
          }
          lo = alpha;
          loValue = p[0];
          loSlope = p[1];
          step = alpha;
          value = p[0];
          gradient = g;
        }
        if (Math.abs(hi - lo) <= 1e-16 * Math.max(1, Math.abs(lo))) {
          break;
        }
      }
      // Out of evaluations: keep the best point with sufficient decrease, if there is one.
      return gradient != null && value < value0;
    }

    /** A trial whose value or slope overflowed is treated as too long a step. */
    private static boolean isFinite(double[] phi) {
      return Double.isFinite(phi[0]) && Double.isFinite(phi[1]);
    }

    private boolean accept(double alpha, double f, double[] g) {
      step = alpha;
      value = f;
      gradient = g;
      return true;
    }
  }

  /** The minimiser of the cubic through both ends, kept inside the middle 80 % of the bracket. */
  static double interpolate(double a, double fa, double ga, double b, double fb, double gb) {
    double d1 = ga + gb - 3 * (fa - fb) / (a - b);
    double radicand = d1 * d1 - ga * gb;
    double lo = Math.min(a, b);
    double hi = Math.max(a, b);
    double mid = 0.5 * (a + b);
    if (!(radicand >= 0) || !Double.isFinite(radicand)) {
      return mid;
    }
    double d2 = Math.signum(b - a) * Math.sqrt(radicand);
    double x = b - (b - a) * (gb + d2 - d1) / (gb - ga + 2 * d2);
    double margin = 0.1 * (hi - lo);
    return Double.isFinite(x) && x >= lo + margin && x <= hi - margin ? x : mid;
  }

  /** The curvature pairs, oldest first, for checkpoints. */
  public Map<String, double[]> exportState() {
    Map<String, double[]> state = new HashMap<>();
    state.put("pairs", new double[] {pairs});
    for (int k = 0; k < pairs; k++) {
      int i = Math.floorMod(newest - (pairs - 1 - k), historySize);
      state.put("s" + k, s[i].clone());
      state.put("y" + k, y[i].clone());
    }
    return state;
  }

  /** Restores pairs written by {@link #exportState()}. */
  public void restoreState(Map<String, double[]> state) {
    double[] count = state.get("pairs");
    if (count == null || count.length != 1 || count[0] < 0 || count[0] > historySize) {
      throw new IllegalArgumentException("lbfgs state needs 'pairs' in 0.." + historySize);
    }
    pairs = 0;
    newest = -1;
    for (int k = 0; k < (int) count[0]; k++) {
      double[] sk = state.get("s" + k);
      double[] yk = state.get("y" + k);
      if (sk == null || yk == null || sk.length != s[0].length || yk.length != y[0].length) {
        throw new IllegalArgumentException("lbfgs state lacks pair " + k + " of " + s[0].length);
      }
      newest = (newest + 1) % historySize;
      System.arraycopy(sk, 0, s[newest], 0, sk.length);
      System.arraycopy(yk, 0, y[newest], 0, yk.length);
      rho[newest] = 1.0 / dot(sk, yk);
      pairs++;
    }
  }

  static double dot(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }

  private static void axpy(double alpha, double[] x, double[] y) {
    for (int i = 0; i < x.length; i++) {
      y[i] += alpha * x[i];
    }
  }

  private static void scale(double[] x, double factor) {
    for (int i = 0; i < x.length; i++) {
      x[i] *= factor;
    }
  }
}
