package io.sparkprop.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.NetworkSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TrainingReportTest {
  private static final NetworkSpec SPEC =
      NetworkSpec.of(new int[] {4, 3, 2}, Activation.RELU, Activation.SOFTMAX, Loss.CROSS_ENTROPY);

  private static List<EpochStats> epochs(int n) {
    List<EpochStats> list = new ArrayList<>();
    for (int e = 1; e <= n; e++) {
      list.add(
          new EpochStats(
              e, 10 * e, 1.0 / e, Double.NaN, Double.NaN, 1.2 / e, 0.5 + 0.04 * e, 0.1, 1000, e));
    }
    return list;
  }

  @Test
  void html_history_isSelfContainedWithOnePointPerEpochAndTheConfusionMatrix() {
    long[][] test = {{4, 1}, {2, 3}}; // [true][predicted]
    String html =
        TrainingReport.html(
            epochs(7),
            new TrainingReport.Summary(
                "m<1>.json",
                SPEC,
                Map.of("learning-rate", "0.1"),
                100,
                -1,
                10,
                7,
                test,
                "VectorBLAS"));

    assertFalse(
        Pattern.compile("(src|href)\\s*=", Pattern.CASE_INSENSITIVE).matcher(html).find(),
        "nothing is loaded from anywhere");
    assertTrue(html.contains("m&lt;1&gt;.json"), "text is escaped");
    Matcher polylines =
        Pattern.compile("data-name=\"(\\w+)\"[^>]*points=\"([^\"]*)\"").matcher(html);
    List<String> names = new ArrayList<>();
    while (polylines.find()) {
      names.add(polylines.group(1));
      assertEquals(7, polylines.group(2).split(" ").length, polylines.group(1));
    }
    assertEquals(List.of("train", "test", "test"), names, "no validation split: no such line");
    assertTrue(html.contains("<tr><th>0</th><td>4</td><td>1</td></tr>"), html);
    assertTrue(html.contains("<tr><th>1</th><td>2</td><td>3</td></tr>"));
    assertTrue(html.contains("<td class=\"k\">test accuracy</td><td class=\"k\">78.00 %</td>"));
  }
}
