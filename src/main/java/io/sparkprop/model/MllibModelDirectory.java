package io.sparkprop.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.NetworkSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;

/**
 * Reads a Spark MLlib {@code MultilayerPerceptronClassificationModel} directory, as {@code
 * model.write().save(dir)} leaves it: {@code metadata/part-*} (one JSON line: the class, the Spark
 * version, the uid and the params, among them {@code layers}) and {@code data/*.parquet} (one row,
 * column {@code weights}: a Spark ML vector in MLlib's flat layout, the layout sparkprop's own).
 * The files are read with Hadoop FileSystem and Parquet, the libraries Spark writes them with, so
 * {@code inspect} and the checks {@code train} makes before Spark starts need no Spark session.
 * Models of Spark 2 (layers stored beside the weights) read too.
 *
 * <p>MLlib's MLP has sigmoid hidden layers and a softmax output trained with cross-entropy, so that
 * is the network read.
 */
public final class MllibModelDirectory {
  public static final String MODEL_CLASS =
      "org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private MllibModelDirectory() {}

  /** Whether {@code path} is a directory holding a Spark ML model's {@code metadata}. */
  public static boolean isOne(Path path, FileSystem fs) throws IOException {
    return fs.getFileStatus(path).isDirectory() && fs.exists(new Path(path, "metadata"));
  }

  /**
   * Reads and validates the directory.
   *
   * @throws ModelFormatException naming the directory and what is wrong: another model class, no
   *     layers, weights that do not fit them, non-finite numbers
   */
  public static Model read(String path, Configuration conf) throws IOException {
    Path dir = new Path(path);
    FileSystem fs = dir.getFileSystem(conf);
    JsonNode metadata = metadata(path, fs, new Path(dir, "metadata"));
    String modelClass = metadata.path("class").asText("");
    if (!MODEL_CLASS.equals(modelClass)) {
      throw new ModelFormatException(
          path,
          "is a Spark ML model of class "
              + (modelClass.isEmpty() ? "(none given)" : modelClass)
              + "; sparkprop reads "
              + MODEL_CLASS
              + " directories and its own model files");
    }
    Row row = dataRow(path, fs, new Path(dir, "data"));
    NetworkSpec spec = spec(path, layers(path, metadata, row));
    checkWeights(path, spec, row.weights);
    Map<String, String> info = new LinkedHashMap<>();
    info.put("importedFrom", MODEL_CLASS);
    info.put("mllibUid", metadata.path("uid").asText(""));
    info.put("mllibSparkVersion", metadata.path("sparkVersion").asText(""));
    return new Model(spec, row.weights, info);
  }

  /** MLlib's network over these layers: sigmoid hidden layers, softmax output, cross-entropy. */
  private static NetworkSpec spec(String path, int[] layers) {
    try {
      return new NetworkSpec(layers, Activation.SIGMOID, Activation.SOFTMAX, Loss.CROSS_ENTROPY);
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(
          path, "layers " + Arrays.toString(layers) + ": " + e.getMessage());
    }
  }

  private static void checkWeights(String path, NetworkSpec spec, double[] weights) {
    if (weights.length != spec.numParameters()) {
      throw new ModelFormatException(
          path,
          "layers "
              + spec.layersString()
              + " need "
              + spec.numParameters()
              + " weights, the data holds "
              + weights.length);
    }
    for (int i = 0; i < weights.length; i++) {
      if (!Double.isFinite(weights[i])) {
        throw new ModelFormatException(path, "weight " + i + " is " + weights[i]);
      }
    }
  }

  private static JsonNode metadata(String path, FileSystem fs, Path dir) throws IOException {
    if (!fs.exists(dir)) {
      throw new ModelFormatException(path, "no metadata directory: not a Spark ML model");
    }
    for (FileStatus file : fs.listStatus(dir, p -> p.getName().startsWith("part-"))) {
      try (BufferedReader in =
          new BufferedReader(
              new InputStreamReader(fs.open(file.getPath()), StandardCharsets.UTF_8))) {
        String line = in.readLine();
        if (line != null && !line.isBlank()) {
          try {
            return MAPPER.readTree(line);
          } catch (IOException e) {
            throw new ModelFormatException(
                path, file.getPath().getName() + " in metadata is not JSON: " + e.getMessage());
          }
        }
      }
    }
    throw new ModelFormatException(path, "metadata holds no part file with a line of JSON");
  }

  /** The layer sizes: the params' (Spark 3 and later), or the data row's (Spark 2). */
  private static int[] layers(String path, JsonNode metadata, Row row) {
    JsonNode layers = metadata.path("paramMap").path("layers");
    if (!layers.isArray()) {
      if (row.layers == null) {
        throw new ModelFormatException(path, "the metadata's paramMap has no layers array");
      }
      return row.layers;
    }
    return ModelFile.layerSizes(path, layers);
  }

  /** The data's one row: the weights, and the layers where a Spark 2 model keeps them. */
  private record Row(double[] weights, int[] layers) {}

  private static Row dataRow(String path, FileSystem fs, Path dir) throws IOException {
    if (!fs.exists(dir)) {
      throw new ModelFormatException(path, "no data directory beside the metadata");
    }
    List<Group> rows = new ArrayList<>();
    for (FileStatus file : fs.listStatus(dir, p -> p.getName().endsWith(".parquet"))) {
      try {
        rows.addAll(readAll(fs.getConf(), file.getPath()));
      } catch (IOException | RuntimeException e) {
        throw new ModelFormatException(
            path,
            "data/"
                + file.getPath().getName()
                + " is not a readable Parquet file ("
                + e.getMessage()
                + ")");
      }
    }
    if (rows.size() != 1) {
      throw new ModelFormatException(
          path, "expected one row of weights in data/*.parquet, found " + rows.size());
    }
    Group row = rows.get(0);
    if (!row.getType().containsField("weights") || row.getFieldRepetitionCount("weights") != 1) {
      throw new ModelFormatException(path, "the data row has no weights vector");
    }
    int[] layers = null;
    if (row.getType().containsField("layers") && row.getFieldRepetitionCount("layers") == 1) {
      layers = ints(row.getGroup("layers", 0));
    }
    return new Row(vector(path, row.getGroup("weights", 0)), layers);
  }

  private static List<Group> readAll(Configuration conf, Path file) throws IOException {
    List<Group> rows = new ArrayList<>();
    try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(file, conf))) {
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      PageReadStore pages;
      while ((pages = reader.readNextRowGroup()) != null) {
        RecordReader<Group> records =
            new ColumnIOFactory()
                .getColumnIO(schema)
                .getRecordReader(pages, new GroupRecordConverter(schema));
        for (long r = 0; r < pages.getRowCount(); r++) {
          rows.add(records.read());
        }
      }
    }
    return rows;
  }

  /**
   * A Spark ML vector as Spark stores it: {@code type} 1 dense ({@code values}), 0 sparse ({@code
   * size}, {@code indices}, {@code values}).
   */
  private static double[] vector(String path, Group v) {
    int type = v.getInteger("type", 0);
    double[] values = doubles(v.getGroup("values", 0));
    if (type == 1) {
      return values;
    }
    if (type != 0) {
      throw new ModelFormatException(path, "weights vector of unknown type " + type);
    }
    double[] dense = new double[v.getInteger("size", 0)];
    int[] indices = ints(v.getGroup("indices", 0));
    for (int k = 0; k < indices.length; k++) {
      if (indices[k] < 0 || indices[k] >= dense.length) {
        throw new ModelFormatException(
            path, "sparse weights index " + indices[k] + " outside 0…" + (dense.length - 1));
      }
      dense[indices[k]] = values[k];
    }
    return dense;
  }

  /**
   * The doubles of a Parquet list, in either layout Spark writes: three levels (a repeated group of
   * one element each) or the legacy two (a repeated primitive).
   */
  private static double[] doubles(Group list) {
    boolean legacy = list.getType().getType(0).isPrimitive();
    double[] out = new double[list.getFieldRepetitionCount(0)];
    for (int i = 0; i < out.length; i++) {
      out[i] = legacy ? list.getDouble(0, i) : list.getGroup(0, i).getDouble(0, 0);
    }
    return out;
  }

  /** The ints of a Parquet list, as {@link #doubles}. */
  private static int[] ints(Group list) {
    boolean legacy = list.getType().getType(0).isPrimitive();
    int[] out = new int[list.getFieldRepetitionCount(0)];
    for (int i = 0; i < out.length; i++) {
      out[i] = legacy ? list.getInteger(0, i) : list.getGroup(0, i).getInteger(0, 0);
    }
    return out;
  }
}
