package io.sparkprop.cli;

import io.sparkprop.spark.run.Checkpoint;
import io.sparkprop.spark.run.CheckpointFiles;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a run with --checkpoint-dir starts, decided before Spark starts and under the directory's
 * lock. With --resume: from the newest checkpoint of this run; from the beginning when the
 * directory holds none at all; refused (a usage error) when it holds only other runs' checkpoints,
 * or when this run's newest is past the steps asked for. Without --resume: from the beginning,
 * refused when this run's checkpoints are there unless --overwrite, which deletes them.
 */
final class CheckpointStart {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointStart.class);

  /**
   * The options that may change when a run resumes: how long it runs, what it reports, where its
   * outputs go, how Spark holds the data. Every other option is part of the run's identity.
   */
  private static final Set<String> NOT_IDENTITY =
      Set.of(
          "block-size",
          "checkpoint-dir",
          "checkpoint-every",
          "checkpoint-unit",
          "early-stopping-patience",
          "epochs",
          "init-model",
          "iterations",
          "keep-checkpoints",
          "log-every",
          "master",
          "max-bad-records",
          "max-loss-growth",
          "min-delta",
          "model-out",
          "on-bad-record",
          "overwrite",
          "partitions",
          "resume",
          "storage-level",
          "test",
          "test-labels",
          "tree-depth");

  private CheckpointStart() {}

  /** The run's checkpoint files, or null when it keeps none. */
  static CheckpointFiles files(TrainJob job, Configuration hadoop) {
    TrainJob.CheckpointSettings settings = job.checkpoints();
    if (settings == null) {
      return null;
    }
    return new CheckpointFiles(
            settings.directory(),
            settings.keep(),
            hadoop,
            job.trainer().network(),
            job.trainer().optimizer(),
            job.trainer().seed())
        .withRun(identity(job.settings()))
        .withSettings(job.settings());
  }

  /**
   * The settings a checkpoint must share to continue a run. A cosine schedule spreads over the
   * run's length, so there the length is part of it too.
   */
  static Map<String, String> identity(Map<String, String> settings) {
    boolean cosine = "cosine".equals(settings.get("schedule"));
    Map<String, String> identity = new TreeMap<>();
    settings.forEach(
        (k, v) -> {
          boolean length = k.equals("epochs") || k.equals("iterations");
          if (!NOT_IDENTITY.contains(k) || (cosine && length)) {
            identity.put(k, v);
          }
        });
    return identity;
  }

  /**
   * The checkpoint to continue, or null to start from the beginning.
   *
   * @throws UsageException for a resume that cannot continue (exit 2)
   * @throws IOException when this run's checkpoints would be written over without --overwrite
   */
  static Checkpoint decide(TrainJob job, CheckpointFiles files) throws UsageException, IOException {
    if (files == null) {
      return null;
    }
    if (!job.checkpoints().resume()) {
      startOver(job, files);
      return null;
    }
    Checkpoint newest = files.newest();
    if (newest == null) {
      refuseOthers(files);
      LOG.info("no checkpoint of this run in {}; starting from the beginning", files.directory());
      return null;
    }
    int steps = job.trainer().steps();
    if (newest.step() > steps) {
      throw new UsageException(
          "--resume: this run's newest checkpoint in "
              + files.directory()
              + " is at step "
              + newest.step()
              + " (epoch "
              + newest.epoch()
              + "), past the "
              + steps
              + " steps ("
              + job.trainer().epochs()
              + " epochs) asked for; ask for at least "
              + newest.epoch()
              + " epochs, or drop --resume and pass --overwrite to start over");
    }
    return newest;
  }

  private static void startOver(TrainJob job, CheckpointFiles files) throws IOException {
    List<Path> own = files.own();
    if (own.isEmpty()) {
      return;
    }
    if (!job.overwrite()) {
      throw new IOException(
          "--checkpoint-dir "
              + files.directory()
              + " already holds checkpoints of this run (up to step "
              + CheckpointFiles.stepOf(own.get(0))
              + "); pass --resume to continue it, or --overwrite to start over");
    }
    LOG.info(
        "starting over: deleting this run's {} checkpoints in {}", own.size(), files.directory());
    files.deleteOwn();
  }

  /** A directory of other runs' checkpoints only: resuming would silently start afresh. */
  private static void refuseOthers(CheckpointFiles files) throws IOException, UsageException {
    List<Path> others = files.others();
    if (others.isEmpty()) {
      return;
    }
    Path newest = others.get(0);
    throw new UsageException(
        "--resume: "
            + files.directory()
            + " holds no checkpoint of this run, only "
            + others.size()
            + " of "
            + (others.size() == 1 ? "another" : "others")
            + ", the newest "
            + newest.getName()
            + ": "
            + files.whyNotThisRun(newest)
            + "; resume with that run's settings, or use another --checkpoint-dir");
  }
}
