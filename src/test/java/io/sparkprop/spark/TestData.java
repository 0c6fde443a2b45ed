package io.sparkprop.spark;

import io.sparkprop.Weights;
import io.sparkprop.data.Example;
import io.sparkprop.data.ExampleBlock;
import io.sparkprop.data.Sparsity;
import io.sparkprop.nn.Network;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.nn.Workspace;
import io.sparkprop.spark.load.Datasets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/** Random examples and blocks of chosen, uneven sizes. */
public final class TestData {
  private TestData() {}

  /**
   * {@code count} examples with features in [−1, 1) and one-hot targets of random classes. Like
   * image borders, the first feature is zero except in every 7th example and the last except in
   * every 11th, so some blocks store all rows and others leave one or two out.
   */
  public static List<Example> examples(NetworkSpec spec, int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Example> examples = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      double[] x = new double[spec.numInputs()];
      for (int f = 0; f < x.length; f++) {
        x[f] = 2 * random.nextDouble() - 1;
      }
      if (i % 7 != 0) {
        x[0] = 0;
      }
      if (i % 11 != 0 && x.length > 1) {
        x[x.length - 1] = 0;
      }
      double[] y = new double[spec.numOutputs()];
      y[random.nextInt(y.length)] = 1.0;
      examples.add(new Example(1000 + 7L * i, y, null, x));
    }
    return examples;
  }

  /** Packs examples into consecutive blocks of the given sizes (which must sum to the count). */
  public static List<ExampleBlock> blocks(NetworkSpec spec, List<Example> examples, int... sizes) {
    return blocks(spec, examples, Sparsity.OFF, sizes);
  }

  /** Like {@link #blocks(NetworkSpec, List, int...)}, packed with the given sparsity. */
  public static List<ExampleBlock> blocks(
      NetworkSpec spec, List<Example> examples, Sparsity sparsity, int... sizes) {
    List<ExampleBlock> blocks = new ArrayList<>();
    int start = 0;
    for (int size : sizes) {
      blocks.add(
          ExampleBlock.pack(
                  examples.subList(start, start + size).iterator(),
                  Datasets.shapeOf(spec),
                  size,
                  false,
                  sparsity)
              .next());
      start += size;
    }
    if (start != examples.size()) {
      throw new IllegalArgumentException("sizes sum to " + start + ", not " + examples.size());
    }
    return blocks;
  }

  /**
   * The reference gradient: the examples {@code keep} selects, one at a time in this JVM through
   * the dense path, summed, divided by their count.
   */
  public static double[] singleJvmMeanGradient(
      NetworkSpec spec, List<Example> examples, double[] weights, Predicate<Example> keep) {
    return singleJvmMean(spec, examples, weights, keep, false);
  }

  /**
   * The scale of {@link #singleJvmMeanGradient}'s rounding: entry by entry, the mean of the
   * examples' gradients' absolute values. Summing m terms in any order is exact up to about m·2^−53
   * of this (Higham, <i>Accuracy and Stability of Numerical Algorithms</i>, §4.2), however much the
   * terms cancel.
   */
  public static double[] singleJvmMeanAbsoluteGradient(
      NetworkSpec spec, List<Example> examples, double[] weights, Predicate<Example> keep) {
    return singleJvmMean(spec, examples, weights, keep, true);
  }

  private static double[] singleJvmMean(
      NetworkSpec spec,
      List<Example> examples,
      double[] weights,
      Predicate<Example> keep,
      boolean absolute) {
    Network network = new Network(spec);
    Workspace<double[]> workspace = Workspace.of(spec, 1);
    double[] sum = new double[weights.length];
    double[] one = new double[weights.length];
    int m = 0;
    for (Example e : examples) {
      if (keep.test(e)) {
        double[] x = new double[spec.numInputs()];
        ExampleBlock block = blocks(spec, List.of(e), 1).get(0);
        System.arraycopy(block.features(), 0, x, 0, x.length);
        Arrays.fill(one, 0);
        network.accumulateGradient(weights, x, e.target(), 1, workspace, one);
        for (int i = 0; i < sum.length; i++) {
          sum[i] += absolute ? Math.abs(one[i]) : one[i];
        }
        m++;
      }
    }
    for (int i = 0; i < sum.length; i++) {
      sum[i] /= m;
    }
    return sum;
  }

  /**
   * How far a step's mean gradient is from the single-JVM one, entry by entry, relative to the
   * entry's {@link #singleJvmMeanAbsoluteGradient scale}: a sum over other partitions, blocks and
   * merge orders differs only by rounding, well under 1e-12 of it for a few hundred examples.
   */
  public static double gradientError(
      NetworkSpec spec,
      List<Example> examples,
      double[] weights,
      Predicate<Example> keep,
      double[] actual) {
    return Weights.maxScaledError(
        singleJvmMeanGradient(spec, examples, weights, keep),
        actual,
        singleJvmMeanAbsoluteGradient(spec, examples, weights, keep));
  }
}
