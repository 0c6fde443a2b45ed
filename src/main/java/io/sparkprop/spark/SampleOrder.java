package io.sparkprop.spark;

import io.sparkprop.data.ExampleBlock;
import java.lang.ref.SoftReference;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.TaskContext;

/**
 * A cached partition's examples ordered by the step of the sampling epoch that keeps them ({@link
 * Sampling}), kept on the executor from step to step: each step then reads its own sample, about
 * f·m examples, instead of hashing all m. The order is built at a partition's first step of an
 * epoch (or when the executor lost it), in one pass over the partition and a sort.
 *
 * <p>Entries are found by the partition's index and content (block count, first and last example
 * id), and held softly: memory pressure drops them, and they are rebuilt. Every example read is
 * checked against the step's hash window; an order that does not match the blocks is rebuilt, so a
 * stale order can cost time but never change a sample.
 */
final class SampleOrder {
  /** More entries than this are old data sets; they are dropped all at once. */
  private static final int MAX_ENTRIES = 1024;

  private static final Map<Key, SoftReference<Order>> ORDERS = new ConcurrentHashMap<>();

  private SampleOrder() {}

  private record Key(int partition, int blocks, long firstId, long lastId) {}

  /** Entries (slot << 32 | block << 16 | column), sorted, for one epoch. */
  private record Order(Sampling.Epoch epoch, long[] entries) {}

  /**
   * The examples of step {@code step}'s sample as (block << 16 | column), in block and column
   * order, or null when the partition is too large to be ordered this way (65,536 blocks or more,
   * or 2^31 steps an epoch): then the caller tests every example.
   */
  static int[] sample(List<ExampleBlock> blocks, long seed, long step, double fraction) {
    Sampling.Epoch epoch = Sampling.epochOf(seed, step, fraction);
    if (blocks.isEmpty() || blocks.size() >= 1 << 16 || epoch.steps() >= Integer.MAX_VALUE) {
      return null;
    }
    long slot = Sampling.slotOf(step, fraction);
    Key key = key(blocks);
    SoftReference<Order> held = ORDERS.get(key);
    Order order = held == null ? null : held.get();
    if (order == null || !order.epoch().equals(epoch)) {
      order = build(blocks, epoch, key);
    }
    int[] picks = picks(order, slot);
    if (!matches(picks, blocks, epoch.step(slot))) {
      picks = picks(build(blocks, epoch, key), slot);
      if (!matches(picks, blocks, epoch.step(slot))) {
        throw new IllegalStateException("a partition's sample order does not match its blocks");
      }
    }
    return picks;
  }

  private static Key key(List<ExampleBlock> blocks) {
    TaskContext task = TaskContext.get();
    ExampleBlock last = blocks.get(blocks.size() - 1);
    return new Key(
        task == null ? -1 : task.partitionId(),
        blocks.size(),
        blocks.get(0).id(0),
        last.id(last.size() - 1));
  }

  private static Order build(List<ExampleBlock> blocks, Sampling.Epoch epoch, Key key) {
    int total = 0;
    for (ExampleBlock block : blocks) {
      total += block.size();
    }
    long[] entries = new long[total];
    int n = 0;
    for (int b = 0; b < blocks.size(); b++) {
      ExampleBlock block = blocks.get(b);
      for (int j = 0; j < block.size(); j++) {
        long slot = epoch.slotOf(block.id(j));
        if (slot >= 0) {
          entries[n++] = slot << 32 | (long) b << 16 | j;
        }
      }
    }
    entries = Arrays.copyOf(entries, n);
    Arrays.sort(entries);
    Order order = new Order(epoch, entries);
    if (ORDERS.size() >= MAX_ENTRIES) {
      ORDERS.clear();
    }
    ORDERS.put(key, new SoftReference<>(order));
    return order;
  }

  private static int[] picks(Order order, long slot) {
    long[] entries = order.entries();
    int from = firstAtLeast(entries, slot << 32);
    int to = firstAtLeast(entries, (slot + 1) << 32);
    int[] picks = new int[to - from];
    for (int i = from; i < to; i++) {
      picks[i - from] = (int) entries[i];
    }
    return picks;
  }

  private static int firstAtLeast(long[] sorted, long value) {
    int at = Arrays.binarySearch(sorted, value);
    if (at < 0) {
      return -at - 1;
    }
    while (at > 0 && sorted[at - 1] == value) {
      at--;
    }
    return at;
  }

  /** Whether every pick names an example of the blocks that the step keeps. */
  private static boolean matches(int[] picks, List<ExampleBlock> blocks, Sampling.Step step) {
    for (int pick : picks) {
      int b = pick >>> 16;
      int j = pick & 0xFFFF;
      if (b >= blocks.size() || j >= blocks.get(b).size() || !step.keep(blocks.get(b).id(j))) {
        return false;
      }
    }
    return true;
  }
}
