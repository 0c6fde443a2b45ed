package io.sparkprop.spark;

import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.nn.Precision;
import io.sparkprop.optim.OptimizerSpec;

/**
 * Everything the training loop needs besides data, initial weights and listeners; validates itself.
 * Build one with {@link #builder}.
 *
 * @param network the architecture
 * @param optimizer the update rule and its hyper-parameters
 * @param batchFraction the fraction of examples each step samples, in (0, 1]; 1 takes every example
 *     (required by gd and lbfgs)
 * @param steps the number of optimizer steps to take (epochs × steps per epoch)
 * @param seed seeds each step's sample
 * @param treeDepth depth of the treeAggregate that combines partition sums, at least 1
 * @param blockSize examples per block (GEMM width), as the data was loaded
 * @param precision the arithmetic of the gradient passes (evaluation is always in double)
 */
public record TrainerConfig(
    NetworkSpec network,
    OptimizerSpec optimizer,
    double batchFraction,
    int steps,
    long seed,
    int treeDepth,
    int blockSize,
    Precision precision) {

  public TrainerConfig {
    if (network == null || optimizer == null || precision == null) {
      throw new IllegalArgumentException("a network, an optimizer and a precision are required");
    }
    checkFraction(batchFraction);
    if (optimizer.kind() == OptimizerSpec.Kind.GD && batchFraction != 1.0) {
      throw new IllegalArgumentException(
          "gd uses every example in each step; found batch fraction "
              + batchFraction
              + " (use --optimizer sgd to sample)");
    }
    if (optimizer.kind() == OptimizerSpec.Kind.LBFGS
        && (batchFraction != 1.0 || optimizer.clipNorm() != 0)) {
      throw new IllegalArgumentException(
          "lbfgs works on the full gradient; found batch fraction "
              + batchFraction
              + " and clip norm "
              + optimizer.clipNorm()
              + " (expected 1 and 0)");
    }
    if (steps <= 0) {
      throw new IllegalArgumentException("steps must be positive, found " + steps);
    }
    if (treeDepth < 1) {
      throw new IllegalArgumentException("tree depth must be at least 1, found " + treeDepth);
    }
    if (blockSize <= 0) {
      throw new IllegalArgumentException("block size must be positive, found " + blockSize);
    }
    int widest = java.util.Arrays.stream(network.layerSizes()).max().orElse(0);
    if ((long) blockSize * widest > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "block size "
              + blockSize
              + " times the widest layer ("
              + widest
              + ") is more than one array holds; use a smaller --block-size");
    }
  }

  /**
   * A builder with every example in each step, 1 step, seed 1, tree depth 2, blocks of 128 and
   * double precision.
   */
  public static Builder builder(NetworkSpec network, OptimizerSpec optimizer) {
    return new Builder(network, optimizer);
  }

  /** Steps that make one pass over the data on average: 1 / batch fraction, rounded, at least 1. */
  public int stepsPerEpoch() {
    return stepsPerEpoch(batchFraction);
  }

  /** Steps that make one pass over the data when each samples {@code batchFraction} of it. */
  public static int stepsPerEpoch(double batchFraction) {
    checkFraction(batchFraction);
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, Math.round(1.0 / batchFraction)));
  }

  /** The number of epochs the steps make; the last may be partial. */
  public int epochs() {
    return (steps + stepsPerEpoch() - 1) / stepsPerEpoch();
  }

  /**
   * How many partial sums reach the driver in a step over {@code partitions} partitions. Spark's
   * treeAggregate merges on executors level by level, dividing the count by its scale ⌈k^(1/depth)⌉
   * (at least 2) while a level still saves work (while k exceeds scale + ⌈k / scale⌉), and the
   * driver merges what is left: 4 from 16 partitions at depth 2, all 16 at depth 1.
   */
  public int sumsAtDriver(int partitions) {
    int sums = partitions;
    int scale = Math.max((int) Math.ceil(Math.pow(sums, 1.0 / treeDepth)), 2);
    while (sums > scale + Math.ceil((double) sums / scale)) {
      sums /= scale;
    }
    return sums;
  }

  private static void checkFraction(double batchFraction) {
    if (!(batchFraction > 0 && batchFraction <= 1)) {
      throw new IllegalArgumentException(
          "batch fraction must be in (0, 1], found " + batchFraction);
    }
  }

  /** Sets the optional settings one by one; {@link #build} validates them all. */
  public static final class Builder {
    private final NetworkSpec network;
    private final OptimizerSpec optimizer;
    private double batchFraction = 1.0;
    private int steps = 1;
    private long seed = 1;
    private int treeDepth = 2;
    private int blockSize = 128;
    private Precision precision = Precision.FLOAT64;

    private Builder(NetworkSpec network, OptimizerSpec optimizer) {
      this.network = network;
      this.optimizer = optimizer;
    }

    public Builder batchFraction(double fraction) {
      this.batchFraction = fraction;
      return this;
    }

    public Builder steps(int steps) {
      this.steps = steps;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder treeDepth(int depth) {
      this.treeDepth = depth;
      return this;
    }

    public Builder blockSize(int size) {
      this.blockSize = size;
      return this;
    }

    public Builder precision(Precision precision) {
      this.precision = precision;
      return this;
    }

    public TrainerConfig build() {
      return new TrainerConfig(
          network, optimizer, batchFraction, steps, seed, treeDepth, blockSize, precision);
    }
  }
}
