package io.sparkprop.spark;

import io.sparkprop.data.DataShape;
import io.sparkprop.data.ExampleBlock;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.optim.Lbfgs;
import io.sparkprop.optim.Objective;
import io.sparkprop.optim.Optimizer;
import io.sparkprop.optim.OptimizerSpec;
import io.sparkprop.optim.WeightDecay;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The distributed training loop. Each step: broadcast the weights → every partition sums its loss
 * and gradient ({@link PartitionGradient}) → treeAggregate combines the sums → the driver divides
 * by the exact m → the optimizer updates the weights → the broadcast is destroyed.
 */
public final class Trainer {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
  private static final String OPTIMIZER = "optimizer.";

  /** The running epoch's loss sum and example count, in a checkpoint taken mid-epoch. */
  private static final String PARTIAL_EPOCH = "trainer.partialEpoch";

  private final JavaSparkContext jsc;
  private final TrainerConfig config;
  private Consumer<Broadcast<double[]>> broadcastObserver = b -> {};

  /** The last step's destroyed broadcast, held so the context cleaner cannot race its removal. */
  @SuppressWarnings("unused")
  private Broadcast<double[]> retired;

  private int keptEpoch;
  private CheckpointFiles checkpoints;
  private int checkpointEvery = 1;
  private boolean checkpointBySteps;
  private Checkpoint resume;

  public Trainer(JavaSparkContext jsc, TrainerConfig config) {
    this.jsc = jsc;
    this.config = config;
  }

  /** Writes a checkpoint after every {@code everyEpochs}-th epoch. */
  public Trainer checkpointTo(CheckpointFiles files, int everyEpochs) {
    return checkpointTo(files, everyEpochs, false);
  }

  /**
   * Writes a checkpoint after every {@code every}-th step ({@code bySteps}, for long epochs) or
   * epoch. A mid-epoch checkpoint also holds the epoch's partial loss sums.
   */
  public Trainer checkpointTo(CheckpointFiles files, int every, boolean bySteps) {
    if (every < 1) {
      throw new IllegalArgumentException("checkpoint interval must be at least 1, found " + every);
    }
    this.checkpoints = files;
    this.checkpointEvery = every;
    this.checkpointBySteps = bySteps;
    return this;
  }

  /** Continues from a checkpoint instead of the initial weights given to {@link #fit}. */
  public Trainer resumeFrom(Checkpoint checkpoint) {
    this.resume = checkpoint;
    return this;
  }

  /** The epoch (1-based) whose weights the last {@link #fit} returned. */
  public int keptEpoch() {
    return keptEpoch;
  }

  /** Test hook: sees every broadcast of weights the trainer creates. */
  void observeBroadcasts(Consumer<Broadcast<double[]>> observer) {
    this.broadcastObserver = observer;
  }

  /**
   * Trains from {@code initialWeights} and returns the final weights.
   *
   * @param train cached blocks built with {@link TrainerConfig#blockSize()}
   * @param test held-out blocks evaluated after every epoch, or null
   * @param initialWeights not modified
   * @param onEpoch called after every epoch
   * @throws DivergenceException when a step's loss or gradient is not finite
   */
  public double[] fit(
      JavaRDD<ExampleBlock> train,
      JavaRDD<ExampleBlock> test,
      double[] initialWeights,
      Consumer<EpochStats> onEpoch) {
    return fit(train, null, test, initialWeights, onEpoch);
  }

  /**
   * Trains as above, also evaluating a validation split after every epoch. With a patience set,
   * training stops when the monitored loss (validation, else test) has not improved for that many
   * epochs, and the weights of the best epoch are returned rather than the last.
   *
   * @param validation the validation split's cached blocks, or null
   */
  public double[] fit(
      JavaRDD<ExampleBlock> train,
      JavaRDD<ExampleBlock> validation,
      JavaRDD<ExampleBlock> test,
      double[] initialWeights,
      Consumer<EpochStats> onEpoch) {
    NetworkSpec spec = config.network();
    if (initialWeights.length != spec.numParameters()) {
      throw new IllegalArgumentException(
          "expected "
              + spec.numParameters()
              + " initial weights for "
              + spec.layersString()
              + ", found "
              + initialWeights.length);
    }
    double[] weights = resume == null ? initialWeights.clone() : resume.weights().clone();
    OptimizerSpec settings = config.optimizer();
    WeightDecay decay = weightDecay(spec, settings.weightDecay());
    EpochEnd epochEnd = new EpochEnd(validation, test, onEpoch);
    if (settings.kind() == OptimizerSpec.Kind.LBFGS) {
      return epochEnd.result(fitLbfgs(train, weights, decay, epochEnd));
    }
    Optimizer optimizer = settings.create(weights.length);
    int firstStep = 1;
    double epochLoss = 0;
    long epochCount = 0;
    if (resume != null) {
      optimizer.restoreState(EpochEnd.prefixed(resume.state(), OPTIMIZER));
      double[] partial = resume.state().get(PARTIAL_EPOCH);
      if (partial != null && partial.length == 2) {
        epochLoss = partial[0];
        epochCount = (long) partial[1];
      }
      firstStep = resume.step() + 1;
      LOG.info("resuming after step {} (epoch {})", resume.step(), resume.epoch());
    }
    int stepsPerEpoch = config.optimizer().stepsPerEpoch();
    int epochs = (config.steps() + stepsPerEpoch - 1) / stepsPerEpoch;
    int logEvery =
        config.logEvery() > 0
            ? config.logEvery()
            : stepsPerEpoch >= 20 ? stepsPerEpoch / 5 : Integer.MAX_VALUE;
    long start = epochEnd.start;
    long examplesSeen = 0;
    for (int step = firstStep; step <= config.steps(); step++) {
      int inEpoch = (step - 1) % stepsPerEpoch + 1;
      int epoch = (step - 1) / stepsPerEpoch + 1;
      boolean epochDone = inEpoch == stepsPerEpoch;
      double learningRate = settings.learningRate(step, config.steps());
      GradientSum sum = gradient(train, weights, step);
      double loss = Double.NaN;
      if (sum.count() == 0) {
        LOG.warn("step {} sampled no examples; raise --batch-fraction", step);
      } else {
        double[] gradient = sum.meanGradient();
        loss = sum.meanLoss() + decay.apply(weights, gradient);
        checkFinite(step, loss, gradient);
        WeightDecay.clip(gradient, settings.clipNorm());
        optimizer.step(weights, gradient, learningRate);
        examplesSeen += sum.count();
        epochLoss += loss * sum.count();
        epochCount += sum.count();
      }
      double elapsed = (System.nanoTime() - start) / 1e9;
      if (epochDone) {
        boolean stop =
            epochEnd.finish(
                epoch,
                epochs,
                step,
                epochLoss / epochCount,
                learningRate,
                weights,
                examplesSeen / elapsed,
                "");
        epochLoss = 0;
        epochCount = 0;
        if (stop) {
          return epochEnd.result(weights);
        }
      } else if (inEpoch % logEvery == 0 && sum.count() > 0) {
        LOG.info(
            Progress.stepLine(
                epoch, epochs, step, config.steps(), loss, examplesSeen / elapsed, elapsed));
      }
      if (checkpointBySteps ? step % checkpointEvery == 0 : epochDone) {
        epochEnd.checkpoint(
            step,
            epochDone ? epoch : epoch - 1,
            weights,
            optimizer.exportState(),
            new double[] {epochLoss, epochCount},
            !checkpointBySteps);
      }
    }
    // A run that ends inside an epoch reports that part-epoch last, after any checkpoint of its
    // final step: the checkpoint keeps it unfinished, so a longer resumed run completes it and a
    // resume with the same steps reports it again from the restored sums.
    if (epochCount > 0) {
      double elapsed = (System.nanoTime() - start) / 1e9;
      epochEnd.finish(
          epochs,
          epochs,
          config.steps(),
          epochLoss / epochCount,
          settings.learningRate(config.steps(), config.steps()),
          weights,
          examplesSeen / elapsed,
          "");
    }
    return epochEnd.result(weights);
  }

  /**
   * Full-batch L-BFGS: each iteration is one epoch; every cost evaluation of its line search is one
   * distributed pass. Stops early when an iteration lowers the cost by less than the tolerance,
   * relative to max(|C|, 1), or cannot lower it at all.
   */
  private double[] fitLbfgs(
      JavaRDD<ExampleBlock> train, double[] weights, WeightDecay decay, EpochEnd epochEnd) {
    Lbfgs lbfgs = config.optimizer().lbfgs(weights.length);
    int first = 1;
    if (resume != null) {
      lbfgs.restoreState(EpochEnd.prefixed(resume.state(), OPTIMIZER));
      first = resume.step() + 1;
    }
    long[] examples = {0};
    int[] passes = {0};
    Objective cost =
        (w, g) -> {
          GradientSum sum = gradient(train, w, ++passes[0]);
          System.arraycopy(sum.meanGradient(), 0, g, 0, g.length);
          examples[0] += sum.count();
          return sum.meanLoss() + decay.apply(w, g);
        };
    long start = epochEnd.start;
    double[] gradient = new double[weights.length];
    double value = cost.evaluate(weights, gradient);
    checkFinite(first - 1, value, gradient);
    for (int iteration = first; iteration <= config.steps(); iteration++) {
      // A line-search trial may overflow; the search backs off from it. Only accepted points count.
      double next = lbfgs.iterate(weights, value, gradient, cost);
      checkFinite(iteration, next, gradient);
      double elapsed = (System.nanoTime() - start) / 1e9;
      boolean stop =
          epochEnd.finish(
              iteration,
              config.steps(),
              iteration,
              next,
              Double.NaN,
              weights,
              examples[0] / elapsed,
              " (" + lbfgs.evaluations() + " passes)");
      if (stop) {
        break;
      }
      epochEnd.checkpoint(iteration, iteration, weights, lbfgs.exportState(), null, true);
      boolean stalled = next == value;
      boolean converged =
          Math.abs(value - next) < config.optimizer().tolerance() * Math.max(Math.abs(next), 1);
      value = next;
      if (stalled || converged) {
        LOG.info(
            "lbfgs {} after {} iterations: cost {}",
            stalled ? "cannot lower the cost" : "converged",
            iteration,
            next);
        break;
      }
    }
    return weights;
  }

  /**
   * What happens after every epoch: the held-out sets are evaluated on the executors, a progress
   * line is logged, the listener is told, and early stopping (when on) decides whether to stop and
   * keeps the best weights.
   */
  private final class EpochEnd {
    final long start = System.nanoTime();
    private final JavaRDD<ExampleBlock> validation;
    private final JavaRDD<ExampleBlock> test;
    private final Consumer<EpochStats> onEpoch;
    private final EarlyStopping stopper;
    private final List<EpochStats> all = new ArrayList<>();
    private int lastEpoch;

    EpochEnd(
        JavaRDD<ExampleBlock> validation,
        JavaRDD<ExampleBlock> test,
        Consumer<EpochStats> onEpoch) {
      this.validation = validation;
      this.test = test;
      this.onEpoch = onEpoch;
      this.stopper =
          config.patience() > 0 ? new EarlyStopping(config.patience(), config.minDelta()) : null;
      if (resume != null) {
        all.addAll(resume.history());
        lastEpoch = resume.epoch();
        if (stopper != null) {
          stopper.restoreState(resume.state());
        }
      }
    }

    /**
     * Writes a checkpoint after {@code step}, {@code epoch} epochs being complete; when {@code
     * byEpoch}, only every {@code checkpointEvery}-th epoch. {@code partialEpoch} is the running
     * epoch's {loss sum, example count}, or null.
     */
    void checkpoint(
        int step,
        int epoch,
        double[] weights,
        Map<String, double[]> optimizerState,
        double[] partialEpoch,
        boolean byEpoch) {
      if (checkpoints == null || (byEpoch && epoch % checkpointEvery != 0)) {
        return;
      }
      Map<String, double[]> state = new HashMap<>();
      optimizerState.forEach((k, v) -> state.put(OPTIMIZER + k, v));
      if (partialEpoch != null) {
        state.put(PARTIAL_EPOCH, partialEpoch);
      }
      if (stopper != null) {
        state.putAll(stopper.exportState());
      }
      try {
        checkpoints.write(new Checkpoint(step, epoch, weights.clone(), state, List.copyOf(all)));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(
            "cannot write the checkpoint of step " + step + ": " + e.getMessage(), e);
      }
    }

    /** The entries under {@code prefix}, with the prefix removed. */
    static Map<String, double[]> prefixed(Map<String, double[]> state, String prefix) {
      Map<String, double[]> out = new HashMap<>();
      state.forEach(
          (k, v) -> {
            if (k.startsWith(prefix)) {
              out.put(k.substring(prefix.length()), v);
            }
          });
      return out;
    }

    /** Returns whether training should stop. */
    boolean finish(
        int epoch,
        int epochs,
        int step,
        double trainLoss,
        double learningRate,
        double[] weights,
        double examplesPerSecond,
        String suffix) {
      double[] validationMetrics = metrics(validation, weights);
      double[] testMetrics = metrics(test, weights);
      EpochStats stats =
          new EpochStats(
              epoch,
              step,
              trainLoss,
              validationMetrics[0],
              validationMetrics[1],
              testMetrics[0],
              testMetrics[1],
              learningRate,
              examplesPerSecond,
              (System.nanoTime() - start) / 1e9);
      LOG.info(Progress.epochLine(stats, epochs, config.steps()) + suffix);
      all.add(stats);
      onEpoch.accept(stats);
      lastEpoch = epoch;
      if (stopper == null || Double.isNaN(stats.monitoredLoss())) {
        return false;
      }
      boolean stop = stopper.observe(epoch, stats.monitoredLoss(), weights);
      if (stop) {
        LOG.info(
            "early stopping after epoch {}: no improvement for {} epochs; keeping epoch {} (loss {})",
            epoch,
            config.patience(),
            stopper.bestEpoch(),
            stopper.bestLoss());
      }
      return stop;
    }

    /** The weights to keep: the best epoch's under early stopping, else the last. */
    double[] result(double[] last) {
      if (stopper != null && stopper.bestWeights() != null) {
        keptEpoch = stopper.bestEpoch();
        return stopper.bestWeights();
      }
      keptEpoch = lastEpoch;
      return last;
    }

    /** {loss, accuracy} on a held-out set, NaN for what is not there. */
    private double[] metrics(JavaRDD<ExampleBlock> data, double[] weights) {
      if (data == null) {
        return new double[] {Double.NaN, Double.NaN};
      }
      Evaluation e =
          evaluate(jsc, config.network(), data, weights, config.blockSize(), config.treeDepth());
      return new double[] {e.meanLoss(), e.isClassification() ? e.accuracy() : Double.NaN};
    }
  }

  /**
   * One step's summed gradient at {@code weights}: broadcast, partition sums, treeAggregate. The
   * step number selects the step's sample when the batch fraction is below 1.
   */
  public GradientSum gradient(JavaRDD<ExampleBlock> train, double[] weights, int step) {
    Broadcast<double[]> broadcast = jsc.broadcast(weights);
    broadcastObserver.accept(broadcast);
    try {
      return train
          .mapPartitions(
              new PartitionGradient(
                  config.network(),
                  broadcast,
                  config.blockSize(),
                  config.optimizer().batchFraction(),
                  config.seed(),
                  step,
                  config.precision()))
          .treeAggregate(
              new GradientSum(), (a, b) -> a.merge(b), (a, b) -> a.merge(b), config.treeDepth());
    } finally {
      // Every step has new weights; destroying the old copy keeps executors' memory flat. The
      // removal runs in the background, the step does not wait for it; the handle is held until
      // the next step so Spark's context cleaner cannot start removing the same blocks meanwhile.
      broadcast.destroy();
      retired = broadcast;
    }
  }

  /**
   * Loss, and accuracy and confusion matrix or squared error, of {@code weights} on a data set,
   * computed on the executors.
   */
  public static Evaluation evaluate(
      JavaSparkContext jsc,
      NetworkSpec spec,
      JavaRDD<ExampleBlock> data,
      double[] weights,
      int blockSize,
      int treeDepth) {
    DataShape shape = Datasets.shapeOf(spec);
    int classes = !shape.isClassification() ? 0 : Math.max(2, spec.numOutputs());
    Broadcast<double[]> broadcast = jsc.broadcast(weights);
    try {
      return data.mapPartitions(new PartitionEvaluation(spec, broadcast, blockSize, classes))
          .treeAggregate(
              new Evaluation(classes), (a, b) -> a.merge(b), (a, b) -> a.merge(b), treeDepth);
    } finally {
      Broadcasts.destroy(broadcast);
    }
  }

  /** L2 decay over every layer's weight matrix, leaving the biases alone. */
  static WeightDecay weightDecay(NetworkSpec spec, double lambda) {
    int layers = spec.numLayers();
    int[] starts = new int[layers];
    int[] lengths = new int[layers];
    for (int l = 1; l <= layers; l++) {
      starts[l - 1] = spec.weightOffset(l);
      lengths[l - 1] = spec.size(l) * spec.size(l - 1);
    }
    return new WeightDecay(lambda, starts, lengths);
  }

  private static void checkFinite(int step, double loss, double[] gradient) {
    if (!Double.isFinite(loss)) {
      throw new DivergenceException(step, "the loss is " + loss);
    }
    for (int i = 0; i < gradient.length; i++) {
      if (!Double.isFinite(gradient[i])) {
        throw new DivergenceException(step, "gradient entry " + i + " is " + gradient[i]);
      }
    }
  }

  /** Collected epoch statistics, for callers that want the whole history. */
  public static final class History implements Consumer<EpochStats> {
    private final List<EpochStats> epochs = new ArrayList<>();

    @Override
    public void accept(EpochStats stats) {
      epochs.add(stats);
    }

    public List<EpochStats> epochs() {
      return epochs;
    }

    /** The last epoch's statistics. */
    public EpochStats last() {
      return epochs.get(epochs.size() - 1);
    }
  }
}
