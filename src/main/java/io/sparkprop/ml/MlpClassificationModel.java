package io.sparkprop.ml;

import io.sparkprop.nn.Network;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.nn.Workspace;
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
  private final NetworkSpec spec;
  private final double[] weights;
  private transient ThreadLocal<Workspace<double[]>> workspaces;

  MlpClassificationModel(String uid, NetworkSpec spec, double[] weights) {
    this(Uids.begin(uid), spec, weights);
  }

  private MlpClassificationModel(Uids.Pending pending, NetworkSpec spec, double[] weights) {
    this.uid = Uids.end(pending);
    this.spec = spec;
    this.weights = weights;
  }

  @Override
  public String uid() {
    return uid != null ? uid : Uids.pending();
  }

  /** The network's layers, activations and loss. */
  public NetworkSpec spec() {
    return spec;
  }

  /** The trained parameters, in sparkprop's flat layout; a copy. */
  public double[] weights() {
    return weights.clone();
  }

  @Override
  public int numClasses() {
    return spec.numOutputs() == 1 ? 2 : spec.numOutputs();
  }

  @Override
  public int numFeatures() {
    return spec.numInputs();
  }

  @Override
  public Vector predictRaw(Vector features) {
    double[] z = Forward.logits(spec, weights, features, workspace());
    return Vectors.dense(spec.numOutputs() == 1 ? new double[] {-z[0], z[0]} : z);
  }

  private Workspace<double[]> workspace() {
    if (workspaces == null) {
      workspaces = ThreadLocal.withInitial(() -> Workspace.of(spec, 1));
    }
    return workspaces.get();
  }

  @Override
  public Vector raw2probabilityInPlace(Vector raw) {
    double[] v = ((DenseVector) raw).values();
    if (spec.numOutputs() == 1) {
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
    return copyValues(new MlpClassificationModel(uid, spec, weights), extra).setParent(parent());
  }

  @Override
  public MLWriter write() {
    return MlFiles.writer(this, spec, weights);
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

  /** Used by both models: one example forward. */
  static final class Forward {
    private Forward() {}

    /** z^L for one example, a new array. */
    static double[] logits(
        NetworkSpec spec, double[] weights, Vector features, Workspace<double[]> workspace) {
      if (features.size() != spec.numInputs()) {
        throw new IllegalArgumentException(
            "expected "
                + spec.numInputs()
                + " features, found a vector of size "
                + features.size());
      }
      double[] x = workspace.inputBuffer();
      java.util.Arrays.fill(x, 0, spec.numInputs(), 0.0);
      features.foreachActive(
          (i, v) -> {
            x[(Integer) i] = (Double) v;
            return scala.runtime.BoxedUnit.UNIT;
          });
      new Network(spec).forward(weights, x, 1, workspace);
      return java.util.Arrays.copyOf(workspace.logits(), spec.numOutputs());
    }
  }
}
