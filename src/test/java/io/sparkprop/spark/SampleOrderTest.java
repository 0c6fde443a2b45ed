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

  @Test
  void everyStepOfThreeEpochs_readsWhatAScanKeeps() {
    List<ExampleBlock> blocks = blocks(ids(1, 5_000), 128);
    long steps = Sampling.stepsPerEpoch(FRACTION);
    long total = 0;
    for (long step = 1; step <= 3 * steps; step++) {
      int[] expected = scanned(blocks, 3, step);
      assertArrayEquals(expected, SampleOrder.sample(blocks, 3, step, FRACTION), "step " + step);
      total += expected.length;
    }
    assertEquals(3 * 5_000, total, "every example once an epoch (20 steps of 0.05)");
  }

  @Test
  void otherBlocksUnderTheSameKey_areNotReadFromTheOldOrder() {
    long[] first = ids(2, 3_000);
    long[] second = ids(3, 3_000);
    // Same block count, same first and last ids: the entry's key cannot tell them apart.
    second[0] = first[0];
    second[second.length - 1] = first[first.length - 1];
    List<ExampleBlock> a = blocks(first, 100);
    List<ExampleBlock> b = blocks(second, 100);
    for (long step = 1; step <= 4; step++) {
      assertArrayEquals(scanned(a, 5, step), SampleOrder.sample(a, 5, step, FRACTION));
      int[] picks = SampleOrder.sample(b, 5, step, FRACTION);
      assertArrayEquals(scanned(b, 5, step), picks, "step " + step);
      assertTrue(picks.length > 100, "a real sample: " + picks.length);
    }
  }

  @Test
  void aPartitionOf65536BlocksOrMore_isLeftToTheScan() {
    List<ExampleBlock> many = new ArrayList<>();
    ExampleBlock one = ExampleBlock.ofPixels(1, 1, 1, new long[] {7}, new byte[1], new double[1]);
    for (int i = 0; i < 1 << 16; i++) {
      many.add(one);
    }
    assertEquals(null, SampleOrder.sample(many, 1, 1, FRACTION));
  }
}
