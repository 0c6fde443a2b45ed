package io.sparkprop.spark.eval;

import io.sparkprop.data.DataShape;
import io.sparkprop.data.DataSource;
import io.sparkprop.data.Example;
import io.sparkprop.data.ExampleBlock;
import io.sparkprop.nn.Network;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.nn.Workspace;
import io.sparkprop.spark.BlockFunction;
import io.sparkprop.spark.WeightArray;
import io.sparkprop.spark.WeightsBroadcast;
import io.sparkprop.spark.load.DataLoader;
import io.sparkprop.spark.load.Datasets;
import io.sparkprop.spark.load.ReadRows;
import io.sparkprop.spark.load.StagedOutput;
import io.sparkprop.spark.load.TableLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;

/**
 * Writes a prediction for every input row (see {@link PredictionRows} for the columns), as text
 * lines in input order or as a table, carrying the table input's key columns through so the output
 * joins back on them. The output appears at its path only once complete: it is written beside it
 * under a hidden name and renamed into place, and removed if the job fails.
 */
public final class Predictor {
  private Predictor() {}

  /**
   * Where and how predictions are written.
   *
   * @param path the path to create; must not exist
   * @param format how to write; text keeps the input's order in its part files
   * @param keepCols table input only: columns carried from each input row to its prediction
   * @param partitions file input only: the partitions (and part files) the input is split into, in
   *     order; 0 keeps its natural split
   */
  public record Output(
      String path, PredictionFormat format, List<String> keepCols, int partitions) {
    /** Text lines at {@code path}, in the input's natural split. */
    public static Output text(String path) {
      return new Output(path, PredictionFormat.TEXT, List.of(), 0);
    }
  }

  /** Text lines, without kept columns: the output predict has always written for text input. */
  public static void predict(
      JavaSparkContext jsc,
      NetworkSpec spec,
      double[] weights,
      DataSource input,
      int blockSize,
      String output) {
    predict(jsc, spec, weights, input, blockSize, Output.text(output));
  }

  /**
   * @throws IllegalArgumentException for kept columns without table input, or partitions with it
   */
  public static void predict(
      JavaSparkContext jsc,
      NetworkSpec spec,
      double[] weights,
      DataSource input,
      int blockSize,
      Output output) {
    if (!output.keepCols().isEmpty() && input.table() == null) {
      throw new IllegalArgumentException("only table input has columns to keep");
    }
    if (output.partitions() > 0 && input.table() != null) {
      throw new IllegalArgumentException("a table is read in Spark's own splits");
    }
    DataShape shape = Datasets.shapeOf(spec);
    PredictionRows rows = new PredictionRows(spec, shape, output.format());
    StagedOutput.write(
        output.path(),
        jsc.hadoopConfiguration(),
        staging ->
            WeightsBroadcast.waiting(jsc)
                .run(
                    weights,
                    broadcast -> {
                      write(jsc, spec, broadcast, input, blockSize, rows, output, staging);
                      return null;
                    }));
  }

  private static void write(
      JavaSparkContext jsc,
      NetworkSpec spec,
      Broadcast<WeightArray> weights,
      DataSource input,
      int blockSize,
      PredictionRows rows,
      Output output,
      String staging) {
    DataShape shape = Datasets.shapeOf(spec);
    JavaRDD<Row> predicted;
    StructType kept;
    if (input.table() != null) {
      TableLoader.Opened opened =
          TableLoader.open(jsc, input, shape, false, output.keepCols(), null);
      kept = opened.kept();
      predicted =
          opened
              .rows()
              .mapPartitionsWithIndex(
                  new PredictRows(spec, weights, blockSize, shape, rows, opened.reader()), true);
    } else {
      kept = new StructType();
      predicted =
          DataLoader.loadInOrder(jsc, input, shape, output.partitions(), blockSize)
              .mapPartitions(new PredictBlocks(spec, weights, blockSize, rows));
    }
    if (output.format() == PredictionFormat.TEXT) {
      predicted.map(r -> r.getString(0)).saveAsTextFile(staging);
    } else {
      TableLoader.session(jsc)
          .createDataFrame(predicted, rows.schema(kept))
          .write()
          .format(output.format().id())
          .option("header", "true")
          .save(staging);
    }
  }

  /** One partition's predictions for cached or loaded blocks, a block's worth at a time. */
  private static final class PredictBlocks extends BlockFunction<Row> {
    private static final long serialVersionUID = 1L;
    private final PredictionRows rows;

    PredictBlocks(
        NetworkSpec spec, Broadcast<WeightArray> weights, int blockSize, PredictionRows rows) {
      super(spec, weights, blockSize);
      this.rows = rows;
    }

    @Override
    public Iterator<Row> call(Iterator<ExampleBlock> blocks) {
      Network network = new Network(spec);
      Workspace<double[]> workspace = Workspace.of(spec, blockSize);
      double[] w = weights.value().values();
      return new BlockRows(
          () -> {
            if (!blocks.hasNext()) {
              return null;
            }
            ExampleBlock block = blocks.next();
            return rows.rows(network, workspace, w, block, null);
          });
    }
  }

  /**
   * One partition's predictions for a table's rows: the rows are converted and checked as for
   * training, gathered into blocks with their kept values, and predicted a block at a time.
   */
  private static final class PredictRows
      implements Function2<Integer, Iterator<InternalRow>, Iterator<Row>> {
    private static final long serialVersionUID = 1L;
    private final NetworkSpec spec;
    private final Broadcast<WeightArray> weights;
    private final int blockSize;
    private final DataShape shape;
    private final PredictionRows rows;
    private final ReadRows reader;

    PredictRows(
        NetworkSpec spec,
        Broadcast<WeightArray> weights,
        int blockSize,
        DataShape shape,
        PredictionRows rows,
        ReadRows reader) {
      this.spec = spec;
      this.weights = weights;
      this.blockSize = blockSize;
      this.shape = shape;
      this.rows = rows;
      this.reader = reader;
    }

    @Override
    public Iterator<Row> call(Integer partition, Iterator<InternalRow> input) {
      ReadRows.Examples examples = reader.read(partition, input);
      Network network = new Network(spec);
      Workspace<double[]> workspace = Workspace.of(spec, blockSize);
      double[] w = weights.value().values();
      List<Example> gathered = new ArrayList<>(blockSize);
      Object[][] kept = new Object[blockSize][];
      return new BlockRows(
          () -> {
            gathered.clear();
            while (gathered.size() < blockSize && examples.hasNext()) {
              gathered.add(examples.next());
              kept[gathered.size() - 1] = examples.kept();
            }
            if (gathered.isEmpty()) {
              return null;
            }
            ExampleBlock block =
                ExampleBlock.pack(gathered.iterator(), shape, blockSize, false).next();
            return rows.rows(network, workspace, w, block, examples.kept() == null ? null : kept);
          });
    }
  }

  /** The rows of one block after another, each block's asked for when the last is used up. */
  private static final class BlockRows implements Iterator<Row> {
    private final java.util.function.Supplier<List<Row>> nextBlock;
    private Iterator<Row> current = Collections.emptyIterator();
    private boolean done;

    BlockRows(java.util.function.Supplier<List<Row>> nextBlock) {
      this.nextBlock = nextBlock;
    }

    @Override
    public boolean hasNext() {
      while (!current.hasNext() && !done) {
        List<Row> block = nextBlock.get();
        if (block == null) {
          done = true;
        } else {
          current = block.iterator();
        }
      }
      return current.hasNext();
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return current.next();
    }
  }
}
