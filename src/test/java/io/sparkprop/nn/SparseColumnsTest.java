package io.sparkprop.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link SparseColumns#sortByRow} lists every nonzero once, ordered by row and then column — the
 * order a plain sort of (row, column) pairs gives — for rows below 2^16 (one radix pass) and up to
 * 2^31 − 1 (two), and sorts again once the view is pointed at other arrays.
 */
class SparseColumnsTest {

  /** Columns of 0 … 12 nonzeros at distinct random rows below {@code bound}, increasing. */
  private static SparseColumns random(SplittableRandom random, int cols, int bound) {
    int[] starts = new int[cols + 1];
    List<Integer> rows = new ArrayList<>();
    for (int c = 0; c < cols; c++) {
      int[] picked = random.ints(random.nextInt(13), 0, bound).distinct().sorted().toArray();
      for (int r : picked) {
        rows.add(r);
      }
      starts[c + 1] = rows.size();
    }
    return new SparseColumns(
        starts, rows.stream().mapToInt(Integer::intValue).toArray(), null, null);
  }

  /** The (row, column, index) triples of the first {@code cols} columns, sorted by row, column. */
  private static List<int[]> expected(SparseColumns x, int cols) {
    List<int[]> triples = new ArrayList<>();
    for (int c = 0; c < cols; c++) {
      for (int k = x.starts()[c]; k < x.starts()[c + 1]; k++) {
        triples.add(new int[] {x.rows()[k], c, k});
      }
    }
    triples.sort(Comparator.<int[]>comparingInt(t -> t[0]).thenComparingInt(t -> t[1]));
    return triples;
  }

  private static void assertSorted(SparseColumns x, int cols) {
    x.sortByRow(cols);
    List<int[]> want = expected(x, cols);
    int n = x.starts()[cols];
    assertEquals(want.size(), n);
    for (int i = 0; i < n; i++) {
      int[] t = want.get(i);
      assertArrayEquals(
          new int[] {t[0], t[1], t[2]},
          new int[] {x.rows()[x.byRow()[i]], x.columnByRow()[i], x.byRow()[i]},
          "nonzero " + i + " of " + n);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {40, 65_536, 1 << 20, Integer.MAX_VALUE})
  void sortByRow_ordersByRowThenColumn(int bound) {
    SplittableRandom random = new SplittableRandom(bound);
    SparseColumns x = random(random, 700, bound);
    assertSorted(x, 700);
    assertSorted(x, 300); // fewer columns of the same arrays: sorted again, for those alone
    SparseColumns other = random(random, 650, bound);
    x.of(other.starts(), other.rows(), null, null);
    assertSorted(x, 650);
  }
}
