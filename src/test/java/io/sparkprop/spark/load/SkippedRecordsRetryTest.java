package io.sparkprop.spark.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkprop.data.BadRecords;
import io.sparkprop.data.DataShape;
import io.sparkprop.data.DataSource;
import io.sparkprop.data.ExampleBlock;
import io.sparkprop.spark.FailOnce;
import io.sparkprop.spark.LocalSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A parsing task that fails once is run again by Spark, and the lines it skipped before failing are
 * counted once. local[2,2] lets each task fail once and be retried.
 */
class SkippedRecordsRetryTest {
  private static JavaSparkContext jsc;

  @BeforeAll
  static void start() {
    jsc = LocalSpark.start("skipped-records-retry", "local[2,2]", new SparkConf());
  }

  @BeforeEach
  void resetFailures() {
    FailOnce.FAILURES.set(0);
  }

  @AfterAll
  static void stop() {
    jsc.stop();
  }

  @Test
  void skippedRecords_splitParsedAgainAfterAFailure_areCountedOnce(@TempDir Path dir)
      throws IOException {
    List<String> lines = new ArrayList<>();
    for (int i = 1; i <= 12; i++) {
      lines.add(i % 4 == 0 ? "1 2:x" : (i % 2) + " 1:" + i);
    }
    Path file = dir.resolve("train.libsvm");
    Files.write(file, lines);
    BadRecords policy = new BadRecords(true, 10);
    DataSource source = DataSource.libsvm(file.toString()).withBadRecords(policy);
    DataShape shape = new DataShape(3, 2, DataShape.LabelKind.CLASS_INDEX);
    SkippedRecords skipped = SkippedRecords.register(jsc);
    JavaRDD<ExampleBlock> blocks = DataLoader.load(jsc, source, shape, 0, 4, true, skipped);
    // The failing attempt has parsed the whole split (and reported its 3 skips) when it throws.
    long examples =
        blocks.mapPartitions(new FailOnce<>(0, 3)).map(ExampleBlock::size).reduce(Integer::sum);

    assertEquals(1, FailOnce.FAILURES.get(), "the injected failure happened once");
    assertEquals(9, examples);
    assertEquals(
        3,
        skipped.check(file.toString(), policy, jsc.hadoopConfiguration()),
        "lines 4, 8 and 12, once each");
    // A second job parses the same split again (as the cached sides of a validation split do).
    assertEquals(3, blocks.count());
    assertEquals(
        3, skipped.check(file.toString(), policy, jsc.hadoopConfiguration()), "still once each");
  }
}
