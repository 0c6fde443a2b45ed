package io.sparkprop.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.data.ExampleBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A partition's sample order gives each step exactly the examples the step's hash window keeps, in
 * block and column order: over several epochs (the order rebuilt at each), and when blocks it was
 * not built for arrive under the same key (then it is rebuilt, never trusted).
 */
class SampleOrderTest {
  private static final double FRACTION = 0.05;

  /** Blocks of {@code size} examples with the given ids; one feature, one output. */
  private static List<ExampleBlock> blocks(long[] ids, int size) {
    List<ExampleBlock> blocks = new ArrayList<>();
    for (int from = 0; from < ids.length; from += size) {
      int n = Math.min(size, ids.length - from);
      long[] part = java.util.Arrays.copyOfRange(ids, from, from + n);
      blocks.add(ExampleBlock.ofPixels(n, 1, 1, part, new byte[n], new double[n]));
    }
    return blocks;
  }

  /** What a scan of every example keeps: (block << 16 | column), in order. */
  private static int[] scanned(List<ExampleBlock> blocks, long seed, long step) {
    Sampling.Step sample = Sampling.of(seed, step, FRACTION);
    List<Integer> picks = new ArrayList<>();
    for (int b = 0; b < blocks.size(); b++) {
      for (int j = 0; j < blocks.get(b).size(); j++) {
        if (sample.keep(blocks.get(b).id(j))) {
          picks.add(b << 16 | j);
        }
      }
    }
    return picks.stream().mapToInt(Integer::intValue).toArray();
  }

  private static long[] ids(long seed, int n) {
    SplittableRandom random = new SplittableRandom(seed);
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) {
      ids[i] = random.nextLong();
    }
    return ids;
  }

  /** One task's pass: the reader's picks, block by block, as (block << 16 | column). */
  private static int[] read(List<ExampleBlock> blocks, int data, long seed, long step) {
    SampleOrder.Reader reader = SampleOrder.reader(data, 0, seed, step, FRACTION);
    List<Integer> picks = new ArrayList<>();
    int[] columns = new int[1024];
    int b = 0;
    for (ExampleBlock block : blocks) {
      int n = reader.columns(b, block, columns);
      for (int k = 0; k < n; k++) {
        picks.add(b << 16 | columns[k]);
      }
      b++;
    }
    reader.finish(b);
    return picks.stream().mapToInt(Integer::intValue).toArray();
  }

  @Test
  void everyStepOfThreeEpochs_readsWhatAScanKeeps() {
    List<ExampleBlock> blocks = blocks(ids(1, 5_000), 128);
    long steps = Sampling.stepsPerEpoch(FRACTION);
    long total = 0;
    for (long step = 1; step <= 3 * steps; step++) {
      int[] expected = scanned(blocks, 3, step);
      assertArrayEquals(expected, read(blocks, 1, 3, step), "step " + step);
      total += expected.length;
    }
    assertEquals(3 * 5_000, total, "every example once an epoch (20 steps of 0.05)");
  }

  @Test
  void otherBlocksUnderTheSameKey_areNotReadFromTheOldOrder() {
    long[] first = ids(2, 3_000);
    long[] second = ids(3, 3_000);
    // Same blocks' sizes and first ids: only the examples inside differ.
    for (int i = 0; i < first.length; i += 100) {
      second[i] = first[i];
    }
    List<ExampleBlock> a = blocks(first, 100);
    List<ExampleBlock> b = blocks(second, 100);
    List<ExampleBlock> shorter = a.subList(0, 20);
    for (long step = 1; step <= 4; step++) {
      assertArrayEquals(scanned(a, 5, step), read(a, 2, 5, step), "built or read, step " + step);
      int[] picks = read(b, 2, 5, step);
      assertArrayEquals(scanned(b, 5, step), picks, "other examples, step " + step);
      assertTrue(picks.length > 100, "a real sample: " + picks.length);
      assertArrayEquals(scanned(a, 5, step), read(a, 2, 5, step), "rebuilt, step " + step);
      assertArrayEquals(scanned(shorter, 5, step), read(shorter, 2, 5, step), "fewer blocks");
    }
  }

  @Test
  void aPartitionOf65536BlocksOrMore_isScannedAndGivesTheSameSample() {
    List<ExampleBlock> many = new ArrayList<>();
    long[] ids = ids(4, (1 << 16) + 10);
    for (long id : ids) {
      many.add(ExampleBlock.ofPixels(1, 1, 1, new long[] {id}, new byte[1], new double[1]));
    }
    for (long step = 1; step <= 2; step++) {
      int[] expected = scanned(many, 6, step);
      // Block indices beyond 16 bits do not fit the comparison's packing: compare counts.
      assertEquals(expected.length, read(many, 3, 6, step).length, "step " + step);
    }
  }
}
