package io.sparkprop.ml;

import io.sparkprop.nn.NetworkSpec;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;

/**
 * A classifier {@link MlpClassifier} trained: {@code rawPrediction} is the last layer's
 * pre-activation z (for one sigmoid output, [−z, z]), {@code probability} its softmax (for one
 * sigmoid output, [1 − σ(z), σ(z)]). Saved with Spark ML's writer, its weights in sparkprop's model
 * format under {@code data/}.
 */
public final class MlpClassificationModel
    extends ProbabilisticClassificationModel<Vector, MlpClassificationModel> implements MLWritable {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final TrainedNetwork network;

  MlpClassificationModel(String uid, NetworkSpec spec, double[] weights) {
    this(Uids.begin(uid), spec, weights);
  }

  private MlpClassificationModel(Uids.Pending pending, NetworkSpec spec, double[] weights) {
    this.uid = Uids.end(pending);
    this.network = new TrainedNetwork(spec, weights);
  }

  @Override
  public String uid() {
    return uid != null ? uid : Uids.pending();
  }

  /** The network's layers, activations and loss. */
  public NetworkSpec spec() {
    return network.spec();
  }

  /** The trained parameters, in sparkprop's flat layout; a copy. */
  public double[] weights() {
    return network.weights().clone();
  }

  @Override
  public int numClasses() {
    return network.spec().numOutputs() == 1 ? 2 : network.spec().numOutputs();
  }

  @Override
  public int numFeatures() {
    return network.spec().numInputs();
  }

  @Override
  public Vector predictRaw(Vector features) {
    double[] z = network.logits(features);
    return Vectors.dense(network.spec().numOutputs() == 1 ? new double[] {-z[0], z[0]} : z);
  }

  @Override
  public Vector raw2probabilityInPlace(Vector raw) {
    double[] v = ((DenseVector) raw).values();
    if (network.spec().numOutputs() == 1) {
      double p = 1 / (1 + Math.exp(-v[1]));
      v[0] = 1 - p;
      v[1] = p;
      return raw;
    }
    double max = Double.NEGATIVE_INFINITY;
    for (double z : v) {
      max = Math.max(max, z);
    }
    double sum = 0;
    for (int k = 0; k < v.length; k++) {
      v[k] = Math.exp(v[k] - max);
      sum += v[k];
    }
    for (int k = 0; k < v.length; k++) {
      v[k] /= sum;
    }
    return raw;
  }

  /**
   * Spark's own: ProbabilisticClassificationModel and ClassificationModel declare it with return
   * types Java cannot reconcile, so it is restated here.
   */
  @Override
  @SuppressWarnings("rawtypes")
  public scala.Tuple3 findSummaryModel() {
    return super.findSummaryModel();
  }

  @Override
  public MlpClassificationModel copy(ParamMap extra) {
    return copyValues(new MlpClassificationModel(uid, network.spec(), network.weights()), extra)
        .setParent(parent());
  }

  @Override
  public MLWriter write() {
    return MlFiles.writer(this, network.spec(), network.weights());
  }

  /** Reads what {@link #write()} saved; how Spark ML's PipelineModel loads the stage. */
  public static MLReader<MlpClassificationModel> read() {
    return MlFiles.modelReader(
        MlpClassificationModel.class,
        (uid, model) -> new MlpClassificationModel(uid, model.spec(), model.weights()));
  }

  public static MlpClassificationModel load(String path) {
    return read().load(path);
  }
}
