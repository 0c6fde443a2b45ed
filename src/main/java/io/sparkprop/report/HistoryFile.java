package io.sparkprop.report;

import io.sparkprop.model.AtomicFiles;
import io.sparkprop.model.ModelFile;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;

/**
 * A run's training history as CSV, one row per epoch, written atomically next to the model.
 * Columns: epoch, step, train_loss, validation_loss, validation_accuracy, test_loss, test_accuracy,
 * learning_rate, examples_per_second, elapsed_seconds; a value that does not apply (no validation
 * split, lbfgs's learning rate) is left empty.
 */
public final class HistoryFile {
  static final String HEADER =
      "epoch,step,train_loss,validation_loss,validation_accuracy,test_loss,test_accuracy,"
          + "learning_rate,examples_per_second,elapsed_seconds";

  private HistoryFile() {}

  /** The history path for a model path: {@code m.json} → {@code m.history.csv}. */
  public static String pathFor(String modelPath) {
    return ModelFile.companionPath(modelPath, ".history.csv");
  }

  public static void write(
      List<EpochStats> epochs, String path, Configuration conf, boolean overwrite)
      throws IOException {
    AtomicFiles.write(
        path,
        conf,
        overwrite,
        out -> {
          Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
          w.write(HEADER + "\n");
          for (EpochStats e : epochs) {
            w.write(
                e.epoch()
                    + ","
                    + e.step()
                    + ","
                    + number(e.trainLoss())
                    + ","
                    + number(e.validationLoss())
                    + ","
                    + number(e.validationAccuracy())
                    + ","
                    + number(e.testLoss())
                    + ","
                    + number(e.testAccuracy())
                    + ","
                    + number(e.learningRate())
                    + ","
                    + String.format(Locale.ROOT, "%.1f", e.examplesPerSecond())
                    + ","
                    + String.format(Locale.ROOT, "%.3f", e.elapsedSeconds())
                    + "\n");
          }
          w.flush();
        });
  }

  private static String number(double v) {
    return Double.isNaN(v) ? "" : Double.toString(v);
  }
}
