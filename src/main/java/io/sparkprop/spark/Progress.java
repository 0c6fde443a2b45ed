package io.sparkprop.spark;

import java.util.Locale;

/** Formats progress lines: epoch, step, losses, accuracy, throughput, elapsed time and ETA. */
final class Progress {
  private Progress() {}

  static String epochLine(EpochStats s, int epochs, int steps) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "epoch %d/%d step %d/%d train loss %.5f",
            s.epoch(),
            epochs,
            s.step(),
            steps,
            s.trainLoss()));
    if (!Double.isNaN(s.validationLoss())) {
      sb.append(String.format(Locale.ROOT, " val loss %.5f", s.validationLoss()));
    }
    if (!Double.isNaN(s.validationAccuracy())) {
      sb.append(String.format(Locale.ROOT, " val accuracy %.2f%%", 100 * s.validationAccuracy()));
    }
    if (!Double.isNaN(s.testLoss())) {
      sb.append(String.format(Locale.ROOT, " test loss %.5f", s.testLoss()));
    }
    if (!Double.isNaN(s.testAccuracy())) {
      sb.append(String.format(Locale.ROOT, " test accuracy %.2f%%", 100 * s.testAccuracy()));
    }
    if (!Double.isNaN(s.learningRate())) {
      sb.append(String.format(Locale.ROOT, " lr %.3g", s.learningRate()));
    }
    return sb.append(tail(s.examplesPerSecond(), s.elapsedSeconds(), s.step(), steps)).toString();
  }

  static String stepLine(
      int epoch,
      int epochs,
      int step,
      int steps,
      double loss,
      double examplesPerSecond,
      double elapsed) {
    return String.format(
            Locale.ROOT, "epoch %d/%d step %d/%d loss %.5f", epoch, epochs, step, steps, loss)
        + tail(examplesPerSecond, elapsed, step, steps);
  }

  private static String tail(double examplesPerSecond, double elapsed, int step, int steps) {
    double eta = elapsed / step * (steps - step);
    return String.format(
        Locale.ROOT,
        " | %.0f examples/s elapsed %s eta %s",
        examplesPerSecond,
        clock(elapsed),
        clock(eta));
  }

  static String clock(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600
        ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
