package io.sparkprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkprop.Weights;
import io.sparkprop.model.Model;
import io.sparkprop.model.ModelFile;
import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.NetworkSpec;
import io.sparkprop.optim.OptimizerSpec;
import io.sparkprop.spark.TrainerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MainTest {
  private static final String XOR = "0 1:0 2:0\n1 1:0 2:1\n1 1:1 2:0\n0 1:1 2:1\n";

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  /** A run that failed on its input: exit code 1, one line naming the problem, no stack trace. */
  private static void assertRunFailure(CliRun run, String expectedMessage) {
    assertEquals(1, run.code(), run.err());
    assertTrue(run.err().contains(expectedMessage), run.err());
    assertFalse(run.err().contains("\tat "), "no stack trace: " + run.err());
    assertFalse(run.err().contains("usage: sparkprop"), "no usage text: " + run.err());
  }

  /** A train command line that passes every option check, lacking only a master. */
  private static Args valid() {
    return Args.of("train").with("--train", "x", "--model-out", "m", "--layers", "2,1");
  }

  private static void assertUsageError(CliRun run, String expectedMessage) {
    assertEquals(2, run.code(), run.err());
    assertTrue(run.err().contains(expectedMessage), run.err());
    assertTrue(run.err().contains("usage: sparkprop"), "usage is printed");
    assertFalse(run.err().contains("\tat "), "no stack trace");
  }

  /** Options out of range are usage errors before Spark starts, never a crash. */
  @Test
  void optionRanges_areUsageErrors(@TempDir Path dir) throws IOException {
    Path data = xor(dir);
    String model = dir.resolve("m.json").toString();
    assertUsageError(
        Args.train(data, model).with("--layers", "2,4,1,").run(),
        "--layers expects comma-separated integers like 784,128,10, found '2,4,1,'");
    assertUsageError(
        Args.train(data, model).with("--layers", "2,4,1", "--block-size", "2147483000").run(),
        "--block-size must be at most 65536, found 2147483000");
    assertUsageError(
        Args.train(data, model).with("--layers", "2,4,1", "--partitions", "2000000000").run(),
        "--partitions must be at most 1000000");
    assertUsageError(
        Args.train(data, model).with("--layers", "100000,4,1", "--block-size", "65536").run(),
        "is more than one array holds; use a smaller --block-size");
    assertUsageError(
        Args.of("train")
            .with("--master", "lokal[2]", "--train", data.toString(), "--model-out", model)
            .with("--layers", "2,4,1")
            .run(),
        "--master is not a Spark master URL, found 'lokal[2]'");
    Path csv = Files.writeString(dir.resolve("xor.csv"), "0,0,0\n0,1,1\n1,0,1\n1,1,0\n");
    assertUsageError(
        Args.train(csv, model)
            .with("--layers", "2,4,1", "--format", "csv", "--label-column", "3")
            .run(),
        "--label-column is 3, past the last column: a row of 2 features and a label has columns"
            + " 0..2");
  }

  /** A tab or space delimiter, from a flag or a UTF-8 config file, is that character. */
  @Test
  void blankDelimiters_andUtf8ConfigPaths_areTakenAsGiven(@TempDir Path dir) throws IOException {
    Path data =
        Files.writeString(dir.resolve("dät\u00e9n.tsv"), "0\t0\t0\n0\t1\t1\n1\t0\t1\n1\t1\t0\n");
    Path config =
        Files.writeString(
            dir.resolve("tab.properties"),
            "format = csv\ndelimiter = \\t\nlabel-column = 2\ntrain = " + data + "\n",
            java.nio.charset.StandardCharsets.UTF_8);
    CliRun tab =
        Args.of("train")
            .local()
            .with("--config", config.toString(), "--layers", "2,4,1", "--iterations", "2")
            .with("--model-out", dir.resolve("tab.json").toString())
            .run();
    assertEquals(0, tab.code(), tab.err());

    Path spaced = Files.writeString(dir.resolve("space.csv"), "0 0 0\n0 1 1\n1 0 1\n1 1 0\n");
    CliRun space =
        Args.train(spaced, dir.resolve("space.json").toString())
            .with("--layers", "2,4,1", "--iterations", "2", "--format", "csv")
            .with("--delimiter", " ", "--label-column", "2")
            .run();
    assertEquals(0, space.code(), space.err());

    Path latin1 =
        Files.write(
            dir.resolve("latin1.properties"), new byte[] {'s', 'e', 'e', 'd', '=', (byte) 0xe9});
    assertUsageError(
        Args.train(data, dir.resolve("x.json").toString())
            .with("--config", latin1.toString(), "--layers", "2,4,1")
            .run(),
        "not UTF-8 text");
  }

  @Test
  void adoptWorkerSecret_onlyWhenAuthenticationIsOnAndNoSecretIsSet() {
    SparkConf driverOfAuthenticatedCluster = new SparkConf(false).set("spark.authenticate", "true");
    SparkStart.adoptWorkerSecret(driverOfAuthenticatedCluster, "from-worker");
    assertEquals("from-worker", driverOfAuthenticatedCluster.get("spark.authenticate.secret"));

    SparkConf explicit =
        new SparkConf(false)
            .set("spark.authenticate", "true")
            .set("spark.authenticate.secret", "mine");
    SparkStart.adoptWorkerSecret(explicit, "from-worker");
    assertEquals("mine", explicit.get("spark.authenticate.secret"));

    SparkConf unauthenticated = new SparkConf(false);
    SparkStart.adoptWorkerSecret(unauthenticated, "from-worker");
    assertFalse(unauthenticated.contains("spark.authenticate.secret"));
  }

  /**
   * Wide gradients come back with the task's status, the weights are broadcast uncompressed and
   * without Spark's checksum (they carry their own); a setting of the user's wins.
   */
  @Test
  void conf_setsTheDirectResultSizeAndBroadcastCompressionAndChecksumUnlessGiven()
      throws Exception {
    Options o = Options.parse("train", new String[] {"--master", "local[2]"});
    assertEquals(
        String.valueOf(64 << 20),
        SparkStart.conf(o, "train").get("spark.task.maxDirectResultSize"));
    assertEquals("false", SparkStart.conf(o, "train").get("spark.broadcast.compress"));
    assertEquals("false", SparkStart.conf(o, "train").get("spark.broadcast.checksum"));
    System.setProperty("spark.task.maxDirectResultSize", "2m");
    System.setProperty("spark.broadcast.compress", "true");
    System.setProperty("spark.broadcast.checksum", "true");
    try {
      assertEquals("2m", SparkStart.conf(o, "train").get("spark.task.maxDirectResultSize"));
      assertEquals("true", SparkStart.conf(o, "train").get("spark.broadcast.compress"));
      assertEquals("true", SparkStart.conf(o, "train").get("spark.broadcast.checksum"));
    } finally {
      System.clearProperty("spark.task.maxDirectResultSize");
      System.clearProperty("spark.broadcast.compress");
      System.clearProperty("spark.broadcast.checksum");
    }
  }

  @Test
  void conf_blasReachesEveryExecutor_andABadValueIsAUsageError() throws Exception {
    // auto: this JVM has chosen already, and asking for the default changes nothing here.
    Options o = Options.parse("train", new String[] {"--blas", "AUTO"});
    assertEquals("auto", SparkStart.conf(o, "train").get("spark.executorEnv.SPARKPROP_BLAS"));
    Options none = Options.parse("train", new String[0]);
    assertFalse(SparkStart.conf(none, "train").contains("spark.executorEnv.SPARKPROP_BLAS"));
    Options bad = Options.parse("train", new String[] {"--blas", "mkl"});
    assertEquals(
        "--blas must be auto, native or java, found 'mkl'",
        assertThrows(UsageException.class, () -> SparkStart.conf(bad, "train")).getMessage());
  }

  @Test
  void refusal_whenAStandaloneMasterNeverRegisteredTheApplication() {
    String master = "spark://127.0.0.1:7077";
    String unregistered = SparkStart.refusal(master, "spark-application-1763800000000", false);
    assertTrue(unregistered != null && unregistered.contains(master), unregistered);
    assertTrue(unregistered.startsWith("the cluster did not accept the application: "));
    assertNull(SparkStart.refusal(master, "app-20261122102208-0003", false));
    assertNull(SparkStart.refusal("local[2]", "local-1763800000000", false));
    assertNotNull(SparkStart.refusal("local[2]", "local-1763800000000", true));
  }

  @Test
  void run_unknownFlag_exits2WithSuggestionAndUsage() {
    assertUsageError(
        run("train", "--learning-rte", "0.1"),
        "--learning-rte is not a known option (did you mean 'learning-rate'?)");
  }

  @Test
  void run_flagWithoutValue_exits2() {
    assertUsageError(run("train", "--layers"), "--layers needs a value (N0,N1,...,NL)");
  }

  @Test
  void run_malformedNumber_exits2NamingTheFlag() {
    assertUsageError(
        valid().with("--learning-rate", "fast").run(),
        "--learning-rate expects a number, found 'fast'");
  }

  @Test
  void run_negativeLearningRate_exits2() {
    assertUsageError(
        valid().with("--learning-rate", "-1").run(),
        "learning rate must be a positive finite number, found -1.0");
  }

  @Test
  void run_unknownPrecision_exits2NamingTheOptionAndTheAllowedValues() {
    for (String option : List.of("--cache-precision", "--precision")) {
      assertUsageError(
          valid().with(option, "half").run(),
          option + ": unknown precision 'half' (expected float32 or float64)");
    }
  }

  /**
   * Out-of-range, conflicting and repeated options: each a usage error (exit 2) naming the option
   * and what it expected. The flags after '|' are added to a valid train command.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "--seed 1 --seed 2|--seed is given twice",
        "--optimizer sgd --batch-fraction 0|batch fraction must be in (0, 1], found 0.0",
        "--optimizer sgd --batch-fraction 1.5|batch fraction must be in (0, 1], found 1.5",
        "--layers 2,0,1|layer 1 must have a positive size, found 0",
        "--on-bad-record ignore|--on-bad-record: unknown policy 'ignore' (expected fail or skip)",
        "--on-bad-record skip --max-bad-records -1"
            + "|--max-bad-records: the most bad records must be >= 0, found -1",
        "--max-bad-records many|--max-bad-records expects an integer, found 'many'",
      })
  void run_badOptionValue_exits2NamingIt(String flags, String expected) {
    Args args = Args.of("train").with("--train", "x", "--model-out", "m");
    if (!flags.contains("--layers")) {
      args.with("--layers", "2,1");
    }
    assertUsageError(args.withLine(flags).run(), expected);
  }

  @Test
  void run_configFileWithRepeatedKey_exits2NamingFileAndKey(@TempDir Path dir) throws IOException {
    Path config = dir.resolve("nightly.properties");
    Files.writeString(config, "layers = 2,1\nseed = 1\nlearning-rate = 0.1\nseed = 2\n");
    assertUsageError(
        run("train", "--config", config.toString(), "--train", "x", "--model-out", "m"),
        config + ": key 'seed' is given twice");
  }

  @Test
  void run_configFileValueOutOfRange_namesFileAndKey(@TempDir Path dir) throws IOException {
    Path config = dir.resolve("nightly.properties");
    Files.writeString(config, "layers = 2,1\nlearning-rate = -0.5\n");
    assertUsageError(
        run("train", "--config", config.toString(), "--train", "x", "--model-out", "m"),
        "learning rate must be a positive finite number, found -0.5");
  }

  @Test
  void run_unknownCommand_exits2() {
    assertUsageError(run("fit"), "unknown command 'fit'");
  }

  @Test
  void run_allowedValuesAreInUsage() {
    CliRun run = valid().with("--optimizer", "adamw").run();
    assertUsageError(
        run,
        "unknown optimizer 'adamw' (expected one of gd, sgd, momentum, nesterov, adam, lbfgs)");
    assertTrue(run.err().contains("--optimizer gd|sgd|momentum|nesterov|adam|lbfgs"));
  }

  @Test
  void run_earlyStoppingWithoutHeldOutData_exits2() {
    assertUsageError(
        valid().with("--early-stopping-patience", "3").run(),
        "--early-stopping-patience needs a held-out set: --validation-fraction or --test");
  }

  @Test
  void run_validationFractionOutsideZeroToOne_exits2() {
    assertUsageError(
        valid().with("--validation-fraction", "1").run(),
        "--validation-fraction must be in [0, 1), found 1.0");
    assertUsageError(
        valid().with("--validation-fraction", "-0.1").run(),
        "--validation-fraction must be in [0, 1), found -0.1");
  }

  @Test
  void run_lbfgsWithSampling_exits2() {
    assertUsageError(
        valid().with("--optimizer", "lbfgs", "--batch-fraction", "0.5").run(),
        "lbfgs works on the full gradient; found batch fraction 0.5");
  }

  @Test
  void run_unsupportedLossForOutput_exits2() {
    assertUsageError(
        Args.of("train")
            .with("--train", "x", "--model-out", "m", "--layers", "2,3")
            .with("--output", "softmax", "--loss", "squared-error")
            .run(),
        "loss squared-error cannot be used with output softmax");
  }

  @Test
  void run_configFileWithUnknownKey_namesFileAndClosestKey(@TempDir Path dir) throws IOException {
    Path config = dir.resolve("bad.properties");
    Files.writeString(config, "layers = 2,1\nlearning_rate = 0.1\n");
    assertUsageError(
        run("train", "--config", config.toString()),
        config + ": key 'learning_rate' is not a known option (did you mean 'learning-rate'?)");
  }

  @Test
  void parse_configKeysOfOtherCommands_areIgnoredButFlagsAreNot(@TempDir Path dir)
      throws IOException, UsageException {
    Path config = dir.resolve("shared.properties");
    Files.writeString(config, "layers = 2,1\nmodel = m.json\n");
    Options evaluate = Options.parse("evaluate", new String[] {"--config", config.toString()});
    assertFalse(evaluate.has("layers"));
    assertEquals("m.json", evaluate.get("model"));
    assertUsageError(run("evaluate", "--layers", "2,1"), "--layers does not apply to 'evaluate'");
  }

  @Test
  void steps_iterationsAndEpochs_iterationsWin() throws UsageException {
    Options o = Options.parse("train", new String[] {"--iterations", "5", "--epochs", "2"});
    assertEquals(5, steps(o));
    Options sgd =
        Options.parse(
            "train",
            new String[] {"--epochs", "3", "--optimizer", "sgd", "--batch-fraction", "0.25"});
    assertEquals(12, steps(sgd), "3 epochs of 1/0.25 steps");
  }

  private static int steps(Options o) throws UsageException {
    double fraction = Settings.batchFraction(o, Settings.optimizer(o).kind());
    return Settings.steps(o, TrainerConfig.stepsPerEpoch(fraction));
  }

  @Test
  void parse_flagOverridesConfigFile(@TempDir Path dir) throws IOException, UsageException {
    Path config = dir.resolve("c.properties");
    Files.writeString(config, "learning-rate = 0.3\nseed = 4\n");
    Options o =
        Options.parse(
            "train", new String[] {"--config", config.toString(), "--learning-rate", "0.05"});
    assertEquals(0.05, o.getDouble("learning-rate"));
    assertEquals(4, o.getLong("seed"));

    Options cleared =
        Options.parse("train", new String[] {"--config", config.toString(), "--seed", ""});
    assertFalse(cleared.has("seed"), "an empty flag clears the file's value");
    assertEquals(1, cleared.getLong("seed"), "and the default applies");
  }

  @Test
  void run_noMaster_exits2BeforeStartingSpark(@TempDir Path dir) throws IOException {
    Path data = xor(dir);
    assertUsageError(
        Args.of("train")
            .with("--train", data.toString(), "--layers", "2,4,1")
            .with("--model-out", dir.resolve("m.json").toString())
            .run(),
        "no Spark master");
  }

  @Test
  void run_trainEvaluatePredictInspect_onXor(@TempDir Path dir) throws IOException {
    Path data = xor(dir);
    String model = dir.resolve("xor.json").toString();
    CliRun train =
        trainXorLike(
            data,
            model,
            "--activation",
            "tanh",
            "--optimizer",
            "momentum",
            "--learning-rate",
            "0.5",
            "--iterations",
            "150");
    assertEquals(0, train.code(), train.err());
    assertTrue(train.out().contains("model written to " + model), train.out());
    List<String> history = Files.readAllLines(dir.resolve("xor.history.csv"));
    assertEquals(
        "epoch,step,train_loss,validation_loss,validation_accuracy,test_loss,test_accuracy,"
            + "learning_rate,examples_per_second,elapsed_seconds",
        history.get(0));
    assertEquals(151, history.size(), "a header and one row per epoch (gd: one step each)");
    String[] lastRow = history.get(150).split(",", -1);
    assertEquals("150", lastRow[0]);
    assertEquals("150", lastRow[1]);
    assertEquals("", lastRow[3], "no validation split");
    assertEquals(0.5, Double.parseDouble(lastRow[7]), 0.0, "the learning rate");
    assertTrue(
        Double.parseDouble(lastRow[2]) < Double.parseDouble(history.get(1).split(",")[2]),
        "the training loss fell");

    CliRun evaluate =
        Args.of("evaluate").local().with("--test", data.toString(), "--model", model).run();
    assertEquals(0, evaluate.code(), evaluate.err());
    assertTrue(evaluate.out().contains("accuracy 1.0000"), evaluate.out());
    assertTrue(evaluate.out().contains("   0:      2      0"), evaluate.out());

    Path predictions = dir.resolve("predictions");
    CliRun predict =
        Args.of("predict")
            .local()
            .with("--input", data.toString(), "--model", model)
            .with("--predictions", predictions.toString())
            .run();
    assertEquals(0, predict.code(), predict.err());
    List<String> classes = new ArrayList<>();
    try (Stream<Path> parts = Files.list(predictions)) {
      for (Path part :
          parts.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList()) {
        Files.readAllLines(part).forEach(line -> classes.add(line.split(",")[0]));
      }
    }
    assertEquals(List.of("0", "1", "1", "0"), classes, "one line per input row, in input order");

    Path wider = dir.resolve("wider.libsvm");
    Files.writeString(wider, "1 1:1 3:1\n");
    CliRun mismatch =
        Args.of("evaluate").local().with("--test", wider.toString(), "--model", model).run();
    assertEquals(1, mismatch.code(), mismatch.err());
    assertTrue(
        mismatch
            .err()
            .contains("wider.libsvm:1: feature index 3 is beyond the input layer (expected 1..2)"),
        mismatch.err());

    CliRun inspect = run("inspect", "--model", model, "--json");
    assertEquals(0, inspect.code(), inspect.err());
    JsonNode json = new ObjectMapper().readTree(inspect.out());
    Model saved = ModelFile.read(model, new Configuration());
    // Row-major n_1 = 4 rows of n_0 = 2: row i, column j is W^1[i][j] = flat[j * 4 + i].
    assertEquals(4, json.get("parameters").get(0).get("weights").size());
    assertEquals(
        saved.weights()[1 * 4 + 2],
        json.get("parameters").get(0).get("weights").get(2).get(1).doubleValue(),
        0.0);
  }

  /** XOR's four examples as LIBSVM in {@code dir}. */
  /**
   * Text data converted to a Parquet table trains, evaluates and predicts from the table just as it
   * does from the text: the same model (gd, float64 cache), and predictions that keep a column.
   */
  @Test
  void run_convertToParquet_thenTrainEvaluatePredictFromTheTable(@TempDir Path dir)
      throws IOException {
    Path data = xor(dir);
    String table = dir.resolve("xor.parquet").toString();
    CliRun convert =
        Args.of("convert")
            .local()
            .with("--input", data.toString(), "--layers", "2,4,1", "--table-out", table)
            .run();
    assertEquals(0, convert.code(), convert.err());
    assertTrue(convert.out().contains("4 examples written to " + table), convert.out());

    String fromText = dir.resolve("text.json").toString();
    String fromTable = dir.resolve("table.json").toString();
    String[] same = {"--cache-precision", "float64", "--iterations", "20", "--seed", "3"};
    assertEquals(0, trainXorLike(data, fromText, same).code());
    CliRun train =
        trainXorLike(
            Path.of(table),
            fromTable,
            same[0],
            same[1],
            same[2],
            same[3],
            same[4],
            same[5],
            "--format",
            "parquet",
            "--features-col",
            "features");
    assertEquals(0, train.code(), train.err());
    double[] expected =
        io.sparkprop.model.ModelFile.read(fromText, new org.apache.hadoop.conf.Configuration())
            .weights();
    double[] actual =
        io.sparkprop.model.ModelFile.read(fromTable, new org.apache.hadoop.conf.Configuration())
            .weights();
    assertTrue(
        io.sparkprop.Weights.maxEntryError(expected, actual, 1e-12) < 1e-9,
        "the table trains the model the text trains");

    CliRun evaluate =
        Args.of("evaluate")
            .local()
            .with("--test", table, "--model", fromTable)
            .with("--format", "parquet", "--features-col", "features")
            .run();
    assertEquals(0, evaluate.code(), evaluate.err());
    assertTrue(evaluate.out().contains("examples 4"), evaluate.out());

    String predictions = dir.resolve("predictions").toString();
    CliRun predict =
        Args.of("predict")
            .local()
            .with("--input", table, "--model", fromTable, "--predictions", predictions)
            .with("--format", "parquet", "--features-col", "features", "--keep-cols", "label")
            .run();
    assertEquals(0, predict.code(), predict.err());
    assertTrue(predict.out().contains("as parquet"), predict.out());
    assertTrue(Files.isDirectory(Path.of(predictions)));
    try (Stream<Path> parts = Files.list(Path.of(predictions))) {
      assertTrue(parts.anyMatch(p -> p.getFileName().toString().endsWith(".parquet")));
    }

    CliRun missing =
        Args.of("train")
            .local()
            .with("--train", table, "--layers", "2,4,1", "--model-out", dir.resolve("m").toString())
            .with("--format", "parquet", "--features-col", "pixels")
            .run();
    assertEquals(1, missing.code(), missing.err());
    assertTrue(
        missing.err().contains(": no column 'pixels' (columns: label double, features vector)"),
        missing.err());

    CliRun neither =
        Args.of("train")
            .local()
            .with("--train", table, "--layers", "2,4,1", "--model-out", dir.resolve("m").toString())
            .with("--format", "parquet")
            .run();
    assertUsageError(neither, "name its features with --features-col NAME");
  }

  private static Path xor(Path dir) throws IOException {
    return Files.writeString(dir.resolve("xor.libsvm"), XOR);
  }

  private static CliRun trainXorLike(Path data, String model, String... extra) {
    Args args = Args.train(data, model).with("--layers", "2,4,1").with(extra);
    if (!args.has("--iterations")) {
      args.with("--iterations", "3");
    }
    return args.run();
  }

  @Test
  void run_trainOnOneClassOnly_exits1NamingTheLabel(@TempDir Path dir) throws IOException {
    Path data = dir.resolve("ones.libsvm");
    Files.writeString(data, "1 1:0 2:1\n1 1:1 2:0\n");
    String model = dir.resolve("m.json").toString();
    CliRun train = trainXorLike(data, model);
    assertEquals(1, train.code(), train.err());
    assertTrue(
        train
            .err()
            .contains(
                "ones.libsvm: every example has label 1 (expected at least two classes to train"
                    + " a classifier; was the input filtered?)"),
        train.err());
    assertFalse(Files.exists(Path.of(model)), "no model is written");
  }

  @Test
  void run_skipBadRecords_trainsOnTheRest_andFailsAboveTheLimit(@TempDir Path dir)
      throws IOException {
    Path data = dir.resolve("xor.libsvm");
    Files.writeString(data, XOR + "1 1:0 1:1\n");
    String model = dir.resolve("m.json").toString();
    CliRun failing = trainXorLike(data, model);
    assertEquals(1, failing.code(), failing.err());
    assertTrue(
        failing.err().contains("xor.libsvm:5: feature indices must increase, found 1 after 1"),
        failing.err());

    CliRun skipping = trainXorLike(data, model, "--on-bad-record", "skip");
    assertEquals(0, skipping.code(), skipping.err());
    assertTrue(Files.exists(Path.of(model)));

    CliRun tooMany =
        trainXorLike(
            data, model, "--on-bad-record", "skip", "--max-bad-records", "0", "--overwrite");
    assertEquals(1, tooMany.code(), tooMany.err());
    assertTrue(
        tooMany
            .err()
            .contains(
                "xor.libsvm:5: feature indices must increase, found 1 after 1"
                    + " (more than --max-bad-records 0 bad records; stopped here)"),
        tooMany.err());
  }

  /**
   * A run that diverges exits 1 naming the step; the model it was asked to overwrite is kept as it
   * was, and every checkpoint left in the directory holds finite weights to resume from.
   */
  @Test
  void run_divergingTraining_exits1AndKeepsTheLastGoodFiles(@TempDir Path dir) throws IOException {
    Path data = xor(dir);
    String model = dir.resolve("m.json").toString();
    assertEquals(0, trainXorLike(data, model).code());
    byte[] goodModel = Files.readAllBytes(Path.of(model));
    Path checkpoints = dir.resolve("checkpoints");

    CliRun diverging =
        trainXorLike(
            data,
            model,
            "--overwrite",
            "--activation",
            "identity",
            "--output",
            "identity",
            "--loss",
            "squared-error",
            "--learning-rate",
            "1000",
            "--iterations",
            "200",
            "--checkpoint-dir",
            checkpoints.toString(),
            "--checkpoint-unit",
            "step",
            "--checkpoint-every",
            "1");
    assertEquals(1, diverging.code(), diverging.err());
    assertTrue(diverging.err().contains("training diverged at step "), diverging.err());
    assertTrue(java.util.Arrays.equals(goodModel, Files.readAllBytes(Path.of(model))));
    List<Path> left;
    try (Stream<Path> files = Files.list(checkpoints)) {
      left = files.filter(p -> p.getFileName().toString().startsWith("checkpoint-")).toList();
    }
    assertFalse(left.isEmpty(), "checkpoints were written before the divergence");
    for (Path checkpoint : left) {
      JsonNode weights = new ObjectMapper().readTree(checkpoint.toFile()).get("weights");
      for (JsonNode w : weights) {
        assertTrue(w.isNumber() && Double.isFinite(w.doubleValue()), checkpoint + ": " + w);
      }
    }
  }

  @Test
  void run_initModel_startsFromItsWeightsAndChecksArchitecture(@TempDir Path dir)
      throws IOException {
    Path data = xor(dir);
    String first = dir.resolve("first.json").toString();
    assertEquals(0, trainXorLike(data, first, "--activation", "tanh").code());

    String warm = dir.resolve("warm.json").toString();
    CliRun run =
        Args.train(data, warm)
            .with("--init-model", first, "--learning-rate", "1e-9")
            .with("--iterations", "1", "--seed", "99")
            .run();
    assertEquals(0, run.code(), run.err());
    double[] before = ModelFile.read(first, new Configuration()).weights();
    double[] after = ModelFile.read(warm, new Configuration()).weights();
    for (int i = 0; i < before.length; i++) {
      // One step of η = 1e-9 from the same weights; a fresh seed-99 start would differ by ~0.1.
      assertEquals(before[i], after[i], 1e-6, "parameter " + i);
    }

    assertUsageError(
        Args.train(data, warm)
            .with("--init-model", first, "--layers", "2,5,1", "--overwrite")
            .run(),
        "--init-model " + first + " is 2-4-1");
  }

  @Test
  void run_trainOntoExistingModel_refusesWithoutOverwrite(@TempDir Path dir) throws IOException {
    Path data = xor(dir);
    Path model = dir.resolve("m.json");
    Files.writeString(model, "keep me");
    CliRun run =
        Args.train(data, model.toString()).with("--layers", "2,4,1", "--iterations", "2").run();
    assertRunFailure(run, model + " already exists (pass --overwrite to replace it)");
    assertEquals("keep me", Files.readString(model));
  }

  @Test
  void run_badRecord_exits1WithFileAndLine(@TempDir Path dir) throws IOException {
    Path data = dir.resolve("xor.libsvm");
    Files.writeString(data, "0 1:0 2:0\n1 1:0 2:1\n5 1:1 2:0\n");
    CliRun run =
        Args.train(data, dir.resolve("m.json").toString())
            .with("--layers", "2,4,2", "--iterations", "2")
            .run();
    assertRunFailure(
        run, "xor.libsvm:3: label must be an integer class in 0..1 for 2 outputs, found 5");
    assertFalse(Files.exists(dir.resolve("m.json")), "no model is written from bad data");
  }

  @Test
  void run_historyOrReportExisting_isRefusedWithoutOverwrite(@TempDir Path dir) throws IOException {
    Path data = xor(dir);
    String model = dir.resolve("m.json").toString();
    for (String companion : List.of("m.history.csv", "m.report.html")) {
      Path existing = dir.resolve(companion);
      Files.writeString(existing, "keep me");
      assertRunFailure(
          trainXorLike(data, model), existing + " already exists (pass --overwrite to replace it)");
      assertEquals("keep me", Files.readString(existing));
      assertFalse(Files.exists(Path.of(model)), "nothing is written");
      Files.delete(existing);
    }
    assertEquals(0, trainXorLike(data, model).code(), "with neither there, training writes all");
    assertEquals(0, trainXorLike(data, model, "--overwrite").code(), "and replaces all with it");
  }

  /**
   * Outputs that cannot be written are refused before Spark starts: the master given cannot be
   * reached, so a run that got as far as starting Spark would fail there instead, and later.
   */
  @Test
  void run_outputsThatCannotBeWritten_areRefusedBeforeSparkStarts(@TempDir Path dir)
      throws IOException {
    Path data = xor(dir);
    Path file = Files.writeString(dir.resolve("plain-file"), "x");
    Path directory = Files.createDirectory(dir.resolve("a-directory"));
    Path readOnly = Files.createDirectory(dir.resolve("read-only"));
    Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
    String model = dir.resolve("m.json").toString();
    String[][] cases = {
      {"--model-out", file.resolve("m.json") + "", "cannot write " + file.resolve("m.json")},
      {"--model-out", directory + "", directory + " is a directory; name a file"},
      {"--model-out", readOnly.resolve("m.json") + "", readOnly + " is not writable"},
      {"--checkpoint-dir", file + "", "--checkpoint-dir " + file + " is a file, not a directory"},
      {"--checkpoint-dir", readOnly.resolve("c") + "", readOnly + " is not writable"},
    };
    for (String[] c : cases) {
      Args args =
          Args.of("train")
              .with("--master", "spark://127.0.0.1:1", "--train", data.toString())
              .with("--layers", "2,4,1", "--iterations", "2", c[0], c[1]);
      if (!c[0].equals("--model-out")) {
        args.with("--model-out", model);
      }
      assertRunFailure(args.run(), c[2]);
      assertFalse(Files.exists(Path.of(model)), "nothing is written");
    }
    assertEquals(List.of(), List.of(readOnly.toFile().list()), "nothing under the read-only dir");
  }

  @Test
  void run_predictIntoAnExistingDirectory_isRefused(@TempDir Path dir) throws IOException {
    Path data = xor(dir);
    String model = dir.resolve("m.json").toString();
    assertEquals(0, trainXorLike(data, model).code());
    Path predictions = Files.createDirectory(dir.resolve("predictions"));
    Files.writeString(predictions.resolve("keep"), "keep me");

    CliRun predict =
        Args.of("predict")
            .local()
            .with("--input", data.toString(), "--model", model)
            .with("--predictions", predictions.toString())
            .run();
    assertRunFailure(predict, predictions + " already exists; choose a new path");
    assertEquals("keep me", Files.readString(predictions.resolve("keep")));
  }

  /**
   * predict reads no labels: unlabeled LIBSVM and CSV rows are predicted, and with a label the same
   * rows give the same predictions, whatever the label says.
   */
  @Test
  void run_predictUnlabeledRows_givesThePredictionsOfTheLabeledOnes(@TempDir Path dir)
      throws IOException {
    Path data = xor(dir);
    String model = dir.resolve("m.json").toString();
    assertEquals(0, trainXorLike(data, model).code());
    Path unlabeled = Files.writeString(dir.resolve("u.libsvm"), "1:0 2:0\n2:1\n1:1\n1:1 2:1\n");
    Path unlabeledCsv = Files.writeString(dir.resolve("u.csv"), "0,0\n0,1\n1,0\n1,1\n");
    Path oddLabels =
        Files.writeString(dir.resolve("odd.libsvm"), "7 2:0\nx 2:1\n1 1:1\n0 1:1 2:1\n");
    List<List<String>> outputs = new ArrayList<>();
    for (Path input : List.of(data, unlabeled, unlabeledCsv, oddLabels)) {
      String out = dir.resolve("p-" + input.getFileName()).toString();
      Args args =
          Args.of("predict")
              .local()
              .with("--input", input.toString(), "--model", model, "--predictions", out);
      if (input.toString().endsWith(".csv")) {
        args.with("--format", "csv", "--label-column", "2");
      }
      CliRun predict = args.run();
      assertEquals(0, predict.code(), input + ": " + predict.err());
      List<String> lines = new ArrayList<>();
      try (Stream<Path> parts = Files.list(Path.of(out))) {
        for (Path part :
            parts.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList()) {
          lines.addAll(Files.readAllLines(part));
        }
      }
      outputs.add(lines);
    }
    assertEquals(4, outputs.get(0).size());
    for (List<String> other : outputs.subList(1, outputs.size())) {
      assertEquals(outputs.get(0), other);
    }
  }

  /**
   * predict --partitions N splits file input into N consecutive ranges: N part files, each holding
   * some rows, which read in order give exactly the predictions of the input's natural split. With
   * table input it is a usage error.
   */
  @Test
  void run_predictPartitions_writesThatManyPartFilesInTheInputsOrder(@TempDir Path dir)
      throws IOException {
    Path data = xor(dir);
    String model = dir.resolve("m.json").toString();
    assertEquals(0, trainXorLike(data, model).code());
    StringBuilder rows = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      rows.append("1:").append(i / 40.0).append(" 2:").append((i * 7 % 40) / 40.0).append('\n');
    }
    Path input = Files.writeString(dir.resolve("rows.libsvm"), rows);
    List<List<String>> parts = new ArrayList<>();
    for (String partitions : List.of("0", "3")) {
      String out = dir.resolve("p" + partitions).toString();
      CliRun predict =
          Args.of("predict")
              .local()
              .with("--input", input.toString(), "--model", model, "--predictions", out)
              .with("--partitions", partitions)
              .run();
      assertEquals(0, predict.code(), predict.err());
      List<String> lines = new ArrayList<>();
      int files = 0;
      try (Stream<Path> all = Files.list(Path.of(out))) {
        for (Path part :
            all.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList()) {
          List<String> partLines = Files.readAllLines(part);
          assertFalse(partitions.equals("3") && partLines.isEmpty(), part + " holds rows");
          lines.addAll(partLines);
          files++;
        }
      }
      if (partitions.equals("3")) {
        assertEquals(3, files, "one part file per partition");
      }
      parts.add(lines);
    }
    assertEquals(40, parts.get(0).size());
    assertEquals(40, new java.util.HashSet<>(parts.get(0)).size(), "every row predicts apart");
    assertEquals(parts.get(0), parts.get(1), "the same predictions in the same order");

    Path table = dir.resolve("table");
    assertEquals(
        0,
        Args.of("convert")
            .local()
            .with("--input", data.toString(), "--layers", "2,4,1", "--table-out", table + "")
            .run()
            .code());
    assertUsageError(
        Args.of("predict")
            .local()
            .with("--input", table.toString(), "--format", "parquet", "--model", model)
            .with("--features-col", "features")
            .with("--predictions", dir.resolve("t").toString(), "--partitions", "2")
            .run(),
        "--partitions splits file input for predict; a table is read in Spark's own splits");
  }

  /** A config file a Windows editor saved, starting with a UTF-8 byte-order mark, reads as keys. */
  @Test
  void config_startingWithAByteOrderMark_readsItsFirstKey(@TempDir Path dir) throws IOException {
    Path data = xor(dir);
    Path config = dir.resolve("bom.properties");
    Files.write(config, "\uFEFFseed = 4\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertEquals((byte) 0xEF, Files.readAllBytes(config)[0]);
    String fromFile = dir.resolve("file.json").toString();
    String fromFlag = dir.resolve("flag.json").toString();
    CliRun withFile = trainXorLike(data, fromFile, "--config", config.toString());
    assertEquals(0, withFile.code(), withFile.err());
    assertEquals(0, trainXorLike(data, fromFlag, "--seed", "4").code());
    assertArrayEquals(
        ModelFile.read(fromFlag, new Configuration()).weights(),
        ModelFile.read(fromFile, new Configuration()).weights(),
        "seed 4 from the file, as from the flag");
  }

  /**
   * Outputs that cannot be written are refused before Spark starts: a --model-out ending in '/' (it
   * once trained, wrote ".history.csv" into a new directory, then failed), and predictions under a
   * regular file.
   */
  @Test
  void outputs_aDirectoryModelOutOrPredictionsUnderAFile_failBeforeSpark(@TempDir Path dir)
      throws IOException {
    Path data = xor(dir);
    Path out = dir.resolve("out");
    assertUsageError(
        Args.of("train")
            .with("--train", data.toString(), "--layers", "2,4,1", "--model-out", out + "/")
            .run(),
        "--model-out "
            + out
            + "/ names a directory; name the model file (e.g. "
            + out
            + "/model.json)");
    assertFalse(Files.exists(out), "nothing created");

    Path file = Files.writeString(dir.resolve("afile"), "a file");
    CliRun predict =
        Args.of("predict")
            .local()
            .with("--input", data.toString(), "--model", dir.resolve("none.json").toString())
            .with("--predictions", file.resolve("p").toString())
            .run();
    assertRunFailure(predict, "cannot write " + file.resolve("p") + ": " + file + " is a file");
  }

  @Test
  void paths_withSpacesAndNonAsciiLetters_areReadAndWrittenAsNamed(@TempDir Path dir)
      throws IOException {
    Path data = Files.writeString(dir.resolve("a b ü.libsvm"), XOR);
    String model = dir.resolve("ü m.json").toString();
    CliRun run = Args.train(data, model).with("--layers", "2,4,1").run();
    assertEquals(0, run.code(), run.err());
    assertEquals(17, ModelFile.read(model, new Configuration()).weights().length);
    assertTrue(Files.exists(dir.resolve("ü m.history.csv")));
  }

  /**
   * An output over an input: --model-out naming the --train file with --overwrite once replaced the
   * data with the model; a model inside a --train directory would be read as data next time.
   */
  @Test
  void outputs_overOrAmongTheInputs_areUsageErrors(@TempDir Path dir) throws IOException {
    Path data = xor(dir);
    assertUsageError(
        Args.train(data, data.toString()).with("--layers", "2,4,1", "--overwrite").run(),
        data + " is the --train input; write the model elsewhere, not over or among the data");
    assertEquals(XOR, Files.readString(data), "the data is untouched");

    Path parts = Files.createDirectory(dir.resolve("parts"));
    Files.writeString(parts.resolve("part-00000"), XOR);
    assertUsageError(
        Args.train(parts, parts.resolve("m.json").toString()).with("--layers", "2,4,1").run(),
        parts.resolve("m.json") + " would go in the --train directory");
    assertUsageError(
        Args.train(parts, data.toString()).with("--layers", "2,4,1", "--test", data + "").run(),
        data + " is the --test input");
  }

  /**
   * A network whose parameter arrays cannot fit the driver's heap is refused before Spark starts,
   * with the arithmetic, instead of dying of OutOfMemoryError after the data is loaded.
   */
  @Test
  void train_networkTooLargeForTheDriverHeap_isAUsageError(@TempDir Path dir) throws Exception {
    // 2-30000-30000-1: 2·30000+30000 + 30000·30000+30000 + 30000+1 = 900,150,001 parameters.
    CliRun huge =
        Args.train(xor(dir), dir.resolve("m.json").toString())
            .with("--layers", "2,30000,30000,1", "--optimizer", "adam")
            .run();
    assertUsageError(
        huge,
        "a 2-30000-30000-1 network has 900150001 parameters; training it with adam keeps about 5"
            + " arrays of them on the driver, 36.0 GB, more than its heap of");
    // 1e6 parameters, adam: weights, gradient, broadcast copy and two moments = 40 MB.
    TrainerConfig adam =
        TrainerConfig.builder(
                NetworkSpec.of(
                    new int[] {999, 1000},
                    Activation.TANH,
                    Activation.IDENTITY,
                    Loss.SQUARED_ERROR),
                new OptimizerSpec(OptimizerSpec.Kind.ADAM, 0.1, 0.9))
            .build();
    assertEquals(1_000_000, adam.network().numParameters());
    TrainJob.checkDriverHeap(adam, false, 40_000_000);
    assertThrows(UsageException.class, () -> TrainJob.checkDriverHeap(adam, false, 39_999_999));
    assertThrows(UsageException.class, () -> TrainJob.checkDriverHeap(adam, true, 40_000_000));
  }

  /**
   * Once the partitions are known, the partial sums arriving from treeAggregate count too. By hand
   * for 1048576-16-2 (16,777,266 parameters, 134,218,128 bytes an array) with Adam: 5 arrays,
   * 671,090,640 bytes; 16 partitions at depth 2 send the driver 4 sums, read 4 at a time, 3 ×
   * 134,218,128 each: 1,610,617,536; 2,281,708,176 in all. With 3 result threads 1,879,053,792,
   * under a 2 GiB heap (2,147,483,648).
   */
  @Test
  void driverPeakWarning_countsTheSumsArrivingAtOnce() {
    TrainerConfig adam =
        TrainerConfig.builder(
                NetworkSpec.of(
                    new int[] {1048576, 16, 2},
                    Activation.RELU,
                    Activation.SOFTMAX,
                    Loss.CROSS_ENTROPY),
                new OptimizerSpec(OptimizerSpec.Kind.ADAM, 0.01, 0.9))
            .build();
    assertEquals(16_777_266, adam.network().numParameters());
    assertEquals(
        "a step may hold up to 2.3 GB on the driver, more than its heap of 2.1 GB: 0.7 GB of"
            + " arrays as long as the 16777266 parameters, and 4 partition sums from treeAggregate"
            + " (--tree-depth 2 over 16 partitions) read 4 at a time, 0.4 GB each while read;"
            + " give the driver 2.3 GB or more (--driver-memory), or set"
            + " spark.resultGetter.threads=3",
        TrainJob.driverPeakWarning(adam, false, 16, 4, 2_147_483_648L));
    assertNull(TrainJob.driverPeakWarning(adam, false, 16, 4, 2_281_708_176L));
    assertNotNull(TrainJob.driverPeakWarning(adam, false, 16, 4, 2_281_708_175L));
    // Two result threads: 671,090,640 + 6 × 134,218,128 = 1,476,399,408.
    assertNull(TrainJob.driverPeakWarning(adam, false, 16, 2, 1_476_399_408L));
    // One partition sends one sum: 671,090,640 + 402,654,384 = 1,073,745,024.
    assertNull(TrainJob.driverPeakWarning(adam, false, 1, 4, 1_073_745_024L));
    assertNotNull(TrainJob.driverPeakWarning(adam, false, 1, 4, 1_073_745_023L));
    // Early stopping's best weights: one array more.
    assertNotNull(TrainJob.driverPeakWarning(adam, true, 16, 4, 2_281_708_176L));
  }

  /** Spark refusing to start (here: a driver below its memory minimum) is one line, exit 1. */
  @Test
  void train_sparkRefusingToStart_isOneLine(@TempDir Path dir) throws IOException {
    System.setProperty("spark.testing.memory", "100000000");
    try {
      CliRun run = trainXorLike(xor(dir), dir.resolve("m.json").toString());
      assertRunFailure(run, "sparkprop train: Spark did not start: [INVALID_DRIVER_MEMORY]");
      assertFalse(run.err().contains("unexpected failure"), run.err());
    } finally {
      System.clearProperty("spark.testing.memory");
    }
  }

  @Test
  void run_predictWithSkipInTheConfigFile_stillFailsAtABadRecord(@TempDir Path dir)
      throws IOException {
    Path data = xor(dir);
    String model = dir.resolve("m.json").toString();
    assertEquals(0, trainXorLike(data, model).code());
    Path input = dir.resolve("input.libsvm");
    Files.writeString(input, "0 1:0 2:1\n0 1:1 1:0\n");
    Path config = dir.resolve("shared.properties");
    Files.writeString(config, "on-bad-record = skip\nmax-bad-records = 10\n");

    CliRun predict =
        Args.of("predict")
            .local()
            .with("--config", config.toString(), "--input", input.toString(), "--model", model)
            .with("--predictions", dir.resolve("predictions").toString())
            .run();
    assertRunFailure(predict, "input.libsvm:2: feature indices must increase, found 1 after 1");
  }

  /**
   * The test set holds the training examples with the other label: the more training fits, the
   * higher the test loss. Early stopping must keep the epoch with the lowest test loss (found here
   * from the history), stop {@code patience} epochs after it, say so, and record it in the model.
   */
  @Test
  void run_earlyStopping_keepsTheBestEpoch_inTheModelItsMetadataAndTheSummary(@TempDir Path dir)
      throws IOException {
    Path data = xor(dir);
    Path flipped = dir.resolve("flipped.libsvm");
    Files.writeString(flipped, "1 1:0 2:0\n0 1:0 2:1\n0 1:1 2:0\n1 1:1 2:1\n");
    String model = dir.resolve("m.json").toString();
    CliRun train =
        trainXorLike(
            data,
            model,
            "--test",
            flipped.toString(),
            "--learning-rate",
            "0.5",
            "--iterations",
            "50",
            "--early-stopping-patience",
            "2");
    assertEquals(0, train.code(), train.err());

    List<String> rows = Files.readAllLines(dir.resolve("m.history.csv"));
    int best = 1;
    double bestLoss = Double.POSITIVE_INFINITY;
    for (String row : rows.subList(1, rows.size())) {
      String[] fields = row.split(",", -1);
      if (Double.parseDouble(fields[5]) < bestLoss) {
        bestLoss = Double.parseDouble(fields[5]);
        best = Integer.parseInt(fields[0]);
      }
    }
    assertEquals(best + 2, rows.size() - 1, "stopped two epochs after the best");
    assertTrue(rows.size() - 1 < 50, "stopped early");
    Model kept = ModelFile.read(model, new Configuration());
    assertEquals(Integer.toString(best), kept.metadata().get("epoch"));
    assertEquals(Double.toString(bestLoss), kept.metadata().get("testLoss"));
    assertTrue(train.out().contains("; kept epoch " + best + ":"), train.out());

    String replay = dir.resolve("replay.json").toString();
    assertEquals(
        0, trainXorLike(data, replay, "--learning-rate", "0.5", "--iterations", "" + best).code());
    assertTrue(
        Weights.maxRelativeDifference(
                ModelFile.read(replay, new Configuration()).weights(), kept.weights())
            < 1e-12,
        "the model is the one after epoch " + best);
  }
}
