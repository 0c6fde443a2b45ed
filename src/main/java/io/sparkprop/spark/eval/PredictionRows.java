package io.sparkprop.spark.eval;

import io.sparkprop.data.DataShape;
import io.sparkprop.data.ExampleBlock;
import io.sparkprop.nn.Network;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.nn.Workspace;
import io.sparkprop.spark.BlockFunction;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The rows of predictions for a block, after the forward pass, in Spark ML's names and types: the
 * kept columns, then {@code prediction} (the class as a double; the output for regression; a 0/1
 * vector for multi-label), {@code probability} (the output activations as a vector; [1 − p, p] for
 * one sigmoid output) and {@code rawPrediction} (the last layer's pre-activation z^L; [−z, z] for
 * one sigmoid output), the last two for classification only. CSV cannot hold vectors: there each
 * entry is a column of its own ({@code probability_0}, …). Text is one line per row: the kept
 * values, then the class (classification), then the output activations, comma separated, each
 * number at full precision.
 */
final class PredictionRows implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final Object[] NONE_KEPT = {};

  private final int outputs;
  private final DataShape.LabelKind labels;
  private final PredictionFormat format;

  PredictionRows(NetworkSpec spec, DataShape shape, PredictionFormat format) {
    this.outputs = spec.numOutputs();
    this.labels = shape.labels();
    this.format = format;
  }

  private boolean classification() {
    return labels == DataShape.LabelKind.CLASS_INDEX || labels == DataShape.LabelKind.BINARY;
  }

  private boolean hasProbability() {
    return labels != DataShape.LabelKind.REAL;
  }

  /** The schema of the rows: the kept columns, then the prediction columns. */
  StructType schema(StructType kept) {
    if (format == PredictionFormat.TEXT) {
      return new StructType().add("value", DataTypes.StringType, false);
    }
    StructType schema = kept;
    int width = probabilityWidth();
    if (labels == DataShape.LabelKind.MULTI_LABEL) {
      schema = add(schema, "prediction", width);
    } else {
      schema = schema.add("prediction", DataTypes.DoubleType, false);
    }
    if (hasProbability()) {
      schema = add(schema, "probability", width);
      schema = add(schema, "rawPrediction", width);
    }
    return schema;
  }

  private StructType add(StructType schema, String name, int width) {
    if (format.holdsVectors()) {
      return schema.add(new StructField(name, SQLDataTypes.VectorType(), false, Metadata.empty()));
    }
    for (int k = 0; k < width; k++) {
      schema = schema.add(name + "_" + k, DataTypes.DoubleType, false);
    }
    return schema;
  }

  /** Entries of probability and rawPrediction: 2 for one sigmoid output, else n_L. */
  private int probabilityWidth() {
    return labels == DataShape.LabelKind.BINARY ? 2 : outputs;
  }

  /**
   * Runs the block forward and gives a row for each column.
   *
   * @param kept each column's kept values, or null when none are kept
   */
  List<Row> rows(
      Network network,
      Workspace<double[]> workspace,
      double[] w,
      ExampleBlock block,
      Object[][] kept) {
    BlockFunction.forward(network, w, block, workspace);
    double[] a = workspace.outputs();
    double[] z = workspace.logits();
    List<Row> rows = new ArrayList<>(block.size());
    for (int j = 0; j < block.size(); j++) {
      Object[] keptValues = kept == null ? NONE_KEPT : kept[j];
      rows.add(row(keptValues, a, z, j));
    }
    return rows;
  }

  private Row row(Object[] keptValues, double[] a, double[] z, int j) {
    double[] probability = new double[probabilityWidth()];
    double[] raw = new double[probabilityWidth()];
    if (labels == DataShape.LabelKind.BINARY) {
      probability[0] = 1 - a[j];
      probability[1] = a[j];
      raw[0] = -z[j];
      raw[1] = z[j];
    } else {
      System.arraycopy(a, j * outputs, probability, 0, outputs);
      System.arraycopy(z, j * outputs, raw, 0, outputs);
    }
    if (format == PredictionFormat.TEXT) {
      return RowFactory.create(line(keptValues, a, j));
    }
    List<Object> values = new ArrayList<>(List.of(keptValues));
    if (labels == DataShape.LabelKind.MULTI_LABEL) {
      double[] hot = new double[outputs];
      for (int k = 0; k < outputs; k++) {
        hot[k] = a[j * outputs + k] >= 0.5 ? 1 : 0;
      }
      addVector(values, hot);
    } else {
      values.add(classification() ? (double) Network.classOf(a, outputs, j) : a[j * outputs]);
    }
    if (hasProbability()) {
      addVector(values, probability);
      addVector(values, raw);
    }
    return RowFactory.create(values.toArray());
  }

  private void addVector(List<Object> values, double[] vector) {
    if (format.holdsVectors()) {
      values.add(Vectors.dense(vector));
    } else {
      for (double v : vector) {
        values.add(v);
      }
    }
  }

  /** A text line: kept values, the class for classification, then every output activation. */
  private String line(Object[] keptValues, double[] a, int j) {
    StringBuilder line = new StringBuilder();
    for (Object v : keptValues) {
      line.append(v).append(',');
    }
    if (classification()) {
      line.append(Network.classOf(a, outputs, j)).append(',');
    }
    for (int r = 0; r < outputs; r++) {
      line.append(a[j * outputs + r]).append(r + 1 < outputs ? "," : "");
    }
    return line.toString();
  }
}
