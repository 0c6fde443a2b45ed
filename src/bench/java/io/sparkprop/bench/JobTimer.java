package io.sparkprop.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.StageInfo;

/**
 * Durations of Spark jobs whose first stage's name (its call site) contains a given text, from job
 * start to job end as the scheduler reports them. Measures each gradient pass of either side the
 * same way: a pass is one treeAggregate job.
 */
final class JobTimer extends SparkListener {
  private final Map<Integer, Long> started = new HashMap<>();
  private final Map<Integer, String> names = new HashMap<>();
  private final List<String> finishedNames = new ArrayList<>();
  private final List<Double> finishedSeconds = new ArrayList<>();

  @Override
  public synchronized void onJobStart(SparkListenerJobStart job) {
    started.put(job.jobId(), job.time());
    StageInfo first = job.stageInfos().isEmpty() ? null : job.stageInfos().head();
    for (scala.collection.Iterator<StageInfo> it = job.stageInfos().iterator(); it.hasNext(); ) {
      StageInfo stage = it.next();
      if (first == null || stage.stageId() < first.stageId()) {
        first = stage;
      }
    }
    names.put(job.jobId(), first == null ? "" : first.name());
  }

  @Override
  public synchronized void onJobEnd(SparkListenerJobEnd job) {
    Long start = started.remove(job.jobId());
    if (start != null) {
      finishedNames.add(names.remove(job.jobId()));
      finishedSeconds.add((job.time() - start) / 1e3);
    }
  }

  /** Forgets every job seen so far. */
  synchronized void clear() {
    finishedNames.clear();
    finishedSeconds.clear();
  }

  /**
   * Seconds of the finished jobs whose name contains {@code text}, in finishing order, once there
   * are {@code expected} of them (listener events arrive asynchronously) or 10 s have passed.
   */
  List<Double> await(String text, int expected) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    List<Double> found = seconds(text);
    while (found.size() < expected && System.nanoTime() < deadline) {
      Thread.sleep(20);
      found = seconds(text);
    }
    return found;
  }

  /** The names of the finished jobs, for error messages. */
  synchronized String names() {
    return finishedNames.toString();
  }

  /** Seconds of the finished jobs whose name contains {@code text}, in finishing order. */
  synchronized List<Double> seconds(String text) {
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < finishedNames.size(); i++) {
      if (finishedNames.get(i).contains(text)) {
        out.add(finishedSeconds.get(i));
      }
    }
    return out;
  }
}
