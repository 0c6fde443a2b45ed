package io.sparkprop.spark;

import io.sparkprop.data.ExampleBlock;
import io.sparkprop.nn.Arithmetic;
import io.sparkprop.nn.Network;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.nn.Precision;
import io.sparkprop.nn.Workspace;
import java.util.Collections;
import java.util.Iterator;
import org.apache.spark.broadcast.Broadcast;

/**
 * Sums one partition's loss and gradient at the broadcast weights into a single {@link
 * GradientSum}: for each block, Σ loss, ΣΔ(A^{l−1})ᵀ and ΣΔ (each example weighted by its weight),
 * the count of examples and the sum of their weights. With a batch fraction below 1 the sampled
 * examples are gathered into full blocks first, so each GEMM still runs on a wide block; a full
 * pass keeps each cached block's own rows, so the first layer skips the feature rows that are zero
 * throughout a block. In {@link Precision#FLOAT32} the matrices are floats (sgemm); the partition's
 * sum is handed on in double.
 */
final class PartitionGradient extends BlockFunction<GradientSum> {
  private static final long serialVersionUID = 1L;

  private final double fraction;
  private final long seed;
  private final long step;
  private final Precision precision;

  PartitionGradient(
      NetworkSpec spec,
      Broadcast<double[]> weights,
      int blockSize,
      double fraction,
      long seed,
      long step,
      Precision precision) {
    super(spec, weights, blockSize);
    this.fraction = fraction;
    this.seed = seed;
    this.step = step;
    this.precision = precision;
  }

  @Override
  public Iterator<GradientSum> call(Iterator<ExampleBlock> blocks) {
    GradientSum sum = new GradientSum();
    if (blocks.hasNext()) {
      sum.gradient = new double[weights.value().length];
      accumulate(precision.arithmetic(), blocks, sum);
    }
    return Collections.singletonList(sum).iterator();
  }

  /**
   * Sums the partition in {@code arithmetic}: the GEMMs accumulate the gradient in its own type,
   * added to the double sum once at the end.
   */
  private <A> void accumulate(
      Arithmetic<A> arithmetic, Iterator<ExampleBlock> blocks, GradientSum sum) {
    A w = arithmetic.fromDoubles(weights.value());
    A gradient = arithmetic.fromDoubles(sum.gradient);
    Network network = new Network(spec);
    Workspace<A> workspace = Workspace.of(arithmetic, spec, blockSize);
    if (fraction >= 1.0) {
      while (blocks.hasNext()) {
        ExampleBlock block = blocks.next();
        double[] y = targets(block, workspace);
        sum.loss += accumulateGradient(network, w, block, y, workspace, gradient);
        sum.count += block.size();
        sum.weight += block.weightSum();
      }
    } else {
      sampled(blocks, network, workspace, w, gradient, sum);
    }
    if (gradient != sum.gradient) {
      arithmetic.addInto(gradient, sum.gradient);
    }
  }

  /**
   * Gathers the examples of this step's sample into full blocks (dense and sparse ones apart) and
   * sums their gradient.
   */
  private <A> void sampled(
      Iterator<ExampleBlock> blocks,
      Network network,
      Workspace<A> workspace,
      A w,
      A gradient,
      GradientSum sum) {
    SampleBlock<A> dense = null;
    SampleBlock<A> sparse = null;
    while (blocks.hasNext()) {
      ExampleBlock block = blocks.next();
      for (int j = 0; j < block.size(); j++) {
        if (!Sampling.keep(seed, step, block.id(j), fraction)) {
          continue;
        }
        SampleBlock<A> sample;
        if (block.isSparse()) {
          sample =
              sparse != null ? sparse : (sparse = SampleBlock.sparse(blockSize, spec.numOutputs()));
        } else {
          sample =
              dense != null
                  ? dense
                  : (dense = SampleBlock.dense(workspace, spec.numInputs(), spec.numOutputs()));
        }
        if (sample.add(block, j)) {
          sample.flushInto(network, w, workspace, gradient, sum);
        }
      }
    }
    if (dense != null) {
      dense.flushInto(network, w, workspace, gradient, sum);
    }
    if (sparse != null) {
      sparse.flushInto(network, w, workspace, gradient, sum);
    }
  }
}
