package io.sparkprop.cli;

import java.util.List;
import java.util.Set;

/**
 * Every option of every subcommand: its flag, value, default, help and the commands that take it.
 * The usage text is made from this table, and docs/cli.md is checked against it by a test.
 */
final class OptionTable {
  /** The subcommands, in the order the usage text shows them. */
  static final List<String> COMMAND_ORDER =
      List.of("train", "evaluate", "predict", "convert", "inspect", "export");

  static final Set<String> COMMANDS = Set.copyOf(COMMAND_ORDER);
  private static final Set<String> ALL = COMMANDS;
  private static final Set<String> DATA = Set.of("train", "evaluate", "predict");

  /** The commands that read a data set. */
  private static final Set<String> READ = Set.of("train", "evaluate", "predict", "convert");

  private static final Set<String> SPARK =
      Set.of("train", "evaluate", "predict", "convert", "export");

  private OptionTable() {}

  static final List<OptionDef> DEFINITIONS =
      List.of(
          new OptionDef(
              "config", "FILE", null, "properties file of options (keys are the flag names)", ALL),
          new OptionDef(
              "master",
              "URL",
              null,
              "Spark master; default: what spark-submit sets (the project's scripts pass"
                  + " local[*]; export, which runs on the driver, takes local[1])",
              SPARK),
          new OptionDef(
              "train",
              "PATH",
              null,
              "training data: file, directory or glob on any Hadoop file system (a table's name"
                  + " with --format table)",
              Set.of("train")),
          new OptionDef(
              "train-labels",
              "PATH",
              null,
              "idx: label file for --train (default: inferred from its name)",
              Set.of("train")),
          new OptionDef(
              "test",
              "PATH",
              null,
              "held-out data, evaluated after every epoch (train) or once (evaluate)",
              Set.of("train", "evaluate")),
          new OptionDef(
              "test-labels",
              "PATH",
              null,
              "idx: label file for --test (default: inferred from its name)",
              Set.of("train", "evaluate")),
          new OptionDef(
              "input", "PATH", null, "data to predict or convert", Set.of("predict", "convert")),
          new OptionDef(
              "table-out",
              "PATH",
              null,
              "convert: the table to write (must not exist), columns label and features",
              Set.of("convert")),
          new OptionDef(
              "table-format",
              "parquet|orc|json",
              "parquet",
              "convert: the Spark data source that writes it",
              Set.of("convert")),
          new OptionDef(
              "predictions",
              "DIR",
              null,
              "where predict writes its output (a new directory)",
              Set.of("predict")),
          new OptionDef(
              "predictions-format",
              "parquet|orc|csv|json|text",
              null,
              "how predict writes (default: parquet for table input, text otherwise)",
              Set.of("predict")),
          new OptionDef(
              "keep-cols",
              "A,B,…",
              null,
              "tables: input columns predict carries to its output, to join back on",
              Set.of("predict")),
          new OptionDef(
              "format",
              "mllib|onnx",
              null,
              "export: a Spark MLlib model directory (sigmoid hidden layers, softmax output) or an"
                  + " ONNX file (any model)",
              Set.of("export")),
          new OptionDef(
              "out",
              "PATH",
              null,
              "export: where the exported model goes (mllib: a new directory; onnx: a file)",
              Set.of("export")),
          new OptionDef(
              "format",
              "libsvm|csv|idx|parquet|orc|table|SOURCE",
              "libsvm",
              "data format; parquet, orc or any other Spark data source (json, avro, …) is read as"
                  + " a table, table reads a catalog table",
              READ),
          new OptionDef(
              "features-col",
              "NAME",
              null,
              "tables: the column holding all features, a Spark ML vector or an array of numbers",
              READ),
          new OptionDef(
              "feature-cols",
              "A,B,…",
              null,
              "tables: numeric columns holding one feature each, in order (instead of"
                  + " --features-col)",
              READ),
          new OptionDef("label-col", "NAME", "label", "tables: the label column", READ),
          new OptionDef(
              "weight-col",
              "NAME",
              null,
              "tables: per-example weights (finite, at least 0); the gradient, loss and accuracy"
                  + " are averaged with them",
              Set.of("train", "evaluate")),
          new OptionDef(
              "key-col",
              "NAME",
              null,
              "tables: a column whose value errors show to name a bad row",
              READ),
          new OptionDef("delimiter", "CHAR", ",", "csv: field separator (\\t for tab)", READ),
          new OptionDef(
              "label-column", "N", "0", "csv: 0-based position of the label column", READ),
          new OptionDef("header", null, "false", "csv: every file starts with a header line", READ),
          new OptionDef(
              "layers",
              "N0,N1,...,NL",
              null,
              "layer sizes, inputs first (required unless --init-model)",
              Set.of("train", "convert")),
          new OptionDef(
              "activation",
              "sigmoid|tanh|relu|identity",
              "sigmoid",
              "hidden-layer activation",
              Set.of("train")),
          new OptionDef(
              "output",
              "sigmoid|softmax|identity",
              null,
              "output activation; default softmax for 2+ outputs, else sigmoid",
              Set.of("train", "convert")),
          new OptionDef(
              "loss",
              "cross-entropy|squared-error",
              null,
              "loss; default cross-entropy, squared-error for identity output",
              Set.of("train")),
          new OptionDef(
              "optimizer",
              "gd|sgd|momentum|nesterov|adam|lbfgs",
              "gd",
              "update rule",
              Set.of("train")),
          new OptionDef(
              "validation-fraction",
              "F",
              "0",
              "split this fraction of --train off (seeded) and evaluate it every epoch; 0 for none",
              Set.of("train")),
          new OptionDef(
              "early-stopping-patience",
              "N",
              "0",
              "stop after N epochs without a lower validation (else test) loss; keep the best; 0 off",
              Set.of("train")),
          new OptionDef(
              "max-loss-growth",
              "R",
              "1000",
              "fail as diverged when an epoch's training loss exceeds R × max(the lowest so far, 1);"
                  + " 0 turns the check off",
              Set.of("train")),
          new OptionDef(
              "min-delta",
              "D",
              "0",
              "how much lower a loss must be to count as better",
              Set.of("train")),
          new OptionDef(
              "checkpoint-dir",
              "DIR",
              null,
              "write checkpoints here (any Hadoop file system); needed by --resume",
              Set.of("train")),
          new OptionDef(
              "checkpoint-every",
              "N",
              "1",
              "write a checkpoint every N epochs (or steps)",
              Set.of("train")),
          new OptionDef(
              "checkpoint-unit",
              "epoch|step",
              "epoch",
              "what --checkpoint-every counts; step suits long sampled epochs",
              Set.of("train")),
          new OptionDef(
              "keep-checkpoints", "K", "3", "keep the newest K checkpoints", Set.of("train")),
          new OptionDef(
              "resume",
              null,
              "false",
              "continue from the newest valid checkpoint in --checkpoint-dir, if any",
              Set.of("train")),
          new OptionDef("history-size", "M", "10", "lbfgs: curvature pairs kept", Set.of("train")),
          new OptionDef(
              "tolerance",
              "TOL",
              "1e-9",
              "lbfgs: stop when an iteration lowers the cost by less (relative)",
              Set.of("train")),
          new OptionDef("beta1", "B1", "0.9", "adam: first-moment decay in [0,1)", Set.of("train")),
          new OptionDef(
              "beta2", "B2", "0.999", "adam: second-moment decay in [0,1)", Set.of("train")),
          new OptionDef(
              "epsilon",
              "EPS",
              "1e-8",
              "adam: added to the root of the second moment",
              Set.of("train")),
          new OptionDef(
              "weight-decay",
              "LAMBDA",
              "0",
              "L2 strength: adds (λ/2)Σw² over weights, not biases",
              Set.of("train")),
          new OptionDef(
              "clip-norm",
              "C",
              "0",
              "scale the gradient to norm C when longer; 0 turns it off",
              Set.of("train")),
          new OptionDef(
              "schedule",
              "constant|step|exponential|cosine",
              "constant",
              "learning-rate schedule after warm-up",
              Set.of("train")),
          new OptionDef(
              "decay-rate",
              "R",
              "0.5",
              "step/exponential: factor per --decay-steps",
              Set.of("train")),
          new OptionDef(
              "decay-steps",
              "N",
              null,
              "step/exponential: steps per decay; default one epoch",
              Set.of("train")),
          new OptionDef(
              "warmup-steps",
              "N",
              "0",
              "steps of linear warm-up to --learning-rate",
              Set.of("train")),
          new OptionDef(
              "min-learning-rate",
              "ETA",
              "0",
              "cosine: the floor the rate decays toward (reached one step after the last)",
              Set.of("train")),
          new OptionDef("learning-rate", "ETA", "0.1", "step size η", Set.of("train")),
          new OptionDef(
              "momentum", "MU", "0.9", "momentum: velocity decay μ in [0,1)", Set.of("train")),
          new OptionDef(
              "batch-fraction",
              "F",
              null,
              "fraction of examples sampled per step, in (0,1]; default 1 (gd, momentum) or 0.01 (sgd)",
              Set.of("train")),
          new OptionDef(
              "precision",
              "float32|float64",
              "float64",
              "arithmetic of the gradient passes: float32 runs sgemm",
              Set.of("train")),
          new OptionDef(
              "epochs",
              "N",
              "10",
              "passes over the data (1/batch-fraction steps each)",
              Set.of("train")),
          new OptionDef(
              "iterations", "N", null, "number of steps; overrides --epochs", Set.of("train")),
          new OptionDef("seed", "N", "1", "seed for initial weights and sampling", Set.of("train")),
          new OptionDef(
              "init-model",
              "PATH",
              null,
              "warm start from this model file or Spark MLlib MLP model directory (architecture"
                  + " must match)",
              Set.of("train")),
          new OptionDef("model-out", "PATH", null, "where train writes the model", Set.of("train")),
          new OptionDef(
              "overwrite",
              null,
              "false",
              "allow replacing an existing --model-out (export: --out)",
              Set.of("train", "export")),
          new OptionDef(
              "model",
              "PATH",
              null,
              "model file, or Spark MLlib MLP model directory, to use",
              Set.of("evaluate", "predict", "inspect", "export")),
          new OptionDef(
              "json", null, "false", "inspect: print the whole model as JSON", Set.of("inspect")),
          new OptionDef(
              "partitions",
              "N",
              "0",
              "partitions of the cached data (predict: of file input, kept in order); 0 keeps the"
                  + " input's split",
              DATA),
          new OptionDef("block-size", "N", "128", "examples per block (GEMM width)", DATA),
          new OptionDef(
              "blas",
              "auto|native|java",
              "auto",
              "matrix products on the system's native BLAS or netlib's Java one; auto: native unless"
                  + " a short timed product finds Java 1.5× faster (a reference BLAS)",
              DATA),
          new OptionDef(
              "cache-precision",
              "float32|float64",
              "float32",
              "libsvm, csv, tables: cached feature values as floats (4 bytes) or exact doubles (8)",
              DATA),
          new OptionDef(
              "sparse",
              "auto|on|off",
              "auto",
              "libsvm, csv, tables: cache each example's nonzeros (auto: when under 1/16 of a"
                  + " block's values are nonzero)",
              DATA),
          new OptionDef(
              "on-bad-record",
              "fail|skip",
              "fail",
              "libsvm, csv, tables: fail at a malformed line or row, or skip it and report the"
                  + " count",
              Set.of("train", "evaluate", "convert")),
          new OptionDef(
              "max-bad-records",
              "N",
              "1000",
              "with skip: fail when more lines or rows than this are malformed in all",
              Set.of("train", "evaluate", "convert")),
          new OptionDef(
              "tree-depth", "N", "2", "depth of the treeAggregate combining partition sums", DATA),
          new OptionDef(
              "storage-level",
              "LEVEL",
              "MEMORY_AND_DISK",
              "Spark storage level of the cached blocks",
              DATA),
          new OptionDef(
              "log-every",
              "N",
              "0",
              "log every N steps within an epoch; 0 picks ~5 lines for long epochs",
              Set.of("train")));
}
