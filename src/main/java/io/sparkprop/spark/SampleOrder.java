package io.sparkprop.spark;

import io.sparkprop.data.ExampleBlock;
import java.lang.ref.SoftReference;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A cached partition's examples ordered by the step of the sampling epoch that keeps them ({@link
 * Sampling}), kept on the executor from step to step: each step then reads its own sample, about
 * f·m examples, instead of hashing all m. The order is built during a partition's first step of an
 * epoch (or after the executor lost it), from the same pass that finds that step's sample.
 *
 * <p>Blocks stream through a {@link Reader} one at a time, as the cache gives them, so a partition
 * spilled to disk is never held whole. Orders are found by data set and partition, held softly
 * (memory pressure drops them, and they are rebuilt), and never trusted blindly: a block whose size
 * or first id differs from the order's, or an example read that the step's window does not keep,
 * turns the rest of the pass into a test of every example and drops the order.
 */
final class SampleOrder {
  /** More entries than this are old data sets; they are dropped all at once. */
  private static final int MAX_ENTRIES = 1024;

  /** Blocks are numbered in 16 bits of an entry; a partition with more is always scanned. */
  private static final int MAX_BLOCKS = 1 << 16;

  private static final Map<Key, SoftReference<Order>> ORDERS = new ConcurrentHashMap<>();

  private SampleOrder() {}

  private record Key(int data, int partition) {}

  /**
   * One epoch's order: entries (slot << 32 | block << 16 | column), sorted; each block's size and
   * first id, to recognise the blocks.
   */
  private record Order(Sampling.Epoch epoch, long[] entries, int[] sizes, long[] firstIds) {}

  /** The reader of one step's sample in one partition. */
  static Reader reader(int data, int partition, long seed, long step, double fraction) {
    Sampling.Epoch epoch = Sampling.epochOf(seed, step, fraction);
    long slot = Sampling.slotOf(step, fraction);
    Key key = new Key(data, partition);
    SoftReference<Order> held = ORDERS.get(key);
    Order order = held == null ? null : held.get();
    if (order != null && !order.epoch().equals(epoch)) {
      order = null;
    }
    return new Reader(key, epoch, slot, order);
  }

  /** Gives a step's sample block by block; {@link #finish} after the last. */
  static final class Reader {
    private final Key key;
    private final Sampling.Epoch epoch;
    private final long slot;
    private final Sampling.Step step;
    private final Order order;
    private boolean trusted;
    private int next;
    private int end;
    private long[] built;
    private int builtCount;
    private int[] sizes;
    private long[] firstIds;

    private Reader(Key key, Sampling.Epoch epoch, long slot, Order order) {
      this.key = key;
      this.epoch = epoch;
      this.slot = slot;
      this.step = epoch.step(slot);
      this.order = order;
      this.trusted = order != null && epoch.steps() < Integer.MAX_VALUE;
      if (trusted) {
        next = firstAtLeast(order.entries(), slot << 32);
        end = firstAtLeast(order.entries(), (slot + 1) << 32);
      } else if (order == null && epoch.steps() < Integer.MAX_VALUE) {
        built = new long[1024];
        sizes = new int[64];
        firstIds = new long[64];
      }
    }

    /**
     * The columns of block {@code b} (the partition's b-th) in the step's sample, ascending, into
     * {@code columns}; returns how many.
     */
    int columns(int b, ExampleBlock block, int[] columns) {
      int read = trusted ? fromOrder(b, block, columns) : -1;
      if (read >= 0) {
        return read;
      }
      trusted = false;
      boolean building = built != null && b < MAX_BLOCKS;
      if (!building) {
        built = null;
      } else {
        record(b, block);
      }
      int n = 0;
      for (int j = 0; j < block.size(); j++) {
        long id = block.id(j);
        if (building) {
          long s = epoch.slotOf(id);
          if (s >= 0) {
            add(s << 32 | (long) b << 16 | j);
          }
          if (s == slot) {
            columns[n++] = j;
          }
        } else if (step.keep(id)) {
          columns[n++] = j;
        }
      }
      return n;
    }

    /** The block's columns from the order, or −1 when the order does not fit the block. */
    private int fromOrder(int b, ExampleBlock block, int[] columns) {
      if (b >= order.sizes().length
          || order.sizes()[b] != block.size()
          || order.firstIds()[b] != block.id(0)) {
        return -1;
      }
      long[] entries = order.entries();
      int n = 0;
      int at = next;
      while (at < end && (int) (entries[at] >>> 16 & 0xFFFF) == b) {
        int j = (int) (entries[at] & 0xFFFF);
        if (j >= block.size() || !step.keep(block.id(j))) {
          return -1;
        }
        columns[n++] = j;
        at++;
      }
      next = at;
      return n;
    }

    private void record(int b, ExampleBlock block) {
      if (b >= sizes.length) {
        sizes = Arrays.copyOf(sizes, 2 * sizes.length);
        firstIds = Arrays.copyOf(firstIds, 2 * firstIds.length);
      }
      sizes[b] = block.size();
      firstIds[b] = block.id(0);
    }

    private void add(long entry) {
      if (builtCount == built.length) {
        built = Arrays.copyOf(built, 2 * built.length);
      }
      built[builtCount++] = entry;
    }

    /**
     * After the partition's last block ({@code blocks} of them): keeps a new order, drops a bad
     * one.
     */
    void finish(int blocks) {
      if (order != null && !trusted) {
        ORDERS.remove(key);
      }
      if (built == null || blocks >= MAX_BLOCKS) {
        return;
      }
      long[] entries = Arrays.copyOf(built, builtCount);
      Arrays.sort(entries);
      if (ORDERS.size() >= MAX_ENTRIES) {
        ORDERS.clear();
      }
      ORDERS.put(
          key,
          new SoftReference<>(
              new Order(
                  epoch, entries, Arrays.copyOf(sizes, blocks), Arrays.copyOf(firstIds, blocks))));
    }
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
}
