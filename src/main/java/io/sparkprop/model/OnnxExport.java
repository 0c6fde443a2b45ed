package io.sparkprop.model;

import io.sparkprop.nn.Activation;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.nn.ParameterLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * Writes a model as an ONNX file (IR version {@value #IR_VERSION}, opset {@value #OPSET}) that ONNX
 * Runtime and other ONNX scorers run: one float32 input {@code features} of shape [N, n_0]; each
 * layer a Gemm with its weights as float32 initializers, then its activation; the outputs
 *
 * <ul>
 *   <li>{@code probability} [N, n_L] for a sigmoid or softmax output, {@code output} [N, n_L] for
 *       an identity output;
 *   <li>{@code prediction}, int64, for classifiers: the class index [N] (softmax, or identity over
 *       several outputs: the first largest output, as {@code predict}); 0 or 1 [N] for one sigmoid
 *       output (1 when p ≥ 0.5); one 0/1 per output [N, n_L] for several sigmoid outputs.
 * </ul>
 *
 * The file holds the weights inline, so they must fit protobuf's 2 GB message limit: at most about
 * 500 million parameters.
 */
public final class OnnxExport {
  public static final int IR_VERSION = 7;
  public static final int OPSET = 13;

  /** Protobuf refuses messages of 2 GB and more; leave room for everything but the weights. */
  private static final long MAX_WEIGHT_BYTES = (1L << 31) - (64L << 20);

  // TensorProto.DataType
  private static final int FLOAT = 1;
  private static final int INT64 = 7;

  // AttributeProto.AttributeType
  private static final int ATTRIBUTE_INT = 2;

  private OnnxExport() {}

  /** Writes the ONNX file atomically; refuses to replace a file unless asked. */
  public static void write(Model model, String path, Configuration conf, boolean overwrite)
      throws IOException {
    byte[] bytes = bytes(model);
    AtomicFiles.write(path, conf, overwrite, out -> out.write(bytes));
  }

  /**
   * The ONNX model's bytes.
   *
   * @throws IllegalArgumentException when the weights do not fit an ONNX file without external data
   */
  public static byte[] bytes(Model model) {
    NetworkSpec spec = model.spec();
    checkSize(spec);
    ProtoWriter onnx =
        new ProtoWriter()
            .varint(1, IR_VERSION)
            .string(2, "sparkprop")
            .string(3, versionOf(model))
            .string(6, "multilayer perceptron " + spec)
            .message(7, graph(spec, model.weights()))
            .message(8, new ProtoWriter().string(1, "").varint(2, OPSET));
    for (Map.Entry<String, String> e : model.metadata().entrySet()) {
      onnx.message(14, new ProtoWriter().string(1, e.getKey()).string(2, e.getValue()));
    }
    return onnx.toByteArray();
  }

  /** Refuses a network whose float32 weights do not fit an ONNX file without external data. */
  static void checkSize(NetworkSpec spec) {
    long weightBytes = 4L * spec.numParameters();
    if (weightBytes > MAX_WEIGHT_BYTES) {
      throw new IllegalArgumentException(
          String.format(
              java.util.Locale.ROOT,
              "a %s network's weights take %.2f GB as float32, more than an ONNX file holds"
                  + " inline (2 GB)",
              spec.layersString(),
              weightBytes / 1e9));
    }
  }

  private static String versionOf(Model model) {
    String createdBy = model.metadata().get("createdBy");
    return createdBy == null ? "" : createdBy;
  }

  /** The name of the output activations: probability for sigmoid and softmax, else output. */
  public static String outputName(NetworkSpec spec) {
    return spec.outputActivation() == Activation.IDENTITY ? "output" : "probability";
  }

  /** The graph's outputs: the activations, then the prediction for classifiers. */
  public static java.util.List<String> outputNames(NetworkSpec spec) {
    return predicts(spec)
        ? java.util.List.of(outputName(spec), "prediction")
        : java.util.List.of(outputName(spec));
  }

  /** Whether the model is a classifier: all but one identity output (regression). */
  private static boolean predicts(NetworkSpec spec) {
    return spec.outputActivation() != Activation.IDENTITY || spec.numOutputs() > 1;
  }

  private static ProtoWriter graph(NetworkSpec spec, double[] w) {
    ProtoWriter graph = new ProtoWriter().string(2, "sparkprop_mlp");
    ParameterLayout layout = spec.layout();
    String previous = "features";
    for (int l = 1; l <= spec.numLayers(); l++) {
      ParameterLayout.Layer layer = layout.layer(l);
      // W^l is column-major n_l × n_{l−1}: read row-major, the same floats are (W^l)ᵀ, the
      // [n_{l−1}, n_l] matrix Gemm multiplies from the right.
      graph.message(
          5,
          floatTensor(
              "W" + l,
              new long[] {layer.cols(), layer.rows()},
              w,
              layer.weightOffset(),
              layer.weightCount()));
      graph.message(
          5, floatTensor("b" + l, new long[] {layer.rows()}, w, layer.biasOffset(), layer.rows()));
      String z = "z" + l;
      graph.message(1, node("Gemm", "gemm" + l, z, previous, "W" + l, "b" + l));
      previous = l < spec.numLayers() ? hidden(graph, spec.hiddenActivation(), z, l) : z;
    }
    String out = outputName(spec);
    String op =
        switch (spec.outputActivation()) {
          case SOFTMAX -> "Softmax";
          case SIGMOID -> "Sigmoid";
          default -> "Identity";
        };
    ProtoWriter outputNode = node(op, "output_activation", out, previous);
    if (op.equals("Softmax")) {
      outputNode.message(5, intAttribute("axis", 1));
    }
    graph.message(1, outputNode);
    graph.message(11, valueInfo("features", FLOAT, spec.numInputs()));
    graph.message(12, valueInfo(out, FLOAT, spec.numOutputs()));
    prediction(graph, spec, out);
    return graph;
  }

  /** A hidden layer's activation node, or none for identity; gives the name of its output. */
  private static String hidden(ProtoWriter graph, Activation g, String z, int l) {
    String op =
        switch (g) {
          case SIGMOID -> "Sigmoid";
          case TANH -> "Tanh";
          case RELU -> "Relu";
          case IDENTITY -> null;
          case SOFTMAX -> throw new IllegalArgumentException("softmax is an output activation");
        };
    if (op == null) {
      return z;
    }
    String a = "a" + l;
    graph.message(1, node(op, op.toLowerCase(java.util.Locale.ROOT) + l, a, z));
    return a;
  }

  /** The prediction output and the nodes that make it, for classifiers; nothing for regression. */
  private static void prediction(ProtoWriter graph, NetworkSpec spec, String out) {
    if (!predicts(spec)) {
      return;
    }
    int outputs = spec.numOutputs();
    boolean sigmoid = spec.outputActivation() == Activation.SIGMOID;
    if (!sigmoid) {
      graph.message(
          1,
          node("ArgMax", "argmax", "prediction", out)
              .message(5, intAttribute("axis", 1))
              .message(5, intAttribute("keepdims", 0)));
      graph.message(12, valueInfo("prediction", INT64));
      return;
    }
    graph.message(5, tensor("threshold", FLOAT, new long[0], floatBytes(new double[] {0.5}, 0, 1)));
    graph.message(1, node("GreaterOrEqual", "at_least_half", "positive", out, "threshold"));
    String cast = outputs == 1 ? "prediction_column" : "prediction";
    graph.message(1, node("Cast", "as_int64", cast, "positive").message(5, castTo(INT64)));
    if (outputs == 1) {
      graph.message(5, tensor("flat", INT64, new long[] {1}, int64Bytes(-1)));
      graph.message(1, node("Reshape", "to_vector", "prediction", cast, "flat"));
      graph.message(12, valueInfo("prediction", INT64));
    } else {
      graph.message(12, valueInfo("prediction", INT64, outputs));
    }
  }

  private static ProtoWriter castTo(int type) {
    return intAttribute("to", type);
  }

  private static ProtoWriter node(String op, String name, String output, String... inputs) {
    ProtoWriter node = new ProtoWriter();
    for (String input : inputs) {
      node.string(1, input);
    }
    return node.string(2, output).string(3, name).string(4, op);
  }

  private static ProtoWriter intAttribute(String name, long value) {
    return new ProtoWriter().string(1, name).varint(3, value).varint(20, ATTRIBUTE_INT);
  }

  private static ProtoWriter floatTensor(
      String name, long[] dims, double[] values, int offset, int count) {
    return tensor(name, FLOAT, dims, floatBytes(values, offset, count));
  }

  private static ProtoWriter tensor(String name, int type, long[] dims, byte[] raw) {
    ProtoWriter tensor = new ProtoWriter();
    for (long d : dims) {
      tensor.varint(1, d);
    }
    return tensor.varint(2, type).string(8, name).bytes(9, raw);
  }

  /** A tensor's value info: its element type and shape [N] or [N, columns]. */
  private static ProtoWriter valueInfo(String name, int type, int... columns) {
    ProtoWriter shape = new ProtoWriter().message(1, new ProtoWriter().string(2, "N"));
    for (int c : columns) {
      shape.message(1, new ProtoWriter().varint(1, c));
    }
    ProtoWriter tensorType = new ProtoWriter().varint(1, type).message(2, shape);
    return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
  }

  /** Little-endian float32s, as an ONNX tensor's raw_data holds them. */
  private static byte[] floatBytes(double[] values, int offset, int count) {
    ByteBuffer buffer = ByteBuffer.allocate(4 * count).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < count; i++) {
      buffer.putFloat((float) values[offset + i]);
    }
    return buffer.array();
  }

  private static byte[] int64Bytes(long value) {
    return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
  }
}
