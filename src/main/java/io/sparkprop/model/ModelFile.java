package io.sparkprop.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.nn.ParameterLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads and writes the model file, format {@value #FORMAT} version {@value #VERSION}: a JSON object
 * with {@code format}, {@code version}, {@code layers} (n_0 … n_L), {@code hiddenActivation},
 * {@code outputActivation}, {@code loss}, {@code metadata} (strings) and {@code parameters}: for
 * each layer l = 1 … L, {@code weights} as n_l rows of n_{l−1} numbers (row i holds the weights
 * into neuron i) and {@code biases} (n_l numbers). Numbers are written in Java's shortest
 * round-trip form, so reading gives back the same doubles bit for bit.
 */
public final class ModelFile {
  public static final String FORMAT = "sparkprop-mlp";
  public static final int VERSION = 1;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ModelFile() {}

  /**
   * A file that belongs beside a model: {@code m.json} with suffix {@code .history.csv} gives
   * {@code m.history.csv}; a path without {@code .json} gets the suffix appended.
   */
  public static String companionPath(String modelPath, String suffix) {
    String base =
        modelPath.endsWith(".json") ? modelPath.substring(0, modelPath.length() - 5) : modelPath;
    return base + suffix;
  }

  /** Writes {@code model} to {@code path} atomically; refuses to replace a file unless asked. */
  public static void write(Model model, String path, Configuration conf, boolean overwrite)
      throws IOException {
    AtomicFiles.write(path, conf, overwrite, out -> writeJson(model, out));
  }

  /** Writes the model's JSON document to a stream (not closed). */
  public static void writeJson(Model model, OutputStream out) throws IOException {
    NetworkSpec spec = model.spec();
    double[] w = model.weights();
    JsonGenerator gen = new JsonFactory().createGenerator(out);
    gen.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    gen.useDefaultPrettyPrinter();
    gen.writeStartObject();
    gen.writeStringField("format", FORMAT);
    gen.writeNumberField("version", VERSION);
    gen.writeArrayFieldStart("layers");
    for (int size : spec.layerSizes()) {
      gen.writeNumber(size);
    }
    gen.writeEndArray();
    gen.writeStringField("hiddenActivation", spec.hiddenActivation().id());
    gen.writeStringField("outputActivation", spec.outputActivation().id());
    gen.writeStringField("loss", spec.loss().id());
    gen.writeObjectFieldStart("metadata");
    for (Map.Entry<String, String> e : model.metadata().entrySet()) {
      gen.writeStringField(e.getKey(), e.getValue());
    }
    gen.writeEndObject();
    gen.writeArrayFieldStart("parameters");
    ParameterLayout layout = spec.layout();
    for (int l = 1; l <= spec.numLayers(); l++) {
      writeLayer(gen, layout.layer(l), w);
    }
    gen.writeEndArray();
    gen.writeEndObject();
    gen.writeRaw('\n');
    gen.flush();
  }

  /** One layer's object: its weights row by row (row i: the weights into neuron i), its biases. */
  private static void writeLayer(JsonGenerator gen, ParameterLayout.Layer layer, double[] w)
      throws IOException {
    gen.writeStartObject();
    gen.writeArrayFieldStart("weights");
    for (int r = 0; r < layer.rows(); r++) {
      gen.writeStartArray();
      for (int c = 0; c < layer.cols(); c++) {
        gen.writeNumber(w[layer.weightIndex(r, c)]);
      }
      gen.writeEndArray();
    }
    gen.writeEndArray();
    gen.writeArrayFieldStart("biases");
    for (int r = 0; r < layer.rows(); r++) {
      gen.writeNumber(w[layer.biasOffset() + r]);
    }
    gen.writeEndArray();
    gen.writeEndObject();
  }

  /**
   * Reads and validates a model file, or a Spark MLlib MLP model's directory ({@link
   * MllibModelDirectory}).
   *
   * @throws ModelFormatException naming the file and what is wrong: not JSON, wrong format,
   *     unsupported version, bad architecture, wrong shapes, non-finite numbers
   */
  public static Model read(String path, Configuration conf) throws IOException {
    Path p = new Path(path);
    FileSystem fs = p.getFileSystem(conf);
    if (!fs.exists(p)) {
      throw new ModelFormatException(path, "no such file");
    }
    if (fs.getFileStatus(p).isDirectory()) {
      if (MllibModelDirectory.isOne(p, fs)) {
        return MllibModelDirectory.read(path, conf);
      }
      throw new ModelFormatException(
          path, "is a directory, neither a model file nor a Spark MLlib model (no metadata/)");
    }
    JsonNode root;
    try (InputStream in = fs.open(p)) {
      // Anything after the document is damage, not a second document to ignore.
      root =
          MAPPER
              .reader()
              .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
              .readTree(in);
    } catch (JsonProcessingException e) {
      throw new ModelFormatException(
          path, "not a valid JSON model file: " + e.getOriginalMessage());
    }
    return fromJson(path, root);
  }

  static Model fromJson(String path, JsonNode root) {
    if (root == null || !root.isObject()) {
      boolean empty = root == null || root.isMissingNode();
      throw new ModelFormatException(
          path,
          "expected a JSON object, found "
              + (empty ? "an empty file" : root.getNodeType().toString().toLowerCase(Locale.ROOT)));
    }
    String format = text(path, root, "format");
    if (!FORMAT.equals(format)) {
      throw new ModelFormatException(
          path, "wrong format name (expected " + FORMAT + ", found " + format + ")");
    }
    JsonNode version = root.get("version");
    if (version == null || !version.isIntegralNumber() || !version.canConvertToInt()) {
      throw new ModelFormatException(path, "missing or non-integer 'version'");
    }
    if (version.asInt() > VERSION) {
      throw new ModelFormatException(
          path,
          "model file v"
              + version.asInt()
              + " is newer than this build supports (v"
              + VERSION
              + ")");
    }
    if (version.asInt() < 1) {
      throw new ModelFormatException(path, "invalid version " + version.asInt() + " (expected 1)");
    }
    NetworkSpec spec = spec(path, root);
    double[] weights = parameters(path, root.get("parameters"), spec);
    Map<String, String> metadata = new LinkedHashMap<>();
    JsonNode meta = root.get("metadata");
    if (meta != null && meta.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = meta.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        metadata.put(e.getKey(), e.getValue().asText());
      }
    }
    return new Model(spec, weights, metadata);
  }

  /** The integers of a JSON array of layer sizes; the sizes themselves the spec checks. */
  static int[] layerSizes(String path, JsonNode layers) {
    int[] sizes = new int[layers.size()];
    for (int i = 0; i < sizes.length; i++) {
      if (!layers.get(i).isIntegralNumber() || !layers.get(i).canConvertToInt()) {
        throw new ModelFormatException(
            path, "layer size " + i + " is not an integer (found " + layers.get(i) + ")");
      }
      sizes[i] = layers.get(i).asInt();
    }
    return sizes;
  }

  private static NetworkSpec spec(String path, JsonNode root) {
    JsonNode layers = root.get("layers");
    if (layers == null || !layers.isArray()) {
      throw new ModelFormatException(path, "missing 'layers' array");
    }
    int[] sizes = layerSizes(path, layers);
    try {
      return new NetworkSpec(
          sizes,
          Activation.parse(text(path, root, "hiddenActivation")),
          Activation.parse(text(path, root, "outputActivation")),
          Loss.parse(text(path, root, "loss")));
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(path, e.getMessage());
    }
  }

  private static double[] parameters(String path, JsonNode parameters, NetworkSpec spec) {
    if (parameters == null || !parameters.isArray() || parameters.size() != spec.numLayers()) {
      throw new ModelFormatException(
          path,
          "expected 'parameters' with "
              + spec.numLayers()
              + " layers for "
              + spec.layersString()
              + ", found "
              + (parameters == null || !parameters.isArray() ? "none" : parameters.size()));
    }
    ParameterLayout layout = spec.layout();
    // Every shape is checked against the arrays present before the parameters are allocated: a
    // small file may declare layers whose parameters would not fit in memory.
    for (int l = 1; l <= spec.numLayers(); l++) {
      checkLayer(path, parameters.get(l - 1), l, layout.layer(l));
    }
    double[] w = new double[spec.numParameters()];
    for (int l = 1; l <= spec.numLayers(); l++) {
      readLayer(path, parameters.get(l - 1), l, layout.layer(l), w);
    }
    return w;
  }

  /** Checks layer l's weights are rows × cols numbers' worth of arrays and its biases rows. */
  private static void checkLayer(String path, JsonNode node, int l, ParameterLayout.Layer layer) {
    int rows = layer.rows();
    int cols = layer.cols();
    JsonNode weights = node.get("weights");
    if (weights == null || !weights.isArray() || weights.size() != rows) {
      throw new ModelFormatException(
          path,
          "layer "
              + l
              + " weights: expected "
              + rows
              + " rows, found "
              + (weights == null || !weights.isArray() ? "none" : weights.size()));
    }
    for (int r = 0; r < rows; r++) {
      JsonNode row = weights.get(r);
      if (!row.isArray() || row.size() != cols) {
        throw new ModelFormatException(
            path,
            "layer "
                + l
                + " weights row "
                + r
                + ": expected "
                + cols
                + " numbers, found "
                + (row.isArray() ? row.size() : row.getNodeType()));
      }
    }
    JsonNode biases = node.get("biases");
    if (biases == null || !biases.isArray() || biases.size() != rows) {
      throw new ModelFormatException(
          path,
          "layer "
              + l
              + " biases: expected "
              + rows
              + " numbers, found "
              + (biases == null || !biases.isArray() ? "none" : biases.size()));
    }
  }

  /** Reads layer l's weights and biases, whose shapes {@link #checkLayer} checked, into w. */
  private static void readLayer(
      String path, JsonNode node, int l, ParameterLayout.Layer layer, double[] w) {
    JsonNode weights = node.get("weights");
    for (int r = 0; r < layer.rows(); r++) {
      JsonNode row = weights.get(r);
      for (int c = 0; c < layer.cols(); c++) {
        w[layer.weightIndex(r, c)] =
            number(path, row.get(c), "layer " + l + " weight [" + r + "][" + c + "]");
      }
    }
    JsonNode biases = node.get("biases");
    for (int r = 0; r < layer.rows(); r++) {
      w[layer.biasOffset() + r] = number(path, biases.get(r), "layer " + l + " bias " + r);
    }
  }

  private static double number(String path, JsonNode node, String what) {
    if (!node.isNumber()) {
      throw new ModelFormatException(path, what + " is not a number (found " + node + ")");
    }
    double v = node.doubleValue();
    if (!Double.isFinite(v)) {
      throw new ModelFormatException(path, what + " is not finite (found " + v + ")");
    }
    return v;
  }

  private static String text(String path, JsonNode root, String field) {
    JsonNode node = root.get(field);
    if (node == null || !node.isTextual()) {
      throw new ModelFormatException(path, "missing or non-text '" + field + "'");
    }
    return node.asText();
  }
}
