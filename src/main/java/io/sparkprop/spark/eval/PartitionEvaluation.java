package io.sparkprop.spark.eval;

import io.sparkprop.data.ExampleBlock;
import io.sparkprop.nn.Network;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.nn.Workspace;
import io.sparkprop.spark.BlockFunction;
import java.util.Collections;
import java.util.Iterator;
import org.apache.spark.broadcast.Broadcast;

/** Evaluates one partition at the broadcast weights into a single {@link Evaluation}. */
final class PartitionEvaluation extends BlockFunction<Evaluation> {
  private static final long serialVersionUID = 1L;

  private final int classes;

  PartitionEvaluation(NetworkSpec spec, Broadcast<double[]> weights, int blockSize, int classes) {
    super(spec, weights, blockSize);
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
    while (blocks.hasNext()) {
      ExampleBlock block = blocks.next();
      int cols = block.size();
      double[] targets = targets(block, workspace);
      double[] x = storedFeatures(block, workspace);
      evaluation.loss += network.loss(w, x, block.storedRuns(), targets, cols, workspace);
      evaluation.count += cols;
      count(evaluation, workspace.outputs(), targets, cols);
    }
    return Collections.singletonList(evaluation).iterator();
  }

  /** Adds a block's predictions to the confusion matrix, or its squared error for regression. */
  private void count(Evaluation evaluation, double[] outputs, double[] targets, int cols) {
    int rows = spec.numOutputs();
    if (classes > 0) {
      for (int j = 0; j < cols; j++) {
        int actual = Network.classOf(targets, rows, j);
        int predicted = Network.classOf(outputs, rows, j);
        evaluation.confusion[actual * classes + predicted]++;
      }
    } else {
      for (int i = 0; i < cols * rows; i++) {
        double diff = outputs[i] - targets[i];
        evaluation.squaredError += diff * diff;
      }
    }
  }
}
