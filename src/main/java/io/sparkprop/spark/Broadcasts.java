package io.sparkprop.spark;

import org.apache.spark.broadcast.Broadcast;

/** Releasing the weights broadcast at the end of an evaluation or a prediction. */
final class Broadcasts {
  private Broadcasts() {}

  /**
   * Destroys {@code broadcast} on the driver and every executor, waiting until its blocks are gone.
   * The public {@code destroy()} only sends the removal off: with models of tens of MB the driver
   * collects the handle at once, and Spark's context cleaner then removes the same blocks again
   * while the first removal runs, logging a warning per block and at times "Error cleaning
   * broadcast". Waiting leaves the cleaner nothing to find. {@code destroy(boolean)} is
   * package-private in Scala and public in the bytecode Java compiles against. Training steps,
   * where the wait would cost 2–4 ms a step, hold the handle for a step instead (Trainer).
   */
  static void destroy(Broadcast<?> broadcast) {
    broadcast.destroy(true);
  }
}
