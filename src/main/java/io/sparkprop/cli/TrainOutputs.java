package io.sparkprop.cli;

import io.sparkprop.model.Model;
import io.sparkprop.model.ModelFile;
import io.sparkprop.nn.Blas;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.report.EpochStats;
import io.sparkprop.report.HistoryFile;
import io.sparkprop.report.Numbers;
import io.sparkprop.report.TrainingReport;
import io.sparkprop.spark.TrainerConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * What {@code sparkprop train} leaves: the model file with its metadata, the history CSV and the
 * HTML report beside it, each written atomically, the model last; and the summary line on standard
 * output.
 */
final class TrainOutputs {
  private TrainOutputs() {}

  static void write(TrainJob job, TrainingResult result, Configuration conf, PrintStream out)
      throws IOException {
    NetworkSpec spec = job.trainer().network();
    HistoryFile.write(result.history(), job.historyPath(), conf, job.overwrite());
    TrainingReport.write(
        result.history(),
        new TrainingReport.Summary(
            job.modelOut(),
            spec,
            job.settings(),
            result.trainExamples(),
            result.validationExamples(),
            result.testExamples(),
            result.keptEpoch(),
            result.testEvaluation() == null ? null : result.testEvaluation().confusionMatrix(),
            Blas.implementationName()),
        job.reportPath(),
        conf,
        job.overwrite());
    // The model last: a run that cannot write its history or report does not replace the model
    // (TrainJob checks all three outputs before Spark starts; this covers a failure after that).
    ModelFile.write(
        new Model(spec, result.weights(), metadata(job, result)),
        job.modelOut(),
        conf,
        job.overwrite());
    EpochStats kept = result.kept();
    EpochStats end = result.last();
    out.printf(
        Locale.ROOT,
        "trained %s for %d steps in %s%s: train loss %s%s%n",
        spec.layersString(),
        end.step(),
        String.format(Locale.ROOT, "%.1fs", end.elapsedSeconds()),
        kept == end ? "" : "; kept epoch " + kept.epoch(),
        Numbers.loss(kept.trainLoss()),
        heldOutSummary(kept));
    out.println(
        "model written to "
            + job.modelOut()
            + ", history to "
            + job.historyPath()
            + ", report to "
            + job.reportPath());
  }

  /** The model's metadata: how it was trained, and how the kept epoch did. */
  private static Map<String, String> metadata(TrainJob job, TrainingResult result) {
    TrainerConfig config = job.trainer();
    EpochStats kept = result.kept();
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("createdBy", "sparkprop " + Commands.version());
    metadata.put("createdAt", Instant.now().toString());
    metadata.put("optimizer", config.optimizer().kind().id());
    metadata.put("learningRate", Double.toString(config.optimizer().learningRate()));
    metadata.put("batchFraction", Double.toString(config.batchFraction()));
    metadata.put("steps", Integer.toString(config.steps()));
    metadata.put("seed", Long.toString(config.seed()));
    metadata.put("trainExamples", Long.toString(result.trainExamples()));
    metadata.put("epoch", Integer.toString(kept.epoch()));
    metadata.put("trainLoss", Double.toString(kept.trainLoss()));
    if (result.validationExamples() >= 0) {
      metadata.put("validationExamples", Long.toString(result.validationExamples()));
      metadata.put("validationLoss", Double.toString(kept.validationLoss()));
    }
    if (result.testExamples() >= 0) {
      metadata.put("testLoss", Double.toString(kept.testLoss()));
      metadata.put("testAccuracy", Double.toString(kept.testAccuracy()));
    }
    if (job.initModelPath() != null) {
      metadata.put("initModel", job.initModelPath());
    }
    return metadata;
  }

  private static String heldOutSummary(EpochStats kept) {
    String validation =
        Double.isNaN(kept.validationLoss())
            ? ""
            : ", validation loss " + Numbers.loss(kept.validationLoss());
    if (Double.isNaN(kept.testLoss())) {
      return validation;
    }
    String accuracy =
        Double.isNaN(kept.testAccuracy())
            ? ""
            : String.format(Locale.ROOT, ", test accuracy %.2f%%", 100 * kept.testAccuracy());
    return validation + ", test loss " + Numbers.loss(kept.testLoss()) + accuracy;
  }
}
