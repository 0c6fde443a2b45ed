package io.sparkprop.spark;

import io.sparkprop.data.Example;
import io.sparkprop.data.ExampleBlock;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.spark.load.Datasets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

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
    List<ExampleBlock> blocks = new ArrayList<>();
    int start = 0;
    for (int size : sizes) {
      blocks.add(
          ExampleBlock.pack(
                  examples.subList(start, start + size).iterator(), Datasets.shapeOf(spec), size)
              .next());
      start += size;
    }
    if (start != examples.size()) {
      throw new IllegalArgumentException("sizes sum to " + start + ", not " + examples.size());
    }
    return blocks;
  }
}
