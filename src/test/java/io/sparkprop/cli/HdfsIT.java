package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.model.AtomicFiles;
import io.sparkprop.model.Model;
import io.sparkprop.model.ModelFile;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sparkprop on a real HDFS: an in-process MiniDFSCluster (a NameNode and a DataNode on 127.0.0.1).
 * Training reads its data from hdfs:// and writes the model, history and report there, and gives
 * the model the same training gives on the local disk; the atomic writes keep the old complete
 * model when a new one fails halfway.
 */
class HdfsIT {
  private static final String XOR = "0 1:0 2:0\n1 1:0 2:1\n1 1:1 2:0\n0 1:1 2:1\n";

  @TempDir static Path base;
  private static MiniDFSCluster hdfs;
  private static Configuration conf;
  private static String root;

  @BeforeAll
  static void start() throws IOException {
    conf = new Configuration();
    conf.set("dfs.namenode.rpc-address", "127.0.0.1:0");
    conf.set("dfs.datanode.address", "127.0.0.1:0");
    conf.set("dfs.datanode.http.address", "127.0.0.1:0");
    conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
    conf.set("dfs.namenode.http-address", "127.0.0.1:0");
    hdfs = new MiniDFSCluster.Builder(conf, base.toFile()).numDataNodes(1).build();
    hdfs.waitActive();
    root = hdfs.getURI() + "/sparkprop";
  }

  @AfterAll
  static void stop() {
    if (hdfs != null) {
      hdfs.shutdown();
    }
  }

  private static void writeText(String path, String text) throws IOException {
    FileSystem fs = FileSystem.get(hdfs.getURI(), conf);
    try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path(path), true)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void train_readsAndWritesHdfs_andKeepsTheOldModelWhenAWriteFails() throws IOException {
    String data = root + "/xor.libsvm";
    writeText(data, XOR);
    String model = root + "/models/xor.json";
    CliRun train =
        CliRun.of(
            "train",
            "--master",
            "local[2]",
            "--train",
            data,
            "--layers",
            "2,4,1",
            "--iterations",
            "20",
            "--model-out",
            model);
    assertEquals(0, train.code(), train.err());
    Model written = ModelFile.read(model, conf);
    assertEquals(2 * 4 + 4 + 4 + 1, written.weights().length);

    // The same training from and to the local disk gives the same model.
    Path local = base.resolve("local");
    java.nio.file.Files.createDirectories(local);
    java.nio.file.Files.writeString(local.resolve("xor.libsvm"), XOR);
    String localModel = local.resolve("xor.json").toString();
    CliRun onDisk =
        CliRun.of(
            "train",
            "--master",
            "local[2]",
            "--train",
            local.resolve("xor.libsvm").toString(),
            "--layers",
            "2,4,1",
            "--iterations",
            "20",
            "--model-out",
            localModel);
    assertEquals(0, onDisk.code(), onDisk.err());
    assertArrayEquals(
        ModelFile.read(localModel, new Configuration()).weights(), written.weights(), 1e-12);

    // A write that fails halfway leaves the complete old model and no temporary file.
    assertThrows(
        IOException.class,
        () ->
            AtomicFiles.write(
                model,
                conf,
                true,
                out -> {
                  out.write(
                      "{\"format\" : \"sparkprop-mlp\", \"ver".getBytes(StandardCharsets.UTF_8));
                  throw new IOException("disk full");
                }));
    assertArrayEquals(written.weights(), ModelFile.read(model, conf).weights());
    FileSystem fs = FileSystem.get(hdfs.getURI(), conf);
    FileStatus[] left = fs.listStatus(new org.apache.hadoop.fs.Path(root + "/models"));
    assertEquals(3, left.length, "model, history and report only: " + Arrays.toString(left));

    // Without --overwrite an existing model on HDFS is refused; with it, replaced.
    IOException refused =
        assertThrows(IOException.class, () -> ModelFile.write(written, model, conf, false));
    assertTrue(refused.getMessage().contains("already exists"), refused.getMessage());
    ModelFile.write(written, model, conf, true);
    assertArrayEquals(written.weights(), ModelFile.read(model, conf).weights());
  }

  /**
   * A Parquet table on HDFS: written there by convert (staged and renamed on HDFS), trained from,
   * and predicted into a table on HDFS; the model is the one the text on HDFS trains.
   */
  @Test
  void tables_convertTrainAndPredictOnHdfs() throws IOException {
    String data = root + "/tables/xor.libsvm";
    writeText(data, XOR);
    String table = root + "/tables/xor.parquet";
    CliRun convert =
        CliRun.of(
            "convert",
            "--master",
            "local[2]",
            "--input",
            data,
            "--layers",
            "2,4,1",
            "--table-out",
            table);
    assertEquals(0, convert.code(), convert.err());
    FileSystem fs = FileSystem.get(hdfs.getURI(), conf);
    FileStatus[] parts = fs.listStatus(new org.apache.hadoop.fs.Path(table));
    assertTrue(
        Arrays.stream(parts).anyMatch(p -> p.getPath().getName().endsWith(".parquet")),
        Arrays.toString(parts));
    assertEquals(
        2,
        fs.listStatus(new org.apache.hadoop.fs.Path(root + "/tables")).length,
        "the text and the table, no staging directory left");

    String[] common = {
      "--master",
      "local[2]",
      "--layers",
      "2,4,1",
      "--iterations",
      "20",
      "--cache-precision",
      "float64"
    };
    String textModel = root + "/tables/text.json";
    String tableModel = root + "/tables/table.json";
    CliRun fromText =
        CliRun.of(
            concat(new String[] {"train", "--train", data, "--model-out", textModel}, common));
    assertEquals(0, fromText.code(), fromText.err());
    CliRun fromTable =
        CliRun.of(
            concat(
                new String[] {
                  "train",
                  "--train",
                  table,
                  "--model-out",
                  tableModel,
                  "--format",
                  "parquet",
                  "--features-col",
                  "features"
                },
                common));
    assertEquals(0, fromTable.code(), fromTable.err());
    assertArrayEquals(
        ModelFile.read(textModel, conf).weights(),
        ModelFile.read(tableModel, conf).weights(),
        1e-12);

    String predictions = root + "/tables/predictions";
    CliRun predict =
        CliRun.of(
            "predict",
            "--master",
            "local[2]",
            "--input",
            table,
            "--format",
            "parquet",
            "--features-col",
            "features",
            "--keep-cols",
            "label",
            "--model",
            tableModel,
            "--predictions",
            predictions);
    assertEquals(0, predict.code(), predict.err());
    assertTrue(fs.exists(new org.apache.hadoop.fs.Path(predictions, "_SUCCESS")));
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
