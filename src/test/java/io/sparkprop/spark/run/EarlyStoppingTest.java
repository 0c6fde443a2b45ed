package io.sparkprop.spark.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EarlyStoppingTest {

  @Test
  void observe_noImprovementForPatienceEpochs_stopsAndKeepsBest() {
    EarlyStopping stopping = new EarlyStopping(2, 0.0);
    assertFalse(stopping.observe(1, 1.0, new double[] {1}));
    assertFalse(stopping.observe(2, 0.8, new double[] {2}));
    assertFalse(stopping.observe(3, 0.85, new double[] {3}));
    assertTrue(stopping.observe(4, 0.9, new double[] {4}), "two epochs without improvement");
    assertEquals(2, stopping.bestEpoch());
    assertArrayEquals(new double[] {2}, stopping.bestWeights());
  }

  @Test
  void observe_improvementSmallerThanMinDelta_doesNotCount() {
    EarlyStopping stopping = new EarlyStopping(1, 0.1);
    assertFalse(stopping.observe(1, 1.0, new double[] {1}));
    assertTrue(stopping.observe(2, 0.95, new double[] {2}));
    assertEquals(1, stopping.bestEpoch());
  }

  @Test
  void observe_keptWeights_areACopy() {
    EarlyStopping stopping = new EarlyStopping(0, 0.0);
    double[] weights = {1, 2};
    stopping.observe(1, 1.0, weights);
    weights[0] = 99;
    assertArrayEquals(new double[] {1, 2}, stopping.bestWeights());
    assertFalse(stopping.observe(2, 5.0, weights), "patience 0 never stops");
  }
}
