package io.sparkprop.spark;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;

/**
 * The weights as a pass broadcasts them: the flat parameter array, which Spark's serializer writes
 * through {@link BulkDoubles} rather than a value at a time. Read only on the executors.
 *
 * <p>Its data travel in {@code writeObject}, so Kryo (when a cluster sets {@code spark.serializer}
 * to Spark's KryoSerializer, which then writes broadcasts and shuffled records) is told to use Java
 * serialization for it: Kryo's own field serializer would skip the transient fields and deliver it
 * empty.
 */
@DefaultSerializer(JavaSerializer.class)
public final class WeightArray implements Serializable {
  private static final long serialVersionUID = 1L;

  private transient double[] values;

  public WeightArray(double[] values) {
    this.values = values;
  }

  /** The weights, in the flat parameter layout; the array itself, not a copy. */
  public double[] values() {
    return values;
  }

  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    out.writeInt(values.length);
    BulkDoubles.write(out, values, values.length);
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    values = BulkDoubles.read(in, in.readInt());
  }
}
