package io.sparkprop.report;

import io.sparkprop.model.AtomicFiles;
import io.sparkprop.model.ModelFile;
import io.sparkprop.nn.NetworkSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * A self-contained HTML report of a training run: summary, final metrics, loss and accuracy per
 * epoch as inline SVG charts, the confusion matrix on the test set, and every setting. It loads
 * nothing from the network, so it opens anywhere the file can be copied to.
 */
public final class TrainingReport {

  /**
   * What the report says besides the per-epoch history.
   *
   * @param validationExamples -1 without a validation split
   * @param testExamples -1 without a test set
   * @param testConfusion the kept model's confusion matrix on the test set, [true][predicted]
   *     counts; null without a test set or for regression and multi-label
   */
  public record Summary(
      String modelPath,
      NetworkSpec spec,
      Map<String, String> settings,
      long trainExamples,
      long validationExamples,
      long testExamples,
      int keptEpoch,
      long[][] testConfusion,
      String blas) {}

  private TrainingReport() {}

  /** The report path for a model path: {@code m.json} → {@code m.report.html}. */
  public static String pathFor(String modelPath) {
    return ModelFile.companionPath(modelPath, ".report.html");
  }

  public static void write(
      List<EpochStats> epochs, Summary summary, String path, Configuration conf, boolean overwrite)
      throws IOException {
    byte[] html = html(epochs, summary).getBytes(StandardCharsets.UTF_8);
    AtomicFiles.write(path, conf, overwrite, out -> out.write(html));
  }

  static String html(List<EpochStats> epochs, Summary s) {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>sparkprop report: ")
        .append(Html.escape(s.modelPath()))
        .append("</title>")
        .append("<style>body{font-family:sans-serif;margin:24px;color:#222}")
        .append("table{border-collapse:collapse;margin:8px 0 20px}")
        .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}")
        .append("th{background:#f3f3f3}td.k{text-align:left}</style></head><body>\n");
    h.append("<h1>sparkprop training report</h1>\n<p>Model <code>")
        .append(Html.escape(s.modelPath()))
        .append("</code></p>\n");
    EpochStats kept = epochs.get(Math.max(0, Math.min(epochs.size(), s.keptEpoch()) - 1));
    summary(h, s, kept, epochs.get(epochs.size() - 1));
    metrics(h, kept);
    charts(h, epochs);
    if (s.testConfusion() != null) {
      confusion(h, s.testConfusion());
    }
    h.append("<h2>Settings</h2>\n<table>\n");
    s.settings().forEach((k, v) -> row(h, k, v));
    h.append("</table>\n</body></html>\n");
    return h.toString();
  }

  private static void summary(StringBuilder h, Summary s, EpochStats kept, EpochStats last) {
    h.append("<h2>Summary</h2>\n<table>\n");
    row(h, "network", s.spec().toString());
    row(h, "parameters", Integer.toString(s.spec().numParameters()));
    row(h, "training examples", Long.toString(s.trainExamples()));
    if (s.validationExamples() >= 0) {
      row(h, "validation examples", Long.toString(s.validationExamples()));
    }
    if (s.testExamples() >= 0) {
      row(h, "test examples", Long.toString(s.testExamples()));
    }
    row(h, "epochs run / steps", last.epoch() + " / " + last.step());
    row(h, "kept epoch", Integer.toString(kept.epoch()));
    row(h, "wall time", String.format(Locale.ROOT, "%.1f s", last.elapsedSeconds()));
    row(h, "throughput", String.format(Locale.ROOT, "%.0f examples/s", last.examplesPerSecond()));
    row(h, "BLAS", s.blas());
    h.append("</table>\n");
  }

  private static void metrics(StringBuilder h, EpochStats kept) {
    h.append("<h2>Final metrics (kept epoch)</h2>\n<table>\n");
    metric(h, "train loss", kept.trainLoss(), false);
    metric(h, "validation loss", kept.validationLoss(), false);
    metric(h, "validation accuracy", kept.validationAccuracy(), true);
    metric(h, "test loss", kept.testLoss(), false);
    metric(h, "test accuracy", kept.testAccuracy(), true);
    h.append("</table>\n");
  }

  private static void charts(StringBuilder h, List<EpochStats> epochs) {
    h.append(
        SvgChart.render(
            "Loss per epoch",
            "loss",
            List.of(
                new SvgChart.Series("train", "#1f77b4", column(epochs, EpochStats::trainLoss)),
                new SvgChart.Series(
                    "validation", "#ff7f0e", column(epochs, EpochStats::validationLoss)),
                new SvgChart.Series("test", "#2ca02c", column(epochs, EpochStats::testLoss)))));
    h.append(
        SvgChart.render(
            "Accuracy per epoch",
            "accuracy",
            List.of(
                new SvgChart.Series(
                    "validation", "#ff7f0e", column(epochs, EpochStats::validationAccuracy)),
                new SvgChart.Series("test", "#2ca02c", column(epochs, EpochStats::testAccuracy)))));
  }

  private static void confusion(StringBuilder h, long[][] counts) {
    h.append("<h2>Confusion matrix on the test set</h2>\n")
        .append("<p>Rows: true class; columns: predicted class.</p>\n<table class=\"confusion\">")
        .append("<tr><th></th>");
    for (int c = 0; c < counts.length; c++) {
      h.append("<th>").append(c).append("</th>");
    }
    h.append("</tr>\n");
    for (int actual = 0; actual < counts.length; actual++) {
      h.append("<tr><th>").append(actual).append("</th>");
      for (int predicted = 0; predicted < counts.length; predicted++) {
        h.append("<td>").append(counts[actual][predicted]).append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append("</table>\n");
  }

  private static double[] column(
      List<EpochStats> epochs, java.util.function.ToDoubleFunction<EpochStats> f) {
    return epochs.stream().mapToDouble(f).toArray();
  }

  private static void row(StringBuilder h, String key, String value) {
    h.append("<tr><td class=\"k\">")
        .append(Html.escape(key))
        .append("</td><td class=\"k\">")
        .append(Html.escape(value))
        .append("</td></tr>\n");
  }

  private static void metric(StringBuilder h, String key, double value, boolean percent) {
    if (!Double.isNaN(value)) {
      row(
          h,
          key,
          percent ? String.format(Locale.ROOT, "%.2f %%", 100 * value) : Numbers.loss(value));
    }
  }
}
