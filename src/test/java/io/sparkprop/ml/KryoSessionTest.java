package io.sparkprop.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.spark.LocalSpark;
import io.sparkprop.spark.load.TableLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Spark ML estimator in a user's session whose serializer is Kryo (as many clusters set it): it
 * fits with either kind of solver and scores every row, and it learns the clusters.
 */
class KryoSessionTest {
  private static JavaSparkContext jsc;
  private static Dataset<Row> data;

  @BeforeAll
  static void start() {
    jsc = LocalSpark.startWithKryo("kryo-session");
    SparkSession spark = TableLoader.session(jsc);
    SplittableRandom random = new SplittableRandom(3);
    double[][] centers = {{-2, 0}, {2, 0}, {0, 2.5}};
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 240; i++) {
      int c = i % 3;
      rows.add(
          RowFactory.create(
              centers[c][0] + 0.4 * random.nextGaussian(),
              centers[c][1] + 0.4 * random.nextGaussian(),
              (double) c));
    }
    StructType schema =
        new StructType()
            .add("a", DataTypes.DoubleType)
            .add("b", DataTypes.DoubleType)
            .add("label", DataTypes.DoubleType);
    data =
        new VectorAssembler()
            .setInputCols(new String[] {"a", "b"})
            .setOutputCol("features")
            .transform(spark.createDataFrame(rows, schema).repartition(2));
  }

  @AfterAll
  static void stop() {
    jsc.stop();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"lbfgs", "adam"})
  void estimator_inAKryoSession_fitsAndScores(String solver) {
    MlpClassificationModel model =
        new MlpClassifier()
            .setLayers(new int[] {2, 8, 3})
            .setSolver(solver)
            .setMaxIter(60)
            .setSeed(7)
            .fit(data);
    List<Row> scored = model.transform(data).select("label", "prediction").collectAsList();

    assertEquals(240, scored.size());
    long right = scored.stream().filter(r -> r.getDouble(0) == r.getDouble(1)).count();
    assertTrue(right >= 0.9 * 240, solver + ": " + right + " of 240 right");
  }
}
