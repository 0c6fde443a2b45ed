package io.sparkprop.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparkprop.report.Numbers;
import io.sparkprop.spark.run.LossBound;
import org.junit.jupiter.api.Test;

/**
 * A training loss that grows far past its lowest is divergence though it is finite; losses print
 * compactly however large or small.
 */
class LossBoundTest {
  private static TrainingListener.EpochEnd epoch(int epoch, double loss) {
    return new TrainingListener.EpochEnd(
        epoch, 10, epoch * 5, 50, loss, 0.1, 1000, System.nanoTime(), "", new double[1]);
  }

  @Test
  void lossGrownPastTheBound_isDivergence() {
    LossBound bound = new LossBound(1000);
    bound.onEpochEnd(epoch(1, 47.0));
    bound.onEpochEnd(epoch(2, 30.0));
    bound.onEpochEnd(epoch(3, 29_999.0)); // below 1000 × 30: a bad epoch, not yet divergence
    DivergenceException e =
        assertThrows(DivergenceException.class, () -> bound.onEpochEnd(epoch(4, 1e53)));
    assertEquals(
        "training diverged at step 20: the training loss grew from 30.00000 to 1.0000e+53, past"
            + " --max-loss-growth 1000.00000 × max(lowest, 1) (try a smaller --learning-rate)",
        e.getMessage());
  }

  @Test
  void smallLosses_areMeasuredAgainstOne() {
    LossBound bound = new LossBound(1000);
    bound.onEpochEnd(epoch(1, 1e-6));
    bound.onEpochEnd(epoch(2, 0.5)); // grew 500 000×, but below 1000 × 1
    assertThrows(DivergenceException.class, () -> bound.onEpochEnd(epoch(3, 1001)));
  }

  @Test
  void losses_printCompactly() {
    assertEquals("0.05542", Numbers.loss(0.055421));
    assertEquals("47.10000", Numbers.loss(47.1));
    assertEquals("1.0000e+53", Numbers.loss(1e53));
    assertEquals("3.2000e-07", Numbers.loss(3.2e-7));
    assertEquals("0.00000", Numbers.loss(0));
    assertEquals("NaN", Numbers.loss(Double.NaN));
  }
}
