package io.sparkprop.report;

import java.util.List;
import java.util.Locale;

/** A line chart of per-epoch series as inline SVG: axes, five ticks on each, a legend. */
final class SvgChart {
  private static final int WIDTH = 640;
  private static final int HEIGHT = 300;
  private static final int LEFT = 60;
  private static final int RIGHT = 150;
  private static final int TOP = 30;
  private static final int BOTTOM = 40;

  /** One line: values per epoch; NaN entries are left out. */
  record Series(String name, String color, double[] values) {}

  private SvgChart() {}

  static String render(String title, String yLabel, List<Series> series) {
    int epochs = series.stream().mapToInt(s -> s.values().length).max().orElse(0);
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      for (double v : s.values()) {
        if (!Double.isNaN(v)) {
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
      }
    }
    if (!(min <= max)) {
      return "";
    }
    if (max - min < 1e-12) {
      max = min + 1;
    }
    Frame frame = new Frame(epochs, min, max);
    StringBuilder svg = new StringBuilder();
    frame.axes(svg, title, yLabel);
    int legendY = TOP + 10;
    for (Series s : series) {
      if (frame.line(svg, s, legendY)) {
        legendY += 18;
      }
    }
    return svg.append("</svg>\n").toString();
  }

  /** The plot area: epochs 1 … {@code epochs} across, values {@code min} … {@code max} up. */
  private record Frame(int epochs, double min, double max) {
    static final int PLOT_WIDTH = WIDTH - LEFT - RIGHT;
    static final int PLOT_HEIGHT = HEIGHT - TOP - BOTTOM;

    double x(int index) {
      return LEFT + (epochs <= 1 ? PLOT_WIDTH / 2.0 : PLOT_WIDTH * index / (double) (epochs - 1));
    }

    double y(double value) {
      return TOP + PLOT_HEIGHT - PLOT_HEIGHT * (value - min) / (max - min);
    }

    /** The opening tag, title, frame, five ticks on each axis and the axis labels. */
    void axes(StringBuilder svg, String title, String yLabel) {
      svg.append(
          String.format(
              Locale.ROOT,
              "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\" "
                  + "aria-label=\"%s\">%n",
              WIDTH,
              HEIGHT,
              Html.escape(title)));
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"18\" font-size=\"14\" font-weight=\"bold\">%s</text>%n",
              LEFT,
              Html.escape(title)));
      svg.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#888\"/>%n",
              LEFT,
              TOP,
              PLOT_WIDTH,
              PLOT_HEIGHT));
      valueTicks(svg);
      epochTicks(svg);
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">epoch</text>%n",
              LEFT + PLOT_WIDTH / 2,
              HEIGHT - 5));
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"14\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\" "
                  + "transform=\"rotate(-90 14 %d)\">%s</text>%n",
              TOP + PLOT_HEIGHT / 2,
              TOP + PLOT_HEIGHT / 2,
              Html.escape(yLabel)));
    }

    private void valueTicks(StringBuilder svg) {
      for (int t = 0; t <= 4; t++) {
        double value = min + (max - min) * t / 4;
        double y = TOP + PLOT_HEIGHT - PLOT_HEIGHT * t / 4.0;
        svg.append(
            String.format(
                Locale.ROOT,
                "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%.4g</text>%n",
                LEFT,
                y,
                LEFT + PLOT_WIDTH,
                y,
                LEFT - 5,
                y + 4,
                value));
      }
    }

    private void epochTicks(StringBuilder svg) {
      for (int t = 0; t <= 4; t++) {
        int epoch = 1 + (int) Math.round((epochs - 1) * t / 4.0);
        double x = LEFT + (epochs <= 1 ? 0 : PLOT_WIDTH * (epoch - 1.0) / (epochs - 1));
        svg.append(
            String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%d</text>%n",
                x,
                TOP + PLOT_HEIGHT + 15,
                epoch));
      }
    }

    /** A series' polyline and legend entry; false when it has no values to draw. */
    boolean line(StringBuilder svg, Series s, int legendY) {
      StringBuilder points = new StringBuilder();
      double[] v = s.values();
      for (int i = 0; i < v.length; i++) {
        if (!Double.isNaN(v[i])) {
          points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(i), y(v[i])));
        }
      }
      if (points.length() == 0) {
        return false;
      }
      svg.append(
          String.format(
              Locale.ROOT,
              "<polyline class=\"series\" data-name=\"%s\" fill=\"none\" stroke=\"%s\" "
                  + "stroke-width=\"2\" points=\"%s\"/>%n",
              Html.escape(s.name()),
              s.color(),
              points.toString().trim()));
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"/>"
                  + "<text x=\"%d\" y=\"%d\" font-size=\"12\">%s</text>%n",
              WIDTH - RIGHT + 10,
              legendY,
              WIDTH - RIGHT + 30,
              legendY,
              s.color(),
              WIDTH - RIGHT + 35,
              legendY + 4,
              Html.escape(s.name())));
      return true;
    }
  }
}
