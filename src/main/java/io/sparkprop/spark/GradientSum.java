package io.sparkprop.spark;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import io.sparkprop.nn.Blas;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.Arrays;

/**
 * One partition's (and, merged, the whole step's) sums: Σ loss, ΣΔ(A^{l−1})ᵀ and ΣΔ in the flat
 * parameter layout, the number of examples m they cover and the sum of those examples' weights
 * (each example's loss and gradient enter the sums times its weight; without a weight column every
 * weight is 1 and the weight sum is m). Starts empty, with no gradient array, so the zero value
 * shipped in each task is a few bytes; the array is created on the executor that computes the first
 * block.
 *
 * <p>A partition whose examples touch few of a wide input's features sends only the first layer's
 * touched columns ({@link #keepTouchedColumns}): the column indices, those n_1-wide columns of ∂W¹,
 * then every entry after W¹. Sums merge sparse with sparse (the union of the columns, or dense once
 * the union is no longer small) and sparse with dense; each entry is the same sum of the same terms
 * as in the dense merge, so the result is the dense aggregation's (a column left out only ever
 * added zeros). The driver expands it in {@link #meanGradient()}. A float32 partition sends the
 * floats its accumulator summed in ({@link #floats}); they arrive as the same values in doubles,
 * and every merge is in doubles.
 *
 * <p>Its data travel in {@code writeObject}, so Kryo (when a cluster sets {@code spark.serializer}
 * to Spark's KryoSerializer, which then writes broadcasts and shuffled records) is told to use Java
 * serialization for it: Kryo's own field serializer would skip the transient fields and deliver it
 * empty.
 */
@DefaultSerializer(JavaSerializer.class)
public final class GradientSum implements Serializable {
  private static final long serialVersionUID = 5L;

  /**
   * Written by {@link #writeObject} in bulk, little-endian ({@link BulkArrays}). Dense: the flat
   * layout. Sparse ({@link #columns} not null): W¹'s listed columns, then the entries from n_1 ×
   * n_0 on; the array may be longer than that ({@link #used()}) when it was compacted in place.
   */
  transient double[] gradient;

  /**
   * Whether {@link #gradient} (or {@link #floats}) is an executor's reused accumulator ({@link
   * GradientBuffers}): once Spark has written the partition's sum as the task's result, the array
   * is cleared and given back, so the next step's task does not allocate and zero n_1 × n_0 doubles
   * again. A sum is written once, as its task's result; after that it carries no gradient.
   */
  transient boolean pooled;

  /**
   * A float32 partition's sum, dense or its touched columns, laid out as {@link #gradient} says, in
   * the floats its accumulator summed it in (then {@link #gradient} is null): written as floats,
   * half the bytes, and read back as doubles, exactly. Only a partition's own sum, before it is
   * written, holds them.
   */
  transient float[] floats;

  /**
   * Whether {@link #gradient} (or {@link #floats}) holds a partition's touched columns in an array
   * kept in the executor ({@link GradientBuffers#takeScratch}): once written as the task's result
   * it is given back, as it is, for the next step's task to overwrite.
   */
  transient boolean scratch;

  /** The indices of W¹'s columns {@link #gradient} carries, increasing; null when it is dense. */
  transient int[] columns;

  /** When sparse: n_1, n_0 and the dense gradient's length. */
  int firstRows;

  int firstColumns;
  int length;

  double loss;
  long count;
  double weight;

  /** Gradient bytes the partitions sent (indices and values), and how many sent sparse. */
  long sentBytes;

  int partitions;
  int sparsePartitions;

  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    if (gradient == null && floats == null) {
      out.writeInt(-1);
      return;
    }
    int used = used();
    out.writeInt(used);
    out.writeInt(columns == null ? -1 : columns.length);
    out.writeBoolean(floats != null);
    if (columns != null) {
      BulkArrays.write(out, columns, columns.length);
    }
    if (floats != null) {
      BulkArrays.write(out, floats, used);
    } else {
      BulkArrays.write(out, gradient, used);
    }
    if (pooled) {
      giveBackZeroed();
    } else if (scratch) {
      GradientBuffers.giveScratch(floats != null ? floats : gradient);
    }
    if (pooled || scratch) {
      gradient = null;
      floats = null;
      pooled = false;
      scratch = false;
    }
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    int used = in.readInt();
    if (used < 0) {
      gradient = null;
      columns = null;
      return;
    }
    int carried = in.readInt();
    boolean sentFloats = in.readBoolean();
    columns = carried < 0 ? null : BulkArrays.readInts(in, carried);
    gradient =
        sentFloats ? BulkArrays.readFloatsAsDoubles(in, used) : BulkArrays.readDoubles(in, used);
  }

  /** The entries of {@link #gradient} in use. */
  int used() {
    if (columns != null) {
      return columns.length * firstRows + length - firstRows * firstColumns;
    }
    return gradient != null ? gradient.length : floats.length;
  }

  /** Whether the sum holds a gradient, in doubles or floats. */
  private boolean holdsGradient() {
    return gradient != null || floats != null;
  }

  /**
   * Holds the sum in doubles: a partition's float columns widened, exactly, into a new array (the
   * float array given back to the executor if it was kept there).
   */
  private void widen() {
    if (floats == null) {
      return;
    }
    double[] values = new double[used()];
    for (int i = 0; i < values.length; i++) {
      values[i] = floats[i];
    }
    if (pooled) {
      giveBackZeroed();
    } else if (scratch) {
      GradientBuffers.giveScratch(floats);
    }
    pooled = false;
    scratch = false;
    floats = null;
    gradient = values;
  }

  /** Clears the executor's accumulator this sum holds, whole, and gives it back. */
  private void giveBackZeroed() {
    if (floats != null) {
      Arrays.fill(floats, 0f);
      GradientBuffers.give(floats);
    } else {
      Arrays.fill(gradient, 0.0);
      GradientBuffers.give(gradient);
    }
  }

  /**
   * Keeps only the columns of ∂W¹ (n_1 × n_0, the first entries of the dense gradient) that hold a
   * nonzero, when at most 3/4 of them do, compacting the array in place; then records what this
   * partition sends. A column of zeros adds nothing to any sum, so leaving it out changes no value.
   */
  void keepTouchedColumns(int rows, int inputs) {
    if (holdsGradient() && columns == null) {
      Object values = gradient != null ? gradient : floats;
      int length = used();
      int[] touched = new int[inputs];
      int kept = 0;
      for (int k = 0; k < inputs; k++) {
        if (holdsNonzero(k * rows, rows)) {
          touched[kept++] = k;
        }
      }
      if (kept <= inputs / 4 * 3) {
        for (int c = 0; c < kept; c++) {
          System.arraycopy(values, touched[c] * rows, values, c * rows, rows);
        }
        int after = rows * inputs;
        System.arraycopy(values, after, values, kept * rows, length - after);
        setColumns(values, Arrays.copyOf(touched, kept), rows, inputs, length);
      }
    }
    recordSent();
  }

  /** Whether the dense gradient holds a nonzero in entries {@code at … at + n}. */
  private boolean holdsNonzero(int at, int n) {
    for (int i = at; i < at + n; i++) {
      if (gradient != null ? gradient[i] != 0 : floats[i] != 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * Holds {@code carried}'s columns of ∂W¹ (n_1 = {@code rows} × n_0 = {@code inputs}) and every
   * entry after W¹ in {@code values} (a double[], or a float32 partition's float[]), laid out as
   * {@link #gradient} says, of a dense gradient of {@code length} entries.
   */
  void setColumns(Object values, int[] carried, int rows, int inputs, int length) {
    this.gradient = values instanceof double[] doubles ? doubles : null;
    this.floats = values instanceof float[] f ? f : null;
    this.columns = carried;
    this.firstRows = rows;
    this.firstColumns = inputs;
    this.length = length;
  }

  /**
   * {@link #setColumns} for {@code values} taken from the executor's kept arrays ({@link
   * GradientBuffers#takeScratch}), which go back there once written as the task's result.
   */
  void setScratchColumns(Object values, int[] carried, int rows, int inputs, int length) {
    setColumns(values, carried, rows, inputs, length);
    scratch = true;
  }

  /** Records this partition's sum as what one partition sends. */
  void recordSent() {
    partitions = 1;
    sparsePartitions = columns == null ? 0 : 1;
    sentBytes =
        !holdsGradient()
            ? 0
            : (long) used() * (floats != null ? Float.BYTES : Double.BYTES)
                + (columns == null ? 0 : (long) columns.length * Integer.BYTES);
  }

  /**
   * Adds {@code other} into this sum (reusing its array when this one has none, or when only it is
   * dense) and returns this.
   */
  public GradientSum merge(GradientSum other) {
    if (other.count == 0) {
      return this;
    }
    if (!holdsGradient()) {
      gradient = other.gradient;
      floats = other.floats;
      pooled = other.pooled;
      scratch = other.scratch;
      columns = other.columns;
      firstRows = other.firstRows;
      firstColumns = other.firstColumns;
      length = other.length;
    } else {
      widen();
      other.widen();
      mergeGradient(other);
    }
    loss += other.loss;
    count += other.count;
    weight += other.weight;
    sentBytes += other.sentBytes;
    partitions += other.partitions;
    sparsePartitions += other.sparsePartitions;
    return this;
  }

  /** Adds {@code other}'s gradient into this one's, both held in doubles. */
  private void mergeGradient(GradientSum other) {
    if (columns == null && other.columns == null) {
      Blas.get().daxpy(gradient.length, 1.0, other.gradient, 1, gradient, 1);
    } else if (columns == null) {
      other.addInto(gradient);
    } else if (other.columns == null) {
      addInto(other.gradient);
      gradient = other.gradient;
      pooled = other.pooled;
      scratch = false;
      columns = null;
    } else {
      mergeSparse(other);
      scratch = false;
    }
  }

  /** Adds this sparse sum's entries into a dense gradient. */
  private void addInto(double[] dense) {
    int rows = firstRows;
    for (int c = 0; c < columns.length; c++) {
      add(gradient, c * rows, dense, columns[c] * rows, rows);
    }
    int after = rows * firstColumns;
    add(gradient, columns.length * rows, dense, after, length - after);
  }

  /** The union of two sparse sums' columns: sparse while it stays small, else dense. */
  private void mergeSparse(GradientSum other) {
    int[] a = columns;
    int[] b = other.columns;
    int union = 0;
    for (int i = 0, j = 0; i < a.length || j < b.length; union++) {
      if (j == b.length || (i < a.length && a[i] < b[j])) {
        i++;
      } else if (i == a.length || b[j] < a[i]) {
        j++;
      } else {
        i++;
        j++;
      }
    }
    int rows = firstRows;
    if (union > firstColumns / 4 * 3) {
      double[] dense = new double[length];
      addInto(dense);
      other.addInto(dense);
      gradient = dense;
      columns = null;
      return;
    }
    int after = rows * firstColumns;
    int tail = length - after;
    double[] merged = new double[union * rows + tail];
    int[] indices = new int[union];
    for (int i = 0, j = 0, c = 0; c < union; c++) {
      boolean fromA = j == b.length || (i < a.length && a[i] <= b[j]);
      boolean fromB = i == a.length || (j < b.length && b[j] <= a[i]);
      indices[c] = fromA ? a[i] : b[j];
      if (fromA) {
        System.arraycopy(gradient, i++ * rows, merged, c * rows, rows);
      }
      if (fromB) {
        add(other.gradient, j++ * rows, merged, c * rows, rows);
      }
    }
    System.arraycopy(gradient, a.length * rows, merged, union * rows, tail);
    add(other.gradient, b.length * rows, merged, union * rows, tail);
    gradient = merged;
    columns = indices;
  }

  /** y[to …] += x[from …], n entries. */
  private static void add(double[] x, int from, double[] y, int to, int n) {
    for (int i = 0; i < n; i++) {
      y[to + i] += x[from + i];
    }
  }

  /** m, the number of examples summed. */
  public long count() {
    return count;
  }

  /** Σ w: the sum of the examples' weights, m when they are all 1. */
  public double weight() {
    return weight;
  }

  /** Whether the gradient is held as W¹'s touched columns (see {@link #keepTouchedColumns}). */
  public boolean isSparse() {
    return columns != null;
  }

  /** Gradient bytes the partitions sent, indices and values; 0 for a sum that no task sent. */
  public long sentBytes() {
    return sentBytes;
  }

  /** The partitions that sent a gradient, and how many of them sent touched columns only. */
  public int partitions() {
    return partitions;
  }

  public int sparsePartitions() {
    return sparsePartitions;
  }

  /**
   * Σ w·loss / Σ w (Σ loss / m unweighted): the cost C at the weights the gradient was taken at.
   */
  public double meanLoss() {
    return loss / weight;
  }

  /**
   * {@link #meanGradient()}, dividing this sum's own dense array in place when it may: not an
   * executor's kept array ({@link #pooled}, {@link #scratch}) and not touched columns. Spares the
   * driver's step a copy of n numbers; the sum is spent afterwards (it holds no gradient).
   */
  public double[] takeMeanGradient() {
    widen();
    if (columns != null || pooled || scratch) {
      return meanGradient();
    }
    double[] mean = gradient;
    gradient = null;
    Blas.get().dscal(mean.length, 1.0 / weight, mean, 1);
    return mean;
  }

  /** ∂C/∂w = Σ w∇ / Σ w ((1/m) Σ ∇ unweighted), a new dense array. */
  public double[] meanGradient() {
    widen();
    double[] mean;
    if (columns == null) {
      mean = gradient.clone();
    } else {
      mean = new double[length];
      addInto(mean);
    }
    Blas.get().dscal(mean.length, 1.0 / weight, mean, 1);
    return mean;
  }
}
