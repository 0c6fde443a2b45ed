package io.sparkprop.spark.run;

import io.sparkprop.report.EpochStats;
import io.sparkprop.report.Numbers;
import io.sparkprop.spark.TrainingListener;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a line at the end of every epoch (losses, accuracies, learning rate) and every few steps
 * within long epochs (the step's loss), each with throughput, elapsed time and the time left.
 */
public final class ProgressLog implements TrainingListener {
  private static final Logger LOG = LoggerFactory.getLogger(ProgressLog.class);
  private final int logEvery;

  /**
   * @param logEvery log every this many steps within an epoch; 0 picks about five lines per epoch
   *     for epochs of 20 steps or more, none for shorter ones
   * @param stepsPerEpoch the steps an epoch takes
   */
  public ProgressLog(int logEvery, int stepsPerEpoch) {
    if (logEvery < 0) {
      throw new IllegalArgumentException("log-every must be 0 or positive, found " + logEvery);
    }
    this.logEvery =
        logEvery > 0 ? logEvery : stepsPerEpoch >= 20 ? stepsPerEpoch / 5 : Integer.MAX_VALUE;
  }

  @Override
  public void onEpochEnd(EpochEnd epoch) {
    LOG.info(epochLine(epoch.stats(), epoch.epochs(), epoch.steps()) + epoch.note());
  }

  @Override
  public void onStepEnd(StepEnd s) {
    if (!s.endsEpoch() && s.stepInEpoch() % logEvery == 0 && s.examples() > 0) {
      LOG.info(
          String.format(
                  Locale.ROOT,
                  "epoch %d/%d step %d/%d loss %s",
                  s.epoch(),
                  s.epochs(),
                  s.step(),
                  s.steps(),
                  Numbers.loss(s.loss()))
              + tail(s.examplesPerSecond(), s.elapsedSeconds(), s.step(), s.steps()));
    }
  }

  static String epochLine(EpochStats s, int epochs, int steps) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "epoch %d/%d step %d/%d train loss %s",
            s.epoch(),
            epochs,
            s.step(),
            steps,
            Numbers.loss(s.trainLoss())));
    if (!Double.isNaN(s.validationLoss())) {
      sb.append(" val loss ").append(Numbers.loss(s.validationLoss()));
    }
    if (!Double.isNaN(s.validationAccuracy())) {
      sb.append(String.format(Locale.ROOT, " val accuracy %.2f%%", 100 * s.validationAccuracy()));
    }
    if (!Double.isNaN(s.testLoss())) {
      sb.append(" test loss ").append(Numbers.loss(s.testLoss()));
    }
    if (!Double.isNaN(s.testAccuracy())) {
      sb.append(String.format(Locale.ROOT, " test accuracy %.2f%%", 100 * s.testAccuracy()));
    }
    if (!Double.isNaN(s.learningRate())) {
      sb.append(String.format(Locale.ROOT, " lr %.3g", s.learningRate()));
    }
    return sb.append(tail(s.examplesPerSecond(), s.elapsedSeconds(), s.step(), steps)).toString();
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
