package io.sparkprop.ml;

import io.sparkprop.data.CachePrecision;
import io.sparkprop.data.DataShape;
import io.sparkprop.data.DataSource;
import io.sparkprop.data.ExampleBlock;
import io.sparkprop.data.TableColumns;
import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Initializer;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.optim.LearningRateSchedule;
import io.sparkprop.optim.OptimizerSpec;
import io.sparkprop.spark.Trainer;
import io.sparkprop.spark.TrainerConfig;
import io.sparkprop.spark.load.Datasets;
import io.sparkprop.spark.load.TableLoader;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;
import org.apache.spark.sql.Dataset;
import org.apache.spark.storage.StorageLevel;

/**
 * The training parameters both estimators take, and the training itself: the DataFrame's rows
 * become cached blocks and the same {@link Trainer} runs as for the command line.
 */
public final class MlpTraining {
  final IntArrayParam layers;
  final Param<String> activation;
  final Param<String> solver;
  final IntParam maxIter;
  final DoubleParam stepSize;
  final DoubleParam batchFraction;
  final IntParam blockSize;
  final LongParam seed;
  final DoubleParam tol;
  final Param<String> weightCol;

  MlpTraining(Params parent) {
    layers =
        new IntArrayParam(
            parent,
            "layers",
            "layer sizes, inputs first and outputs last (for a classifier, the classes; 1 for a"
                + " binary classifier with one sigmoid output)");
    activation =
        new Param<>(
            parent, "activation", "hidden layers' activation: sigmoid, tanh, relu, identity");
    solver =
        new Param<>(
            parent,
            "solver",
            "the optimizer: lbfgs (full batch), gd (full batch), sgd, momentum, nesterov, adam");
    maxIter =
        new IntParam(
            parent, "maxIter", "training steps (for lbfgs, iterations)", ParamValidators.gtEq(1));
    stepSize =
        new DoubleParam(
            parent, "stepSize", "learning rate of the first-order solvers", ParamValidators.gt(0));
    batchFraction =
        new DoubleParam(
            parent,
            "batchFraction",
            "fraction of the examples each step samples (sgd, momentum, nesterov, adam)",
            ParamValidators.inRange(0, 1, false, true));
    blockSize =
        new IntParam(
            parent, "blockSize", "examples per block (GEMM width)", ParamValidators.gtEq(1));
    seed = new LongParam(parent, "seed", "seed of the initial weights and the sampling");
    tol =
        new DoubleParam(
            parent,
            "tol",
            "lbfgs: stop when an iteration lowers the cost by less than this, relative",
            ParamValidators.gtEq(0));
    weightCol =
        new Param<>(
            parent, "weightCol", "per-example weights column (empty: every example weighs 1)");
  }

  /** Sets every default on {@code owner}, through its protected setDefault. */
  interface Defaults {
    <T> void set(Param<T> param, T value);
  }

  void setDefaults(Defaults d) {
    d.set(activation, "sigmoid");
    d.set(solver, "lbfgs");
    d.set(maxIter, (Object) 100);
    d.set(stepSize, (Object) 0.03);
    d.set(batchFraction, (Object) 1.0);
    d.set(blockSize, (Object) 128);
    d.set(seed, (Object) 0L);
    d.set(tol, (Object) 1e-6);
    d.set(weightCol, "");
  }

  /** The network {@code owner}'s layers and activation give, with this output and loss. */
  NetworkSpec network(Params owner, Activation output, Loss loss) {
    if (!owner.isDefined(layers)) {
      throw new IllegalArgumentException("set layers: the sizes of every layer, inputs first");
    }
    return new NetworkSpec(
        (int[]) owner.getOrDefault(layers),
        Activation.parse((String) owner.getOrDefault(activation)),
        output,
        loss);
  }

  /** Trains {@code spec} on the DataFrame's features, label and weight columns. */
  double[] train(
      Params owner, NetworkSpec spec, Dataset<?> dataset, String featuresCol, String labelCol) {
    String weight = (String) owner.getOrDefault(weightCol);
    TableColumns columns =
        new TableColumns(
            "dataframe", featuresCol, List.of(), labelCol, weight.isEmpty() ? null : weight, null);
    DataSource source =
        DataSource.table("the training DataFrame", columns).withPrecision(CachePrecision.FLOAT32);
    DataShape shape = Datasets.shapeOf(spec);
    int block = (Integer) owner.getOrDefault(blockSize);
    JavaRDD<ExampleBlock> blocks =
        TableLoader.blocks(dataset.toDF(), source, shape, block)
            .setName("sparkprop training blocks")
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      OptimizerSpec.Kind kind = OptimizerSpec.Kind.parse((String) owner.getOrDefault(solver));
      OptimizerSpec optimizer =
          new OptimizerSpec(
              kind,
              (Double) owner.getOrDefault(stepSize),
              0.9,
              0.9,
              0.999,
              1e-8,
              0.0,
              0.0,
              LearningRateSchedule.CONSTANT_RATE,
              10,
              (Double) owner.getOrDefault(tol));
      long seedValue = (Long) owner.getOrDefault(seed);
      TrainerConfig config =
          TrainerConfig.builder(spec, optimizer)
              .steps((Integer) owner.getOrDefault(maxIter))
              .batchFraction((Double) owner.getOrDefault(batchFraction))
              .blockSize(block)
              .seed(seedValue)
              .build();
      JavaSparkContext jsc =
          JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
      return new Trainer(jsc, config)
          .fit(blocks, Initializer.initialize(spec, seedValue))
          .weights();
    } finally {
      blocks.unpersist(false);
    }
  }
}
