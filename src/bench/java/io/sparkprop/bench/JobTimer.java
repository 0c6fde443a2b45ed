package io.sparkprop.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.StageInfo;

/**
 * Durations of Spark jobs whose first stage's name (its call site) contains a given text, from job
 * start to job end as the scheduler reports them, and the CPU time of their tasks. Measures each
 * gradient pass of either side the same way: a pass is one treeAggregate job.
 */
final class JobTimer extends SparkListener {
  private final Map<Integer, Long> started = new HashMap<>();
  private final Map<Integer, String> names = new HashMap<>();
  private final List<String> finishedNames = new ArrayList<>();
  private final List<Double> finishedSeconds = new ArrayList<>();
  private final Map<Integer, Integer> jobOfStage = new HashMap<>();
  private final Map<Integer, List<Long>> taskCpuNanos = new HashMap<>();
  private final List<Double> finishedTaskCpu = new ArrayList<>();

  @Override
  public synchronized void onJobStart(SparkListenerJobStart job) {
    started.put(job.jobId(), job.time());
    taskCpuNanos.put(job.jobId(), new ArrayList<>());
    for (scala.collection.Iterator<Object> it = job.stageIds().iterator(); it.hasNext(); ) {
      jobOfStage.put((Integer) it.next(), job.jobId());
    }
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
      List<Long> cpu = taskCpuNanos.remove(job.jobId());
      finishedTaskCpu.add(
          cpu == null
              ? Double.NaN
              : cpu.stream().mapToLong(Long::longValue).average().orElse(Double.NaN) / 1e9);
    }
  }

  @Override
  public synchronized void onTaskEnd(SparkListenerTaskEnd task) {
    Integer job = jobOfStage.get(task.stageId());
    List<Long> cpu = job == null ? null : taskCpuNanos.get(job);
    if (cpu != null && task.taskMetrics() != null) {
      cpu.add(task.taskMetrics().executorCpuTime());
    }
  }

  /** Forgets every job seen so far. */
  synchronized void clear() {
    finishedNames.clear();
    finishedSeconds.clear();
    finishedTaskCpu.clear();
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
    return matching(text, finishedSeconds);
  }

  /**
   * For the same jobs as {@link #seconds}, the mean over each job's tasks of their CPU seconds
   * (Spark's executorCpuTime): the time the work took without waits for a core.
   */
  synchronized List<Double> taskCpuSeconds(String text) {
    return matching(text, finishedTaskCpu);
  }

  private List<Double> matching(String text, List<Double> values) {
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < finishedNames.size(); i++) {
      if (finishedNames.get(i).contains(text)) {
        out.add(values.get(i));
      }
    }
    return out;
  }
}
