package io.sparkprop.spark;

import io.sparkprop.data.ExampleBlock;
import io.sparkprop.nn.ParameterLayout;
import io.sparkprop.optim.GradientClipping;
import io.sparkprop.optim.Lbfgs;
import io.sparkprop.optim.Objective;
import io.sparkprop.optim.Optimizer;
import io.sparkprop.optim.OptimizerSpec;
import io.sparkprop.optim.WeightDecay;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one training step moves the weights, the same call for every optimizer so there is one
 * training loop: a first-order step takes one gradient pass and one update; an L-BFGS step is one
 * iteration, whose line search takes a gradient pass per trial point. Either way the gradient is
 * the exact mean over the examples the pass summed, plus L2 weight decay (λ/2)Σw² on the weights.
 */
sealed interface StepRule permits StepRule.FirstOrderStep, StepRule.LbfgsIteration {

  /**
   * What one step did.
   *
   * @param loss the step's cost for the epoch's mean: a first-order step's cost before its update
   *     (NaN when its sample was empty), an L-BFGS iteration's cost after it
   * @param examples the examples its gradient passes summed, 0 for an empty sample
   * @param learningRate η of the step, NaN for L-BFGS
   * @param note appended to the epoch's progress line
   * @param finished why no further step can help, or null to go on
   */
  record Outcome(double loss, long examples, double learningRate, String note, String finished) {}

  /** Takes step {@code step} (1-based), updating {@code weights} in place. */
  Outcome take(int step, double[] weights);

  /** The rule's state as named arrays, for checkpoints. */
  Map<String, double[]> exportState();

  /** Restores what {@link #exportState()} gave. */
  void restoreState(Map<String, double[]> state);

  /** The rule {@code config}'s optimizer calls for, taking its gradients from {@code pass}. */
  static StepRule create(TrainerConfig config, GradientPass pass, JavaRDD<ExampleBlock> train) {
    ParameterLayout layout = config.network().layout();
    OptimizerSpec spec = config.optimizer();
    WeightDecay decay =
        new WeightDecay(spec.weightDecay(), layout.weightOffsets(), layout.weightCounts());
    if (spec.kind() == OptimizerSpec.Kind.LBFGS) {
      return new LbfgsIteration(config, pass, train, decay);
    }
    return new FirstOrderStep(config, pass, train, decay);
  }

  /**
   * @throws DivergenceException naming the step when the loss or a gradient entry is not finite
   */
  static void checkFinite(int step, double loss, double[] gradient) {
    if (!Double.isFinite(loss)) {
      throw new DivergenceException(step, "the loss is " + loss);
    }
    for (int i = 0; i < gradient.length; i++) {
      if (!Double.isFinite(gradient[i])) {
        throw new DivergenceException(step, "gradient entry " + i + " is " + gradient[i]);
      }
    }
  }

  /**
   * g = ∂C/∂w (exact 1/m mean) + λw, clipped to the maximum norm; then the optimizer's update with
   * the step's scheduled η. A step whose sample is empty leaves the weights alone.
   */
  final class FirstOrderStep implements StepRule {
    private static final Logger LOG = LoggerFactory.getLogger(FirstOrderStep.class);
    private final TrainerConfig config;
    private final GradientPass pass;
    private final JavaRDD<ExampleBlock> train;
    private final WeightDecay decay;
    private final Optimizer optimizer;

    FirstOrderStep(
        TrainerConfig config, GradientPass pass, JavaRDD<ExampleBlock> train, WeightDecay decay) {
      this.config = config;
      this.pass = pass;
      this.train = train;
      this.decay = decay;
      this.optimizer = config.optimizer().create(config.network().numParameters());
    }

    @Override
    public Outcome take(int step, double[] weights) {
      double learningRate = config.optimizer().learningRate(step, config.steps());
      GradientSum sum = pass.sum(train, weights, step);
      if (sum.count() == 0) {
        LOG.warn("step {} sampled no examples; raise --batch-fraction", step);
        return new Outcome(Double.NaN, 0, learningRate, "", null);
      }
      if (sum.weight() == 0) {
        LOG.warn("step {} sampled only examples of weight 0; it changes nothing", step);
        return new Outcome(Double.NaN, 0, learningRate, "", null);
      }
      double[] gradient = sum.takeMeanGradient();
      double loss = sum.meanLoss() + decay.apply(weights, gradient);
      checkFinite(step, loss, gradient);
      GradientClipping.clipToNorm(gradient, config.optimizer().clipNorm());
      optimizer.step(weights, gradient, learningRate);
      return new Outcome(loss, sum.count(), learningRate, pass.lastTraffic(), null);
    }

    @Override
    public Map<String, double[]> exportState() {
      return optimizer.exportState();
    }

    @Override
    public void restoreState(Map<String, double[]> state) {
      optimizer.restoreState(state);
    }
  }

  /**
   * One full-batch L-BFGS iteration: every cost evaluation of its line search is one gradient pass.
   * Training ends early when an iteration lowers the cost by less than the tolerance, relative to
   * max(|C|, 1), or cannot lower it at all.
   */
  final class LbfgsIteration implements StepRule {
    private final TrainerConfig config;
    private final GradientPass pass;
    private final Lbfgs lbfgs;
    private final Objective cost;
    private long examples;

    /** C and ∇C at the current weights; null until the first iteration evaluates them. */
    private double[] gradient;

    private double value;

    LbfgsIteration(
        TrainerConfig config, GradientPass pass, JavaRDD<ExampleBlock> train, WeightDecay decay) {
      this.config = config;
      this.pass = pass;
      this.lbfgs = config.optimizer().lbfgs(config.network().numParameters());
      this.cost =
          (w, g) -> {
            // Full batch (TrainerConfig refuses L-BFGS with sampling): no step selects a sample.
            GradientSum sum = pass.sum(train, w, 1);
            System.arraycopy(sum.takeMeanGradient(), 0, g, 0, g.length);
            examples += sum.count();
            return sum.meanLoss() + decay.apply(w, g);
          };
    }

    @Override
    public Outcome take(int step, double[] weights) {
      examples = 0;
      if (gradient == null) {
        gradient = new double[weights.length];
        value = cost.evaluate(weights, gradient);
        checkFinite(step - 1, value, gradient);
      }
      // A line-search trial may overflow; the search backs off from it. Only accepted points count.
      double next = lbfgs.iterate(weights, value, gradient, cost);
      checkFinite(step, next, gradient);
      boolean stalled = next == value;
      boolean converged =
          Math.abs(value - next) < config.optimizer().tolerance() * Math.max(Math.abs(next), 1);
      value = next;
      String finished =
          stalled || converged
              ? "lbfgs "
                  + (stalled ? "cannot lower the cost" : "converged")
                  + " after "
                  + step
                  + " iterations: cost "
                  + next
              : null;
      return new Outcome(
          next,
          examples,
          Double.NaN,
          " (" + lbfgs.evaluations() + " passes)" + pass.lastTraffic(),
          finished);
    }

    @Override
    public Map<String, double[]> exportState() {
      return lbfgs.exportState();
    }

    @Override
    public void restoreState(Map<String, double[]> state) {
      lbfgs.restoreState(state);
    }
  }
}
