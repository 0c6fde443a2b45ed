package io.sparkprop.bench;

import io.sparkprop.data.ExampleBlock;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Spark MLlib's MultilayerPerceptronClassifier on the same examples sparkprop trains on. */
final class Mllib {
  /** MLlib's documented default, and the block size the comparison asks for. */
  static final int BLOCK_SIZE = 128;

  /** The call site of MLlib's gradient job (mllib.optimization.GradientDescent). */
  private static final String PASS_JOB = "treeAggregate at GradientDescent";

  private final SparkSession spark;

  Mllib(SparkSession spark) {
    this.spark = spark;
  }

  /** (label, features) rows of the same examples, one row per column of each block. */
  Dataset<Row> frame(JavaRDD<ExampleBlock> blocks) {
    JavaRDD<Row> rows =
        blocks.flatMap(
            block -> {
              List<Row> out = new ArrayList<>(block.size());
              int n0 = block.numFeatures();
              int nL = block.numOutputs();
              for (int j = 0; j < block.size(); j++) {
                double[] x = new double[n0];
                System.arraycopy(block.features(), j * n0, x, 0, n0);
                int label = 0;
                for (int k = 1; k < nL; k++) {
                  if (block.targets()[j * nL + k] > block.targets()[j * nL + label]) {
                    label = k;
                  }
                }
                out.add(RowFactory.create((double) label, Vectors.dense(x)));
              }
              return out.iterator();
            });
    StructType schema =
        new StructType(
            new StructField[] {
              DataTypes.createStructField("label", DataTypes.DoubleType, false),
              DataTypes.createStructField("features", SQLDataTypes.VectorType(), false)
            });
    return spark.createDataFrame(rows, schema);
  }

  /** A fitted model and the seconds {@code fit} took. */
  record Fit(MultilayerPerceptronClassificationModel model, double seconds) {}

  Fit fit(Dataset<Row> train, int[] layers, String solver, int maxIter) {
    MultilayerPerceptronClassifier mlp =
        new MultilayerPerceptronClassifier()
            .setLayers(layers)
            .setBlockSize(BLOCK_SIZE)
            .setSolver(solver)
            .setMaxIter(maxIter)
            .setTol(0.0)
            .setSeed(1L);
    long start = System.nanoTime();
    MultilayerPerceptronClassificationModel model = mlp.fit(train);
    return new Fit(model, (System.nanoTime() - start) / 1e9);
  }

  /**
   * Seconds of full-data gradient passes of the "gd" solver, which makes one pass (one
   * treeAggregate job) per iteration: a fit of 1 + n iterations, its first pass left out. (Its
   * stacked blocks are cached by a count job before the passes.)
   */
  List<Double> secondsPerPass(Dataset<Row> train, int[] layers, int n, JobTimer timer)
      throws InterruptedException {
    timer.clear();
    fit(train, layers, "gd", 1 + n);
    List<Double> passes = timer.await(PASS_JOB, 1 + n);
    if (passes.size() < 1 + n) {
      throw new IllegalStateException(
          "expected "
              + (1 + n)
              + " gradient jobs from MLlib's gd, found "
              + passes.size()
              + " in "
              + timer.names());
    }
    return passes.subList(1, passes.size());
  }

  /** Fraction of {@code test} rows the model classifies correctly. */
  static double accuracy(MultilayerPerceptronClassificationModel model, Dataset<Row> test) {
    Dataset<Row> predicted = model.transform(test);
    long right = predicted.filter("prediction = label").count();
    return (double) right / test.count();
  }
}
