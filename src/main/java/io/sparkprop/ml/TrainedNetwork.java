package io.sparkprop.ml;

import io.sparkprop.nn.Network;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.nn.Workspace;
import java.io.Serializable;
import java.util.Arrays;
import org.apache.spark.ml.linalg.Vector;

/**
 * A model's network and weights, run one example at a time as Spark ML's transform asks: the
 * network and a workspace per thread are made once per JVM, not per row.
 */
final class TrainedNetwork implements Serializable {
  private static final long serialVersionUID = 1L;

  private final NetworkSpec spec;
  private final double[] weights;
  private transient Network network;
  private transient ThreadLocal<Workspace<double[]>> workspaces;

  TrainedNetwork(NetworkSpec spec, double[] weights) {
    this.spec = spec;
    this.weights = weights;
  }

  NetworkSpec spec() {
    return spec;
  }

  /** The weights themselves: read only. */
  double[] weights() {
    return weights;
  }

  /** z^L for one example, a new array. */
  double[] logits(Vector features) {
    if (features.size() != spec.numInputs()) {
      throw new IllegalArgumentException(
          "expected " + spec.numInputs() + " features, found a vector of size " + features.size());
    }
    if (network == null) {
      network = new Network(spec);
      workspaces = ThreadLocal.withInitial(() -> Workspace.of(spec, 1));
    }
    Workspace<double[]> workspace = workspaces.get();
    double[] x = workspace.inputBuffer();
    Arrays.fill(x, 0, spec.numInputs(), 0.0);
    features.foreachActive(
        (i, v) -> {
          x[(Integer) i] = (Double) v;
          return scala.runtime.BoxedUnit.UNIT;
        });
    network.forward(weights, x, 1, workspace);
    return Arrays.copyOf(workspace.logits(), spec.numOutputs());
  }
}
