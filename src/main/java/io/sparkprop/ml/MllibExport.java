package io.sparkprop.ml;

import io.sparkprop.model.Model;
import io.sparkprop.nn.Activation;
import io.sparkprop.nn.NetworkSpec;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Makes a Spark MLlib {@link MultilayerPerceptronClassificationModel} of a sparkprop model and
 * saves it with MLlib's own writer, so the directory is exactly what {@code
 * MultilayerPerceptronClassificationModel.load} reads. Both use the same flat weight layout (per
 * layer W, n_l × n_{l−1} column-major, then b), so the weights carry over unchanged.
 *
 * <p>MLlib's model has no public constructor; its estimator makes one from given initial weights
 * when asked for no iterations of gradient descent, which changes nothing. The export checks that
 * the weights came through bit for bit, and clears the training-only params (the initial weights,
 * the solver, the iteration count) before saving.
 */
public final class MllibExport {
  private MllibExport() {}

  /**
   * Why MLlib cannot represent the model, or null when it can: MLlib's MLP has sigmoid hidden
   * layers and a softmax output (cross-entropy) over at least two classes.
   */
  public static String unsupported(NetworkSpec spec) {
    StringBuilder why = new StringBuilder();
    if (spec.numLayers() > 1 && spec.hiddenActivation() != Activation.SIGMOID) {
      why.append("hidden activation ").append(spec.hiddenActivation().id());
      why.append(" (MLlib's hidden layers are sigmoid)");
    }
    if (spec.outputActivation() != Activation.SOFTMAX || spec.numOutputs() < 2) {
      why.append(why.length() == 0 ? "" : " and ");
      why.append("output ").append(spec.outputActivation().id());
      why.append(" over ")
          .append(spec.numOutputs())
          .append(spec.numOutputs() == 1 ? " unit" : " units");
      why.append(" (MLlib's output is softmax over 2 or more classes)");
    }
    return why.length() == 0 ? null : why.toString();
  }

  /**
   * Refuses a network MLlib cannot represent, naming why and suggesting ONNX.
   *
   * @throws IllegalArgumentException when {@link #unsupported} names a reason
   */
  public static void check(NetworkSpec spec) {
    String why = unsupported(spec);
    if (why != null) {
      throw new IllegalArgumentException(
          "Spark MLlib's MLP cannot represent this "
              + spec
              + " model: "
              + why
              + "; export it as ONNX (--format onnx)");
    }
  }

  /**
   * The MLlib model with the same layers and weights.
   *
   * @throws IllegalArgumentException when {@link #unsupported} names a reason
   */
  public static MultilayerPerceptronClassificationModel toMllib(Model model, SparkSession spark) {
    NetworkSpec spec = model.spec();
    check(spec);
    MultilayerPerceptronClassifier estimator =
        new MultilayerPerceptronClassifier()
            .setLayers(spec.layerSizes())
            .setInitialWeights(Vectors.dense(model.weights()))
            .setSolver("gd")
            .setMaxIter(0);
    MultilayerPerceptronClassificationModel mllib = estimator.fit(oneRow(spec, spark));
    if (!Arrays.equals(mllib.weights().toArray(), model.weights())) {
      throw new IllegalStateException(
          "Spark MLlib changed the weights while making its model; nothing was written");
    }
    mllib.clear(mllib.initialWeights());
    mllib.clear(mllib.solver());
    mllib.clear(mllib.maxIter());
    return mllib;
  }

  /** Writes the model as an MLlib model directory at {@code path}, which must not exist. */
  public static void save(Model model, String path, SparkSession spark) throws java.io.IOException {
    toMllib(model, spark).write().save(path);
  }

  /** One example of class 0 with no nonzero features: what fitting with no iterations reads. */
  private static Dataset<Row> oneRow(NetworkSpec spec, SparkSession spark) {
    StructType schema =
        new StructType()
            .add("label", DataTypes.DoubleType, false)
            .add("features", SQLDataTypes.VectorType(), false);
    Row row = RowFactory.create(0.0, Vectors.sparse(spec.numInputs(), new int[0], new double[0]));
    return spark.createDataFrame(List.of(row), schema);
  }
}
