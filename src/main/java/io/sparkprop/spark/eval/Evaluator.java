package io.sparkprop.spark.eval;

import io.sparkprop.data.DataShape;
import io.sparkprop.data.ExampleBlock;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.spark.WeightsBroadcast;
import io.sparkprop.spark.load.Datasets;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Evaluates weights on a cached data set, on the executors: broadcast the weights → every partition
 * sums its loss and counts its confusion matrix or squared error ({@link PartitionEvaluation}) →
 * treeAggregate → the broadcast is destroyed. Always in double precision.
 */
public final class Evaluator {
  private final NetworkSpec spec;
  private final int blockSize;
  private final int treeDepth;
  private final int classes;
  private final WeightsBroadcast broadcasts;

  /**
   * @param blockSize the block size the data was loaded with
   * @param treeDepth depth of the treeAggregate, at least 1
   */
  public Evaluator(JavaSparkContext jsc, NetworkSpec spec, int blockSize, int treeDepth) {
    DataShape shape = Datasets.shapeOf(spec);
    this.spec = spec;
    this.blockSize = blockSize;
    this.treeDepth = treeDepth;
    this.classes = !shape.isClassification() ? 0 : Math.max(2, spec.numOutputs());
    this.broadcasts = WeightsBroadcast.waiting(jsc);
  }

  /**
   * Loss, and accuracy and confusion matrix or squared error, of {@code weights} on {@code data}.
   */
  public Evaluation evaluate(JavaRDD<ExampleBlock> data, double[] weights) {
    return broadcasts.run(
        weights,
        broadcast ->
            data.mapPartitions(new PartitionEvaluation(spec, broadcast, blockSize, classes))
                .treeAggregate(
                    new Evaluation(classes), Evaluation::merge, Evaluation::merge, treeDepth));
  }
}
