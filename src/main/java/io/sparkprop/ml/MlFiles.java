package io.sparkprop.ml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkprop.model.Model;
import io.sparkprop.model.ModelFile;
import io.sparkprop.nn.NetworkSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamPair;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.SparkSession;

/**
 * How the estimators and models are saved, in the layout Spark ML's readers expect of any stage:
 * {@code path/metadata/part-00000}, one line of JSON naming the class, its uid and every param's
 * value (what a Pipeline reads to find the stage's reader), and for a model {@code
 * path/data/model.json}, sparkprop's own model file.
 */
final class MlFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  private MlFiles() {}

  /**
   * The writer of a stage: its metadata, and for a model ({@code spec} not null) its network under
   * {@code data/}.
   */
  static MLWriter writer(Params stage, NetworkSpec spec, double[] weights) {
    return new MLWriter() {
      @Override
      public void saveImpl(String path) {
        saveMetadata(stage, path, sparkSession());
        if (spec != null) {
          saveModel(spec, weights, path, sparkSession());
        }
      }
    };
  }

  /** The reader of an estimator {@link #writer} saved. */
  static <T extends Params> MLReader<T> estimatorReader(
      Class<T> type, java.util.function.Function<String, T> create) {
    return new MLReader<>() {
      @Override
      public T load(String path) {
        return loadStage(path, sparkSession(), type, create);
      }
    };
  }

  /** The reader of a model {@link #writer} saved: {@code create} makes it from uid and network. */
  static <T extends Params> MLReader<T> modelReader(
      Class<T> type, java.util.function.BiFunction<String, Model, T> create) {
    return new MLReader<>() {
      @Override
      public T load(String path) {
        Model model = loadModel(path, sparkSession());
        return loadStage(path, sparkSession(), type, uid -> create.apply(uid, model));
      }
    };
  }

  /** Writes the metadata of {@code stage}: its class, uid and param values. */
  static void saveMetadata(Params stage, String path, SparkSession spark) {
    ObjectNode metadata = JSON.createObjectNode();
    metadata.put("class", stage.getClass().getName());
    metadata.put("timestamp", System.currentTimeMillis());
    metadata.put("sparkVersion", spark.version());
    metadata.put("uid", stage.uid());
    ObjectNode params = metadata.putObject("paramMap");
    ObjectNode defaults = metadata.putObject("defaultParamMap");
    try {
      for (Param<?> p : stage.params()) {
        ObjectNode into = stage.isSet(p) ? params : stage.hasDefault(p) ? defaults : null;
        if (into != null) {
          into.set(p.name(), JSON.readTree(encode(p, stage.getOrDefault(p))));
        }
      }
      Path file = new Path(path, "metadata/part-00000");
      FileSystem fs = file.getFileSystem(conf(spark));
      try (OutputStream out = fs.create(file, true)) {
        out.write((JSON.writeValueAsString(metadata) + "\n").getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> String encode(Param<T> param, Object value) {
    return param.jsonEncode((T) value);
  }

  /**
   * A stage of {@code type} with the uid and param values saved at {@code path}.
   *
   * @param create makes the stage from its uid
   */
  static <T extends Params> T loadStage(
      String path,
      SparkSession spark,
      Class<T> type,
      java.util.function.Function<String, T> create) {
    JsonNode metadata = readMetadata(path, spark);
    String saved = metadata.path("class").asText();
    if (!saved.equals(type.getName())) {
      throw new IllegalArgumentException(path + " holds a " + saved + ", not a " + type.getName());
    }
    T stage = create.apply(metadata.path("uid").asText());
    ParamMap values = ParamMap.empty();
    for (String section : new String[] {"defaultParamMap", "paramMap"}) {
      Iterator<Map.Entry<String, JsonNode>> fields = metadata.path(section).fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (stage.hasParam(field.getKey())) {
          Param<Object> p = (Param<Object>) (Param<?>) stage.getParam(field.getKey());
          values.put(new ParamPair<>(p, p.jsonDecode(field.getValue().toString())));
        }
      }
    }
    return type.cast(stage.copy(values));
  }

  private static JsonNode readMetadata(String path, SparkSession spark) {
    Path file = new Path(path, "metadata/part-00000");
    try {
      FileSystem fs = file.getFileSystem(conf(spark));
      try (InputStream in = fs.open(file)) {
        return JSON.readTree(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Writes the network's weights in sparkprop's model format under {@code path/data}. */
  static void saveModel(NetworkSpec spec, double[] weights, String path, SparkSession spark) {
    try {
      ModelFile.write(new Model(spec, weights, Map.of()), dataPath(path), conf(spark), true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
    }
  }

  /** The network saved under {@code path/data}. */
  static Model loadModel(String path, SparkSession spark) {
    try {
      return ModelFile.read(dataPath(path), conf(spark));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  private static String dataPath(String path) {
    return new Path(path, "data/model.json").toString();
  }

  private static Configuration conf(SparkSession spark) {
    return spark.sparkContext().hadoopConfiguration();
  }
}
