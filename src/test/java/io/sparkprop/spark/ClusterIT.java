package io.sparkprop.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkprop.Weights;
import io.sparkprop.model.ModelFile;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * sparkprop submitted to a real standalone cluster on 127.0.0.1 — a Master and two Workers in their
 * own JVMs, started by scripts/cluster/start.sh with authentication on — through scripts/submit.sh.
 * Every trained model is compared with a local[2] run of the same seed, data and partitioning.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
  private static final double SAME_MODEL = 1e-9;
  private static final long TIMEOUT_SECONDS = 240;
  private static final String SECRET = UUID.randomUUID().toString();
  private static final int STEPS = 60;
  private static final Pattern EXECUTORS = Pattern.compile("on executors \\[([^\\]]*)\\]");

  private static Path dir;
  private static Path data;
  private static Map<String, String> clusterEnv;
  private static int uiPort;
  private static String masterUrl;
  private static double[] reference;
  private static final List<ProcessHandle> clusterProcesses = new ArrayList<>();

  @BeforeAll
  static void startCluster() throws Exception {
    // Under target/, not /tmp: the logs stay for a failed run to be read, and mvn clean removes
    // them.
    Files.createDirectories(Path.of("target"));
    dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "cluster-it");
    data = dir.resolve("train.libsvm");
    writeData(data, 4000);
    int masterPort = freePort();
    uiPort = freePort();
    masterUrl = "spark://127.0.0.1:" + masterPort;
    clusterEnv = new LinkedHashMap<>();
    clusterEnv.put("SPARKPROP_MASTER_PORT", Integer.toString(masterPort));
    clusterEnv.put("SPARKPROP_MASTER_UI_PORT", Integer.toString(uiPort));
    clusterEnv.put("SPARKPROP_CLUSTER_DIR", dir.resolve("cluster").toString());
    clusterEnv.put(
        "SPARKPROP_CLUSTER_OPTS",
        "-Dspark.authenticate=true -Dspark.authenticate.secret=" + SECRET);
    Result started = run(List.of("bash", "scripts/cluster/start.sh"), "start");
    assertEquals(0, started.code(), started.output());
    for (String name : List.of("master", "worker1", "worker2")) {
      clusterProcesses.add(ProcessHandle.of(daemonPid(name)).orElseThrow());
    }

    Result local = submit("local-reference", List.of("--master", "local[2]"), train("local"));
    assertEquals(0, local.code(), local.output());
    reference = weights("local");
  }

  @AfterAll
  static void stopCluster() throws Exception {
    List<ProcessHandle> all = new ArrayList<>();
    for (ProcessHandle daemon : clusterProcesses) {
      all.add(daemon);
      daemon.descendants().forEach(all::add);
    }
    Result stopped = run(List.of("bash", "scripts/cluster/stop.sh"), "stop");
    assertEquals(0, stopped.code(), stopped.output());
    for (ProcessHandle p : all) {
      p.onExit().get(20, TimeUnit.SECONDS);
      assertTrue(!p.isAlive(), "left running: " + p.info().commandLine().orElse("pid " + p.pid()));
    }
  }

  /**
   * Client mode, with the application's own traffic encrypted (AES on the RPC and block transfers
   * between driver and executors, keyed by the authentication secret) and its shuffle and spill
   * files too, on a cluster whose serializer is Kryo (as many clusters set it; sparkprop's jobs
   * keep Java's and say so): two executor JVMs train the local model.
   */
  @Test
  @Order(1)
  void clientMode_encryptedWireAndFiles_runsOnTwoExecutorJvms_andMatchesLocalModel()
      throws Exception {
    List<String> sparkArgs = cluster();
    sparkArgs.addAll(
        List.of(
            "--conf",
            "spark.network.crypto.enabled=true",
            "--conf",
            "spark.io.encryption.enabled=true",
            "--conf",
            "spark.serializer=org.apache.spark.serializer.KryoSerializer"));
    Result result = submit("client", sparkArgs, train("client"));
    assertEquals(0, result.code(), result.output());
    assertTrue(
        result.output().contains("sparkprop's jobs use org.apache.spark.serializer.JavaSerializer"),
        result.output());
    List<String[]> executors = executors(result.output());
    assertEquals(2, executors.size(), result.output());
    assertNotEquals(executors.get(0)[0], executors.get(1)[0], "two executor ids");
    assertNotEquals(executors.get(0)[1], executors.get(1)[1], "two JVMs");
    assertTrue(executors.stream().noneMatch(e -> e[0].equals("driver")));
    assertSameModel(reference, weights("client"));
  }

  @Test
  @Order(2)
  void clusterMode_driverFinishes_andMatchesLocalModel() throws Exception {
    List<String> args = new ArrayList<>(cluster());
    args.addAll(
        List.of(
            "--deploy-mode",
            "cluster",
            "--conf",
            "spark.standalone.submit.waitAppCompletion=true"));
    Result result = submit("cluster", args, train("cluster"));
    assertEquals(0, result.code(), result.output());
    assertEquals("FINISHED", lastDriverState(), "the driver's real final state");
    assertSameModel(reference, weights("cluster"));

    List<String> bad = train("cluster-bad");
    bad.set(bad.indexOf(data.toString()), dir.resolve("missing.libsvm").toString());
    Result failed = submit("cluster-bad", args, bad);
    assertEquals(
        "FAILED",
        lastDriverState(),
        "spark-submit exits " + failed.code() + " either way; the Master knows the driver failed");
  }

  /**
   * A relative IDX path is resolved on the driver, not on each executor; and with RPC messages
   * limited to 1 MB, a model of 2.6 MB still trains: the weights go by broadcast, not in tasks.
   */
  @Test
  @Order(3)
  void relativeIdxPath_andAModelOverTheRpcLimit_trainOnTheCluster() throws Exception {
    List<String> args = new ArrayList<>(cluster());
    args.addAll(List.of("--conf", "spark.rpc.message.maxSize=1"));
    Result result =
        submit(
            "relative-idx",
            args,
            List.of(
                "train",
                "--format",
                "idx",
                "--train",
                "src/test/resources/data/tiny-images-idx3-ubyte",
                "--layers",
                "4,40000,3",
                "--iterations",
                "2",
                "--partitions",
                "2",
                "--model-out",
                model("relative-idx")));
    assertEquals(0, result.code(), result.output());
    // 4·40000 + 40000 + 3·40000 + 3 = 320,003 parameters: 2.6 MB of doubles.
    assertEquals(320_003, weights("relative-idx").length);
  }

  @Test
  @Order(4)
  void executorKilledMidTraining_jobFinishesWithSameModel() throws Exception {
    String[] victim = new String[1];
    Result result =
        submitKillingMidway(
            "executor-kill",
            output -> {
              String[] executor = executors(output).get(0);
              victim[0] = executor[0];
              return Long.parseLong(executor[1]);
            });
    assertEquals(0, result.code(), result.output());
    assertLostAndRecomputed(result.output(), "Lost executor " + victim[0] + " on ");
    assertSameModel(reference, weights("executor-kill"));
  }

  @Test
  @Order(5)
  void workerKilledMidTraining_jobFinishesOnTheOtherWorkerWithSameModel() throws Exception {
    Result result = submitKillingMidway("worker-kill", output -> daemonPid("worker1"));
    assertEquals(0, result.code(), result.output());
    assertLostAndRecomputed(result.output(), "worker lost");
    assertSameModel(reference, weights("worker-kill"));
  }

  @Test
  @Order(6)
  void driverKilledMidTraining_resubmittedWithResume_endsWithTheSameModel() throws Exception {
    List<String> args = train("driver-kill");
    args.addAll(
        List.of(
            "--checkpoint-dir",
            dir.resolve("driver-kill-checkpoints").toString(),
            "--checkpoint-unit",
            "step",
            "--checkpoint-every",
            "5"));
    Path log = dir.resolve("driver-kill.log");
    // Client mode: submit.sh execs the driver's JVM, so the process is the driver.
    Process driver = start(submitCommand(cluster(), args), log);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    while (!Files.readString(log).contains("step 20/" + STEPS)) {
      assertTrue(driver.isAlive() && System.nanoTime() < deadline, Files.readString(log));
      Thread.sleep(50);
    }
    driver.destroyForcibly();
    assertTrue(driver.waitFor(30, TimeUnit.SECONDS), "the driver died");
    assertTrue(!Files.exists(Path.of(model("driver-kill"))), "killed before the end");

    args.add("--resume");
    Result resumed = submit("driver-kill-resumed", cluster(), args);
    assertEquals(0, resumed.code(), resumed.output());
    assertTrue(resumed.output().contains("resuming after step "), resumed.output());
    assertSameModel(reference, weights("driver-kill"));
  }

  /**
   * The input is read through {@link FlakyFileSystem}, uncached, so every step reads it again; its
   * third opening (the read of step 2's task) fails once. Spark runs the task again, and the sums
   * of the failed attempt are never counted: the model is the undisturbed one. One partition, as a
   * shuffle into two would read the file only once.
   */
  @Test
  @Order(7)
  void taskFailingOnceOnAFlakyInputSplit_isRetriedAndTheModelIsUnchanged() throws Exception {
    Path jar = dir.resolve("flaky.jar");
    String entry = FlakyFileSystem.class.getName().replace('.', '/') + ".class";
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry(entry));
      out.write(Files.readAllBytes(Path.of("target/test-classes", entry)));
      out.closeEntry();
    }
    List<String> sparkArgs = cluster();
    sparkArgs.addAll(
        List.of(
            "--jars",
            jar.toString(),
            "--conf",
            "spark.hadoop.fs.flaky.impl=" + FlakyFileSystem.class.getName(),
            "--conf",
            "spark.hadoop.fs.flaky.counter=" + dir.resolve("flaky-openings"),
            "--conf",
            "spark.hadoop.fs.flaky.fail-at=3"));
    List<String> args = train("flaky");
    args.set(args.indexOf(data.toString()), "flaky:" + data);
    int partitions = args.indexOf("--partitions");
    args.subList(partitions, partitions + 2).clear();
    args.addAll(List.of("--storage-level", "NONE"));

    Result result = submit("flaky", sparkArgs, args);
    assertEquals(0, result.code(), result.output());
    assertTrue(result.output().contains("injected failure: opening 3 of flaky:"), result.output());
    assertSameModel(reference, weights("flaky"));
  }

  @Test
  @Order(8)
  void submitWithoutTheSecret_isRefused() throws Exception {
    List<String> args = List.of("--master", masterUrl, "--conf", "spark.cores.max=2");
    Result result = submit("no-secret", args, train("no-secret"));
    assertNotEquals(0, result.code(), result.output());
    assertTrue(result.output().contains("SASL"), result.output());
    assertTrue(
        result.output().contains("the cluster did not accept the application: "),
        "the refusal is reported as such, before any data is read: " + result.output());
    assertTrue(!Files.exists(Path.of(model("no-secret"))));
  }

  @Test
  @Order(9)
  void parquetTable_convertedAndTrainedOnTheCluster_matchesLocalModel() throws Exception {
    String table = dir.resolve("train.parquet").toString();
    Result converted =
        submit(
            "convert",
            cluster(),
            List.of(
                "convert",
                "--input",
                data.toString(),
                "--layers",
                "30,32,4",
                "--table-out",
                table));
    assertEquals(0, converted.code(), converted.output());
    List<String> args = train("parquet");
    args.set(args.indexOf(data.toString()), table);
    args.addAll(List.of("--format", "parquet", "--features-col", "features"));
    Result result = submit("parquet", cluster(), args);
    assertEquals(0, result.code(), result.output());
    assertEquals(2, executors(result.output()).size(), result.output());
    assertSameModel(reference, weights("parquet"));
  }

  /**
   * TLS on RPC and the web UIs, from key and trust stores keytool makes here: a second cluster
   * (Master, two Workers) started with them trains the same model on both executors; its Master's
   * UI answers only over HTTPS and its RPC port completes a TLS handshake, under that certificate.
   */
  @Test
  @Order(10)
  void tlsOnRpcAndTheWebUis_aClusterTrainsTheSameModel() throws Exception {
    Path tls = Files.createDirectories(dir.resolve("tls"));
    String password = UUID.randomUUID().toString();
    List<String> ssl = tlsSettings(tls, password);
    Map<String, String> env = new LinkedHashMap<>(clusterEnv);
    int tlsMasterPort = freePort();
    int tlsUiPort = freePort();
    env.put("SPARKPROP_MASTER_PORT", Integer.toString(tlsMasterPort));
    env.put("SPARKPROP_MASTER_UI_PORT", Integer.toString(tlsUiPort));
    env.put("SPARKPROP_CLUSTER_DIR", tls.resolve("cluster").toString());
    StringBuilder opts = new StringBuilder(clusterEnv.get("SPARKPROP_CLUSTER_OPTS"));
    ssl.forEach(setting -> opts.append(" -D").append(setting));
    env.put("SPARKPROP_CLUSTER_OPTS", opts.toString());
    Path startLog = dir.resolve("tls-start.log");
    Result started =
        finish(start(List.of("bash", "scripts/cluster/start.sh"), startLog, env), startLog);
    try {
      assertEquals(0, started.code(), started.output());
      List<String> sparkArgs = cluster();
      sparkArgs.set(sparkArgs.indexOf(masterUrl), "spark://127.0.0.1:" + tlsMasterPort);
      for (String setting : ssl) {
        sparkArgs.addAll(List.of("--conf", setting));
      }
      Path log = dir.resolve("tls.log");
      Result result = finish(start(submitCommand(sparkArgs, train("tls")), log, env), log);
      assertEquals(0, result.code(), result.output());
      assertEquals(2, executors(result.output()).size(), result.output());
      assertSameModel(reference, weights("tls"));
      assertMasterUiIsHttpsOnly(tlsUiPort, tls, password);
      assertRpcIsTls(tlsMasterPort, tls, password);
    } finally {
      Path stopLog = dir.resolve("tls-stop.log");
      Result stopped =
          finish(start(List.of("bash", "scripts/cluster/stop.sh"), stopLog, env), stopLog);
      assertEquals(0, stopped.code(), stopped.output());
    }
  }

  /**
   * A key pair for 127.0.0.1 in a PKCS12 key store, its certificate in a trust store, and the Spark
   * settings that turn TLS on with them for RPC and the UIs.
   */
  private static List<String> tlsSettings(Path tls, String password) throws Exception {
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    String keyStore = tls.resolve("keystore.p12").toString();
    String trustStore = tls.resolve("truststore.p12").toString();
    String cert = tls.resolve("cert.pem").toString();
    List<List<String>> steps =
        List.of(
            List.of(
                keytool,
                "-genkeypair",
                "-alias",
                "sparkprop",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "2",
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "SAN=ip:127.0.0.1",
                "-storetype",
                "PKCS12",
                "-keystore",
                keyStore,
                "-storepass",
                password,
                "-keypass",
                password),
            List.of(
                keytool,
                "-exportcert",
                "-rfc",
                "-alias",
                "sparkprop",
                "-keystore",
                keyStore,
                "-storepass",
                password,
                "-file",
                cert),
            List.of(
                keytool,
                "-importcert",
                "-noprompt",
                "-alias",
                "sparkprop",
                "-file",
                cert,
                "-storetype",
                "PKCS12",
                "-keystore",
                trustStore,
                "-storepass",
                password));
    for (List<String> step : steps) {
      Result made = run(step, "keytool-" + step.get(1).substring(1));
      assertEquals(0, made.code(), made.output());
    }
    return List.of(
        "spark.ssl.enabled=true",
        "spark.ssl.rpc.enabled=true",
        "spark.ssl.protocol=TLSv1.3",
        "spark.ssl.keyStore=" + keyStore,
        "spark.ssl.keyStoreType=PKCS12",
        "spark.ssl.keyStorePassword=" + password,
        "spark.ssl.keyPassword=" + password,
        "spark.ssl.trustStore=" + trustStore,
        "spark.ssl.trustStoreType=PKCS12",
        "spark.ssl.trustStorePassword=" + password);
  }

  /**
   * The Master's HTTP port only redirects, to HTTPS; there the UI answers with the certificate made
   * above (trusted through the trust store alone) and sees both Workers.
   */
  private static void assertMasterUiIsHttpsOnly(int uiPort, Path tls, String password)
      throws Exception {
    java.net.http.HttpClient plain = java.net.http.HttpClient.newHttpClient();
    java.net.http.HttpResponse<String> redirect =
        plain.send(
            java.net.http.HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + uiPort + "/json/"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    String location = redirect.headers().firstValue("Location").orElse("");
    assertTrue(
        redirect.statusCode() / 100 == 3 && location.startsWith("https://"),
        redirect.statusCode() + " to '" + location + "': " + redirect.body());
    java.net.http.HttpResponse<String> secure =
        java.net.http.HttpClient.newBuilder()
            .sslContext(trusting(tls, password))
            .build()
            .send(
                java.net.http.HttpRequest.newBuilder(URI.create(location)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(200, secure.statusCode(), secure.body());
    assertEquals(2, new ObjectMapper().readTree(secure.body()).get("aliveworkers").asInt());
  }

  /** The Master's RPC port completes a TLS handshake, presenting the certificate made above. */
  private static void assertRpcIsTls(int masterPort, Path tls, String password) throws Exception {
    try (javax.net.ssl.SSLSocket socket =
        (javax.net.ssl.SSLSocket)
            trusting(tls, password).getSocketFactory().createSocket("127.0.0.1", masterPort)) {
      socket.startHandshake();
      java.security.cert.X509Certificate peer =
          (java.security.cert.X509Certificate) socket.getSession().getPeerCertificates()[0];
      assertEquals("CN=127.0.0.1", peer.getSubjectX500Principal().getName());
    }
  }

  /** A TLS context that trusts exactly the trust store made above. */
  private static javax.net.ssl.SSLContext trusting(Path tls, String password) throws Exception {
    java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
    try (java.io.InputStream in = Files.newInputStream(tls.resolve("truststore.p12"))) {
      trust.load(in, password.toCharArray());
    }
    javax.net.ssl.TrustManagerFactory factory =
        javax.net.ssl.TrustManagerFactory.getInstance(
            javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }

  // --- helpers ---

  private static List<String> cluster() {
    return new ArrayList<>(
        List.of(
            "--master",
            masterUrl,
            "--conf",
            "spark.authenticate=true",
            "--conf",
            "spark.authenticate.secret=" + SECRET,
            "--conf",
            "spark.executor.cores=1",
            "--conf",
            "spark.cores.max=2",
            "--conf",
            "spark.executor.memory=768m",
            "--conf",
            "spark.driver.memory=768m",
            // Jobs wait for both executors, as conf/spark-defaults.conf has them do: without it the
            // data may be cached on the one that registered first (seen once on a loaded machine,
            // in the TLS case), and the cases asserting two executor JVMs fail by a race.
            "--conf",
            "spark.scheduler.minRegisteredResourcesRatio=1.0",
            "--conf",
            "spark.scheduler.maxRegisteredResourcesWaitingTime=60s"));
  }

  private static List<String> train(String name) {
    return new ArrayList<>(
        List.of(
            "train",
            "--train",
            data.toString(),
            "--layers",
            "30,32,4",
            "--activation",
            "tanh",
            "--optimizer",
            "momentum",
            "--learning-rate",
            "0.2",
            "--iterations",
            Integer.toString(STEPS),
            "--partitions",
            "2",
            "--block-size",
            "64",
            "--seed",
            "7",
            "--model-out",
            model(name)));
  }

  private static String model(String name) {
    return dir.resolve(name + ".json").toString();
  }

  private static double[] weights(String name) throws IOException {
    return ModelFile.read(model(name), new Configuration()).weights();
  }

  private static void assertSameModel(double[] expected, double[] actual) {
    double difference = Weights.maxRelativeDifference(expected, actual);
    assertTrue(difference <= SAME_MODEL, "relative difference " + difference);
  }

  /** Pairs of (executor id, JVM pid) from the driver's "on executors [...]" line. */
  private static List<String[]> executors(String output) {
    Matcher m = EXECUTORS.matcher(output);
    assertTrue(m.find(), output);
    List<String[]> list = new ArrayList<>();
    Matcher each = Pattern.compile("(\\S+) \\(pid (\\d+)\\)").matcher(m.group(1));
    while (each.find()) {
      list.add(new String[] {each.group(1), each.group(2)});
    }
    return list;
  }

  /**
   * The driver's log shows the kill hit a live executor ({@code lost}) that held a cached partition
   * (Spark's "No more replicas available" for an rdd block): that partition's task of the next step
   * failed to find it and was run again from the input on the other executor.
   */
  private static void assertLostAndRecomputed(String output, String lost) {
    assertTrue(output.contains(lost), "the driver saw the loss (" + lost + "): " + output);
    assertTrue(
        Pattern.compile("No more replicas available for rdd_\\d+_\\d+").matcher(output).find(),
        "a cached partition was lost with it: " + output);
  }

  /** Starts a client-mode run, kills -9 the process chosen from its output at step 20. */
  private static Result submitKillingMidway(String name, PidChooser victim) throws Exception {
    Path log = dir.resolve(name + ".log");
    Process process = start(submitCommand(cluster(), train(name)), log);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    while (!Files.readString(log).contains("step 20/" + STEPS)) {
      assertTrue(process.isAlive() && System.nanoTime() < deadline, Files.readString(log));
      Thread.sleep(50);
    }
    long pid = victim.choose(Files.readString(log));
    assertTrue(ProcessHandle.of(pid).orElseThrow().destroyForcibly(), "kill -9 " + pid);
    return finish(process, log);
  }

  private interface PidChooser {
    long choose(String output) throws IOException;
  }

  private static long daemonPid(String name) throws IOException {
    return Long.parseLong(Files.readString(dir.resolve("cluster").resolve(name + ".pid")).trim());
  }

  private static String lastDriverState() throws Exception {
    JsonNode master =
        new ObjectMapper().readTree(URI.create("http://127.0.0.1:" + uiPort + "/json/").toURL());
    JsonNode drivers = master.get("completeddrivers");
    assertTrue(drivers.size() > 0, master.toString());
    JsonNode newest = drivers.get(0);
    for (JsonNode d : drivers) {
      if (d.get("id").asText().compareTo(newest.get("id").asText()) > 0) {
        newest = d;
      }
    }
    return newest.get("state").asText();
  }

  private static List<String> submitCommand(List<String> sparkArgs, List<String> args) {
    List<String> command = new ArrayList<>(List.of("bash", "scripts/submit.sh"));
    command.addAll(sparkArgs);
    command.add("--");
    command.addAll(args);
    return command;
  }

  private static Result submit(String name, List<String> sparkArgs, List<String> args)
      throws Exception {
    return run(submitCommand(sparkArgs, args), name);
  }

  private record Result(int code, String output) {}

  private static Result run(List<String> command, String name) throws Exception {
    Path log = dir.resolve(name + ".log");
    return finish(start(command, log), log);
  }

  private static Process start(List<String> command, Path log) throws IOException {
    return start(command, log, clusterEnv);
  }

  private static Process start(List<String> command, Path log, Map<String, String> env)
      throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    return builder.start();
  }

  private static Result finish(Process process, Path log) throws Exception {
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new AssertionError("timed out: " + Files.readString(log));
    }
    return new Result(process.exitValue(), Files.readString(log));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Two classes from a noisy rule on 30 features, and two more from the sign of feature 3. */
  private static void writeData(Path path, int count) throws IOException {
    SplittableRandom random = new SplittableRandom(11);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      double[] x = new double[30];
      StringBuilder line = new StringBuilder();
      for (int f = 0; f < x.length; f++) {
        x[f] = 2 * random.nextDouble() - 1;
      }
      int label = (x[0] + x[1] * x[2] > 0 ? 1 : 0) + (x[3] > 0 ? 2 : 0);
      line.append(label);
      for (int f = 0; f < x.length; f++) {
        line.append(' ').append(f + 1).append(':').append(x[f]);
      }
      lines.add(line.toString());
    }
    Files.write(path, lines);
  }
}
