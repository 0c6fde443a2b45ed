package io.sparkprop.spark.load;

import io.sparkprop.data.DataShape;
import io.sparkprop.data.ExampleBlock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Writes examples as a table Spark ML reads: a {@code label} column (the class, or the value for
 * regression; an array of classes for multi-label data) and a {@code features} vector column, each
 * vector dense or sparse, whichever is smaller. What {@code sparkprop convert} writes.
 */
public final class ExamplesTable {
  private ExamplesTable() {}

  /**
   * Writes the examples of {@code blocks} to {@code path} with Spark's {@code format} writer (a
   * format that holds vectors: parquet, orc, json, …); the path appears only once complete.
   */
  public static void write(
      JavaSparkContext jsc,
      JavaRDD<ExampleBlock> blocks,
      DataShape shape,
      String format,
      String path) {
    boolean multiLabel = shape.labels() == DataShape.LabelKind.MULTI_LABEL;
    DataType labelType =
        multiLabel ? DataTypes.createArrayType(DataTypes.DoubleType) : DataTypes.DoubleType;
    StructType schema =
        new StructType(
            new StructField[] {
              new StructField("label", labelType, false, Metadata.empty()),
              new StructField("features", SQLDataTypes.VectorType(), false, Metadata.empty())
            });
    JavaRDD<Row> rows = blocks.flatMap(block -> rows(block, shape).iterator());
    StagedOutput.write(
        path,
        jsc.hadoopConfiguration(),
        staging ->
            TableLoader.session(jsc)
                .createDataFrame(rows, schema)
                .write()
                .format(format)
                .save(staging));
  }

  private static List<Row> rows(ExampleBlock block, DataShape shape) {
    int n0 = shape.numFeatures();
    int nL = shape.numOutputs();
    double[] x = new double[n0];
    double[] y = new double[nL];
    List<Row> rows = new ArrayList<>(block.size());
    for (int j = 0; j < block.size(); j++) {
      block.copyTargets(j, 1, y, 0);
      rows.add(RowFactory.create(label(shape, y), features(block, j, x)));
    }
    return rows;
  }

  /**
   * Example j's features as the smaller of a dense and a sparse vector: from a sparse block its
   * nonzeros straight into a sparse vector (no n_0-wide array per example), else through the dense
   * buffer {@code x}.
   */
  private static Vector features(ExampleBlock block, int j, double[] x) {
    if (!block.isSparse()) {
      block.copyFeatures(j, 1, x, 0);
      return Vectors.dense(x.clone()).compressed();
    }
    int from = block.sparseStarts()[j];
    int count = block.sparseStarts()[j + 1] - from;
    double[] values = new double[count];
    for (int k = 0; k < count; k++) {
      values[k] = block.sparseValue(from + k);
    }
    int[] indices = Arrays.copyOfRange(block.sparseRows(), from, from + count);
    return Vectors.sparse(block.numFeatures(), indices, values).compressed();
  }

  /** The label y encodes: the hot class, the value itself, or the list of hot classes. */
  private static Object label(DataShape shape, double[] y) {
    switch (shape.labels()) {
      case REAL, BINARY:
        return y[0];
      case MULTI_LABEL:
        List<Double> classes = new ArrayList<>();
        for (int k = 0; k < y.length; k++) {
          if (y[k] == 1.0) {
            classes.add((double) k);
          }
        }
        return scala.jdk.javaapi.CollectionConverters.asScala(classes).toSeq();
      default:
        for (int k = 0; k < y.length; k++) {
          if (y[k] == 1.0) {
            return (double) k;
          }
        }
        throw new IllegalStateException("a class-index target without its class");
    }
  }
}
