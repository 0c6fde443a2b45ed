package io.sparkprop.spark;

import io.sparkprop.data.ExampleBlock;
import io.sparkprop.spark.TrainingListener.EpochEnd;
import io.sparkprop.spark.TrainingListener.StepEnd;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The distributed training loop. Each step ({@link StepRule}, {@link GradientPass}): the driver
 * broadcasts the weights → every partition sums its loss and gradient → treeAggregate combines the
 * sums → the broadcast is destroyed → the driver divides by the exact m and the optimizer updates
 * the weights. After each step and each epoch the listeners hear of it, in the order they were
 * added; they log, evaluate, stop early, keep the history and checkpoint.
 */
public final class Trainer {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  private final TrainerConfig config;
  private final GradientPass pass;
  private final List<TrainingListener> listeners = new ArrayList<>();

  public Trainer(JavaSparkContext jsc, TrainerConfig config) {
    this.config = config;
    this.pass = new GradientPass(jsc, config);
  }

  /** Adds a listener after those added before; returns this trainer. */
  public Trainer addListener(TrainingListener listener) {
    listeners.add(listener);
    return this;
  }

  /**
   * The weights a fit ends with.
   *
   * @param weights after the last step taken
   * @param epoch the last epoch reported to the listeners (the resumed one's if none was)
   */
  public record Result(double[] weights, int epoch) {}

  /** Trains from {@code initialWeights} (not modified). */
  public Result fit(JavaRDD<ExampleBlock> train, double[] initialWeights) {
    return fit(train, TrainingState.start(initialWeights));
  }

  /**
   * Trains from {@code from}: its weights (not modified), the steps after its step, with its
   * optimizer state and its unfinished epoch's sums, as if the run had never stopped.
   *
   * @param train cached blocks built with {@link TrainerConfig#blockSize()}
   * @throws DivergenceException when a step's loss or gradient is not finite
   */
  public Result fit(JavaRDD<ExampleBlock> train, TrainingState from) {
    StepRule rule = StepRule.create(config, pass, train);
    Run run = new Run(config, rule, from);
    for (int step = from.step() + 1; step <= config.steps(); step++) {
      StepRule.Outcome outcome = rule.take(step, run.weights);
      run.add(outcome);
      if (run.endsEpoch(step) && endEpoch(run.epochEnd(step, outcome))) {
        return run.result();
      }
      StepEnd end = run.stepEnd(step, outcome);
      listeners.forEach(l -> l.onStepEnd(end));
      if (outcome.finished() != null) {
        LOG.info(outcome.finished());
        break;
      }
    }
    // A run that ends inside an epoch reports that part-epoch last, after any checkpoint of its
    // final step: the checkpoint keeps it unfinished, so a longer resumed run completes it and a
    // resume with the same steps reports it again from the restored sums.
    if (run.epochExamples > 0) {
      endEpoch(run.partialEpochEnd());
    }
    return run.result();
  }

  /** Tells the listeners; returns whether one asked to stop. */
  private boolean endEpoch(EpochEnd end) {
    listeners.forEach(l -> l.onEpochEnd(end));
    return end.stopped();
  }

  /**
   * One step's summed gradient at {@code weights}: broadcast, partition sums, treeAggregate. The
   * step number selects the step's sample when the batch fraction is below 1.
   */
  public GradientSum gradient(JavaRDD<ExampleBlock> train, double[] weights, int step) {
    return pass.sum(train, weights, step);
  }

  /** Test hook: sees every broadcast of weights the trainer creates. */
  void observeBroadcasts(Consumer<Broadcast<WeightArray>> observer) {
    pass.broadcasts().observe(observer);
  }

  /** The running state of one fit: the weights, the unfinished epoch's sums, the clock. */
  private static final class Run {
    private final TrainerConfig config;
    private final StepRule rule;
    private final long start = System.nanoTime();
    final double[] weights;
    double epochLossSum;
    long epochExamples;
    private long examplesSeen;
    private int lastEpoch;

    Run(TrainerConfig config, StepRule rule, TrainingState from) {
      int parameters = config.network().numParameters();
      if (from.weights().length != parameters) {
        throw new IllegalArgumentException(
            "expected "
                + parameters
                + " initial weights for "
                + config.network().layersString()
                + ", found "
                + from.weights().length);
      }
      this.config = config;
      this.rule = rule;
      this.weights = from.weights().clone();
      this.epochLossSum = from.epochLossSum();
      this.epochExamples = from.epochExamples();
      this.lastEpoch = from.epoch();
      if (from.step() > 0) {
        rule.restoreState(from.optimizer());
        LOG.info("resuming after step {} (epoch {})", from.step(), from.epoch());
      }
    }

    void add(StepRule.Outcome outcome) {
      if (outcome.examples() > 0) {
        examplesSeen += outcome.examples();
        epochLossSum += outcome.loss() * outcome.examples();
        epochExamples += outcome.examples();
      }
    }

    boolean endsEpoch(int step) {
      return step % config.stepsPerEpoch() == 0;
    }

    private int epochOf(int step) {
      return (step - 1) / config.stepsPerEpoch() + 1;
    }

    private double examplesPerSecond() {
      return examplesSeen / elapsedSeconds();
    }

    private double elapsedSeconds() {
      return (System.nanoTime() - start) / 1e9;
    }

    /** The epoch {@code step} ends; its sums start again from zero. */
    EpochEnd epochEnd(int step, StepRule.Outcome last) {
      return closeEpoch(epochOf(step), step, last.learningRate(), last.note());
    }

    /** The run's last, unfinished epoch. */
    EpochEnd partialEpochEnd() {
      int steps = config.steps();
      return closeEpoch(config.epochs(), steps, config.optimizer().learningRate(steps, steps), "");
    }

    private EpochEnd closeEpoch(int epoch, int step, double learningRate, String note) {
      EpochEnd end =
          new EpochEnd(
              epoch,
              config.epochs(),
              step,
              config.steps(),
              epochLossSum / epochExamples,
              learningRate,
              examplesPerSecond(),
              start,
              note,
              weights);
      epochLossSum = 0;
      epochExamples = 0;
      lastEpoch = epoch;
      return end;
    }

    StepEnd stepEnd(int step, StepRule.Outcome outcome) {
      int epoch = epochOf(step);
      boolean endsEpoch = endsEpoch(step);
      return new StepEnd(
          step,
          config.steps(),
          epoch,
          config.epochs(),
          step - (epoch - 1) * config.stepsPerEpoch(),
          endsEpoch,
          outcome.loss(),
          outcome.examples(),
          examplesPerSecond(),
          elapsedSeconds(),
          () ->
              new TrainingState(
                  step,
                  endsEpoch ? epoch : epoch - 1,
                  weights.clone(),
                  rule.exportState(),
                  epochLossSum,
                  epochExamples));
    }

    Result result() {
      return new Result(weights, lastEpoch);
    }
  }
}
