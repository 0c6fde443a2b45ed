package io.sparkprop.ml;

import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.NetworkSpec;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;

/**
 * A Spark ML classifier trained by sparkprop: the DataFrame's feature vectors and labels (and
 * weights, with {@code weightCol}) become cached blocks and the same distributed trainer as the
 * command line's runs. The last layer is a softmax over the classes, or one sigmoid output for a
 * binary classifier ({@code layers} ending in 1); the loss is cross-entropy.
 *
 * <pre>{@code
 * new Pipeline().setStages(new PipelineStage[] {
 *     new VectorAssembler().setInputCols(new String[] {"a", "b"}).setOutputCol("features"),
 *     new MlpClassifier().setLayers(new int[] {2, 16, 3}).setSolver("adam").setMaxIter(200)});
 * }</pre>
 */
public final class MlpClassifier
    extends ProbabilisticClassifier<Vector, MlpClassifier, MlpClassificationModel>
    implements MlpParams<MlpClassifier>, MLWritable {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final MlpTraining training;

  public MlpClassifier() {
    this(Identifiable.randomUID("sparkpropMlpClassifier"));
  }

  public MlpClassifier(String uid) {
    this(Uids.begin(uid));
  }

  private MlpClassifier(Uids.Pending pending) {
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
  public MlpClassifier copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  @Override
  public MlpClassificationModel train(Dataset<?> dataset) {
    int[] sizes = $(training.layers);
    Activation output =
        sizes.length > 0 && sizes[sizes.length - 1] == 1 ? Activation.SIGMOID : Activation.SOFTMAX;
    NetworkSpec spec = training.network(this, output, Loss.CROSS_ENTROPY);
    double[] weights = training.train(this, spec, dataset, getFeaturesCol(), getLabelCol());
    return copyValues(new MlpClassificationModel(uid, spec, weights), ParamMap.empty());
  }

  @Override
  public MLWriter write() {
    return MlFiles.writer(this, null, null);
  }

  /** Reads what {@link #write()} saved; how Spark ML's Pipeline loads the stage. */
  public static MLReader<MlpClassifier> read() {
    return MlFiles.estimatorReader(MlpClassifier.class, MlpClassifier::new);
  }

  public static MlpClassifier load(String path) {
    return read().load(path);
  }
}
