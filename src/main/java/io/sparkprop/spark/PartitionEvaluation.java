package io.sparkprop.spark;

import io.sparkprop.data.ExampleBlock;
import io.sparkprop.nn.Network;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.nn.Workspace;
import java.util.Collections;
import java.util.Iterator;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;

/** Evaluates one partition at the broadcast weights into a single {@link Evaluation}. */
final class PartitionEvaluation implements FlatMapFunction<Iterator<ExampleBlock>, Evaluation> {
  private static final long serialVersionUID = 1L;

  private final NetworkSpec spec;
  private final Broadcast<double[]> weights;
  private final int blockSize;
  private final int classes;

  PartitionEvaluation(NetworkSpec spec, Broadcast<double[]> weights, int blockSize, int classes) {
    this.spec = spec;
    this.weights = weights;
    this.blockSize = blockSize;
    this.classes = classes;
  }

  @Override
  public Iterator<Evaluation> call(Iterator<ExampleBlock> blocks) {
    Evaluation evaluation = new Evaluation(classes);
    if (!blocks.hasNext()) {
      return Collections.singletonList(evaluation).iterator();
    }
    double[] w = weights.value();
    Network network = new Network(spec);
    Workspace<double[]> workspace = Workspace.of(spec, blockSize);
    int outputs = spec.numOutputs();
    while (blocks.hasNext()) {
      ExampleBlock block = blocks.next();
      int cols = block.size();
      double[] targets = block.targetMatrix(workspace.targetBuffer());
      double[] x = block.storedFeatureMatrix(workspace.inputBuffer(), Pixels.DECODER);
      evaluation.loss += network.loss(w, x, block.storedRuns(), targets, cols, workspace);
      evaluation.count += cols;
      double[] a = workspace.outputs();
      if (classes > 0) {
        for (int j = 0; j < cols; j++) {
          int actual = Network.classOf(targets, outputs, j);
          int predicted = Network.classOf(a, outputs, j);
          evaluation.confusion[actual * classes + predicted]++;
        }
      } else {
        for (int i = 0; i < cols * outputs; i++) {
          double diff = a[i] - targets[i];
          evaluation.squaredError += diff * diff;
        }
      }
    }
    return Collections.singletonList(evaluation).iterator();
  }
}
