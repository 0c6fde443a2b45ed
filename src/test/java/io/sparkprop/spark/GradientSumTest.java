package io.sparkprop.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.nn.Arithmetic;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A partition's sum crosses from executor to driver bit for bit: every double of the gradient
 * (signed zeros, subnormals, extremes; lengths on and off the 65,536-value chunks), the scalars,
 * and an empty sum's missing array.
 */
class GradientSumTest {

  /** {@code value} written and read back by Java serialization, as Spark's task results are. */
  @SuppressWarnings("unchecked")
  private static <T> T roundTrip(T value) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (T) in.readObject();
    }
  }

  @Test
  void serialization_keepsEveryBitOfTheSum() throws Exception {
    SplittableRandom random = new SplittableRandom(4);
    for (int length : new int[] {1, 65_536, 65_537, 200_003}) {
      GradientSum sum = new GradientSum();
      sum.gradient = new double[length];
      for (int i = 0; i < length; i++) {
        sum.gradient[i] = Double.longBitsToDouble(random.nextLong());
      }
      double[] special = {-0.0, Double.MIN_VALUE, -Double.MAX_VALUE, 1e-310};
      System.arraycopy(special, 0, sum.gradient, 0, Math.min(length, special.length));
      sum.loss = 12.5;
      sum.count = 7;
      sum.weight = 6.25;
      GradientSum back = roundTrip(sum);
      assertEquals(length, back.gradient.length);
      for (int i = 0; i < length; i++) {
        assertEquals(
            Double.doubleToRawLongBits(sum.gradient[i]),
            Double.doubleToRawLongBits(back.gradient[i]),
            "entry " + i + " of " + length);
      }
      assertEquals(12.5, back.loss);
      assertEquals(7, back.count());
      assertEquals(6.25, back.weight());
    }
    assertNull(roundTrip(new GradientSum()).gradient, "an empty partition's sum has no array");
  }

  /**
   * A partition's sum over an executor's reused accumulator hands the array back, all zeros, once
   * it is written as the task's result, and what was written is the sum; a sum over an array of its
   * own keeps it. Also through a merge that adopts the accumulator, as treeAggregate's first merge
   * into its zero value does.
   */
  @Test
  void writingAPooledSum_givesItsAccumulatorBackZeroed() throws Exception {
    int length = 70_001; // no other test's length: the pool is the executor's, shared
    for (boolean adopted : new boolean[] {false, true}) {
      GradientSum partition = new GradientSum();
      partition.gradient = new double[length];
      for (int i = 0; i < length; i++) {
        partition.gradient[i] = i + 0.5;
      }
      partition.count = 3;
      partition.pooled = true;
      double[] accumulator = partition.gradient;
      GradientSum written = adopted ? new GradientSum().merge(partition) : partition;
      GradientSum back = roundTrip(written);
      for (int i = 0; i < length; i++) {
        assertEquals(i + 0.5, back.gradient[i], "entry " + i);
      }
      double[] reused = (double[]) GradientBuffers.take(false, length);
      assertSame(accumulator, reused, "adopted by a merge: " + adopted);
      for (double v : reused) {
        assertEquals(0.0, v);
      }
    }
    GradientSum own = new GradientSum();
    own.gradient = new double[length];
    own.gradient[5] = 2;
    own.count = 1;
    roundTrip(own);
    assertEquals(2, own.gradient[5], "a sum over its own array keeps it");
    assertNull(GradientBuffers.take(false, length), "and gives nothing to the pool");
  }

  /**
   * A partition's touched columns sent in a kept array longer than they need: only the entries in
   * use are written, and once written the array goes back to the executor as it is; also through a
   * merge that adopts it.
   */
  @Test
  void writingAScratchSum_givesItsArrayBack() throws Exception {
    // n_1 = 2, n_0 = 50: columns 4 and 9 of ∂W¹ (2 × 2 values), then 3 entries after W¹.
    int length = 2 * 50 + 3;
    for (boolean adopted : new boolean[] {false, true}) {
      double[] kept = new double[70_003]; // no other test's length: the pool is shared
      Arrays.fill(kept, Double.NaN);
      double[] values = {1, 2, 3, 4, 5, 6, 7};
      System.arraycopy(values, 0, kept, 0, values.length);
      GradientSum partition = keptColumns(kept, 2);
      GradientSum written = adopted ? new GradientSum().merge(partition) : partition;
      GradientSum back = roundTrip(written);
      double[] expected = new double[length];
      expected[8] = 1;
      expected[9] = 2;
      expected[18] = 3;
      expected[19] = 4;
      expected[100] = 5;
      expected[101] = 6;
      expected[102] = 7;
      double[] mean = back.meanGradient();
      for (int i = 0; i < length; i++) {
        assertEquals(expected[i] / 2, mean[i], "entry " + i);
      }
      assertNull(written.gradient, "written once, the sum lets go of the array");
      assertTrue(
          kept == GradientBuffers.takeScratch(false, 70_003),
          "the array back in the executor's keeping; adopted by a merge: " + adopted);
    }
  }

  /**
   * A partition's sum over {@code count} examples of weight 1 of columns 4 and 9 of ∂W¹ (n_1 = 2,
   * n_0 = 50) and 3 entries after W¹, held in {@code kept}, an array the executor kept.
   */
  private static GradientSum keptColumns(Object kept, int count) {
    GradientSum partition = new GradientSum();
    partition.setColumns(kept, new int[] {4, 9}, 2, 50, 2 * 50 + 3);
    partition.scratch = true;
    partition.count = count;
    partition.weight = count;
    return partition;
  }

  /**
   * A float32 partition's touched columns cross as floats (four bytes a value) and arrive as the
   * same values in doubles; the float array goes back to the executor once written; and a float sum
   * merged with a double one adds the same values.
   */
  @Test
  void floatColumns_crossAsFloats_andArriveAsDoubles() throws Exception {
    // n_1 = 2, n_0 = 50: columns 4 and 9 of ∂W¹ (2 × 2 values), then 3 entries after W¹.
    int length = 2 * 50 + 3;
    float[] kept = new float[70_007]; // no other test's length: the pool is shared
    Arrays.fill(kept, Float.NaN);
    float[] values = {0.1f, -2f, 3.3f, 4f, 1e-30f, 6f, -7.7f};
    System.arraycopy(values, 0, kept, 0, values.length);
    GradientSum partition = keptColumns(kept, 1);
    partition.recordSent();
    assertEquals(7L * Float.BYTES + 2L * Integer.BYTES, partition.sentBytes());
    GradientSum back = roundTrip(new GradientSum().merge(partition));
    assertNull(back.floats, "read back in doubles");
    int[] at = {8, 9, 18, 19, 100, 101, 102};
    double[] mean = back.meanGradient();
    for (int k = 0; k < at.length; k++) {
      assertEquals((double) values[k], mean[at[k]], "entry " + at[k]);
    }
    assertTrue(kept == GradientBuffers.takeScratch(true, 70_007), "the float array given back");

    // Merged with a double sum over columns 9 and 30 (as a driver or a deeper merge would).
    GradientSum floatSum = new GradientSum();
    floatSum.setColumns(values.clone(), new int[] {4, 9}, 2, 50, length);
    floatSum.count = 1;
    floatSum.weight = 1;
    GradientSum doubleSum = new GradientSum();
    doubleSum.setColumns(new double[] {1, 1, 1, 1, 1, 1, 1}, new int[] {9, 30}, 2, 50, length);
    doubleSum.count = 1;
    doubleSum.weight = 1;
    double[] merged = doubleSum.merge(floatSum).meanGradient();
    assertEquals((double) 0.1f / 2, merged[8]);
    assertEquals((1 + (double) 3.3f) / 2, merged[18]);
    assertEquals(0.5, merged[60]);
    assertEquals((1 + (double) -7.7f) / 2, merged[102]);
  }

  /**
   * A float32 partition's whole accumulator crosses as floats and comes back zeroed to the
   * executor, also when only a few of its first-layer columns hold a nonzero and it is compacted to
   * them in place.
   */
  @Test
  void pooledFloatSums_crossAsFloats_andGiveTheAccumulatorBack() throws Exception {
    // n_1 = 2, n_0 = 40 000, 3 entries after W¹ (no other test's length: the pool is shared).
    int rows = 2;
    int inputs = 40_000;
    int length = rows * inputs + 3;
    for (boolean few : new boolean[] {false, true}) {
      float[] accumulator = new float[length];
      for (int i = 0; i < length; i++) {
        accumulator[i] = few && i < rows * inputs && i / rows != 7 ? 0f : 0.5f + i % 13;
      }
      float[] expected = accumulator.clone();
      GradientSum partition = new GradientSum();
      partition.floats = accumulator;
      partition.pooled = true;
      partition.count = 1;
      partition.weight = 1;
      partition.keepTouchedColumns(rows, inputs);
      assertEquals(few, partition.isSparse(), "compacted to column 7 when it is the only one");
      long values = few ? rows + 3 : length;
      assertEquals(
          values * Float.BYTES + (few ? Integer.BYTES : 0), partition.sentBytes(), "few " + few);
      double[] back = roundTrip(new GradientSum().merge(partition)).meanGradient();
      for (int i = 0; i < length; i++) {
        assertEquals((double) expected[i], back[i], "entry " + i);
      }
      float[] reused = (float[]) GradientBuffers.take(true, length);
      assertTrue(reused == accumulator, "the accumulator given back; few " + few);
      for (float v : reused) {
        assertEquals(0f, v);
      }
    }
  }

  /** The broadcast weights cross bit for bit too, whatever their length, as doubles or floats. */
  @Test
  void weightArray_keepsEveryBit() throws Exception {
    SplittableRandom random = new SplittableRandom(5);
    for (int length : new int[] {0, 1, 65_536, 65_537, 200_003}) {
      double[] values = new double[length];
      for (int i = 0; i < length; i++) {
        values[i] = Double.longBitsToDouble(random.nextLong());
      }
      double[] back = roundTrip(new WeightArray(values)).values();
      assertEquals(length, back.length);
      for (int i = 0; i < length; i++) {
        assertEquals(
            Double.doubleToRawLongBits(values[i]),
            Double.doubleToRawLongBits(back[i]),
            "entry " + i + " of " + length);
      }
      WeightArray rounded = roundTrip(WeightArray.rounded(values));
      assertEquals(length, rounded.length());
      assertEquals(4L * length, rounded.bytes());
      float[] floats = rounded.in(Arithmetic.FLOAT32);
      for (int i = 0; i < length; i++) {
        assertEquals(
            Float.floatToRawIntBits((float) values[i]),
            Float.floatToRawIntBits(floats[i]),
            "float entry " + i + " of " + length);
      }
    }
  }

  /** Weights broadcast as floats hand out floats, or doubles converted, but not as doubles. */
  @Test
  void roundedWeights_areFloats() {
    double[] values = {0.1, -1e-50, 1e300, 3.0};
    WeightArray rounded = WeightArray.rounded(values);
    float[] floats = rounded.in(Arithmetic.FLOAT32);
    assertSame(floats, rounded.in(Arithmetic.FLOAT32), "the array itself, not a copy a task");
    assertArrayEquals(new float[] {0.1f, -0.0f, Float.POSITIVE_INFINITY, 3f}, floats);
    assertArrayEquals(
        new double[] {(double) 0.1f, -0.0, Double.POSITIVE_INFINITY, 3.0},
        rounded.in(Arithmetic.FLOAT64));
    assertThrows(IllegalStateException.class, rounded::values);
    assertSame(values, new WeightArray(values).in(Arithmetic.FLOAT64));
  }

  /**
   * A partition sum over n_1 = 3, n_0 = 40 (then 10 more entries) whose nonzero first-layer columns
   * are {@code touched}: random values there and in the entries after W¹, zeros elsewhere.
   */
  private static GradientSum partition(SplittableRandom random, int[] touched) {
    GradientSum sum = new GradientSum();
    sum.gradient = new double[3 * 40 + 10];
    for (int k : touched) {
      for (int i = 0; i < 3; i++) {
        sum.gradient[3 * k + i] = random.nextDouble(-1, 1);
      }
    }
    for (int i = 120; i < 130; i++) {
      sum.gradient[i] = random.nextDouble(-1, 1);
    }
    sum.gradient[3 * touched[0]] = -0.0; // a touched column may hold zeros too
    sum.loss = random.nextDouble();
    sum.count = 1 + random.nextInt(9);
    sum.weight = sum.count;
    return sum;
  }

  private static GradientSum copy(GradientSum sum) {
    GradientSum copy = new GradientSum();
    copy.gradient = sum.gradient.clone();
    copy.loss = sum.loss;
    copy.count = sum.count;
    copy.weight = sum.weight;
    return copy;
  }

  /**
   * Sums sent as touched columns survive serialization and merge, in every order, to exactly the
   * dense aggregation: sparse with sparse (staying sparse while the union is small, dense past 3/4
   * of the columns), sparse into dense and dense into sparse.
   */
  @Test
  void touchedColumns_mergeInAnyOrder_toTheDenseAggregation() throws Exception {
    SplittableRandom random = new SplittableRandom(9);
    int[][] touched = {
      {0, 5, 17}, {5, 6, 39}, {2, 17, 30, 31}, random.ints(0, 40).distinct().limit(35).toArray()
    };
    GradientSum[] parts = new GradientSum[4];
    for (int p = 0; p < 4; p++) {
      Arrays.sort(touched[p]);
      parts[p] = partition(random, touched[p]);
    }
    for (int[] order : permutations(new int[] {0, 1, 2, 3})) {
      GradientSum dense = new GradientSum();
      GradientSum sparse = new GradientSum();
      for (int p : order) {
        dense.merge(copy(parts[p]));
        GradientSum sent = copy(parts[p]);
        sent.keepTouchedColumns(3, 40);
        assertEquals(p < 3, sent.isSparse(), "partition " + p + " sends touched columns only");
        sparse.merge(roundTrip(sent));
      }
      double[] expected = dense.meanGradient();
      double[] actual = sparse.meanGradient();
      for (int i = 0; i < expected.length; i++) {
        assertTrue(expected[i] == actual[i], Arrays.toString(order) + " entry " + i);
      }
      assertEquals(dense.count(), sparse.count());
      assertEquals(dense.meanLoss(), sparse.meanLoss(), 1e-15);
      assertEquals(3, sparse.sparsePartitions());
      assertEquals(4, sparse.partitions());
    }
    // The three small ones merge to the union of their 8 columns, still sparse.
    GradientSum small = new GradientSum();
    for (int p = 0; p < 3; p++) {
      GradientSum sent = copy(parts[p]);
      sent.keepTouchedColumns(3, 40);
      small.merge(sent);
    }
    assertTrue(small.isSparse());
    assertEquals(8, small.columns.length);
    assertEquals(8 * 3 + 10, small.used());
    long expectedBytes = (3 + 3 + 4) * (3 * 8 + 4) + 3 * 10 * 8;
    assertEquals(expectedBytes, small.sentBytes(), "indices and values of the three partitions");
  }

  private static List<int[]> permutations(int[] items) {
    List<int[]> all = new ArrayList<>();
    permute(items, 0, all);
    return all;
  }

  private static void permute(int[] items, int from, List<int[]> all) {
    if (from == items.length) {
      all.add(items.clone());
      return;
    }
    for (int i = from; i < items.length; i++) {
      int t = items[from];
      items[from] = items[i];
      items[i] = t;
      permute(items, from + 1, all);
      items[i] = items[from];
      items[from] = t;
    }
  }

  /**
   * The driver's step takes the mean in the sum's own array when that array is the sum's alone;
   * touched columns and an executor's kept array give a new one, and leave the kept array as it
   * was.
   */
  @Test
  void takeMeanGradient_dividesInPlaceOnlyAnArrayOfItsOwn() {
    GradientSum own = new GradientSum();
    double[] values = {2, -4, 6, 1e-300};
    own.gradient = values.clone();
    own.count = 2;
    own.weight = 4;
    double[] expected = {0.5, -1, 1.5, 0.25e-300};
    double[] copied = own.meanGradient();
    assertArrayEquals(expected, copied);
    double[] array = own.gradient;
    double[] taken = own.takeMeanGradient();
    assertArrayEquals(expected, taken);
    assertSame(array, taken, "divided in place");
    assertNull(own.gradient, "spent");

    GradientSum pooled = new GradientSum();
    pooled.gradient = values.clone();
    pooled.pooled = true;
    pooled.count = 2;
    pooled.weight = 4;
    double[] kept = pooled.gradient;
    double[] mean = pooled.takeMeanGradient();
    assertArrayEquals(expected, mean);
    assertTrue(mean != kept, "a new array");
    assertArrayEquals(values, kept, "the executor's array untouched");

    double[] columns = {1, 2, 3, 4, 5, 6, 7};
    GradientSum sparse = keptColumns(columns, 2);
    double[] fromColumns = sparse.takeMeanGradient();
    assertEquals(2 * 50 + 3, fromColumns.length);
    assertEquals(0.5, fromColumns[8]);
    assertEquals(3.5, fromColumns[102]);
    assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6, 7}, columns, "the kept columns untouched");
  }
}
