package io.sparkprop.spark;

import io.sparkprop.data.Precision;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.optim.OptimizerSpec;

/**
 * Everything the training loop needs besides data and initial weights.
 *
 * @param steps the number of optimizer steps to take (epochs × steps per epoch)
 * @param seed seeds sgd's per-step samples
 * @param treeDepth depth of the treeAggregate that combines partition sums, at least 1
 * @param blockSize examples per block (GEMM width), as the data was loaded
 * @param patience stop after this many epochs without improvement of the monitored held-out loss; 0
 *     never stops early
 * @param minDelta how much lower a loss must be to count as an improvement
 * @param precision the arithmetic of the gradient passes (evaluation is always in double)
 * @param logEvery log a progress line every this many steps within an epoch; 0 picks about five
 *     lines per epoch for long epochs
 */
public record TrainerConfig(
    NetworkSpec network,
    OptimizerSpec optimizer,
    int steps,
    long seed,
    int treeDepth,
    int blockSize,
    int logEvery,
    int patience,
    double minDelta,
    Precision precision) {

  /** In double precision. */
  public TrainerConfig(
      NetworkSpec network,
      OptimizerSpec optimizer,
      int steps,
      long seed,
      int treeDepth,
      int blockSize,
      int logEvery,
      int patience,
      double minDelta) {
    this(
        network,
        optimizer,
        steps,
        seed,
        treeDepth,
        blockSize,
        logEvery,
        patience,
        minDelta,
        Precision.FLOAT64);
  }

  /** Without early stopping, in double precision. */
  public TrainerConfig(
      NetworkSpec network,
      OptimizerSpec optimizer,
      int steps,
      long seed,
      int treeDepth,
      int blockSize,
      int logEvery) {
    this(network, optimizer, steps, seed, treeDepth, blockSize, logEvery, 0, 0.0);
  }

  public TrainerConfig {
    if (steps <= 0) {
      throw new IllegalArgumentException("steps must be positive, found " + steps);
    }
    if (treeDepth < 1) {
      throw new IllegalArgumentException("tree depth must be at least 1, found " + treeDepth);
    }
    if (blockSize <= 0) {
      throw new IllegalArgumentException("block size must be positive, found " + blockSize);
    }
    if (patience < 0 || !(minDelta >= 0) || Double.isInfinite(minDelta)) {
      throw new IllegalArgumentException(
          "early-stopping patience and min delta must be >= 0, found "
              + patience
              + " and "
              + minDelta);
    }
    if (precision == null) {
      throw new IllegalArgumentException("a precision is required");
    }
    if (logEvery < 0) {
      throw new IllegalArgumentException("log-every must be 0 or positive, found " + logEvery);
    }
  }
}
