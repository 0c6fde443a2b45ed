package io.sparkprop.cli;

import io.sparkprop.nn.Blas;
import io.sparkprop.spark.load.TableLoader;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.deploy.SparkHadoopUtil;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Spark configuration of a command, the Hadoop configuration its files are checked with before
 * Spark starts, and the start itself, refused when a standalone master never took the application.
 */
final class SparkStart {
  /** Where a standalone Worker puts the authentication secret for the processes it launches. */
  static final String WORKER_SECRET_ENV = "_SPARK_AUTH_SECRET";

  /** The master URLs Spark accepts (SparkContext's own forms). */
  private static final java.util.regex.Pattern MASTER =
      java.util.regex.Pattern.compile(
          "local|local\\[(\\*|[1-9]\\d*)(,[1-9]\\d*)?\\]"
              + "|local-cluster\\[[1-9]\\d*, *[1-9]\\d*, *[1-9]\\d*\\]"
              + "|spark://\\S+|yarn|k8s://\\S+|mesos://\\S+");

  private static final Logger LOG = LoggerFactory.getLogger(SparkStart.class);

  /** The serializer sparkprop's jobs run with, whatever the cluster's default. */
  static final String JAVA_SERIALIZER = "org.apache.spark.serializer.JavaSerializer";

  private SparkStart() {}

  /** The largest task result sent with the task's status: 64 MiB, unless set. */
  static final String DIRECT_RESULT_BYTES = Long.toString(64L << 20);

  /** spark-submit's settings (system properties), with {@code --master} when given. */
  static SparkConf conf(Options o, String command) throws UsageException {
    SparkConf conf = new SparkConf().setAppName("sparkprop " + command);
    if (o.has("master")) {
      String master = o.get("master").trim();
      if (!MASTER.matcher(master).matches()) {
        throw new UsageException(
            o.where("master")
                + " is not a Spark master URL, found '"
                + master
                + "' (local, local[N], local[*], spark://host:port, yarn, k8s://https://host:port)");
      }
      conf.setMaster(master);
    }
    if (o.has("blas")) {
      String mode;
      try {
        mode = Blas.mode(o.get("blas"));
      } catch (IllegalArgumentException e) {
        throw new UsageException(o.where("blas") + " " + e.getMessage());
      }
      // This JVM (the driver, and local mode's executors), and every executor Spark launches.
      Blas.request(mode);
      conf.setExecutorEnv(Blas.ENV, mode);
    }
    conf.setIfMissing("spark.ui.showConsoleProgress", "false");
    // A partition's gradient is n_1 × n_0 doubles for a wide first layer: it goes back with the
    // task's status rather than through a block-manager round trip (capped by the RPC limit).
    conf.setIfMissing("spark.task.maxDirectResultSize", DIRECT_RESULT_BYTES);
    // Every step broadcasts the weights, and trained doubles do not compress: LZ4 made a
    // 1048576-16-2 network's 134 MB 0.1 % larger, and its broadcast took 160–270 ms, 100–170 ms
    // without.
    conf.setIfMissing("spark.broadcast.compress", "false");
    // The weights (and the gradients) carry a CRC32C of their own, checked where they are read
    // (BulkArrays); Spark's Adler32 of every broadcast piece cost 7–12 ms of a 25.6 MB broadcast.
    conf.setIfMissing("spark.broadcast.checksum", "false");
    // Spark's Kryo (4.x) cannot write Java records, which sparkprop's tasks return; what crosses
    // the wire in bulk (weights, gradients) has its own writers either way.
    String serializer = conf.get("spark.serializer", JAVA_SERIALIZER);
    if (!serializer.equals(JAVA_SERIALIZER)) {
      LOG.warn(
          "spark.serializer={}: sparkprop's jobs use {} (Kryo cannot write the records its tasks"
              + " return)",
          serializer,
          JAVA_SERIALIZER);
      conf.set("spark.serializer", JAVA_SERIALIZER);
    }
    adoptWorkerSecret(conf, System.getenv(WORKER_SECRET_ENV));
    return conf;
  }

  /** Refuses a configuration without a master. */
  static void requireMaster(SparkConf conf) throws UsageException {
    if (!conf.contains("spark.master")) {
      throw new UsageException(
          "no Spark master: submit with spark-submit --master …, or pass "
              + "--master local[*] to run in this JVM");
    }
  }

  /**
   * The Hadoop configuration Spark will give its context (spark.hadoop.* and the rest applied), so
   * that paths on HDFS or S3 can be checked before Spark starts.
   */
  static Configuration hadoopConfiguration(SparkConf conf) {
    return SparkHadoopUtil.get().newConfiguration(conf);
  }

  /** Starts Spark; fails when the context cannot run jobs. */
  static JavaSparkContext start(SparkConf conf) throws UsageException, IOException {
    requireMaster(conf);
    // Through a session, so that tables are read with the catalog it was started with.
    SparkSession session;
    try {
      session = TableLoader.builder(conf).getOrCreate();
    } catch (IllegalStateException e) {
      // The context was stopped while the session was set up on it: the refusal below, early.
      throw new IOException(refusal(conf.get("spark.master"), "spark-application-", true), e);
    } catch (Exception e) {
      // Spark refuses its own settings here (a driver heap under its minimum, a bad port): checked
      // exceptions undeclared, so Exception. Their messages say what to change.
      throw new IOException(
          "Spark did not start: " + String.valueOf(e.getMessage()).replaceAll("\\s*\n\\s*", " "),
          e);
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(session.sparkContext());
    String refusal = refusal(jsc.master(), jsc.sc().applicationId(), jsc.sc().isStopped());
    if (refusal != null) {
      jsc.stop();
      throw new IOException(refusal);
    }
    return jsc;
  }

  /**
   * Why a just-started context cannot run jobs, or null. When a standalone master never registers
   * the application (wrong secret, master unreachable), Spark's constructor still returns and a
   * background thread stops the context a moment later; a job submitted in that window may wait
   * forever. Only a registered application has a master-assigned id ({@code app-…}); otherwise the
   * id is Spark's local fallback {@code spark-application-…}.
   */
  static String refusal(String master, String applicationId, boolean stopped) {
    if (master.startsWith("spark://") && applicationId.startsWith("spark-application-")) {
      return "the cluster did not accept the application: the standalone master "
          + master
          + " did not register it (see the errors above; a missing or wrong"
          + " spark.authenticate.secret is a common cause)";
    }
    if (stopped) {
      return "Spark stopped while starting (see the errors above)";
    }
    return null;
  }

  /**
   * In standalone cluster deploy mode the Worker removes spark.authenticate.secret from the
   * driver's command line and passes it in the environment, but Spark 4.1 requires the config key
   * and the driver fails to start (SPARK-25078). The driver takes the secret it was given.
   */
  static void adoptWorkerSecret(SparkConf conf, String workerSecret) {
    if (conf.getBoolean("spark.authenticate", false)
        && !conf.contains("spark.authenticate.secret")
        && workerSecret != null
        && !workerSecret.isEmpty()) {
      conf.set("spark.authenticate.secret", workerSecret);
    }
  }
}
