package io.sparkprop.spark;

import io.sparkprop.data.ExampleBlock;
import io.sparkprop.nn.Arithmetic;
import io.sparkprop.nn.Network;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.nn.PackedGradient;
import io.sparkprop.nn.Precision;
import io.sparkprop.nn.SparseFirstLayer;
import io.sparkprop.nn.Workspace;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Sums one partition's loss and gradient at the broadcast weights into a single {@link
 * GradientSum}: for each block, Σ loss, ΣΔ(A^{l−1})ᵀ and ΣΔ (each example weighted by its weight),
 * the count of examples and the sum of their weights. With a batch fraction below 1 the sampled
 * examples are gathered into full blocks first, so each GEMM still runs on a wide block; a full
 * pass keeps each cached block's own rows, so the first layer skips the feature rows that are zero
 * throughout a block. In {@link Precision#FLOAT32} the matrices are floats (sgemm); the partition's
 * sum is handed on in double. A full pass over sparse blocks gathers them into chunks of up to
 * 65,536 examples ({@link SparseChunk}) when that lets the first layer run feature by feature, or
 * lets a wide ∂W¹ be written in order. When the partition's examples touch few of the input's
 * features (sparse blocks), the sum carries only their columns of ∂W¹, and the work that grows with
 * n_0 — allocating, clearing and reading the n_1 × n_0 accumulator — shrinks to those columns, or,
 * when one chunk holds the partition, vanishes.
 */
final class PartitionGradient extends BlockFunction<GradientSum> {
  private static final long serialVersionUID = 1L;

  private final int dataId;
  private final double fraction;
  private final long seed;
  private final long step;
  private final Precision precision;

  PartitionGradient(
      NetworkSpec spec,
      Broadcast<WeightArray> weights,
      int blockSize,
      int dataId,
      double fraction,
      long seed,
      long step,
      Precision precision) {
    super(spec, weights, blockSize);
    this.dataId = dataId;
    this.fraction = fraction;
    this.seed = seed;
    this.step = step;
    this.precision = precision;
  }

  @Override
  public Iterator<GradientSum> call(Iterator<ExampleBlock> blocks) {
    GradientSum sum = new GradientSum();
    if (blocks.hasNext()) {
      accumulate(precision.arithmetic(), blocks, sum);
    }
    sum.recordSent();
    return Collections.singletonList(sum).iterator();
  }

  /**
   * Sums the partition in {@code arithmetic}: the GEMMs accumulate the gradient in its own type, in
   * an executor's reused accumulator ({@link GradientBuffers}). When the partition's examples
   * touched few of the input's features, their columns of ∂W¹ and the entries after W¹ go to the
   * sum and are cleared, and the accumulator is given back; otherwise the whole gradient goes.
   */
  @SuppressWarnings("unchecked")
  private <A> void accumulate(
      Arithmetic<A> arithmetic, Iterator<ExampleBlock> blocks, GradientSum sum) {
    A w = weights.value().in(arithmetic);
    TouchedColumns touched = new TouchedColumns(spec.numInputs());
    Task<A> task =
        new Task<>(new Network(spec), w, touched, sum, arithmetic, weights.value().length());
    Workspace<A> workspace = Workspace.of(arithmetic, spec, blockSize);
    if (fraction >= 1.0) {
      if (fullPass(arithmetic, blocks, workspace, task)) {
        return;
      }
    } else {
      sampled(blocks, workspace, task);
    }
    int[] carried = touched.fewEnough();
    if (carried != null) {
      takeColumns(task.gradient(), carried, sum);
      return;
    }
    A gradient = task.gradient();
    if (gradient instanceof double[] doubles) {
      sum.gradient = doubles;
    } else {
      sum.floats = (float[]) gradient;
    }
    sum.pooled = true;
    sum.keepTouchedColumns(spec.size(1), spec.numInputs());
  }

  /**
   * What one task sums with and into: the network, the broadcast weights in the task's arithmetic,
   * the features the examples touched so far, the partition's sum, and the executor's n_1 × n_0
   * accumulator, taken at its first use: a partition that one chunk sends as columns ({@link
   * SparseChunk#sendsColumns}) never holds one.
   */
  private static final class Task<A> {
    private final Network network;
    private final A w;
    private final TouchedColumns touched;
    private final GradientSum sum;
    private final Arithmetic<A> arithmetic;
    private final int length;
    private A gradient;

    Task(
        Network network,
        A w,
        TouchedColumns touched,
        GradientSum sum,
        Arithmetic<A> arithmetic,
        int length) {
      this.network = network;
      this.w = w;
      this.touched = touched;
      this.sum = sum;
      this.arithmetic = arithmetic;
      this.length = length;
    }

    Network network() {
      return network;
    }

    A w() {
      return w;
    }

    TouchedColumns touched() {
      return touched;
    }

    GradientSum sum() {
      return sum;
    }

    /** The accumulator: one the executor kept zeroed, else a new one. */
    @SuppressWarnings("unchecked")
    A gradient() {
      if (gradient == null) {
        Object kept = GradientBuffers.take(arithmetic == Arithmetic.FLOAT32, length);
        gradient = kept != null ? (A) kept : arithmetic.allocate(length);
      }
      return gradient;
    }

    /** Adds the gathered {@code examples}' gradient into the accumulator, and the rest to sum. */
    void flush(SampleBlock<A> examples, Workspace<A> workspace) {
      examples.flushInto(network, w, workspace, gradient(), sum);
    }
  }

  /**
   * Sums every example of the partition: sparse blocks gathered into chunks ({@link SparseChunk}),
   * the others one block at a time. Returns whether the sum already holds the partition's touched
   * columns ({@link SparseChunk#sendsColumns}); else they are all in the accumulator.
   */
  private <A> boolean fullPass(
      Arithmetic<A> arithmetic, Iterator<ExampleBlock> blocks, Workspace<A> workspace, Task<A> t) {
    SparseChunk<A> chunk = new SparseChunk<>(arithmetic, t);
    boolean alone = false;
    while (blocks.hasNext()) {
      ExampleBlock block = blocks.next();
      if (block.isSparse() && chunk.takes(block)) {
        chunk.add(block);
        continue;
      }
      alone = true;
      mark(t.touched(), block, 0, block.size());
      workspace = workspace.atLeast(block.size());
      double[] y = targets(block, workspace);
      t.sum().loss += accumulateGradient(t.network(), t.w(), block, y, workspace, t.gradient());
      t.sum().count += block.size();
      t.sum().weight += block.weightSum();
    }
    boolean sent = !alone && chunk.sendsColumns();
    if (!sent) {
      chunk.flush();
    }
    chunk.keep();
    return sent;
  }

  /**
   * What {@link SparseChunk}s leave to the next task in the executor ({@link SparseChunk#keep}).
   */
  private static final KeptObjects KEPT = new KeptObjects(KeptObjects.forEachCore());

  /** The most examples a {@link SparseChunk} holds. */
  static final int CHUNK_EXAMPLES = 1 << 16;

  /** The most bytes a {@link SparseChunk}'s activations and deltas take. */
  static final long CHUNK_BYTES = 32L << 20;

  /**
   * The largest ∂W¹, in bytes, that a full pass still adds its sparse examples' columns into at
   * random, one block at a time, rather than gather the partition into a chunk and write its
   * touched columns in feature order ({@link SparseChunk#sendsColumns}): about a last-level cache.
   * Measured (n_1 = 16, 10,000 examples of 40 nonzeros a partition): at 200,000 float64 features
   * (25.6 MB) the random adds took 25–33 ms of task CPU against 29–51 ms gathered; at 2^20 (134
   * MB), 48–70 ms against 37–50 ms.
   */
  static final long SCATTERED_BYTES = 32L << 20;

  /**
   * Examples a full pass gathers from consecutive sparse blocks before running the network: up to
   * {@link #CHUNK_EXAMPLES}, as many as keep a^l and δ^l of every layer within {@link
   * #CHUNK_BYTES}, and never fewer than the block size.
   */
  static int chunkCapacity(NetworkSpec spec, int blockSize) {
    long perExample = 0;
    for (int l = 1; l <= spec.numLayers(); l++) {
      perExample += 2L * spec.size(l) * Double.BYTES;
    }
    return (int) Math.max(blockSize, Math.min(CHUNK_EXAMPLES, CHUNK_BYTES / perExample));
  }

  /**
   * A full pass's sparse blocks, gathered into chunks of {@link #chunkCapacity} examples, so that
   * the first layer can run feature by feature ({@link SparseFirstLayer#runsByFeature}), reading
   * each of W¹'s and ∂W¹'s columns once a chunk, in address order, instead of once a nonzero at
   * random. When one chunk holds the whole partition and its examples touch few of the features, it
   * goes further ({@link #sendsColumns}): the whole gradient is written straight into the array the
   * partition sends, ∂W¹'s touched columns first, and no n_1 × n_0 accumulator is taken.
   */
  private final class SparseChunk<A> {
    final int capacity = chunkCapacity(spec, blockSize);
    private final Arithmetic<A> arithmetic;
    private final Task<A> t;
    private Workspace<A> workspace;
    private SampleBlock<A> examples;
    private boolean flushed;

    /** Whether the gathered examples' features are marked already ({@link #sendsColumns}). */
    private boolean marked;

    SparseChunk(Arithmetic<A> arithmetic, Task<A> t) {
      this.arithmetic = arithmetic;
      this.t = t;
    }

    /**
     * Whether the chunk gathers {@code block}'s examples rather than let it run alone: when it
     * holds more than one block and either a chunk of blocks like it would run its first layer
     * feature by feature ({@link SparseFirstLayer#runsByFeature}), or ∂W¹ is too large for a cache
     * ({@link #SCATTERED_BYTES}), so that writing a partition's touched columns in order ({@link
     * #sendsColumns}) may pay. Otherwise gathering would not pay.
     */
    boolean takes(ExampleBlock block) {
      if (capacity <= block.size()) {
        return false;
      }
      long nonZeros = block.sparseStarts()[block.size()];
      long firstLayerBytes =
          (long) spec.size(1) * spec.numInputs() * (precision == Precision.FLOAT32 ? 4 : 8);
      return firstLayerBytes > SCATTERED_BYTES
          || SparseFirstLayer.runsByFeature(
              nonZeros * capacity / block.size(), capacity, spec.numInputs());
    }

    void add(ExampleBlock block) {
      if (examples == null) {
        int outputs = spec.numOutputs();
        examples = KEPT.take(SampleBlock.class, b -> b.isSparse(capacity, outputs));
        examples = examples != null ? examples : SampleBlock.sparse(capacity, outputs);
      }
      for (int j = 0; j < block.size(); j++) {
        if (examples.add(block, j)) {
          flush();
          flushed = true;
        }
      }
    }

    /** Adds the gathered examples' gradient into the accumulator. */
    void flush() {
      if (examples != null) {
        if (!marked) {
          examples.mark(t.touched());
        }
        marked = false;
        t.flush(examples, workspace());
      }
    }

    /**
     * When the chunk holds all the partition's examples (none flushed before, none run alone) and
     * they touch at most 3/4 of the features ({@link TouchedColumns#fewEnough}): runs the chunk
     * with ∂W¹'s touched columns going straight, in feature order, into the array {@code sum} sends
     * ({@link Network#accumulateGradientByFeature}), and returns true. Else returns false, having
     * run nothing.
     */
    @SuppressWarnings("unchecked")
    boolean sendsColumns() {
      if (examples == null || flushed) {
        return false;
      }
      examples.mark(t.touched());
      marked = true;
      int[] carried = t.touched().fewEnough();
      if (carried == null) {
        return false;
      }
      int rows = spec.size(1);
      int length = weights.value().length();
      A values = (A) columnsArray(precision == Precision.FLOAT32, carried.length);
      int after = carried.length * rows;
      clear(values, after, length - rows * spec.numInputs());
      examples.flushInto(
          t.network(),
          t.w(),
          workspace(),
          null,
          new PackedGradient<>(values, carried.length),
          t.sum());
      t.sum().setScratchColumns(values, carried, rows, spec.numInputs(), length);
      return true;
    }

    /**
     * A workspace for the examples gathered: one an earlier task kept, if wide enough, else one
     * allocated as wide as they are, so that a partition of fewer examples than a chunk holds
     * allocates no more.
     */
    @SuppressWarnings("unchecked")
    private Workspace<A> workspace() {
      int cols = examples.filled;
      if (workspace == null) {
        workspace = KEPT.take(Workspace.class, w -> w.fits(arithmetic, spec, cols));
      }
      workspace =
          workspace == null ? Workspace.of(arithmetic, spec, cols) : workspace.atLeast(cols);
      return workspace;
    }

    /**
     * Leaves the chunk's sample block (emptied by its flush) and workspace to the executor's next
     * task: a chunk's nonzeros, sort buffers and activations run to tens of megabytes, which every
     * step would otherwise allocate and clear again.
     */
    void keep() {
      if (examples != null) {
        KEPT.give(examples);
      }
      if (workspace != null) {
        KEPT.give(workspace);
      }
    }
  }

  /** Marks the features examples {@code from … to} of {@code block} touch. */
  private static void mark(TouchedColumns touched, ExampleBlock block, int from, int to) {
    if (block.isSparse()) {
      touched.mark(block.sparseRows(), block.sparseStarts()[from], block.sparseStarts()[to]);
    } else {
      touched.markAll();
    }
  }

  /**
   * Moves the {@code carried} columns of ∂W¹ and every entry after W¹ from the accumulator into
   * {@code sum}, leaving the accumulator all zeros (no other entry was written), and gives it back.
   */
  private <A> void takeColumns(A gradient, int[] carried, GradientSum sum) {
    int rows = spec.size(1);
    Object values = columnsArray(gradient instanceof float[], carried.length);
    for (int c = 0; c < carried.length; c++) {
      move(gradient, carried[c] * rows, values, c * rows, rows);
    }
    send(gradient, carried, values, sum);
  }

  /**
   * An array for {@code carried} columns of ∂W¹ and every entry after W¹, in the accumulator's own
   * type (a float32 pass sends floats): one an earlier task sent its columns in, when the executor
   * kept one long enough.
   */
  private Object columnsArray(boolean floats, int carried) {
    int after = spec.size(1) * spec.numInputs();
    int used = carried * spec.size(1) + weights.value().length() - after;
    Object kept = GradientBuffers.takeScratch(floats, used);
    return kept != null ? kept : floats ? new float[used] : new double[used];
  }

  /**
   * Has {@code sum} send {@code values}, which hold the {@code carried} columns of ∂W¹: first moves
   * every entry after W¹ from the accumulator after them, then gives back the accumulator, whose W¹
   * is all zeros.
   */
  private <A> void send(A gradient, int[] carried, Object values, GradientSum sum) {
    int rows = spec.size(1);
    int inputs = spec.numInputs();
    int after = rows * inputs;
    int length = weights.value().length();
    move(gradient, after, values, carried.length * rows, length - after);
    sum.setScratchColumns(values, carried, rows, inputs, length);
    GradientBuffers.give(gradient);
  }

  /** Copies n entries of a double[] or float[] into {@code to}, of the same type; zeroes them. */
  private static void move(Object from, int at, Object to, int into, int n) {
    System.arraycopy(from, at, to, into, n);
    clear(from, at, n);
  }

  /** Zeroes n entries of a double[] or float[] from {@code at}. */
  private static void clear(Object array, int at, int n) {
    if (array instanceof double[] doubles) {
      Arrays.fill(doubles, at, at + n, 0.0);
    } else {
      Arrays.fill((float[]) array, at, at + n, 0f);
    }
  }

  /**
   * Gathers the examples of this step's sample into full blocks (dense and sparse ones apart) and
   * sums their gradient. The sample is read from the partition's order for the sampling epoch
   * ({@link SampleOrder}), block by block as the cache gives them.
   */
  private <A> void sampled(Iterator<ExampleBlock> blocks, Workspace<A> workspace, Task<A> t) {
    Samples<A> samples = new Samples<>(workspace, t);
    TaskContext context = TaskContext.get();
    SampleOrder.Reader reader =
        SampleOrder.reader(
            dataId, context == null ? -1 : context.partitionId(), seed, step, fraction);
    int[] columns = new int[blockSize];
    int b = 0;
    while (blocks.hasNext()) {
      ExampleBlock block = blocks.next();
      if (columns.length < block.size()) {
        columns = new int[block.size()];
      }
      int n = reader.columns(b++, block, columns);
      for (int k = 0; k < n; k++) {
        samples.add(block, columns[k]);
      }
    }
    reader.finish(b);
    samples.flush();
  }

  /** The sample blocks of one task: kept examples go in, full blocks go to the gradient. */
  private final class Samples<A> {
    private final Workspace<A> workspace;
    private final Task<A> t;
    private SampleBlock<A> dense;
    private SampleBlock<A> sparse;

    Samples(Workspace<A> workspace, Task<A> t) {
      this.workspace = workspace;
      this.t = t;
    }

    void add(ExampleBlock block, int j) {
      mark(t.touched(), block, j, j + 1);
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
        t.flush(sample, workspace);
      }
    }

    void flush() {
      if (dense != null) {
        t.flush(dense, workspace);
      }
      if (sparse != null) {
        t.flush(sparse, workspace);
      }
    }
  }
}
