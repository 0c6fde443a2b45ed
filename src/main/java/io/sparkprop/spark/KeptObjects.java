package io.sparkprop.spark;

import java.lang.ref.SoftReference;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;

/**
 * Objects a task leaves for a later task in the same JVM (an executor's), so that buffers a pass
 * needs afresh every step are allocated once: a task takes one that fits, or makes its own, and
 * gives it back when done. Held softly, so the collector may take them back under memory pressure,
 * and at most {@link #limit} of them: the oldest goes when a give would pass it (a previous
 * network's, say, which no task takes any more). Thread-safe.
 */
final class KeptObjects {
  private final ConcurrentLinkedQueue<SoftReference<Object>> kept = new ConcurrentLinkedQueue<>();
  private final int limit;

  /** A pool of at most {@code limit} objects. */
  KeptObjects(int limit) {
    this.limit = limit;
  }

  /** Twice the JVM's processors: more than the tasks that can run in it at once. */
  static int forEachCore() {
    return 2 * Runtime.getRuntime().availableProcessors();
  }

  /** One kept object of {@code type} that {@code fits}, taken out of the pool; else null. */
  <T> T take(Class<T> type, Predicate<? super T> fits) {
    for (SoftReference<Object> ref : kept) {
      Object o = ref.get();
      if (o == null) {
        kept.remove(ref); // collected
      } else if (type.isInstance(o) && fits.test(type.cast(o)) && kept.remove(ref)) {
        return type.cast(o); // unless another task took it first
      }
    }
    return null;
  }

  /**
   * Drops the kept objects {@code stale} selects (a previous network's, say), and the collected.
   */
  void drop(Predicate<Object> stale) {
    kept.removeIf(
        ref -> {
          Object o = ref.get();
          return o == null || stale.test(o);
        });
  }

  /** Keeps {@code o} for a later {@link #take}, dropping the oldest beyond the limit. */
  void give(Object o) {
    kept.add(new SoftReference<>(o));
    while (kept.size() > limit) {
      kept.poll();
    }
  }
}
