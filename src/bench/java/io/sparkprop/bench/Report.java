package io.sparkprop.bench;

import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Blas;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The benchmark's figures, as a Markdown table and an SVG bar chart. */
final class Report {
  /**
   * Gradient-pass samples of one architecture, both sides, and its GEMM limit; for our passes also
   * the mean CPU seconds of each pass's tasks (one per partition).
   */
  record Passes(
      String layers,
      int parameters,
      List<Double> ours,
      List<Double> oursFloat32,
      List<Double> mllib,
      List<Double> oursTaskCpu,
      List<Double> oursFloat32TaskCpu,
      double gemmFlopsPerExample,
      double rooflineFlops,
      double sgemmRooflineFlops) {}

  private final String sparkVersion;
  private final int cores;
  double loadSeconds;
  long examples;
  int features;
  double meanStoredRows;
  long oursCachedBytes;
  long mllibCachedBytes;
  final List<Passes> passes = new ArrayList<>();
  final List<Ours.Run> runs = new ArrayList<>();
  StepOverhead.Result overhead;
  Torch.Figures torch;
  String torchAbsent;
  Ours.Run confRun;

  Report(String sparkVersion, int cores) {
    this.sparkVersion = sparkVersion;
    this.cores = cores;
  }

  static double median(List<Double> xs) {
    List<Double> sorted = new ArrayList<>(xs);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : 0.5 * (sorted.get(n / 2 - 1) + sorted.get(n / 2));
  }

  static double min(List<Double> xs) {
    return xs.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
  }

  String markdown() {
    StringBuilder md = new StringBuilder();
    md.append(
        f(
            "Benchmark of %s: %d cores, local[2], Spark %s, BLAS %s, element-wise %s, Java %s; %d"
                + " training"
                + " examples in 2 partitions, block size 128 on both sides.%n%n",
            LocalDate.now(),
            cores,
            sparkVersion,
            Blas.description(),
            Activation.implementationName(),
            System.getProperty("java.version"),
            examples));
    md.append("| gradient pass (s) | sparkprop median | min | MLlib median | min | speed-up |")
        .append(" sparkprop GFLOP/s (6 × params × m) | GEMM GFLOP/s performed |")
        .append(" dgemm roofline GFLOP/s | of roofline |\n");
    md.append("|---|---|---|---|---|---|---|---|---|---|\n");
    for (Passes p : passes) {
      row(md, p.layers(), p.ours(), p.mllib(), p, p.rooflineFlops());
    }
    md.append("\n| gradient pass (s) | sparkprop float32 median | min | MLlib median | min |")
        .append(" speed-up | sparkprop GFLOP/s | GEMM GFLOP/s performed | sgemm roofline GFLOP/s |")
        .append(" of roofline |\n");
    md.append("|---|---|---|---|---|---|---|---|---|---|\n");
    for (Passes p : passes) {
      row(md, p.layers(), p.oursFloat32(), p.mllib(), p, p.sgemmRooflineFlops());
    }
    md.append(
        "\n| within the tasks (ms a partition) | double task CPU | GEMMs at the roofline |"
            + " of roofline | float32 task CPU | GEMMs at the roofline | of roofline |\n");
    md.append("|---|---|---|---|---|---|---|\n");
    for (Passes p : passes) {
      double gemm = 1e3 * gemmSeconds(p, p.rooflineFlops());
      double sgemm = 1e3 * gemmSeconds(p, p.sgemmRooflineFlops());
      double cpu = 1e3 * median(p.oursTaskCpu());
      double floatCpu = 1e3 * median(p.oursFloat32TaskCpu());
      md.append(
          f(
              "| %s | %.0f | %.0f | %.0f %% | %.0f | %.0f | %.0f %% |%n",
              p.layers(), cpu, gemm, 100 * gemm / cpu, floatCpu, sgemm, 100 * sgemm / floatCpu));
    }
    md.append(
        f(
            "%nCached training data: sparkprop %.2f bytes per feature per example (loading and"
                + " caching %.1f s, once); MLlib %.2f (its DataFrame cache plus the blocks its fit"
                + " persists).%n",
            (double) oursCachedBytes / examples / features,
            loadSeconds,
            (double) mllibCachedBytes / examples / features));
    if (overhead != null) {
      md.append(
          f(
              "%nA sampled step (784-128-10, %.0f %% of the examples): %.1f ms on the driver's"
                  + " clock; a job of the same shape that computes nothing takes %.1f ms, %.1f ms"
                  + " with the broadcast of the weights (medians).%n",
              100 * overhead.fraction(),
              overhead.step(),
              overhead.emptyJob(),
              overhead.withBroadcast()));
    }
    if (!runs.isEmpty()) {
      md.append("\n| to 97 % test accuracy | seconds to 97 % | final accuracy | run seconds |\n");
      md.append("|---|---|---|---|\n");
      for (Ours.Run r : runs) {
        md.append(
            f(
                "| %s | %s | %.2f %% | %.1f |%n",
                r.name(),
                Double.isNaN(r.secondsToTarget()) ? "not reached" : f("%.1f", r.secondsToTarget()),
                100 * r.finalAccuracy(),
                r.seconds()));
      }
      md.append(
          "\nMLlib's time is its whole fit (it can report accuracy only at the end); sparkprop's is"
              + " the time to the first epoch at 97 %, test evaluations included.\n");
    }
    md.append(torchSection());
    md.append(
        "\nA pass is one broadcast of the weights and one treeAggregate of the gradient over all"
            + " examples, timed as the Spark job from its start to its end (scheduler"
            + " timestamps): for MLlib the jobs of its gd solver, one per iteration, the first"
            + " left out (its stacked blocks are cached by an earlier count job). Both sides"
            + " alternate, after a first round for each that warms the JIT up and is not"
            + " counted. The roofline runs one block's dgemm (or sgemm) calls (the pass's"
            + " shapes) on both cores at once, in every recorded round, and keeps the best"
            + " rate; \"of roofline\" is the time those GEMMs need at that rate for the whole"
            + " pass, over the pass's median time; within the tasks, the time one partition's"
            + " share of them needs (the roofline is both cores' rate, the share one"
            + " partition's) over the median CPU time of the pass's tasks, which leaves out"
            + " Spark's scheduling and any wait for a core. A cached block leaves out the feature rows"
            + f(
                " that are zero in all its examples: the first layer's GEMMs run on %.1f of the %d"
                    + " rows on average, so the GEMMs performed (\"GEMM GFLOP/s performed\", and"
                    + " the roofline's shapes) are fewer than 6 × params × m.%n",
                meanStoredRows, features));
    return md.toString();
  }

  /**
   * PyTorch beside sparkprop, as time ratios (sparkprop's seconds over PyTorch's; below 1 is
   * faster), with the targets: time to 97 % at most PyTorch's, conf/mnist.properties' run
   * at ≥ 98 % within twice PyTorch's time for the same network's 10 epochs.
   */
  private String torchSection() {
    if (torch == null) {
      return torchAbsent == null
          ? ""
          : f("%nPyTorch: not measured (%s; see docs/benchmark.md).%n", torchAbsent);
    }
    StringBuilder md = new StringBuilder();
    md.append(
        f(
            "%n| against PyTorch %s on %d threads | PyTorch | sparkprop | sparkprop ÷ PyTorch |%n",
            torch.version(), torch.threads()));
    md.append("|---|---|---|---|\n");
    Passes small = passes.get(0);
    double ours64 = median(small.ours());
    double ours32 = median(small.oursFloat32());
    md.append(
        f(
            "| full gradient pass, %s sigmoid, float64 (median) | %.3f s | %.3f s | %.2f |%n",
            small.layers(), torch.passFloat64(), ours64, ours64 / torch.passFloat64()));
    md.append(
        f(
            "| the same in float32 | %.3f s | %.3f s | %.2f |%n",
            torch.passFloat32(), ours32, ours32 / torch.passFloat32()));
    Ours.Run fastest = fastestTo97();
    if (fastest != null) {
      md.append(
          f(
              "| time to 97 %% (PyTorch: 784-128-10 ReLU, momentum, batch 128, epoch %d; sparkprop:"
                  + " its fastest run above) | %.2f s | %.2f s | %.2f (target ≤ 1) |%n",
              torch.epochTo97(),
              torch.to97(),
              fastest.secondsToTarget(),
              fastest.secondsToTarget() / torch.to97()));
    }
    if (confRun != null) {
      md.append(
          f(
              "| 784-256-128-10 with Adam, cosine and L2 (PyTorch: batch 240, 10 epochs; sparkprop:"
                  + " conf/mnist.properties) | %.1f s, %.2f %% | %.1f s, %.2f %% | %.2f (target ≤ 2"
                  + " at ≥ 98 %%) |%n",
              torch.confSeconds(),
              100 * torch.confAccuracy(),
              confRun.seconds(),
              100 * confRun.finalAccuracy(),
              confRun.seconds() / torch.confSeconds()));
    }
    return md.toString();
  }

  /** The sparkprop run that reached 97 % soonest, or null. */
  private Ours.Run fastestTo97() {
    Ours.Run fastest = null;
    for (Ours.Run r : runs) {
      if (r.name().startsWith("sparkprop")
          && !Double.isNaN(r.secondsToTarget())
          && (fastest == null || r.secondsToTarget() < fastest.secondsToTarget())) {
        fastest = r;
      }
    }
    return fastest;
  }

  private void row(
      StringBuilder md,
      String layers,
      List<Double> ours,
      List<Double> mllib,
      Passes p,
      double roofline) {
    double median = median(ours);
    double theirs = median(mllib);
    double nominal = 6.0 * p.parameters() * examples / median / 1e9;
    double performed = p.gemmFlopsPerExample() * examples;
    double gemmTime = gemmSeconds(p, roofline);
    md.append(
        f(
            "| %s | %.3f | %.3f | %.3f | %.3f | %.2f× | %.1f | %.1f | %.1f | %.0f %% |%n",
            layers,
            median,
            min(ours),
            theirs,
            min(mllib),
            theirs / median,
            nominal,
            performed / median / 1e9,
            roofline / 1e9,
            100 * gemmTime / median));
  }

  /**
   * Seconds the pass's GEMMs need at the roofline rate: for all examples on both cores, which is
   * also one partition's share on one core when there are as many partitions as cores.
   */
  private double gemmSeconds(Passes p, double roofline) {
    return p.gemmFlopsPerExample() * examples / roofline;
  }

  /** Median seconds per pass, side by side for each architecture. */
  String chart() {
    int width = 560;
    int barHeight = 22;
    int left = 150;
    double max = 0;
    for (Passes p : passes) {
      max = Math.max(max, Math.max(median(p.ours()), median(p.mllib())));
    }
    int height = 40 + passes.size() * (3 * barHeight + 20);
    StringBuilder svg = new StringBuilder();
    svg.append(
        f(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " font-family=\"sans-serif\" font-size=\"12\">%n",
            width, height));
    svg.append("<text x=\"10\" y=\"20\">seconds per full-data gradient pass (median)</text>\n");
    int y = 35;
    for (Passes p : passes) {
      svg.append(f("<text x=\"10\" y=\"%d\">%s</text>%n", y + barHeight, p.layers()));
      y = bar(svg, y, left, width, max, "sparkprop", median(p.ours()), "#1f77b4", barHeight);
      y =
          bar(
              svg,
              y,
              left,
              width,
              max,
              "sparkprop float32",
              median(p.oursFloat32()),
              "#2ca02c",
              barHeight);
      y = bar(svg, y, left, width, max, "MLlib", median(p.mllib()), "#d62728", barHeight);
      y += 20;
    }
    return svg.append("</svg>\n").toString();
  }

  private static int bar(
      StringBuilder svg,
      int y,
      int left,
      int width,
      double max,
      String name,
      double value,
      String color,
      int height) {
    int length = (int) Math.round((width - left - 90) * value / max);
    svg.append(
        f(
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>%n",
            left, y, length, height - 4, color));
    svg.append(
        f(
            "<text x=\"%d\" y=\"%d\">%s %.3f s</text>%n",
            left + length + 5, y + height - 8, name, value));
    return y + height;
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
