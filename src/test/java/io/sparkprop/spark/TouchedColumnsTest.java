package io.sparkprop.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The touched features come back once each, increasing, whether few (sorted) or many (read off the
 * marks); past 3/4 of the features, or after a dense example, there are none to list.
 */
class TouchedColumnsTest {

  @Test
  void marked_comeBackOnceEach_increasing() {
    SplittableRandom random = new SplittableRandom(3);
    for (int marks : new int[] {1, 10, 500, 20_000}) {
      TouchedColumns touched = new TouchedColumns(40_000);
      TreeSet<Integer> expected = new TreeSet<>();
      int[] rows = random.ints(marks, 0, 40_000).toArray();
      for (int from = 0; from < marks; from += 7) {
        int to = Math.min(marks, from + 7);
        touched.mark(rows, from, to);
        touched.mark(rows, from, to); // again: still once
        for (int k = from; k < to; k++) {
          expected.add(rows[k]);
        }
      }
      int[] list = expected.stream().mapToInt(Integer::intValue).toArray();
      assertArrayEquals(list, touched.fewEnough(), marks + " marks");
    }
  }

  @Test
  void tooMany_orADenseExample_listNone() {
    TouchedColumns most = new TouchedColumns(100);
    int[] all = new int[76];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    most.mark(all, 0, 75);
    assertArrayEquals(IntStream.range(0, 75).toArray(), most.fewEnough());
    most.mark(all, 75, 76);
    assertNull(most.fewEnough(), "76 of 100 is past 3/4");
    TouchedColumns dense = new TouchedColumns(100);
    dense.mark(all, 0, 3);
    dense.markAll();
    assertNull(dense.fewEnough());
  }

  /** The ends of the feature range and of each 64-feature word come back too. */
  @Test
  void edges_comeBack() {
    int[] edges = {0, 63, 64, 127, 128, 1000, 1001, 1002, 3999, 4000, 4001, 5090, 5099};
    int[] rows =
        IntStream.concat(IntStream.of(edges), IntStream.range(200, 300)).sorted().toArray();
    // 113 of 5,100 features are listed from the marks; of 326,400, sorted.
    for (int inputs : new int[] {5100, 5100 * 64}) {
      TouchedColumns touched = new TouchedColumns(inputs);
      touched.mark(rows, 0, rows.length);
      touched.mark(new int[] {5099, 0}, 0, 2);
      assertArrayEquals(rows, touched.fewEnough(), inputs + " features");
    }
  }
}
