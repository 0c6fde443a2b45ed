package io.sparkprop.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.ReferenceNetwork;
import io.sparkprop.spark.LocalSpark;
import io.sparkprop.spark.load.TableLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark ML estimators in a Pipeline behind VectorAssembler: fit, save, load and transform, the
 * loaded pipeline scoring exactly as the fitted one, and the scores those of an independent
 * implementation of the network with the trained weights.
 */
class MlPipelineTest {
  private static final double SAME = 1e-12;

  private static JavaSparkContext jsc;
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    jsc = LocalSpark.start("ml-pipeline");
    spark = TableLoader.session(jsc);
  }

  @AfterAll
  static void stop() {
    jsc.stop();
  }

  /** Points in three clusters, labelled by cluster, in columns a and b; a key and a weight. */
  private static Dataset<Row> clusters(int n) {
    SplittableRandom random = new SplittableRandom(3);
    double[][] centers = {{-2, 0}, {2, 0}, {0, 2.5}};
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int c = i % 3;
      rows.add(
          RowFactory.create(
              "p" + i,
              centers[c][0] + 0.5 * random.nextGaussian(),
              centers[c][1] + 0.5 * random.nextGaussian(),
              (double) c,
              1.0 + (i % 2)));
    }
    StructType schema =
        new StructType()
            .add("key", DataTypes.StringType)
            .add("a", DataTypes.DoubleType)
            .add("b", DataTypes.DoubleType)
            .add("label", DataTypes.DoubleType)
            .add("w", DataTypes.DoubleType);
    return spark.createDataFrame(rows, schema).repartition(2);
  }

  private static VectorAssembler assembler() {
    return new VectorAssembler().setInputCols(new String[] {"a", "b"}).setOutputCol("features");
  }

  @Test
  void pipeline_vectorAssemblerAndClassifier_fitsSavesLoadsAndScores(@TempDir Path dir)
      throws Exception {
    Dataset<Row> data = clusters(300);
    MlpClassifier classifier =
        new MlpClassifier()
            .setLayers(new int[] {2, 8, 3})
            .setActivation("tanh")
            .setSolver("lbfgs")
            .setMaxIter(60)
            .setSeed(7)
            .setWeightCol("w");
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {assembler(), classifier});

    String unfitted = dir.resolve("pipeline").toString();
    pipeline.write().save(unfitted);
    Pipeline reloaded = Pipeline.load(unfitted);
    MlpClassifier reloadedStage = (MlpClassifier) reloaded.getStages()[1];
    assertArrayEquals(new int[] {2, 8, 3}, reloadedStage.getOrDefault(reloadedStage.layers()));
    assertEquals("w", reloadedStage.getOrDefault(reloadedStage.weightCol()));
    assertEquals(60, reloadedStage.getOrDefault(reloadedStage.maxIter()));

    PipelineModel fitted = pipeline.fit(data);
    String saved = dir.resolve("model").toString();
    fitted.write().save(saved);
    PipelineModel loaded = PipelineModel.load(saved);

    List<Row> before =
        fitted
            .transform(data)
            .select("key", "a", "b", "label", "prediction", "probability", "rawPrediction")
            .orderBy("key")
            .collectAsList();
    List<Row> after =
        loaded
            .transform(data)
            .select("key", "prediction", "probability")
            .orderBy("key")
            .collectAsList();
    MlpClassificationModel model = (MlpClassificationModel) fitted.stages()[1];
    ReferenceNetwork reference =
        new ReferenceNetwork(new int[] {2, 8, 3}, "tanh", "softmax", model.weights());
    int right = 0;
    for (int i = 0; i < before.size(); i++) {
      Row row = before.get(i);
      double[] x = {row.getDouble(1), row.getDouble(2)};
      double[] a = reference.outputs(x);
      double[] probability = ((Vector) row.get(5)).toArray();
      for (int k = 0; k < 3; k++) {
        assertEquals(a[k], probability[k], SAME, "row " + row.getString(0));
      }
      assertEquals(reference.predictedClass(x), row.getDouble(4), 0);
      right += row.getDouble(4) == row.getDouble(3) ? 1 : 0;
      assertEquals(row.getDouble(4), after.get(i).getDouble(1), 0, "loaded model, same class");
      assertArrayEquals(probability, ((Vector) after.get(i).get(2)).toArray(), 0);
    }
    assertTrue(right > 0.9 * before.size(), "separable clusters: " + right + " of 300 right");
  }

  @Test
  void regressor_fitsALinearFunction_andLoadsBackUnchanged(@TempDir Path dir) throws Exception {
    Dataset<Row> data =
        clusters(200).withColumn("y", org.apache.spark.sql.functions.expr("2 * a - b + 0.5"));
    Dataset<Row> features = assembler().transform(data);
    MlpRegressor regressor =
        new MlpRegressor()
            .setLayers(new int[] {2, 4, 1})
            .setActivation("identity")
            .setSolver("lbfgs")
            .setMaxIter(50);
    regressor.setLabelCol("y");
    MlpRegressionModel model = regressor.fit(features);
    String saved = dir.resolve("regressor").toString();
    model.save(saved);
    MlpRegressionModel loaded = MlpRegressionModel.load(saved);
    assertArrayEquals(model.weights(), loaded.weights(), 0);

    List<Row> rows = loaded.transform(features).select("y", "prediction").collectAsList();
    double squared = 0;
    for (Row r : rows) {
      squared += Math.pow(r.getDouble(0) - r.getDouble(1), 2);
    }
    assertTrue(Math.sqrt(squared / rows.size()) < 1e-3, "a linear network fits a linear target");
  }
}
