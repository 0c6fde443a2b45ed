package io.sparkprop.nn;

/**
 * Forward and backward propagation over a block of B examples stacked as the columns of a
 * column-major matrix: backpropagation's four equations (output error, error propagated back
 * through the weights, and the weight and bias gradients), vectorised over the block:
 *
 * <pre>
 *   Z^l = W^l A^{l−1} + b^l 1ᵀ,  A^l = g(Z^l)                      (one GEMM per layer)
 *   Δ^L = ∂C/∂Z^L                                                   ({@link Loss#lossAndDelta})
 *   Δ^l = ((W^{l+1})ᵀ Δ^{l+1}) ⊙ g'(Z^l)                            (one GEMM per layer)
 *   ∂C/∂W^l += Δ^l (A^{l−1})ᵀ,   ∂C/∂b^l += Δ^l 1                   (one GEMM per layer, β = 1)
 * </pre>
 *
 * Gradients are sums over the block's examples; dividing by m is the caller's job. An input block
 * may leave out feature rows that are zero in all its columns (its "runs" list the rows it has, as
 * in {@link io.sparkprop.data.ExampleBlock#storedRuns}): the first layer then multiplies by W¹'s
 * matching columns, gathered into the workspace, and adds ∂C/∂W¹ into those columns alone; the rows
 * left out would add exactly zero to both. A sparse input ({@link SparseColumns}) runs the first
 * layer over its nonzeros instead, each an axpy of a W¹ or Δ¹ column (cost ∝ nonzeros × n_1, not
 * n_0 × B × n_1): example by example, or feature by feature for a wide block whose features recur
 * ({@link SparseFirstLayer#runsByFeature}). The matrices are in the workspace's {@link Arithmetic}
 * (double, or float for sgemm), and so are the hidden layers' element-wise functions; the output
 * layer and the loss always run in double. Stateless and thread-safe; all scratch space lives in a
 * {@link Workspace}.
 */
public final class Network {
  private final NetworkSpec spec;
  private final ParameterLayout layout;

  public Network(NetworkSpec spec) {
    this.spec = spec;
    this.layout = spec.layout();
  }

  public NetworkSpec spec() {
    return spec;
  }

  /**
   * Runs the forward pass on all n_0 input rows; afterwards {@link Workspace#outputs()} holds a^L
   * for each column.
   *
   * @param weights the flat parameters (layout in {@link NetworkSpec}); read only
   * @param input column-major n_0 × cols; read only
   * @param cols number of examples in the block, 1 … workspace capacity
   */
  public <A> void forward(A weights, A input, int cols, Workspace<A> workspace) {
    forward(weights, input, null, cols, workspace);
  }

  /**
   * Runs the forward pass on the input rows {@code inputRuns} lists; the others are taken as zero.
   *
   * @param input column-major (rows in {@code inputRuns}) × cols; read only
   * @param inputRuns pairs (first row, number of rows), increasing and disjoint; null for all n_0
   */
  public <A> void forward(A weights, A input, int[] inputRuns, int cols, Workspace<A> workspace) {
    forward(weights, input, inputRuns, null, cols, workspace);
  }

  /**
   * Runs the forward pass on a sparse input: the first layer adds, for each nonzero x_kc, x_kc
   * times W¹'s column k into z¹'s column c (cost ∝ nonzeros × n_1); the layers above are GEMMs.
   */
  public <A> void forward(A weights, SparseColumns input, int cols, Workspace<A> workspace) {
    forward(weights, null, null, input, cols, workspace);
  }

  /**
   * The forward pass on the first layer's input given either as {@code dense} (the rows {@code
   * runs} lists, all n_0 when null) or as {@code sparse} columns, the other null. Three arguments
   * rather than a holder, so that a pass over a block allocates nothing.
   */
  private <A> void forward(
      A weights, A dense, int[] runs, SparseColumns sparse, int cols, Workspace<A> workspace) {
    checkColumns(cols, workspace);
    Arithmetic<A> arithmetic = workspace.arithmetic;
    int numLayers = spec.numLayers();
    A previous = dense;
    for (int l = 1; l <= numLayers; l++) {
      ParameterLayout.Layer layer = layout.layer(l);
      int rows = layer.rows();
      int inner = layer.cols();
      int n = rows * cols;
      A w = weights;
      int wOffset = layer.weightOffset();
      if (l == 1 && runs != null) {
        inner = gatherColumns(weights, layer, runs, workspace.firstLayerWeights());
        w = workspace.firstLayerWeights();
        wOffset = 0;
      }
      A out = l == numLayers ? workspace.logits : workspace.activation(l);
      arithmetic.fillColumns(weights, layer.biasOffset(), out, rows, cols);
      if (l == 1 && sparse != null) {
        SparseFirstLayer.addSparseProducts(arithmetic, weights, layer, sparse, cols, out);
      } else if (inner > 0) {
        arithmetic.gemm(
            false, false, rows, cols, inner, w, wOffset, rows, previous, 0, inner, 1.0, out, 0,
            rows);
      }
      if (l == numLayers) {
        double[] z = arithmetic.toDoubles(out, n, workspace.logitsInDoubles);
        System.arraycopy(z, 0, workspace.outputsInDoubles, 0, n);
        spec.activation(l).apply(workspace.outputsInDoubles, rows, cols);
      } else {
        arithmetic.activate(spec.activation(l), out, rows, cols);
      }
      previous = out;
    }
  }

  /**
   * Copies the columns of the layer's weight matrix that {@code runs} lists, in order, into {@code
   * into}; returns how many.
   */
  private static <A> int gatherColumns(A weights, ParameterLayout.Layer layer, int[] runs, A into) {
    int rows = layer.rows();
    int to = 0;
    for (int r = 0; r < runs.length; r += 2) {
      System.arraycopy(weights, layer.columnOffset(runs[r]), into, to * rows, runs[r + 1] * rows);
      to += runs[r + 1];
    }
    return to;
  }

  /**
   * Forward and backward pass on all n_0 input rows: adds the block's summed gradient into {@code
   * gradient} and returns the block's summed loss.
   *
   * @param weights the flat parameters; read only
   * @param input column-major n_0 × cols; read only
   * @param targets column-major n_L × cols; read only
   * @param gradient same layout as weights; accumulated into, not cleared
   * @return Σ over the block of the per-example cost
   */
  public <A> double accumulateGradient(
      A weights, A input, double[] targets, int cols, Workspace<A> workspace, A gradient) {
    return accumulateGradient(weights, input, null, targets, null, cols, workspace, gradient);
  }

  /**
   * Like {@link #accumulateGradient(Object, Object, double[], int, Workspace, Object)} on the input
   * rows {@code inputRuns} lists (see {@link #forward(Object, Object, int[], int, Workspace)}), for
   * examples weighted by {@code columnWeights}: the block's Σ w_j C_j is returned and Σ w_j ∇C_j
   * added.
   *
   * @param columnWeights w_j for each column, or null for all 1
   */
  public <A> double accumulateGradient(
      A weights,
      A input,
      int[] inputRuns,
      double[] targets,
      double[] columnWeights,
      int cols,
      Workspace<A> workspace,
      A gradient) {
    return accumulateGradient(
        weights, input, inputRuns, null, targets, columnWeights, cols, workspace, gradient, null);
  }

  /**
   * Like {@link #accumulateGradient(Object, Object, int[], double[], double[], int, Workspace,
   * Object)} on a sparse input: the first layer's products and its weight gradient run over the
   * nonzeros (see {@link #forward(Object, SparseColumns, int, Workspace)}).
   */
  public <A> double accumulateGradient(
      A weights,
      SparseColumns input,
      double[] targets,
      double[] columnWeights,
      int cols,
      Workspace<A> workspace,
      A gradient) {
    return accumulateGradient(
        weights, null, null, input, targets, columnWeights, cols, workspace, gradient, null);
  }

  /**
   * Like {@link #accumulateGradient(Object, SparseColumns, double[], double[], int, Workspace,
   * Object)}, with the first layer's gradient run feature by feature (its forward pass as {@link
   * SparseFirstLayer#runsByFeature} decides) into a {@link PackedGradient}: the columns of ∂W¹ of
   * the features {@code input} holds go, in increasing feature order, into its consecutive n_1-wide
   * columns, which they overwrite, and every entry after W¹ is added to as usual, after them. Meant
   * for a block that holds all of a partition's examples: the packed gradient is then the
   * partition's whole gradient, already in the order it is sent, and no n_1 × n_0 array is read or
   * written.
   *
   * @param packed holds as many columns as {@code input} has distinct features
   */
  public <A> double accumulateGradientByFeature(
      A weights,
      SparseColumns input,
      double[] targets,
      double[] columnWeights,
      int cols,
      Workspace<A> workspace,
      PackedGradient<A> packed) {
    return accumulateGradient(
        weights, null, null, input, targets, columnWeights, cols, workspace, null, packed);
  }

  /** {@code packed}: see {@link #accumulateGradientByFeature}; null to add into gradient. */
  private <A> double accumulateGradient(
      A weights,
      A dense,
      int[] runs,
      SparseColumns sparse,
      double[] targets,
      double[] columnWeights,
      int cols,
      Workspace<A> workspace,
      A gradient,
      PackedGradient<A> packed) {
    double loss = loss(weights, dense, runs, sparse, targets, columnWeights, cols, workspace);
    Arithmetic<A> arithmetic = workspace.arithmetic;
    int numLayers = spec.numLayers();
    A into = packed == null ? gradient : packed.values();
    int shift = packed == null ? 0 : packed.shift(layout);
    arithmetic.store(
        workspace.outputDeltaInDoubles, spec.numOutputs() * cols, workspace.delta(numLayers));
    for (int l = numLayers; l >= 1; l--) {
      ParameterLayout.Layer layer = layout.layer(l);
      A delta = workspace.delta(l);
      A previous = l == 1 ? dense : workspace.activation(l - 1);
      if (l == 1 && packed != null) {
        SparseFirstLayer.addSparseGradientByFeature(
            arithmetic, delta, layer, sparse, cols, into, true);
      } else if (l == 1 && sparse != null) {
        SparseFirstLayer.addSparseGradient(arithmetic, delta, layer, sparse, cols, gradient);
      } else if (l == 1 && runs != null) {
        addFirstLayerGradient(arithmetic, delta, previous, runs, cols, workspace, gradient);
      } else {
        addWeightGradient(arithmetic, layer, delta, previous, cols, into, -shift);
      }
      arithmetic.addRowSums(delta, layer.rows(), cols, into, layer.biasOffset() - shift);
      if (l > 1) {
        propagateBack(arithmetic, weights, layer, l, cols, workspace);
      }
    }
    return loss;
  }

  /**
   * ∂C/∂W^l += Δ^l (A^{l−1})ᵀ: one GEMM over the block, into {@code gradient} at W^l's offset moved
   * by {@code moved}.
   */
  private static <A> void addWeightGradient(
      Arithmetic<A> arithmetic,
      ParameterLayout.Layer layer,
      A delta,
      A previous,
      int cols,
      A gradient,
      int moved) {
    arithmetic.gemm(
        false,
        true,
        layer.rows(),
        layer.cols(),
        cols,
        delta,
        0,
        layer.rows(),
        previous,
        0,
        layer.cols(),
        1.0,
        gradient,
        layer.weightOffset() + moved,
        layer.rows());
  }

  /** Δ^{l−1} = ((W^l)ᵀ Δ^l) ⊙ g'(Z^{l−1}), with g' computed from A^{l−1}. */
  private <A> void propagateBack(
      Arithmetic<A> arithmetic,
      A weights,
      ParameterLayout.Layer layer,
      int l,
      int cols,
      Workspace<A> workspace) {
    A below = workspace.delta(l - 1);
    arithmetic.gemm(
        true,
        false,
        layer.cols(),
        cols,
        layer.rows(),
        weights,
        layer.weightOffset(),
        layer.rows(),
        workspace.delta(l),
        0,
        layer.rows(),
        0.0,
        below,
        0,
        layer.cols());
    arithmetic.multiplyByDerivative(
        spec.activation(l - 1), below, workspace.activation(l - 1), layer.cols() * cols);
  }

  /**
   * ∂C/∂W¹ += Δ¹ Xᵀ for an input holding only the rows {@code runs} lists: one GEMM into the
   * workspace, whose columns are then added to W¹'s matching columns of {@code gradient}.
   */
  private <A> void addFirstLayerGradient(
      Arithmetic<A> arithmetic,
      A delta,
      A input,
      int[] runs,
      int cols,
      Workspace<A> workspace,
      A gradient) {
    ParameterLayout.Layer layer = layout.layer(1);
    int rows = layer.rows();
    int inner = 0;
    for (int r = 1; r < runs.length; r += 2) {
      inner += runs[r];
    }
    if (inner == 0) {
      return;
    }
    A compact = workspace.firstLayerGradient();
    arithmetic.gemm(
        false, true, rows, inner, cols, delta, 0, rows, input, 0, inner, 0.0, compact, 0, rows);
    int from = 0;
    for (int r = 0; r < runs.length; r += 2) {
      int length = runs[r + 1] * rows;
      arithmetic.addRange(compact, from, gradient, layer.columnOffset(runs[r]), length);
      from += length;
    }
  }

  /**
   * Forward pass only, returning the block's summed loss; {@link Workspace#outputs()} then holds
   * a^L for each column and the workspace holds δ^L.
   */
  public <A> double loss(A weights, A input, double[] targets, int cols, Workspace<A> workspace) {
    return loss(weights, input, null, targets, null, cols, workspace);
  }

  /**
   * Like {@link #loss(Object, Object, double[], int, Workspace)} on the rows {@code inputRuns}
   * lists, for examples weighted by {@code columnWeights} (null for all 1): returns Σ w_j C_j, and
   * the workspace's δ^L column j is w_j δ_j.
   */
  public <A> double loss(
      A weights,
      A input,
      int[] inputRuns,
      double[] targets,
      double[] columnWeights,
      int cols,
      Workspace<A> workspace) {
    return loss(weights, input, inputRuns, null, targets, columnWeights, cols, workspace);
  }

  /**
   * Like {@link #loss(Object, Object, int[], double[], double[], int, Workspace)} on sparse input.
   */
  public <A> double loss(
      A weights,
      SparseColumns input,
      double[] targets,
      double[] columnWeights,
      int cols,
      Workspace<A> workspace) {
    return loss(weights, null, null, input, targets, columnWeights, cols, workspace);
  }

  private <A> double loss(
      A weights,
      A dense,
      int[] runs,
      SparseColumns sparse,
      double[] targets,
      double[] columnWeights,
      int cols,
      Workspace<A> workspace) {
    forward(weights, dense, runs, sparse, cols, workspace);
    return spec.loss()
        .lossAndDelta(
            spec.outputActivation(),
            workspace.logitsInDoubles,
            workspace.outputsInDoubles,
            targets,
            workspace.outputDeltaInDoubles,
            spec.numOutputs(),
            cols,
            columnWeights);
  }

  /**
   * The class a column of outputs (or one-hot targets) stands for: the arg-max row, or for a single
   * output whether it is at least ½.
   *
   * @param values column-major rows × (at least col + 1); read only
   */
  public static int classOf(double[] values, int rows, int col) {
    int base = col * rows;
    if (rows == 1) {
      return values[base] >= 0.5 ? 1 : 0;
    }
    int best = 0;
    for (int r = 1; r < rows; r++) {
      if (values[base + r] > values[base + best]) {
        best = r;
      }
    }
    return best;
  }

  private static void checkColumns(int cols, Workspace<?> workspace) {
    if (cols <= 0 || cols > workspace.capacity()) {
      throw new IllegalArgumentException(
          "block size must be in 1.." + workspace.capacity() + ", found " + cols);
    }
  }
}
