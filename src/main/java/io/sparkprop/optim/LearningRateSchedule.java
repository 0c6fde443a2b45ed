package io.sparkprop.optim;

import io.sparkprop.common.Named;

/**
 * The learning rate of each step (steps count from 1): an optional linear warm-up from η/w to η
 * over the first w steps, then one of
 *
 * <ul>
 *   <li>constant: η;
 *   <li>step: η · rate^⌊s / every⌋, dropping by {@code decayRate} every {@code decaySteps} steps;
 *   <li>exponential: η · rate^(s / every), the same decay spread smoothly;
 *   <li>cosine: η_min + (η − η_min) · ½(1 + cos(π s / S)) over the S steps after warm-up, s = 0 … S
 *       − 1: the last step runs just above η_min, which s = S would reach;
 * </ul>
 *
 * where s counts the steps after warm-up from 0.
 *
 * @param decayRate factor per {@code decaySteps} for step and exponential, in (0, 1]
 * @param decaySteps steps per decay for step and exponential, at least 1
 * @param warmupSteps steps of linear warm-up, 0 for none
 * @param minRate η_min, the floor cosine decay tends to, at least 0
 */
public record LearningRateSchedule(
    Kind kind, double decayRate, int decaySteps, int warmupSteps, double minRate) {

  /** The supported shapes. */
  public enum Kind implements Named {
    CONSTANT,
    STEP,
    EXPONENTIAL,
    COSINE;

    @Override
    public String id() {
      return Named.idOf(this);
    }

    /** Parses a name; the error names the allowed values. */
    public static Kind parse(String name) {
      return Named.parse(Kind.class, "schedule", name);
    }
  }

  /** A constant rate without warm-up. */
  public static final LearningRateSchedule CONSTANT_RATE =
      new LearningRateSchedule(Kind.CONSTANT, 1.0, 1, 0, 0.0);

  public LearningRateSchedule {
    if (kind == null) {
      throw new IllegalArgumentException("schedule kind is required");
    }
    if (!(decayRate > 0 && decayRate <= 1)) {
      throw new IllegalArgumentException("decay rate must be in (0, 1], found " + decayRate);
    }
    if (decaySteps < 1) {
      throw new IllegalArgumentException("decay steps must be at least 1, found " + decaySteps);
    }
    if (warmupSteps < 0) {
      throw new IllegalArgumentException("warm-up steps must be 0 or more, found " + warmupSteps);
    }
    if (!(minRate >= 0) || Double.isInfinite(minRate)) {
      throw new IllegalArgumentException(
          "minimum learning rate must be finite and >= 0, found " + minRate);
    }
  }

  /** The learning rate of step {@code step} (1-based) of {@code totalSteps}, for base rate η. */
  public double rate(double base, int step, int totalSteps) {
    if (step <= warmupSteps) {
      return base * step / warmupSteps;
    }
    int s = step - warmupSteps - 1;
    return switch (kind) {
      case CONSTANT -> base;
      case STEP -> base * Math.pow(decayRate, s / decaySteps);
      case EXPONENTIAL -> base * Math.pow(decayRate, (double) s / decaySteps);
      case COSINE -> {
        int span = Math.max(1, totalSteps - warmupSteps);
        yield minRate + (base - minRate) * 0.5 * (1 + Math.cos(Math.PI * s / span));
      }
    };
  }
}
