package io.sparkprop.spark.load;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;

/**
 * Carries the driver's Hadoop configuration (credentials, file system settings) into tasks, which
 * open data files themselves. Hadoop's {@code Configuration} is Writable, not Serializable.
 *
 * <p>Its data travel in {@code writeObject}, so Kryo (when a cluster sets {@code spark.serializer}
 * to Spark's KryoSerializer, which then writes broadcasts and shuffled records) is told to use Java
 * serialization for it: Kryo's own field serializer would skip the transient fields and deliver it
 * empty.
 */
@DefaultSerializer(JavaSerializer.class)
final class SerializableConfiguration implements Serializable {
  private static final long serialVersionUID = 1L;

  private transient Configuration conf;

  SerializableConfiguration(Configuration conf) {
    this.conf = conf;
  }

  Configuration get() {
    return conf;
  }

  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    conf.write(out);
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    conf = new Configuration(false);
    conf.readFields(in);
  }
}
