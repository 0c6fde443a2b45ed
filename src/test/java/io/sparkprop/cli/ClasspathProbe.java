package io.sparkprop.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.sql.SparkSession;

/**
 * Run by {@link RuntimeClasspathIT} in a JVM of its own on one of the runtime classpaths the
 * project assembles: sets up Spark's Kryo, as Spark does whenever it spills a cached block to disk,
 * then writes and reads back a small Parquet table.
 */
final class ClasspathProbe {
  private ClasspathProbe() {}

  public static void main(String[] args) throws Exception {
    new KryoSerializer(new SparkConf(false)).newKryo();
    System.out.println("kryo ready");
    Path dir = Files.createTempDirectory("sparkprop-probe");
    SparkSession spark =
        SparkSession.builder()
            .master("local[1]")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .getOrCreate();
    try {
      String table = dir.resolve("t").toString();
      spark.range(3).write().parquet(table);
      long rows = spark.read().parquet(table).count();
      System.out.println(rows == 3 ? "parquet ready" : "parquet read " + rows + " rows, wrote 3");
    } finally {
      spark.stop();
    }
  }
}
