package io.sparkprop.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.sparkprop.ReferenceNetwork;
import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.NetworkSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exported ONNX files run in ONNX Runtime and give the network's outputs within 1e-5 (float32
 * against the double forward pass of an independent implementation), for every hidden activation
 * with every output: softmax, one sigmoid (binary), several sigmoids (multi-label), one identity
 * (regression), several identities (classes by the largest output).
 */
class OnnxExportTest {
  private static final double CLOSE = 1e-5;
  private static final int EXAMPLES = 200;

  private record Output(Activation activation, int units) {}

  private static final List<Output> OUTPUTS =
      List.of(
          new Output(Activation.SOFTMAX, 3),
          new Output(Activation.SIGMOID, 1),
          new Output(Activation.SIGMOID, 3),
          new Output(Activation.IDENTITY, 1),
          new Output(Activation.IDENTITY, 3));

  private static final List<Activation> HIDDEN =
      List.of(Activation.SIGMOID, Activation.TANH, Activation.RELU, Activation.IDENTITY);

  @Test
  void everyActivationWithEveryOutput_scoresAsTheNetworkInOnnxRuntime() throws OrtException {
    int checked = 0;
    for (Activation hidden : HIDDEN) {
      for (Output output : OUTPUTS) {
        checkScores(new int[] {7, 6, 5, output.units()}, hidden, output.activation(), 11 + checked);
        checked++;
      }
    }
    assertEquals(20, checked);
  }

  @Test
  void noHiddenLayer_scoresAsTheNetwork() throws OrtException {
    checkScores(new int[] {9, 4}, Activation.SIGMOID, Activation.SOFTMAX, 5);
    checkScores(new int[] {9, 1}, Activation.SIGMOID, Activation.IDENTITY, 6);
  }

  @Test
  void theGraph_hasOneFloatInputAndNamedOutputsOfBatchShape() throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    Model softmax = randomModel(new int[] {4, 3, 5}, Activation.RELU, Activation.SOFTMAX, 1);
    try (OrtSession session = env.createSession(OnnxExport.bytes(softmax))) {
      Map<String, NodeInfo> inputs = session.getInputInfo();
      assertEquals(List.of("features"), new ArrayList<>(inputs.keySet()));
      TensorInfo features = (TensorInfo) inputs.get("features").getInfo();
      assertArrayEquals(new long[] {-1, 4}, features.getShape(), "[N, n0]");
      assertEquals(ai.onnxruntime.OnnxJavaType.FLOAT, features.type);
      Map<String, NodeInfo> outputs = session.getOutputInfo();
      assertEquals(List.of("probability", "prediction"), new ArrayList<>(outputs.keySet()));
      TensorInfo probability = (TensorInfo) outputs.get("probability").getInfo();
      assertArrayEquals(new long[] {-1, 5}, probability.getShape());
      TensorInfo prediction = (TensorInfo) outputs.get("prediction").getInfo();
      assertEquals(ai.onnxruntime.OnnxJavaType.INT64, prediction.type);
      assertArrayEquals(new long[] {-1}, prediction.getShape());
      assertEquals("sparkprop", session.getMetadata().getProducerName());
      assertEquals("7 examples", session.getMetadata().getCustomMetadata().get("trainedOn"));
    }
    Model regression = randomModel(new int[] {4, 3, 1}, Activation.TANH, Activation.IDENTITY, 2);
    try (OrtSession session = env.createSession(OnnxExport.bytes(regression))) {
      assertEquals(List.of("output"), new ArrayList<>(session.getOutputNames()));
    }
  }

  @Test
  void write_isAFileOnnxRuntimeLoads_andRefusesToReplaceOneUnlessAsked(@TempDir Path dir)
      throws IOException, OrtException {
    Model model = randomModel(new int[] {3, 2, 2}, Activation.SIGMOID, Activation.SOFTMAX, 3);
    String path = dir.resolve("m.onnx").toString();
    OnnxExport.write(model, path, new Configuration(), false);
    try (OrtSession session = OrtEnvironment.getEnvironment().createSession(path)) {
      assertEquals(2, session.getNumOutputs());
    }
    IOException refused =
        assertThrows(
            IOException.class, () -> OnnxExport.write(model, path, new Configuration(), false));
    assertEquals(path + " already exists (pass --overwrite to replace it)", refused.getMessage());
    OnnxExport.write(model, path, new Configuration(), true);
    try (var files = Files.list(dir)) {
      assertEquals(List.of("m.onnx"), files.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void aNetworkBeyondTwoGigabytesOfWeights_isRefusedWithItsSize() {
    NetworkSpec huge =
        new NetworkSpec(
            new int[] {100_000, 5_400, 2}, Activation.RELU, Activation.SOFTMAX, Loss.CROSS_ENTROPY);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> OnnxExport.checkSize(huge));
    assertEquals(
        "a 100000-5400-2 network's weights take 2.16 GB as float32, more than an ONNX file holds"
            + " inline (2 GB)",
        e.getMessage());
    OnnxExport.checkSize(
        new NetworkSpec(
            new int[] {100_000, 5_000, 2},
            Activation.RELU,
            Activation.SOFTMAX,
            Loss.CROSS_ENTROPY));
  }

  private static void checkScores(int[] layers, Activation hidden, Activation output, long seed)
      throws OrtException {
    Model model = randomModel(layers, hidden, output, seed);
    NetworkSpec spec = model.spec();
    String what = spec.toString();
    ReferenceNetwork reference =
        new ReferenceNetwork(layers, hidden.id(), output.id(), model.weights());
    SplittableRandom random = new SplittableRandom(seed);
    float[][] x = new float[EXAMPLES][layers[0]];
    for (float[] row : x) {
      for (int j = 0; j < row.length; j++) {
        row[j] = (float) random.nextDouble(-1.5, 1.5);
      }
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session = env.createSession(OnnxExport.bytes(model));
        OnnxTensor input = OnnxTensor.createTensor(env, x);
        OrtSession.Result result = session.run(Map.of("features", input))) {
      String name = output == Activation.IDENTITY ? "output" : "probability";
      float[][] scores = (float[][]) result.get(name).orElseThrow().getValue();
      Object prediction = result.get("prediction").map(OnnxExportTest::value).orElse(null);
      assertEquals(
          output != Activation.IDENTITY || layers[layers.length - 1] > 1,
          prediction != null,
          what + ": a prediction for classifiers only");
      int units = layers[layers.length - 1];
      for (int i = 0; i < EXAMPLES; i++) {
        double[] xi = new double[x[i].length];
        for (int j = 0; j < xi.length; j++) {
          xi[j] = x[i][j];
        }
        double[] expected = reference.outputs(xi);
        for (int k = 0; k < units; k++) {
          assertEquals(expected[k], scores[i][k], CLOSE, what + " example " + i + " output " + k);
        }
        if (prediction != null) {
          checkPrediction(what + " example " + i, expected, prediction, i, output);
        }
      }
    }
  }

  private static Object value(ai.onnxruntime.OnnxValue v) {
    try {
      return v.getValue();
    } catch (OrtException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The class (or the 0/1 of each sigmoid output) as {@code predict} gives it, where float32 cannot
   * flip it: a clear largest output, a probability clear of 1/2.
   */
  private static void checkPrediction(
      String what, double[] expected, Object prediction, int i, Activation output) {
    if (output == Activation.SIGMOID) {
      for (int k = 0; k < expected.length; k++) {
        long predicted =
            expected.length == 1 ? ((long[]) prediction)[i] : ((long[][]) prediction)[i][k];
        if (Math.abs(expected[k] - 0.5) > CLOSE) {
          assertEquals(expected[k] >= 0.5 ? 1 : 0, predicted, what + " output " + k);
        }
      }
      return;
    }
    int best = 0;
    for (int k = 1; k < expected.length; k++) {
      best = expected[k] > expected[best] ? k : best;
    }
    double runnerUp = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < expected.length; k++) {
      runnerUp = k == best ? runnerUp : Math.max(runnerUp, expected[k]);
    }
    if (expected[best] - runnerUp > CLOSE) {
      assertEquals(best, ((long[]) prediction)[i], what);
    }
  }

  /** A model with weights of the size training starts from, scaled up to make every unit work. */
  static Model randomModel(int[] layers, Activation hidden, Activation output, long seed) {
    Loss loss = output == Activation.IDENTITY ? Loss.SQUARED_ERROR : Loss.CROSS_ENTROPY;
    NetworkSpec spec = new NetworkSpec(layers, hidden, output, loss);
    SplittableRandom random = new SplittableRandom(seed);
    double[] w = new double[spec.numParameters()];
    for (int i = 0; i < w.length; i++) {
      w[i] = random.nextDouble(-1.2, 1.2);
    }
    return new Model(spec, w, Map.of("trainedOn", "7 examples"));
  }
}
