package io.sparkprop.cli;

import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;

/**
 * Run by {@link RuntimeClasspathIT} in a JVM of its own on one of the runtime classpaths the
 * project assembles: sets up Spark's Kryo, as Spark does whenever it spills a cached block to disk.
 */
final class KryoProbe {
  private KryoProbe() {}

  public static void main(String[] args) {
    new KryoSerializer(new SparkConf(false)).newKryo();
    System.out.println("kryo ready");
  }
}
