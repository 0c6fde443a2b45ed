package io.sparkprop.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.serializer.KryoSerializer;

/** A quiet local[2] Spark context for tests, bound to loopback with the UI off. */
public final class LocalSpark {
  private LocalSpark() {}

  public static JavaSparkContext start(String name) {
    return start(name, "local[2]", new SparkConf());
  }

  /** A local[2] context whose serializer is Spark's KryoSerializer, as many clusters set it. */
  public static JavaSparkContext startWithKryo(String name) {
    return start(
        name, "local[2]", new SparkConf().set("spark.serializer", KryoSerializer.class.getName()));
  }

  public static JavaSparkContext start(String name, String master, SparkConf conf) {
    conf.setMaster(master)
        .setAppName(name)
        .set("spark.ui.enabled", "false")
        .set("spark.ui.showConsoleProgress", "false")
        .set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1");
    return new JavaSparkContext(conf);
  }
}
