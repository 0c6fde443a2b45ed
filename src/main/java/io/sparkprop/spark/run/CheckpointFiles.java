package io.sparkprop.spark.run;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkprop.model.AtomicFiles;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.optim.OptimizerSpec;
import io.sparkprop.report.EpochStats;
import io.sparkprop.spark.TrainingState;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run's checkpoints in a directory on any Hadoop file system: {@code
 * checkpoint-<fingerprint>-<step>.json}, format {@value #FORMAT} version {@value #VERSION}, each
 * written atomically. The run is what decides its path: the network, the optimizer, the seed and
 * whatever other settings the caller names ({@link #withRun}); the fingerprint is a hash of them,
 * so runs of other settings share the directory without touching each other's files. After each
 * write the newest {@code keep} of the run's own checkpoints stay. A JSON object with format,
 * version, step, epoch, network, optimizer, seed, run (the settings the fingerprint covers),
 * settings (every option, for whoever inspects it), weights (the flat array), state (named arrays)
 * and history. The state's names: the optimizer's arrays under {@code optimizer.}, the unfinished
 * epoch's {loss sum, examples} as {@code trainer.partialEpoch}, early stopping's {best loss, its
 * epoch, epochs since} as {@code earlyStopping.best} and its weights as {@code
 * earlyStopping.bestWeights}. This class alone writes and reads them.
 */
public final class CheckpointFiles {
  static final String FORMAT = "sparkprop-checkpoint";
  static final int VERSION = 2;
  private static final String OPTIMIZER = "optimizer.";
  private static final String PARTIAL_EPOCH = "trainer.partialEpoch";
  private static final String BEST = "earlyStopping.best";
  private static final String BEST_WEIGHTS = "earlyStopping.bestWeights";
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointFiles.class);

  /** Any checkpoint's name: this version's (fingerprint, step), or version 1's (step). */
  private static final Pattern NAME =
      Pattern.compile("checkpoint-(?:([0-9a-f]{" + Fingerprint.LENGTH + "})-)?(\\d+)\\.json");

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final String directory;
  private final int keep;
  private final Configuration conf;
  private final NetworkSpec spec;
  private final OptimizerSpec optimizer;
  private final long seed;
  private Map<String, String> settings = Map.of();
  private Map<String, String> run;
  private String fingerprint;

  /**
   * @param keep how many of the newest checkpoints to keep, at least 1
   */
  public CheckpointFiles(
      String directory,
      int keep,
      Configuration conf,
      NetworkSpec spec,
      OptimizerSpec optimizer,
      long seed) {
    if (keep < 1) {
      throw new IllegalArgumentException("checkpoints to keep must be at least 1, found " + keep);
    }
    this.directory = directory;
    this.keep = keep;
    this.conf = conf;
    this.spec = spec;
    this.optimizer = optimizer;
    this.seed = seed;
    withRun(Map.of());
  }

  /**
   * Names the settings beside the network, optimizer and seed that make a run what it is: a
   * checkpoint continues only a run with the same ones.
   */
  public CheckpointFiles withRun(Map<String, String> identity) {
    Map<String, String> all = new TreeMap<>(identity);
    all.put("network", spec.toString());
    all.put("optimizer", optimizer.kind().id());
    all.put("seed", Long.toString(seed));
    this.run = all;
    this.fingerprint = Fingerprint.of(all);
    return this;
  }

  /** Records the run's settings (its options) in every checkpoint, for whoever inspects it. */
  public CheckpointFiles withSettings(Map<String, String> settings) {
    this.settings = new TreeMap<>(settings);
    return this;
  }

  /** The directory, as given. */
  public String directory() {
    return directory;
  }

  /** The hash of this run's settings that its checkpoints' names carry. */
  public String fingerprint() {
    return fingerprint;
  }

  /** Writes a checkpoint atomically, then deletes all but the newest {@code keep}. */
  public void write(Checkpoint checkpoint) throws IOException {
    String path =
        new Path(directory, "checkpoint-" + fingerprint + "-" + checkpoint.step() + ".json")
            .toString();
    AtomicFiles.write(
        path,
        conf,
        true,
        out -> {
          JsonGenerator gen = new JsonFactory().createGenerator(out);
          gen.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
          gen.writeStartObject();
          writeHeader(gen, checkpoint);
          writeArray(gen, "weights", checkpoint.training().weights());
          gen.writeObjectFieldStart("state");
          for (Map.Entry<String, double[]> e : new TreeMap<>(encodeState(checkpoint)).entrySet()) {
            writeArray(gen, e.getKey(), e.getValue());
          }
          gen.writeEndObject();
          writeHistory(gen, checkpoint.history());
          gen.writeEndObject();
          gen.flush();
        });
    prune(checkpoint.step());
  }

  /**
   * Keeps this run's newest {@code keep} checkpoints up to {@code step}; this run's checkpoints
   * past it are not on its path (they could not be read when it resumed) and go too. No other file
   * is touched.
   */
  private void prune(int step) throws IOException {
    int kept = 0;
    for (Path p : own()) {
      long s = stepOf(p);
      if (s > step) {
        LOG.warn("removing {}: past step {}, the newest this run has written", p, step);
      }
      if (s > step || ++kept > keep) {
        p.getFileSystem(conf).delete(p, false);
      }
    }
  }

  /** Deletes every checkpoint of this run, as a run that starts over does. */
  public void deleteOwn() throws IOException {
    for (Path p : own()) {
      p.getFileSystem(conf).delete(p, false);
    }
  }

  private void writeHeader(JsonGenerator gen, Checkpoint checkpoint) throws IOException {
    gen.writeStringField("format", FORMAT);
    gen.writeNumberField("version", VERSION);
    gen.writeNumberField("step", checkpoint.step());
    gen.writeNumberField("epoch", checkpoint.epoch());
    gen.writeStringField("network", spec.toString());
    gen.writeStringField("optimizer", optimizer.kind().id());
    gen.writeNumberField("seed", seed);
    writeStrings(gen, "run", run);
    writeStrings(gen, "settings", settings);
  }

  private static void writeStrings(JsonGenerator gen, String name, Map<String, String> values)
      throws IOException {
    gen.writeObjectFieldStart(name);
    for (Map.Entry<String, String> e : values.entrySet()) {
      gen.writeStringField(e.getKey(), e.getValue());
    }
    gen.writeEndObject();
  }

  /** The typed state as the file's named arrays. */
  private static Map<String, double[]> encodeState(Checkpoint checkpoint) {
    TrainingState training = checkpoint.training();
    Map<String, double[]> state = new HashMap<>();
    training.optimizer().forEach((k, v) -> state.put(OPTIMIZER + k, v));
    state.put(PARTIAL_EPOCH, new double[] {training.epochLossSum(), training.epochExamples()});
    EarlyStopping.Best best = checkpoint.earlyStopping();
    if (best != null) {
      state.put(BEST, new double[] {best.loss(), best.epoch(), best.epochsSince()});
      state.put(BEST_WEIGHTS, best.weights());
    }
    return state;
  }

  private static void writeHistory(JsonGenerator gen, List<EpochStats> history) throws IOException {
    gen.writeArrayFieldStart("history");
    for (EpochStats s : history) {
      gen.writeStartArray();
      for (double v : s.values()) {
        if (Double.isNaN(v)) {
          gen.writeNull();
        } else {
          gen.writeNumber(v);
        }
      }
      gen.writeEndArray();
    }
    gen.writeEndArray();
  }

  private static void writeArray(JsonGenerator gen, String name, double[] values)
      throws IOException {
    gen.writeArrayFieldStart(name);
    for (double v : values) {
      gen.writeNumber(v);
    }
    gen.writeEndArray();
  }

  /** This run's checkpoints, newest (highest step) first. */
  public List<Path> own() throws IOException {
    return list(true);
  }

  /** The checkpoints of other runs (or of an earlier version) in the directory, newest first. */
  public List<Path> others() throws IOException {
    return list(false);
  }

  private List<Path> list(boolean own) throws IOException {
    Path dir = new Path(directory);
    FileSystem fs = dir.getFileSystem(conf);
    List<Path> found = new ArrayList<>();
    if (fs.exists(dir)) {
      for (FileStatus status : fs.listStatus(dir)) {
        Matcher m = NAME.matcher(status.getPath().getName());
        if (m.matches() && fingerprint.equals(m.group(1)) == own) {
          found.add(status.getPath());
        }
      }
    }
    found.sort(Comparator.comparingLong(CheckpointFiles::stepOf).reversed());
    return found;
  }

  /** The step a checkpoint's name carries. */
  public static long stepOf(Path p) {
    Matcher m = NAME.matcher(p.getName());
    return m.matches() ? Long.parseLong(m.group(2)) : -1;
  }

  /**
   * The newest of this run's checkpoints that reads; one that does not is skipped with a warning
   * naming the file and the reason. Null when there is none.
   */
  public Checkpoint newest() throws IOException {
    for (Path p : own()) {
      try {
        return read(p);
      } catch (IOException | RuntimeException e) {
        LOG.warn("skipping checkpoint {}: {}", p, e.getMessage());
      }
    }
    return null;
  }

  /**
   * Why another run's checkpoint cannot continue this run: the first setting that differs, as
   * "learning-rate is '0.1' there, '0.05' here", or why it does not read.
   */
  public String whyNotThisRun(Path p) {
    try {
      JsonNode root = header(p);
      JsonNode theirs = root.path("run");
      for (String key : new TreeSet<>(union(run.keySet(), theirs))) {
        String there = theirs.has(key) ? "'" + theirs.get(key).asText() + "'" : "unset";
        String here = run.containsKey(key) ? "'" + run.get(key) + "'" : "unset";
        if (!there.equals(here)) {
          return key + " is " + there + " there, " + here + " here";
        }
      }
      return "its fingerprint is not this run's";
    } catch (IOException | RuntimeException e) {
      return e.getMessage();
    }
  }

  private static List<String> union(java.util.Set<String> ours, JsonNode theirs) {
    List<String> keys = new ArrayList<>(ours);
    theirs.fieldNames().forEachRemaining(keys::add);
    return keys;
  }

  /** The file's document, checked to be a checkpoint of this format version. */
  private JsonNode header(Path p) throws IOException {
    JsonNode root;
    try (InputStream in = p.getFileSystem(conf).open(p)) {
      root = MAPPER.readTree(in);
    }
    if (root == null || !root.isObject() || !FORMAT.equals(root.path("format").asText())) {
      throw new IOException("not a " + FORMAT + " file");
    }
    if (root.path("version").asInt() != VERSION) {
      throw new IOException(
          "written by another sparkprop version (format version "
              + root.path("version")
              + "; this one reads "
              + VERSION
              + ")");
    }
    return root;
  }

  private Checkpoint read(Path p) throws IOException {
    JsonNode root = header(p);
    for (Map.Entry<String, String> e : run.entrySet()) {
      expect(root.path("run"), e.getKey(), e.getValue());
    }
    double[] weights = doubles(root.get("weights"), "weights");
    if (weights.length != spec.numParameters()) {
      throw new IOException("has " + weights.length + " weights, expected " + spec.numParameters());
    }
    Map<String, double[]> state = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.path("state").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      state.put(e.getKey(), doubles(e.getValue(), e.getKey()));
    }
    List<EpochStats> history = new ArrayList<>();
    for (JsonNode row : root.path("history")) {
      double[] v = new double[EpochStats.COLUMNS];
      for (int i = 0; i < v.length; i++) {
        v[i] = row.get(i) == null || row.get(i).isNull() ? Double.NaN : row.get(i).doubleValue();
      }
      history.add(EpochStats.of(v));
    }
    return new Checkpoint(
        training(root.path("step").asInt(), root.path("epoch").asInt(), weights, state),
        best(state),
        history);
  }

  /** The loop's state from the file's named arrays. */
  private static TrainingState training(
      int step, int epoch, double[] weights, Map<String, double[]> state) throws IOException {
    Map<String, double[]> optimizerState = new HashMap<>();
    state.forEach(
        (k, v) -> {
          if (k.startsWith(OPTIMIZER)) {
            optimizerState.put(k.substring(OPTIMIZER.length()), v);
          }
        });
    // Checkpoints of L-BFGS runs written before every checkpoint had the sums lack them: 0 then.
    double[] partial = state.getOrDefault(PARTIAL_EPOCH, new double[2]);
    if (partial.length != 2) {
      throw new IOException("'" + PARTIAL_EPOCH + "' must hold 2 numbers, found " + partial.length);
    }
    return new TrainingState(step, epoch, weights, optimizerState, partial[0], (long) partial[1]);
  }

  /** Early stopping's best epoch from the file's named arrays, or null when there is none. */
  private static EarlyStopping.Best best(Map<String, double[]> state) throws IOException {
    double[] scalars = state.get(BEST);
    double[] weights = state.get(BEST_WEIGHTS);
    if (scalars == null && weights == null) {
      return null;
    }
    if (scalars == null || weights == null || scalars.length != 3) {
      throw new IOException(
          "'" + BEST + "' (3 numbers) and '" + BEST_WEIGHTS + "' must come together");
    }
    return new EarlyStopping.Best(scalars[0], (int) scalars[1], (int) scalars[2], weights);
  }

  private static void expect(JsonNode root, String field, String expected) throws IOException {
    String found = root.path(field).asText();
    if (!expected.equals(found)) {
      throw new IOException(field + " is '" + found + "', this run has '" + expected + "'");
    }
  }

  private static double[] doubles(JsonNode node, String what) throws IOException {
    if (node == null || !node.isArray()) {
      throw new IOException("'" + what + "' is missing or not an array");
    }
    double[] values = new double[node.size()];
    for (int i = 0; i < values.length; i++) {
      if (!node.get(i).isNumber()) {
        throw new IOException("'" + what + "' entry " + i + " is not a number");
      }
      values[i] = node.get(i).doubleValue();
    }
    return values;
  }
}
