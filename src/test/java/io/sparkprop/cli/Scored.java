package io.sparkprop.cli;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Scores to compare: what {@code predict} wrote as text, and what ONNX Runtime computes from an
 * exported file.
 *
 * @param probability per example, the output activations
 * @param classes per example, the predicted class
 */
record Scored(double[][] probability, long[] classes) {

  /**
   * {@code predict}'s text output, its part files in name order: per line the class, then the
   * output activations.
   */
  static Scored predictText(Path directory) throws IOException {
    return predictText(directory, true);
  }

  /**
   * {@code predict}'s text output, its part files in name order: per line the class when {@code
   * withClass} (single-class classifiers), then the output activations; classes null without.
   */
  static Scored predictText(Path directory, boolean withClass) throws IOException {
    List<double[]> rows = new ArrayList<>();
    List<Long> classes = new ArrayList<>();
    try (Stream<Path> files = Files.list(directory)) {
      List<Path> parts =
          files.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList();
      for (Path part : parts) {
        for (String line : Files.readAllLines(part)) {
          String[] fields = line.split(",");
          int first = withClass ? 1 : 0;
          if (withClass) {
            classes.add(Long.parseLong(fields[0]));
          }
          double[] row = new double[fields.length - first];
          for (int k = 0; k < row.length; k++) {
            row[k] = Double.parseDouble(fields[k + first]);
          }
          rows.add(row);
        }
      }
    }
    return new Scored(
        rows.toArray(new double[0][]),
        withClass ? classes.stream().mapToLong(Long::longValue).toArray() : null);
  }

  /** An exported classifier's outputs {@code probability} and {@code prediction} for {@code x}. */
  static Scored onnx(Path file, double[][] x) throws OrtException {
    return onnx(file, x, "probability");
  }

  /**
   * An exported model's output activations ({@code output}: probability or output) for {@code x},
   * and its {@code prediction} where that is one class per example (else classes are null).
   */
  static Scored onnx(Path file, double[][] x, String output) throws OrtException {
    float[][] input = new float[x.length][];
    for (int i = 0; i < x.length; i++) {
      input[i] = new float[x[i].length];
      for (int j = 0; j < x[i].length; j++) {
        input[i][j] = (float) x[i][j];
      }
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session = env.createSession(file.toString());
        OnnxTensor tensor = OnnxTensor.createTensor(env, input);
        OrtSession.Result result = session.run(Map.of("features", tensor))) {
      float[][] p = (float[][]) result.get(output).orElseThrow().getValue();
      double[][] probability = new double[p.length][];
      for (int i = 0; i < p.length; i++) {
        probability[i] = new double[p[i].length];
        for (int k = 0; k < p[i].length; k++) {
          probability[i][k] = p[i][k];
        }
      }
      Object prediction =
          result.get("prediction").isPresent() ? result.get("prediction").get().getValue() : null;
      return new Scored(probability, prediction instanceof long[] c ? c : null);
    }
  }

  /** The largest difference between two sets of scores' probabilities. */
  double maxDifference(Scored other) {
    double worst = 0;
    for (int i = 0; i < probability.length; i++) {
      for (int k = 0; k < probability[i].length; k++) {
        worst = Math.max(worst, Math.abs(probability[i][k] - other.probability[i][k]));
      }
    }
    return worst;
  }

  /** How many examples the two classify differently. */
  int differentClasses(Scored other) {
    int different = 0;
    for (int i = 0; i < classes.length; i++) {
      different += classes[i] == other.classes[i] ? 0 : 1;
    }
    return different;
  }
}
