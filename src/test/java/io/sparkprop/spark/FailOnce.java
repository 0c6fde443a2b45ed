package io.sparkprop.spark;

import java.util.Iterator;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;

/**
 * Passes a partition's elements through, but the first attempt of the chosen partition throws after
 * handing out {@code before} of them, so the task has done part of its work when it fails.
 */
public final class FailOnce<T> implements FlatMapFunction<Iterator<T>, T> {
  /** The failures injected in this JVM (local mode runs the tasks here). */
  public static final AtomicInteger FAILURES = new AtomicInteger();

  private static final long serialVersionUID = 1L;
  private final int partition;
  private final int before;

  public FailOnce(int partition, int before) {
    this.partition = partition;
    this.before = before;
  }

  @Override
  public Iterator<T> call(Iterator<T> in) {
    TaskContext task = TaskContext.get();
    boolean fail = task.partitionId() == partition && task.attemptNumber() == 0;
    return new Iterator<>() {
      private int handedOut;

      @Override
      public boolean hasNext() {
        if (fail && handedOut == before) {
          // Spark drops a failed task's accumulator updates; local mode shares this JVM.
          FAILURES.incrementAndGet();
          throw new IllegalStateException("injected failure of partition " + partition);
        }
        return in.hasNext();
      }

      @Override
      public T next() {
        handedOut++;
        return in.next();
      }
    };
  }
}
