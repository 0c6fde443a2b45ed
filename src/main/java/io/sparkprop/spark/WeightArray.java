package io.sparkprop.spark;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import io.sparkprop.nn.Arithmetic;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;

/**
 * The weights as a pass broadcasts them: the flat parameter array in doubles, or, for a float32
 * pass ({@link #rounded}), already rounded to floats, so that the executors neither receive nor
 * convert n_1 × n_0 doubles a task. Spark's serializer writes it through {@link BulkArrays} rather
 * than a value at a time. Read only on the executors.
 *
 * <p>Its data travel in {@code writeObject}, so Kryo (when a cluster sets {@code spark.serializer}
 * to Spark's KryoSerializer, which then writes broadcasts and shuffled records) is told to use Java
 * serialization for it: Kryo's own field serializer would skip the transient fields and deliver it
 * empty.
 */
@DefaultSerializer(JavaSerializer.class)
public final class WeightArray implements Serializable {
  private static final long serialVersionUID = 3L;

  /** Exactly one of the two is set. */
  private transient double[] values;

  private transient float[] floats;

  public WeightArray(double[] values) {
    this.values = values;
  }

  private WeightArray(float[] floats) {
    this.floats = floats;
  }

  /**
   * The weights rounded to floats on the driver, as {@link Arithmetic#FLOAT32} rounds them: for a
   * float32 pass, half the bytes, and no conversion on the executors.
   */
  public static WeightArray rounded(double[] values) {
    return new WeightArray(Arithmetic.FLOAT32.fromDoubles(values));
  }

  /**
   * The weights, in the flat parameter layout; the array itself, not a copy.
   *
   * @throws IllegalStateException if they were broadcast {@link #rounded}
   */
  public double[] values() {
    if (values == null) {
      throw new IllegalStateException("the weights were broadcast as floats");
    }
    return values;
  }

  /**
   * The weights in {@code arithmetic}'s type: the array itself when it already is of that type (do
   * not modify), else a converted copy.
   */
  public <A> A in(Arithmetic<A> arithmetic) {
    return values != null ? arithmetic.fromDoubles(values) : arithmetic.fromFloats(floats);
  }

  /** The number of weights. */
  public int length() {
    return values != null ? values.length : floats.length;
  }

  /** The bytes the weights take on the wire. */
  public long bytes() {
    return (long) length() * (values != null ? Double.BYTES : Float.BYTES);
  }

  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    out.writeBoolean(values != null);
    out.writeInt(length());
    if (values != null) {
      BulkArrays.write(out, values, values.length);
    } else {
      BulkArrays.write(out, floats, floats.length);
    }
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    boolean doubles = in.readBoolean();
    int n = in.readInt();
    if (doubles) {
      values = BulkArrays.readDoubles(in, n);
    } else {
      floats = BulkArrays.readFloats(in, n);
    }
  }
}
