package io.sparkprop.spark;

import io.sparkprop.data.ExampleBlock;
import io.sparkprop.nn.Network;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.nn.Workspace;
import java.util.Collections;
import java.util.Iterator;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;

/**
 * Sums one partition's loss and gradient at the broadcast weights into a single {@link
 * GradientSum}. With a batch fraction below 1 the sampled examples are gathered into full blocks
 * first, so each GEMM still runs on a wide block. Holds only the spec, the broadcast handle and
 * scalars: the weights never travel in the task closure.
 */
final class PartitionGradient implements FlatMapFunction<Iterator<ExampleBlock>, GradientSum> {
  private static final long serialVersionUID = 1L;

  private final NetworkSpec spec;
  private final Broadcast<double[]> weights;
  private final int blockSize;
  private final double fraction;
  private final long seed;
  private final long step;

  PartitionGradient(
      NetworkSpec spec,
      Broadcast<double[]> weights,
      int blockSize,
      double fraction,
      long seed,
      long step) {
    this.spec = spec;
    this.weights = weights;
    this.blockSize = blockSize;
    this.fraction = fraction;
    this.seed = seed;
    this.step = step;
  }

  @Override
  public Iterator<GradientSum> call(Iterator<ExampleBlock> blocks) {
    GradientSum sum = new GradientSum();
    if (!blocks.hasNext()) {
      return Collections.singletonList(sum).iterator();
    }
    double[] w = weights.value();
    Network network = new Network(spec);
    Workspace workspace = new Workspace(spec, blockSize);
    sum.gradient = new double[w.length];
    if (fraction >= 1.0) {
      while (blocks.hasNext()) {
        ExampleBlock block = blocks.next();
        double[] x = block.featureMatrix(workspace.inputBuffer());
        double[] y = block.targetMatrix(workspace.targetBuffer());
        sum.loss += network.accumulateGradient(w, x, y, block.size(), workspace, sum.gradient);
        sum.count += block.size();
      }
    } else {
      sampled(blocks, network, workspace, w, sum);
    }
    return Collections.singletonList(sum).iterator();
  }

  private void sampled(
      Iterator<ExampleBlock> blocks,
      Network network,
      Workspace workspace,
      double[] w,
      GradientSum sum) {
    int n0 = spec.numInputs();
    int nL = spec.numOutputs();
    double[] inputs = workspace.inputBuffer();
    double[] targets = workspace.targetBuffer();
    int filled = 0;
    while (blocks.hasNext()) {
      ExampleBlock block = blocks.next();
      for (int j = 0; j < block.size(); j++) {
        if (!Sampling.keep(seed, step, block.id(j), fraction)) {
          continue;
        }
        block.copyFeatures(j, 1, inputs, filled * n0);
        block.copyTargets(j, 1, targets, filled * nL);
        if (++filled == blockSize) {
          sum.loss +=
              network.accumulateGradient(w, inputs, targets, filled, workspace, sum.gradient);
          sum.count += filled;
          filled = 0;
        }
      }
    }
    if (filled > 0) {
      sum.loss += network.accumulateGradient(w, inputs, targets, filled, workspace, sum.gradient);
      sum.count += filled;
    }
  }
}
