package io.sparkprop.spark.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag;

/**
 * The Hadoop configuration the loaders broadcast crosses Spark's KryoSerializer whole (a cluster
 * that sets {@code spark.serializer} to it broadcasts through Kryo), as it crosses Java's.
 */
class SerializableConfigurationTest {

  @Test
  void configuration_crossesKryoWhole() {
    Configuration conf = new Configuration(false);
    conf.set("fs.s3a.endpoint", "http://127.0.0.1:9000");
    SerializerInstance kryo = new KryoSerializer(new SparkConf(false)).newInstance();
    ClassTag<SerializableConfiguration> tag = ClassTag.apply(SerializableConfiguration.class);
    SerializableConfiguration back =
        kryo.deserialize(kryo.serialize(new SerializableConfiguration(conf), tag), tag);
    assertEquals("http://127.0.0.1:9000", back.get().get("fs.s3a.endpoint"));
  }
}
