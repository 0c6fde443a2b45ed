package io.sparkprop.optim;

import io.sparkprop.common.Named;

/**
 * Which update rule, its hyper-parameters, and what happens to the averaged gradient before it: L2
 * weight decay, then norm clipping; the learning rate of each step comes from the schedule.
 *
 * @param kind the update rule
 * @param learningRate base η &gt; 0 (the schedule scales it)
 * @param momentum μ in [0, 1) for momentum and nesterov
 * @param beta1 Adam's first-moment decay β₁ in [0, 1)
 * @param beta2 Adam's second-moment decay β₂ in [0, 1)
 * @param epsilon Adam's ε &gt; 0
 * @param weightDecay L2 strength λ ≥ 0 on weights (not biases)
 * @param clipNorm largest Euclidean norm of the gradient, 0 for no clipping
 * @param schedule the learning rate of each step
 * @param historySize lbfgs: the number of curvature pairs kept, at least 1
 * @param tolerance lbfgs: stop when an iteration lowers the cost by less than this, relative to
 *     max(|C|, 1); 0 runs every iteration
 */
public record OptimizerSpec(
    Kind kind,
    double learningRate,
    double momentum,
    double beta1,
    double beta2,
    double epsilon,
    double weightDecay,
    double clipNorm,
    LearningRateSchedule schedule,
    int historySize,
    double tolerance) {

  /** The supported update rules. */
  public enum Kind implements Named {
    GD,
    SGD,
    MOMENTUM,
    NESTEROV,
    ADAM,
    LBFGS;

    @Override
    public String id() {
      return Named.idOf(this);
    }

    /** Parses a name; the error names the allowed values. */
    public static Kind parse(String name) {
      return Named.parse(Kind.class, "optimizer", name);
    }
  }

  public OptimizerSpec {
    if (kind == null || schedule == null) {
      throw new IllegalArgumentException("optimizer kind and schedule are required");
    }
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException(
          "learning rate must be a positive finite number, found " + learningRate);
    }
    if (!(momentum >= 0 && momentum < 1)) {
      throw new IllegalArgumentException("momentum must be in [0, 1), found " + momentum);
    }
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
      throw new IllegalArgumentException(
          "beta1 and beta2 must be in [0, 1), found " + beta1 + " and " + beta2);
    }
    if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
      throw new IllegalArgumentException(
          "epsilon must be a positive finite number, found " + epsilon);
    }
    if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
      throw new IllegalArgumentException(
          "weight decay must be finite and >= 0, found " + weightDecay);
    }
    if (historySize < 1) {
      throw new IllegalArgumentException("history size must be at least 1, found " + historySize);
    }
    if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
      throw new IllegalArgumentException("tolerance must be finite and >= 0, found " + tolerance);
    }
    if (!(clipNorm >= 0) || Double.isInfinite(clipNorm)) {
      throw new IllegalArgumentException("clip norm must be finite and >= 0, found " + clipNorm);
    }
  }

  /**
   * Plain settings: Adam's usual β₁ = 0.9, β₂ = 0.999, ε = 1e-8, no decay, no clipping, a constant
   * rate, L-BFGS with 10 pairs and tolerance 1e-9.
   */
  public OptimizerSpec(Kind kind, double learningRate, double momentum) {
    this(
        kind,
        learningRate,
        momentum,
        0.9,
        0.999,
        1e-8,
        0.0,
        0.0,
        LearningRateSchedule.CONSTANT_RATE,
        10,
        1e-9);
  }

  /** A fresh optimizer for a parameter vector of {@code numParameters} entries. */
  public Optimizer create(int numParameters) {
    return switch (kind) {
      case GD, SGD -> new GradientDescent();
      case MOMENTUM -> new Momentum(momentum, numParameters);
      case NESTEROV -> new Nesterov(momentum, numParameters);
      case ADAM -> new Adam(beta1, beta2, epsilon, numParameters);
      case LBFGS -> throw new IllegalStateException("lbfgs searches along lines: see lbfgs()");
    };
  }

  /** A fresh L-BFGS for {@code numParameters} parameters. */
  public Lbfgs lbfgs(int numParameters) {
    return new Lbfgs(historySize, numParameters);
  }

  /** η for step {@code step} (1-based) of {@code totalSteps}. */
  public double learningRate(int step, int totalSteps) {
    return schedule.rate(learningRate, step, totalSteps);
  }
}
