package io.sparkprop.spark;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;

/**
 * The weights as a pass broadcasts them: the flat parameter array, which Spark's serializer writes
 * through {@link BulkDoubles} rather than a value at a time. Read only on the executors.
 */
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
