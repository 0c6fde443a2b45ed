package io.sparkprop.ml;

import io.sparkprop.nn.NetworkSpec;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.RegressionModel;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;

/** A regressor {@link MlpRegressor} trained: {@code prediction} is the network's one output. */
public final class MlpRegressionModel extends RegressionModel<Vector, MlpRegressionModel>
    implements MLWritable {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final TrainedNetwork network;

  MlpRegressionModel(String uid, NetworkSpec spec, double[] weights) {
    this(Uids.begin(uid), spec, weights);
  }

  private MlpRegressionModel(Uids.Pending pending, NetworkSpec spec, double[] weights) {
    this.uid = Uids.end(pending);
    this.network = new TrainedNetwork(spec, weights);
  }

  @Override
  public String uid() {
    return uid != null ? uid : Uids.pending();
  }

  public NetworkSpec spec() {
    return network.spec();
  }

  /** The trained parameters, in sparkprop's flat layout; a copy. */
  public double[] weights() {
    return network.weights().clone();
  }

  @Override
  public int numFeatures() {
    return network.spec().numInputs();
  }

  @Override
  public double predict(Vector features) {
    return network.logits(features)[0];
  }

  @Override
  public MlpRegressionModel copy(ParamMap extra) {
    return copyValues(new MlpRegressionModel(uid, network.spec(), network.weights()), extra)
        .setParent(parent());
  }

  @Override
  public MLWriter write() {
    return MlFiles.writer(this, network.spec(), network.weights());
  }

  /** Reads what {@link #write()} saved; how Spark ML's PipelineModel loads the stage. */
  public static MLReader<MlpRegressionModel> read() {
    return MlFiles.modelReader(
        MlpRegressionModel.class,
        (uid, model) -> new MlpRegressionModel(uid, model.spec(), model.weights()));
  }

  public static MlpRegressionModel load(String path) {
    return read().load(path);
  }
}
