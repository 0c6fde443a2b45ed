package io.sparkprop.nn;

/**
 * Reusable buffers for the forward and backward pass over blocks of at most {@link #capacity()}
 * examples, in the array type {@code A} of an {@link Arithmetic}. Allocated once per task (or kept
 * from an earlier one) and reused for every block, so the hot path allocates nothing (the buffers
 * that grow with n_0 are allocated at their first use). Not thread-safe: one workspace per thread.
 */
public final class Workspace<A> {
  final Arithmetic<A> arithmetic;
  private final NetworkSpec spec;
  private final int capacity;

  /** activations[l], l = 1 … L: a^l, column-major n_l × capacity; written by the forward pass. */
  private final Object[] activations;

  /** deltas[l], l = 1 … L: δ^l, column-major n_l × capacity; written by the backward pass. */
  private final Object[] deltas;

  /** z^L, column-major n_L × capacity: the output layer's GEMM result. */
  final A logits;

  /**
   * W¹'s columns for the input rows a block holds, and ∂C/∂W¹'s, n_1 × n_0 at most: used when a
   * block leaves out zero rows. Like {@link #inputs}, allocated when first used: a pass over sparse
   * blocks needs none of the three, which grow with n_0.
   */
  private A firstLayerWeights;

  private A firstLayerGradient;

  /** A gathered input block, column-major n_0 × capacity, for callers that assemble examples. */
  private A inputs;

  /** The view a pass points at each sparse block's arrays in turn. */
  private final SparseColumns sparseInput = new SparseColumns(null, null, null, null);

  private final int numInputs;
  private final int firstLayerSize;

  /** Gathered targets, column-major n_L × capacity; targets are always doubles. */
  final double[] targets;

  /**
   * The output layer in doubles, where {@link Loss} works: z^L, a^L and δ^L. For double arithmetic
   * these are the very arrays the GEMMs use.
   */
  final double[] logitsInDoubles;

  final double[] outputsInDoubles;
  final double[] outputDeltaInDoubles;

  private Workspace(Arithmetic<A> arithmetic, NetworkSpec spec, int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("block capacity must be positive, found " + capacity);
    }
    this.arithmetic = arithmetic;
    this.spec = spec;
    this.capacity = capacity;
    int numLayers = spec.numLayers();
    activations = new Object[numLayers + 1];
    deltas = new Object[numLayers + 1];
    for (int l = 1; l <= numLayers; l++) {
      activations[l] = arithmetic.allocate(spec.size(l) * capacity);
      deltas[l] = arithmetic.allocate(spec.size(l) * capacity);
    }
    int outputs = spec.numOutputs() * capacity;
    logits = arithmetic.allocate(outputs);
    numInputs = spec.numInputs();
    firstLayerSize = spec.size(1);
    targets = new double[outputs];
    boolean doubles = arithmetic == Arithmetic.FLOAT64;
    logitsInDoubles = doubles ? (double[]) logits : new double[outputs];
    outputsInDoubles = doubles ? (double[]) activations[numLayers] : new double[outputs];
    outputDeltaInDoubles = doubles ? (double[]) deltas[numLayers] : new double[outputs];
  }

  /** A workspace for double arithmetic. */
  public static Workspace<double[]> of(NetworkSpec spec, int capacity) {
    return new Workspace<>(Arithmetic.FLOAT64, spec, capacity);
  }

  /** A workspace for the given arithmetic. */
  public static <A> Workspace<A> of(Arithmetic<A> arithmetic, NetworkSpec spec, int capacity) {
    return new Workspace<>(arithmetic, spec, capacity);
  }

  /** The most examples one block may hold. */
  public int capacity() {
    return capacity;
  }

  /**
   * This workspace when it holds blocks of {@code cols} examples, else a new one that does: a pass
   * configured for narrower blocks than the data was cached in still runs, at the cost of one
   * allocation in the task that meets the first wider block.
   */
  public Workspace<A> atLeast(int cols) {
    return cols <= capacity ? this : new Workspace<>(arithmetic, spec, cols);
  }

  /**
   * Whether this workspace serves blocks of {@code cols} examples of {@code spec} in {@code
   * arithmetic}, as one {@link #of} them would: for a workspace kept from an earlier task.
   */
  public boolean fits(Arithmetic<?> arithmetic, NetworkSpec spec, int cols) {
    return this.arithmetic == arithmetic && this.spec.equals(spec) && cols <= capacity;
  }

  /** The gather buffer for inputs, column-major n_0 × capacity; callers fill its first columns. */
  public A inputBuffer() {
    if (inputs == null) {
      inputs = arithmetic.allocate(numInputs * capacity);
    }
    return inputs;
  }

  /**
   * The workspace's sparse input view, pointed at the given arrays (see {@link SparseColumns}): one
   * view for every block of the pass.
   */
  public SparseColumns sparseInput(int[] starts, int[] rows, float[] floats, double[] doubles) {
    return sparseInput.of(starts, rows, floats, doubles);
  }

  A firstLayerWeights() {
    if (firstLayerWeights == null) {
      firstLayerWeights = arithmetic.allocate(firstLayerSize * numInputs);
    }
    return firstLayerWeights;
  }

  A firstLayerGradient() {
    if (firstLayerGradient == null) {
      firstLayerGradient = arithmetic.allocate(firstLayerSize * numInputs);
    }
    return firstLayerGradient;
  }

  /** The gather buffer for targets, column-major n_L × capacity; callers fill its first columns. */
  public double[] targetBuffer() {
    return targets;
  }

  /** a^L after {@link Network#forward}, in doubles: column-major n_L × (block size); read only. */
  public double[] outputs() {
    return outputsInDoubles;
  }

  /**
   * z^L after {@link Network#forward}, the output layer's pre-activation, in doubles: column-major
   * n_L × (block size); read only.
   */
  public double[] logits() {
    return logitsInDoubles;
  }

  @SuppressWarnings("unchecked")
  A activation(int layer) {
    return (A) activations[layer];
  }

  @SuppressWarnings("unchecked")
  A delta(int layer) {
    return (A) deltas[layer];
  }
}
