package io.sparkprop.spark;

import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * The weights of one pass over the cached data, broadcast to the executors for that pass and
 * destroyed after it: every pass has new weights, and destroying the old copy keeps the executors'
 * memory flat. Two release policies:
 *
 * <ul>
 *   <li>{@link #waiting}, for evaluation and prediction: destroy and wait until the blocks are
 *       gone. The plain {@code destroy()} only sends the removal off; with models of tens of MB the
 *       driver collects the handle at once, and Spark's context cleaner then removes the same
 *       blocks again while the first removal runs, logging a warning per block and at times "Error
 *       cleaning broadcast". Waiting leaves the cleaner nothing to find.
 *   <li>{@link #perStep}, for training steps, where that wait would cost 2–4 ms a step: destroy
 *       without waiting, and hold the handle until the next step's release, so the cleaner cannot
 *       start removing the same blocks meanwhile.
 * </ul>
 */
public final class WeightsBroadcast {
  private final JavaSparkContext jsc;
  private final boolean wait;
  private Consumer<Broadcast<WeightArray>> observer = b -> {};

  /**
   * The previous pass's destroyed broadcast, held so the context cleaner cannot race its removal.
   */
  @SuppressWarnings("unused")
  private Broadcast<WeightArray> retired;

  private WeightsBroadcast(JavaSparkContext jsc, boolean wait) {
    this.jsc = jsc;
    this.wait = wait;
  }

  /** Broadcasts that are destroyed, and waited for, at the end of each pass. */
  public static WeightsBroadcast waiting(JavaSparkContext jsc) {
    return new WeightsBroadcast(jsc, true);
  }

  /** Broadcasts destroyed in the background, each held until the next pass ends. */
  static WeightsBroadcast perStep(JavaSparkContext jsc) {
    return new WeightsBroadcast(jsc, false);
  }

  /** Test hook: sees every broadcast this creates. */
  void observe(Consumer<Broadcast<WeightArray>> observer) {
    this.observer = observer;
  }

  /** Broadcasts {@code weights}, runs {@code pass} with the handle, then releases the broadcast. */
  public <T> T run(double[] weights, Function<Broadcast<WeightArray>, T> pass) {
    return run(new WeightArray(weights), pass);
  }

  /** Broadcasts {@code weights}, runs {@code pass} with the handle, then releases the broadcast. */
  <T> T run(WeightArray weights, Function<Broadcast<WeightArray>, T> pass) {
    Broadcast<WeightArray> broadcast = jsc.broadcast(weights);
    observer.accept(broadcast);
    try {
      return pass.apply(broadcast);
    } finally {
      release(broadcast);
    }
  }

  private void release(Broadcast<WeightArray> broadcast) {
    if (wait) {
      // destroy(boolean) is package-private in Scala and public in the bytecode Java sees.
      broadcast.destroy(true);
    } else {
      broadcast.destroy();
      retired = broadcast;
    }
  }
}
