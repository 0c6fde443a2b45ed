package io.sparkprop.optim;

import java.util.Locale;

/**
 * Which update rule and its hyper-parameters.
 *
 * @param kind gd (full batch), sgd (a seeded sample of the data per step) or momentum
 * @param learningRate η &gt; 0
 * @param momentum μ in [0, 1), used by {@link Kind#MOMENTUM}
 * @param batchFraction the fraction of examples each step samples, in (0, 1]; exactly 1 for gd
 */
public record OptimizerSpec(Kind kind, double learningRate, double momentum, double batchFraction) {

  /** The supported update rules. */
  public enum Kind {
    GD("gd"),
    SGD("sgd"),
    MOMENTUM("momentum");

    private final String id;

    Kind(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }

    /** Parses a name; the error names the allowed values. */
    public static Kind parse(String name) {
      for (Kind k : values()) {
        if (k.id.equals(name.trim().toLowerCase(Locale.ROOT))) {
          return k;
        }
      }
      throw new IllegalArgumentException(
          "unknown optimizer '" + name + "' (expected one of gd, sgd, momentum)");
    }
  }

  public OptimizerSpec {
    if (kind == null) {
      throw new IllegalArgumentException("optimizer kind is required");
    }
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException(
          "learning rate must be a positive finite number, found " + learningRate);
    }
    if (!(momentum >= 0 && momentum < 1)) {
      throw new IllegalArgumentException("momentum must be in [0, 1), found " + momentum);
    }
    if (!(batchFraction > 0 && batchFraction <= 1)) {
      throw new IllegalArgumentException(
          "batch fraction must be in (0, 1], found " + batchFraction);
    }
    if (kind == Kind.GD && batchFraction != 1.0) {
      throw new IllegalArgumentException(
          "gd uses every example in each step; found batch fraction "
              + batchFraction
              + " (use --optimizer sgd to sample)");
    }
  }

  /** Steps that make one pass over the data on average: 1 / batchFraction, rounded, at least 1. */
  public int stepsPerEpoch() {
    return (int) Math.max(1, Math.round(1.0 / batchFraction));
  }

  /** A fresh optimizer for a parameter vector of {@code numParameters} entries. */
  public Optimizer create(int numParameters) {
    return switch (kind) {
      case GD, SGD -> new GradientDescent(learningRate);
      case MOMENTUM -> new Momentum(learningRate, momentum, numParameters);
    };
  }
}
