package io.sparkprop.spark.eval;

import io.sparkprop.data.ExampleBlock;
import io.sparkprop.nn.Network;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.nn.Workspace;
import io.sparkprop.spark.BlockFunction;
import io.sparkprop.spark.WeightArray;
import java.util.Collections;
import java.util.Iterator;
import org.apache.spark.broadcast.Broadcast;

/** Evaluates one partition at the broadcast weights into a single {@link Evaluation}. */
final class PartitionEvaluation extends BlockFunction<Evaluation> {
  private static final long serialVersionUID = 1L;

  private final int classes;

  PartitionEvaluation(
      NetworkSpec spec, Broadcast<WeightArray> weights, int blockSize, int classes) {
    super(spec, weights, blockSize);
    this.classes = classes;
  }

  @Override
  public Iterator<Evaluation> call(Iterator<ExampleBlock> blocks) {
    Evaluation evaluation = new Evaluation(classes);
    if (!blocks.hasNext()) {
      return Collections.singletonList(evaluation).iterator();
    }
    double[] w = weights.value().values();
    Network network = new Network(spec);
    Workspace<double[]> workspace = Workspace.of(spec, blockSize);
    while (blocks.hasNext()) {
      ExampleBlock block = blocks.next();
      int cols = block.size();
      workspace = workspace.atLeast(cols);
      double[] targets = targets(block, workspace);
      evaluation.loss += loss(network, w, block, targets, workspace);
      evaluation.count += cols;
      evaluation.weight += block.weightSum();
      count(evaluation, block, workspace.outputs(), targets);
    }
    return Collections.singletonList(evaluation).iterator();
  }

  /**
   * Adds a block's predictions to the confusion matrix and the weight of the right ones, or its
   * weighted squared error for regression.
   */
  private void count(
      Evaluation evaluation, ExampleBlock block, double[] outputs, double[] targets) {
    int rows = spec.numOutputs();
    for (int j = 0; j < block.size(); j++) {
      double w = block.weight(j);
      if (classes > 0) {
        int actual = Network.classOf(targets, rows, j);
        int predicted = Network.classOf(outputs, rows, j);
        evaluation.confusion[actual * classes + predicted]++;
        if (actual == predicted) {
          evaluation.correctWeight += w;
        }
      } else {
        double squared = 0;
        for (int i = j * rows; i < (j + 1) * rows; i++) {
          double diff = outputs[i] - targets[i];
          squared += diff * diff;
        }
        evaluation.squaredError += w * squared;
      }
    }
  }
}
