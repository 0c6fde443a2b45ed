package io.sparkprop.spark;

import io.sparkprop.data.ExampleBlock;
import io.sparkprop.nn.Arithmetic;
import io.sparkprop.nn.Network;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.nn.SparseColumns;
import io.sparkprop.nn.Workspace;
import java.util.Iterator;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;

/**
 * What every pass over one partition's cached blocks shares (the gradient sum, evaluation,
 * prediction): the network, the broadcast weights and the block size, and the passes over one
 * cached block, sparse (over its nonzeros) or dense (its stored features decoded into a workspace
 * reused for every block). Holds only the spec, the broadcast handle and scalars, so the function
 * each task receives stays a few kilobytes: the weights never travel in the task closure.
 *
 * @param <R> what the pass produces from a partition
 */
public abstract class BlockFunction<R> implements FlatMapFunction<Iterator<ExampleBlock>, R> {
  private static final long serialVersionUID = 1L;

  protected final NetworkSpec spec;
  protected final Broadcast<WeightArray> weights;
  protected final int blockSize;

  protected BlockFunction(NetworkSpec spec, Broadcast<WeightArray> weights, int blockSize) {
    this.spec = spec;
    this.weights = weights;
    this.blockSize = blockSize;
  }

  /**
   * The block's stored feature rows, decoded into the workspace's input buffer (pixels through the
   * element-wise kernels, SIMD where the JVM has the Vector API): column-major (stored rows) ×
   * (block size), in the workspace's array type.
   */
  @SuppressWarnings("unchecked")
  public static <A> A storedFeatures(ExampleBlock block, Workspace<A> workspace) {
    A buffer = workspace.inputBuffer();
    return buffer instanceof float[] floats
        ? (A) block.storedFeatureMatrix(floats, PixelDecoder.INSTANCE)
        : (A) block.storedFeatureMatrix((double[]) buffer, PixelDecoder.INSTANCE);
  }

  /**
   * A sparse block's features as the network's sparse input: the workspace's view of the block's
   * own arrays.
   */
  static SparseColumns sparseColumns(ExampleBlock block, Workspace<?> workspace) {
    return workspace.sparseInput(
        block.sparseStarts(), block.sparseRows(), block.sparseFloats(), block.sparseDoubles());
  }

  /**
   * The forward pass on a cached block: its nonzeros when it is sparse, else its stored rows
   * decoded into the workspace. {@link Workspace#outputs()} then holds a^L for each column.
   */
  public static <A> void forward(Network network, A w, ExampleBlock block, Workspace<A> workspace) {
    if (block.isSparse()) {
      network.forward(w, sparseColumns(block, workspace), block.size(), workspace);
    } else {
      network.forward(
          w, storedFeatures(block, workspace), block.storedRuns(), block.size(), workspace);
    }
  }

  /**
   * A cached block's weighted loss Σ w_j C_j at {@code w}, sparse or dense; see {@link #forward}.
   */
  public static <A> double loss(
      Network network, A w, ExampleBlock block, double[] targets, Workspace<A> workspace) {
    if (block.isSparse()) {
      return network.loss(
          w, sparseColumns(block, workspace), targets, block.weights(), block.size(), workspace);
    }
    return network.loss(
        w,
        storedFeatures(block, workspace),
        block.storedRuns(),
        targets,
        block.weights(),
        block.size(),
        workspace);
  }

  /** Adds a cached block's weighted gradient into {@code gradient}; returns its weighted loss. */
  static <A> double accumulateGradient(
      Network network,
      A w,
      ExampleBlock block,
      double[] targets,
      Workspace<A> workspace,
      A gradient) {
    if (block.isSparse()) {
      return network.accumulateGradient(
          w,
          sparseColumns(block, workspace),
          targets,
          block.weights(),
          block.size(),
          workspace,
          gradient);
    }
    return network.accumulateGradient(
        w,
        storedFeatures(block, workspace),
        block.storedRuns(),
        targets,
        block.weights(),
        block.size(),
        workspace,
        gradient);
  }

  /** The block's targets in the workspace's target buffer: column-major n_L × (block size). */
  protected static double[] targets(ExampleBlock block, Workspace<?> workspace) {
    return block.targetMatrix(workspace.targetBuffer());
  }

  /** The executors' pixel decoding, which gives the same values as the block's own loops. */
  private static final class PixelDecoder implements ExampleBlock.PixelDecoder {
    static final PixelDecoder INSTANCE = new PixelDecoder();

    @Override
    public void decode(byte[] pixels, int from, double[] into, int offset, int n) {
      Arithmetic.decodePixels(pixels, from, into, offset, n);
    }

    @Override
    public void decode(byte[] pixels, int from, float[] into, int offset, int n) {
      Arithmetic.decodePixels(pixels, from, into, offset, n);
    }
  }
}
