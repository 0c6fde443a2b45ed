package io.sparkprop.bench;

import org.apache.spark.SparkContext;
import org.apache.spark.storage.RDDInfo;

/**
 * The most storage (memory plus disk) all cached RDDs held at once while a piece of work ran,
 * sampled every 100 ms from Spark's own storage report. Catches what a library caches inside a fit
 * and unpersists before returning.
 */
final class StoragePeak implements AutoCloseable {
  private final SparkContext sc;
  private final Thread sampler;
  private volatile boolean running = true;
  private volatile long peak;

  StoragePeak(SparkContext sc) {
    this.sc = sc;
    this.sampler = new Thread(this::sample, "storage-peak");
    sampler.setDaemon(true);
    sampler.start();
  }

  private void sample() {
    while (running) {
      peak = Math.max(peak, current(sc));
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Bytes all cached RDDs hold now. */
  static long current(SparkContext sc) {
    long total = 0;
    for (RDDInfo info : sc.getRDDStorageInfo()) {
      total += info.memSize() + info.diskSize();
    }
    return total;
  }

  /** Stops sampling and returns the peak. */
  long peak() {
    close();
    return Math.max(peak, current(sc));
  }

  @Override
  public void close() {
    running = false;
    sampler.interrupt();
    try {
      sampler.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
