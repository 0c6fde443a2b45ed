package io.sparkprop.cli;

import io.sparkprop.data.DataShape;
import io.sparkprop.data.ExampleBlock;
import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Blas;
import io.sparkprop.nn.Initializer;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.spark.Trainer;
import io.sparkprop.spark.TrainerConfig;
import io.sparkprop.spark.TrainingState;
import io.sparkprop.spark.eval.Evaluation;
import io.sparkprop.spark.eval.Evaluator;
import io.sparkprop.spark.load.Datasets;
import io.sparkprop.spark.run.Checkpoint;
import io.sparkprop.spark.run.CheckpointFiles;
import io.sparkprop.spark.run.Checkpointing;
import io.sparkprop.spark.run.EarlyStopping;
import io.sparkprop.spark.run.HeldOutEvaluation;
import io.sparkprop.spark.run.History;
import io.sparkprop.spark.run.LossBound;
import io.sparkprop.spark.run.ProgressLog;
import java.io.IOException;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code sparkprop train} on a running Spark: loads and caches the data, wires the trainer's
 * listeners (held-out evaluation, progress, history, early stopping, checkpoints), continues the
 * checkpoint it is given, if any, fits, and evaluates the kept weights on the test set.
 */
final class TrainingRun {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class);

  private final JavaSparkContext jsc;
  private final TrainJob job;
  private final TrainerConfig config;
  private final CheckpointFiles files;
  private final Checkpoint resumed;

  /**
   * @param files where checkpoints go, or null for none
   * @param resumed the checkpoint to continue, or null to start from the beginning
   */
  TrainingRun(JavaSparkContext jsc, TrainJob job, CheckpointFiles files, Checkpoint resumed) {
    this.jsc = jsc;
    this.job = job;
    this.config = job.trainer();
    this.files = files;
    this.resumed = resumed;
  }

  /** The cached training, validation (or null) and test (or null) sets. */
  private record Data(Datasets.Cached train, Datasets.Cached validation, Datasets.Cached test) {}

  TrainingResult run() throws IOException {
    logStart();
    Data data = load();
    warnOfDriverPeak(data.train().blocks().getNumPartitions());
    Evaluator evaluator =
        new Evaluator(jsc, config.network(), config.blockSize(), config.treeDepth());
    History history = new History(resumed == null ? List.of() : resumed.history());
    EarlyStopping stopping =
        job.patience() > 0 ? new EarlyStopping(job.patience(), job.minDelta()) : null;
    Trainer.Result last =
        trainer(evaluator, data, history, stopping)
            .fit(data.train().blocks(), resumed == null ? start() : resumed.training());
    Trainer.Result kept = stopping == null ? last : stopping.kept(last);
    Evaluation testEvaluation =
        data.test() == null ? null : evaluator.evaluate(data.test().blocks(), kept.weights());
    return new TrainingResult(
        kept.weights(),
        kept.epoch(),
        history.epochs(),
        data.train().examples(),
        data.validation() == null ? -1 : data.validation().examples(),
        data.test() == null ? -1 : data.test().examples(),
        testEvaluation);
  }

  /**
   * The trainer with its listeners: held-out evaluation, progress, history, and where asked the
   * divergence bound, early stopping (continued from the checkpoint) and checkpoints.
   */
  private Trainer trainer(Evaluator evaluator, Data data, History history, EarlyStopping stopping) {
    Trainer trainer =
        new Trainer(jsc, config)
            .addListener(
                new HeldOutEvaluation(
                    evaluator, blocksOf(data.validation()), blocksOf(data.test())))
            .addListener(new ProgressLog(job.logEvery(), config.stepsPerEpoch()))
            .addListener(history);
    if (job.maxLossGrowth() > 0) {
      trainer.addListener(new LossBound(job.maxLossGrowth()));
    }
    if (stopping != null) {
      stopping.restore(resumed == null ? null : resumed.earlyStopping());
      trainer.addListener(stopping);
    }
    if (files != null) {
      TrainJob.CheckpointSettings settings = job.checkpoints();
      trainer.addListener(
          new Checkpointing(files, settings.every(), settings.bySteps(), history, stopping));
    }
    return trainer;
  }

  /**
   * Warns when a step may need more driver heap than there is ({@link TrainJob#driverPeakWarning}).
   */
  private void warnOfDriverPeak(int partitions) {
    String peak =
        TrainJob.driverPeakWarning(
            config,
            job.patience() > 0,
            partitions,
            jsc.getConf().getInt("spark.resultGetter.threads", 4),
            Runtime.getRuntime().maxMemory());
    if (peak != null) {
      LOG.warn(peak);
    }
  }

  private void logStart() {
    NetworkSpec spec = config.network();
    LOG.info(
        "network {} ({} parameters), optimizer {} η={} batch fraction {}, {} steps, {} on BLAS {},"
            + " element-wise loops {}",
        spec,
        spec.numParameters(),
        config.optimizer().kind().id(),
        config.optimizer().learningRate(),
        config.batchFraction(),
        config.steps(),
        config.precision().id(),
        Blas.implementationName(),
        Activation.implementationName());
  }

  private Data load() {
    DataShape shape = Datasets.shapeOf(config.network());
    int partitions = job.partitions();
    int blockSize = config.blockSize();
    Datasets.Cached train;
    Datasets.Cached validation = null;
    if (job.validationFraction() > 0) {
      Datasets.Split split =
          Datasets.loadSplitAndCache(
              jsc,
              job.train(),
              shape,
              partitions,
              blockSize,
              job.storageLevel(),
              job.validationFraction(),
              config.seed());
      train = split.train();
      validation = split.validation();
    } else {
      train =
          Datasets.loadAndCache(
              jsc, "train", job.train(), shape, partitions, blockSize, job.storageLevel());
    }
    Datasets.requireTwoClasses(train, shape, job.train().path());
    Datasets.Cached test =
        job.test() == null
            ? null
            : Datasets.loadAndCache(
                jsc, "test", job.test(), shape, partitions, blockSize, job.storageLevel());
    return new Data(train, validation, test);
  }

  private static JavaRDD<ExampleBlock> blocksOf(Datasets.Cached cached) {
    return cached == null ? null : cached.blocks();
  }

  /** The initial weights: the warm start's, else seeded Glorot/He. */
  private TrainingState start() {
    return TrainingState.start(
        job.initModel() == null
            ? Initializer.initialize(config.network(), config.seed())
            : job.initModel().weights());
  }
}
