package io.sparkprop.cli;

import io.sparkprop.ml.MlpClassificationModel;
import io.sparkprop.ml.MlpClassifier;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Run by {@link RuntimeClasspathIT} in a JVM of its own on one of the runtime classpaths the
 * project assembles, or on another Spark release's jars: sets up Spark's Kryo, as Spark does
 * whenever it spills a cached block to disk, then writes and reads back a small Parquet table. With
 * the argument {@code sparkprop} it also runs sparkprop itself there: the command line converts,
 * trains from and predicts a Parquet table, and a Pipeline with the Spark ML estimator fits, saves,
 * loads and scores.
 */
final class ClasspathProbe {
  private static final String XOR = "0 1:0 2:0\n1 1:0 2:1\n1 1:1 2:0\n0 1:1 2:1\n";

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
      System.out.println("spark " + spark.version());
      String table = dir.resolve("t").toString();
      spark.range(3).write().parquet(table);
      long rows = spark.read().parquet(table).count();
      System.out.println(rows == 3 ? "parquet ready" : "parquet read " + rows + " rows, wrote 3");
      if (List.of(args).contains("sparkprop")) {
        pipeline(spark, dir);
      }
    } finally {
      spark.stop();
    }
    if (List.of(args).contains("sparkprop")) {
      commandLine(dir);
    }
  }

  private static void pipeline(SparkSession spark, Path dir) throws Exception {
    Dataset<Row> data =
        spark.sql(
            "SELECT CAST(id % 2 AS DOUBLE) a, CAST(id % 3 AS DOUBLE) b,"
                + " CAST((id % 2 + id % 3) % 2 AS DOUBLE) label FROM range(60)");
    Pipeline pipeline =
        new Pipeline()
            .setStages(
                new PipelineStage[] {
                  new VectorAssembler()
                      .setInputCols(new String[] {"a", "b"})
                      .setOutputCol("features"),
                  new MlpClassifier().setLayers(new int[] {2, 4, 2}).setMaxIter(20)
                });
    PipelineModel fitted = pipeline.fit(data);
    String path = dir.resolve("pipeline").toString();
    fitted.write().save(path);
    PipelineModel loaded = PipelineModel.load(path);
    long scored = loaded.transform(data).select("prediction", "probability").count();
    boolean same =
        java.util.Arrays.equals(
            ((MlpClassificationModel) fitted.stages()[1]).weights(),
            ((MlpClassificationModel) loaded.stages()[1]).weights());
    System.out.println(scored == 60 && same ? "pipeline ready" : "pipeline scored " + scored);
  }

  private static void commandLine(Path dir) throws Exception {
    Path text = Files.writeString(dir.resolve("xor.libsvm"), XOR);
    String table = dir.resolve("xor.parquet").toString();
    String model = dir.resolve("xor.json").toString();
    String[][] runs = {
      {"convert", "--input", text.toString(), "--layers", "2,4,1", "--table-out", table},
      {
        "train",
        "--train",
        table,
        "--format",
        "parquet",
        "--features-col",
        "features",
        "--layers",
        "2,4,1",
        "--iterations",
        "5",
        "--model-out",
        model
      },
      {
        "predict",
        "--input",
        table,
        "--format",
        "parquet",
        "--features-col",
        "features",
        "--keep-cols",
        "label",
        "--model",
        model,
        "--predictions",
        dir.resolve("p").toString()
      }
    };
    for (String[] run : runs) {
      String[] withMaster = java.util.Arrays.copyOf(run, run.length + 2);
      withMaster[run.length] = "--master";
      withMaster[run.length + 1] = "local[1]";
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code =
          Main.run(withMaster, System.out, new PrintStream(err, true, StandardCharsets.UTF_8));
      if (code != 0) {
        System.out.println(run[0] + " failed: " + err.toString(StandardCharsets.UTF_8));
        return;
      }
    }
    System.out.println("command line ready");
  }
}
