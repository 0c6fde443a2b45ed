package io.sparkprop.spark.eval;

import io.sparkprop.data.DataShape;
import io.sparkprop.data.DataSource;
import io.sparkprop.data.ExampleBlock;
import io.sparkprop.nn.Network;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.nn.Workspace;
import io.sparkprop.spark.BlockFunction;
import io.sparkprop.spark.WeightsBroadcast;
import io.sparkprop.spark.load.DataLoader;
import io.sparkprop.spark.load.Datasets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Writes one line of predictions per input row, in input order, as a directory of text part files
 * (read in name order they follow the input). A line is the predicted class then the output
 * activations, comma separated; for regression just the outputs.
 */
public final class Predictor {
  private Predictor() {}

  public static void predict(
      JavaSparkContext jsc,
      NetworkSpec spec,
      double[] weights,
      DataSource input,
      int blockSize,
      String outputDir) {
    DataShape shape = Datasets.shapeOf(spec);
    WeightsBroadcast.waiting(jsc)
        .run(
            weights,
            broadcast -> {
              DataLoader.load(jsc, input, shape, 0, blockSize, false)
                  .mapPartitions(
                      new PredictLines(spec, broadcast, blockSize, shape.isClassification()))
                  .saveAsTextFile(outputDir);
              return null;
            });
  }

  /** One partition's prediction lines, a block's worth at a time. */
  private static final class PredictLines extends BlockFunction<String> {
    private static final long serialVersionUID = 1L;
    private final boolean classification;

    PredictLines(
        NetworkSpec spec, Broadcast<double[]> weights, int blockSize, boolean classification) {
      super(spec, weights, blockSize);
      this.classification = classification;
    }

    @Override
    public Iterator<String> call(Iterator<ExampleBlock> blocks) {
      Network network = new Network(spec);
      Workspace<double[]> workspace = Workspace.of(spec, blockSize);
      double[] w = weights.value();
      // One block's lines at a time, so a partition's output is never held in memory whole.
      return new Iterator<>() {
        private Iterator<String> current = Collections.emptyIterator();

        @Override
        public boolean hasNext() {
          while (!current.hasNext() && blocks.hasNext()) {
            current = lines(network, workspace, w, blocks.next()).iterator();
          }
          return current.hasNext();
        }

        @Override
        public String next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          return current.next();
        }
      };
    }

    private List<String> lines(
        Network network, Workspace<double[]> workspace, double[] w, ExampleBlock block) {
      int outputs = spec.numOutputs();
      double[] x = storedFeatures(block, workspace);
      network.forward(w, x, block.storedRuns(), block.size(), workspace);
      double[] a = workspace.outputs();
      List<String> lines = new ArrayList<>(block.size());
      for (int j = 0; j < block.size(); j++) {
        StringBuilder line = new StringBuilder();
        if (classification) {
          line.append(Network.classOf(a, outputs, j));
        }
        for (int r = 0; r < outputs; r++) {
          if (line.length() > 0) {
            line.append(',');
          }
          line.append(String.format(Locale.ROOT, "%.6g", a[j * outputs + r]));
        }
        lines.add(line.toString());
      }
      return lines;
    }
  }
}
