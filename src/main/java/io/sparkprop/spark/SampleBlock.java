package io.sparkprop.spark;

import io.sparkprop.data.ExampleBlock;
import io.sparkprop.nn.Network;
import io.sparkprop.nn.PackedGradient;
import io.sparkprop.nn.SparseColumns;
import io.sparkprop.nn.Workspace;
import java.util.Arrays;

/**
 * The examples a sampled step keeps, gathered one at a time from the cached blocks into a block of
 * their own, so each GEMM still runs on a full block: their targets, weights and features. Features
 * from dense blocks gather into the workspace's n_0 × (block size) input buffer; features from
 * sparse blocks gather as sparse columns, so a sampled step over 10^6 features never holds a dense
 * column. One sample block per kind, reused for every block of the task: the sparse arrays grow to
 * the largest block's nonzeros and stay.
 *
 * @param <A> the workspace's array type
 */
abstract class SampleBlock<A> {
  final int capacity;
  final int numOutputs;
  final double[] targets;
  final double[] weights;
  boolean weighted;
  int filled;

  private SampleBlock(int capacity, int numOutputs) {
    this.capacity = capacity;
    this.numOutputs = numOutputs;
    this.targets = new double[numOutputs * capacity];
    this.weights = new double[capacity];
  }

  /** A sample block for examples of dense blocks, gathering into the workspace's input buffer. */
  static <A> SampleBlock<A> dense(Workspace<A> workspace, int numInputs, int numOutputs) {
    return new Dense<>(workspace, numInputs, numOutputs);
  }

  /** A sample block for examples of sparse blocks. */
  static <A> SampleBlock<A> sparse(int capacity, int numOutputs) {
    return new Sparse<>(capacity, numOutputs);
  }

  /** Whether this is an empty {@link #sparse} sample block as {@code sparse(capacity, outputs)}. */
  final boolean isSparse(int capacity, int numOutputs) {
    return this instanceof Sparse
        && this.capacity == capacity
        && this.numOutputs == numOutputs
        && filled == 0;
  }

  /** Adds column j of {@code block}; returns whether the sample block is now full. */
  final boolean add(ExampleBlock block, int j) {
    addFeatures(block, j);
    block.copyTargets(j, 1, targets, filled * numOutputs);
    weights[filled] = block.weight(j);
    weighted |= block.weights() != null;
    return ++filled == capacity;
  }

  abstract void addFeatures(ExampleBlock block, int j);

  /** Adds the gathered examples' gradient, loss, count and weight to {@code sum}, then empties. */
  final void flushInto(Network network, A w, Workspace<A> workspace, A gradient, GradientSum sum) {
    flushInto(network, w, workspace, gradient, null, sum);
  }

  /**
   * Like {@link #flushInto(Network, Object, Workspace, Object, GradientSum)}; with {@code packed}
   * not null (sparse examples only), the first layer's gradient runs feature by feature and the
   * gradient goes into {@code packed} instead ({@link Network#accumulateGradientByFeature}).
   */
  final void flushInto(
      Network network,
      A w,
      Workspace<A> workspace,
      A gradient,
      PackedGradient<A> packed,
      GradientSum sum) {
    if (filled == 0) {
      return;
    }
    double[] columnWeights = weighted ? weights : null;
    sum.loss += accumulate(network, w, workspace, columnWeights, gradient, packed);
    sum.count += filled;
    if (columnWeights == null) {
      sum.weight += filled;
    } else {
      for (int k = 0; k < filled; k++) {
        sum.weight += columnWeights[k];
      }
    }
    filled = 0;
    weighted = false;
    clear();
  }

  abstract double accumulate(
      Network network,
      A w,
      Workspace<A> workspace,
      double[] columnWeights,
      A gradient,
      PackedGradient<A> packed);

  /** Marks the features the gathered examples hold (all, for dense examples). */
  abstract void mark(TouchedColumns touched);

  void clear() {}

  private static final class Dense<A> extends SampleBlock<A> {
    private final A inputs;
    private final int numInputs;

    Dense(Workspace<A> workspace, int numInputs, int numOutputs) {
      super(workspace.capacity(), numOutputs);
      this.inputs = workspace.inputBuffer();
      this.numInputs = numInputs;
    }

    @Override
    void addFeatures(ExampleBlock block, int j) {
      if (inputs instanceof float[] floats) {
        block.copyFeatures(j, 1, floats, filled * numInputs);
      } else {
        block.copyFeatures(j, 1, (double[]) inputs, filled * numInputs);
      }
    }

    @Override
    double accumulate(
        Network network,
        A w,
        Workspace<A> workspace,
        double[] columnWeights,
        A gradient,
        PackedGradient<A> packed) {
      if (packed != null) {
        throw new IllegalArgumentException("dense examples have no features of their own to send");
      }
      return network.accumulateGradient(
          w, inputs, null, targets, columnWeights, filled, workspace, gradient);
    }

    @Override
    void mark(TouchedColumns touched) {
      touched.markAll();
    }
  }

  /**
   * Sparse columns: values kept as doubles, or none while every gathered value is 1 (binary
   * features); {@code starts[c]} … {@code starts[c + 1]} are column c's nonzeros.
   */
  private static final class Sparse<A> extends SampleBlock<A> {
    private final int[] starts;
    private int[] rows = new int[64];
    private double[] values = new double[64];
    private boolean binary = true;

    Sparse(int capacity, int numOutputs) {
      super(capacity, numOutputs);
      this.starts = new int[capacity + 1];
    }

    @Override
    void addFeatures(ExampleBlock block, int j) {
      int from = block.sparseStarts()[j];
      int count = block.sparseStarts()[j + 1] - from;
      int at = starts[filled];
      if (at + count > rows.length) {
        int length = Math.max(at + count, 2 * rows.length);
        rows = Arrays.copyOf(rows, length);
        values = Arrays.copyOf(values, length);
      }
      System.arraycopy(block.sparseRows(), from, rows, at, count);
      for (int k = 0; k < count; k++) {
        double v = block.sparseValue(from + k);
        values[at + k] = v;
        binary &= v == 1.0;
      }
      starts[filled + 1] = at + count;
    }

    @Override
    double accumulate(
        Network network,
        A w,
        Workspace<A> workspace,
        double[] columnWeights,
        A gradient,
        PackedGradient<A> packed) {
      SparseColumns x = workspace.sparseInput(starts, rows, null, binary ? null : values);
      if (packed != null) {
        return network.accumulateGradientByFeature(
            w, x, targets, columnWeights, filled, workspace, packed);
      }
      return network.accumulateGradient(w, x, targets, columnWeights, filled, workspace, gradient);
    }

    @Override
    void mark(TouchedColumns touched) {
      touched.mark(rows, 0, starts[filled]);
    }

    @Override
    void clear() {
      binary = true;
    }
  }
}
