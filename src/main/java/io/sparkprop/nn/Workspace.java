package io.sparkprop.nn;

/**
 * Reusable buffers for the forward and backward pass over blocks of at most {@link #capacity()}
 * examples. Allocated once per task and reused for every block, so the hot path allocates nothing.
 * Not thread-safe: one workspace per thread.
 */
public final class Workspace {
  private final int capacity;

  /** activations[l], l = 1 … L: a^l, column-major n_l × capacity; written by the forward pass. */
  final double[][] activations;

  /** deltas[l], l = 1 … L: δ^l, column-major n_l × capacity; written by the backward pass. */
  final double[][] deltas;

  /** z^L, column-major n_L × capacity: the output logits, kept for a stable loss. */
  final double[] outputLogits;

  /** A gathered input block, column-major n_0 × capacity, for callers that assemble examples. */
  final double[] inputs;

  /** Gathered targets, column-major n_L × capacity. */
  final double[] targets;

  /**
   * @param capacity the largest number of examples (columns) one block may have
   */
  public Workspace(NetworkSpec spec, int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("block capacity must be positive, found " + capacity);
    }
    this.capacity = capacity;
    int numLayers = spec.numLayers();
    activations = new double[numLayers + 1][];
    deltas = new double[numLayers + 1][];
    for (int l = 1; l <= numLayers; l++) {
      activations[l] = new double[spec.size(l) * capacity];
      deltas[l] = new double[spec.size(l) * capacity];
    }
    outputLogits = new double[spec.numOutputs() * capacity];
    inputs = new double[spec.numInputs() * capacity];
    targets = new double[spec.numOutputs() * capacity];
  }

  /** The most examples one block may hold. */
  public int capacity() {
    return capacity;
  }

  /** The gather buffer for inputs, column-major n_0 × capacity; callers fill its first columns. */
  public double[] inputBuffer() {
    return inputs;
  }

  /** The gather buffer for targets, column-major n_L × capacity; callers fill its first columns. */
  public double[] targetBuffer() {
    return targets;
  }

  /** a^L after {@link Network#forward}: column-major n_L × (block size); read only. */
  public double[] outputs() {
    return activations[activations.length - 1];
  }
}
