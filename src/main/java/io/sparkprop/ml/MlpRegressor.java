package io.sparkprop.ml;

import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.NetworkSpec;
import org.apache.spark.ml.Predictor;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;

/**
 * A Spark ML regressor trained by sparkprop: one identity output, squared error; otherwise like
 * {@link MlpClassifier}. {@code layers} must end in 1.
 */
public final class MlpRegressor extends Predictor<Vector, MlpRegressor, MlpRegressionModel>
    implements MlpParams<MlpRegressor>, MLWritable {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final MlpTraining training;

  public MlpRegressor() {
    this(Identifiable.randomUID("sparkpropMlpRegressor"));
  }

  public MlpRegressor(String uid) {
    this(Uids.begin(uid));
  }

  private MlpRegressor(Uids.Pending pending) {
    this.uid = Uids.end(pending);
    this.training = new MlpTraining(this);
    training.setDefaults(this::setDefault);
  }

  @Override
  public String uid() {
    return uid != null ? uid : Uids.pending();
  }

  /** The training parameters; their getters and setters come from {@link MlpParams}. */
  @Override
  public MlpTraining training() {
    return training;
  }

  @Override
  public MlpRegressor copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  @Override
  public MlpRegressionModel train(Dataset<?> dataset) {
    NetworkSpec spec = training.network(this, Activation.IDENTITY, Loss.SQUARED_ERROR);
    if (spec.numOutputs() != 1) {
      throw new IllegalArgumentException(
          "a regressor has one output: layers must end in 1, found " + spec.layersString());
    }
    double[] weights = training.train(this, spec, dataset, getFeaturesCol(), getLabelCol());
    return copyValues(new MlpRegressionModel(uid, spec, weights), ParamMap.empty());
  }

  @Override
  public MLWriter write() {
    return MlFiles.writer(this, null, null);
  }

  /** Reads what {@link #write()} saved; how Spark ML's Pipeline loads the stage. */
  public static MLReader<MlpRegressor> read() {
    return MlFiles.estimatorReader(MlpRegressor.class, MlpRegressor::new);
  }

  public static MlpRegressor load(String path) {
    return read().load(path);
  }
}
