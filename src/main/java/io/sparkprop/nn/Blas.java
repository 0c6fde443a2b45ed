package io.sparkprop.nn;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process-wide BLAS, chosen once per JVM at first use: the native library netlib loads (the
 * system's {@code libblas.so.3}) or netlib's Java implementation (on the Vector API where the JVM
 * has it). A native library is not always the faster: Debian's reference BLAS, which python3-numpy
 * or python3-torch may make the active {@code libblas.so.3}, ran a pass about 7× slower than
 * OpenBLAS. So by default both run a layer's three timed products at MNIST's first-layer shape
 * (forward, back, gradient: the transposed ones are where a reference BLAS is slowest), and the
 * Java one is used only when it is clearly faster ({@value #CLEARLY_FASTER}×; a close call keeps
 * native, so that a run's choice, and with it the rounding of its sums, does not flip with timing
 * noise).
 *
 * <p>The system property {@value #PROPERTY}, else the environment variable {@value #ENV}, sets
 * {@code auto} (the default), {@code native} or {@code java}. The choice, the library actually
 * loaded (from the process's memory map) and the timings are logged.
 */
public final class Blas {
  public static final String PROPERTY = "sparkprop.blas";
  public static final String ENV = "SPARKPROP_BLAS";

  /** How much faster Java must be to be chosen over a native library. */
  static final double CLEARLY_FASTER = 1.5;

  private static final Logger LOG = LoggerFactory.getLogger(Blas.class);

  /** The layer timed: W is 128 × 784 and a block has 128 examples, MNIST's first layer. */
  private static final int ROWS = 128;

  private static final int INNER = 784;
  private static final int COLUMNS = 128;

  private static volatile Selection selected;

  private Blas() {}

  /** A BLAS and why it was chosen. */
  record Selection(BLAS blas, String reason) {}

  /** The BLAS implementation in use. */
  public static BLAS get() {
    return selection().blas();
  }

  private static Selection selection() {
    Selection s = selected;
    if (s == null) {
      synchronized (Blas.class) {
        s = selected;
        if (s == null) {
          s = select(setting(), nativeOrNull(), JavaBLAS.getInstance(), Blas::gemmMillis);
          LOG.info("BLAS {}: {}", s.blas().getClass().getSimpleName(), s.reason());
          selected = s;
        }
      }
    }
    return s;
  }

  /** The implementation's class name, for start-up logs and benchmark reports. */
  public static String implementationName() {
    return get().getClass().getName();
  }

  /** The implementation and why it was chosen, for start-up logs and benchmark reports. */
  public static String description() {
    Selection s = selection();
    return s.blas().getClass().getSimpleName() + " (" + s.reason() + ")";
  }

  /**
   * A setting's mode: auto, native or java.
   *
   * @throws IllegalArgumentException naming the allowed settings
   */
  public static String mode(String setting) {
    String mode = setting.trim().toLowerCase(Locale.ROOT);
    if (!List.of("auto", "native", "java").contains(mode)) {
      throw new IllegalArgumentException("must be auto, native or java, found '" + setting + "'");
    }
    return mode;
  }

  /**
   * Asks for a setting in this JVM, before its first matrix product; once the BLAS is chosen the
   * request is too late and says so in the log.
   */
  public static void request(String setting) {
    String mode = mode(setting);
    synchronized (Blas.class) {
      if (selected == null) {
        System.setProperty(PROPERTY, mode);
      } else if (!mode.equals(mode(setting()))) {
        LOG.warn(
            "{}={} comes after this JVM chose its BLAS ({}); it applies to JVMs started later",
            PROPERTY,
            mode,
            selected.blas().getClass().getSimpleName());
      }
    }
  }

  private static String setting() {
    String value = System.getProperty(PROPERTY);
    if (value == null) {
      value = System.getenv(ENV);
    }
    return value == null ? "auto" : value;
  }

  private static BLAS nativeOrNull() {
    try {
      return NativeBLAS.getInstance();
    } catch (Throwable e) {
      // No system BLAS (or no native support for this platform): Java it is.
      return null;
    }
  }

  /**
   * The BLAS for a setting.
   *
   * @param nativeBlas the native implementation, or null when none loads
   * @param millis the time of one timed product on an implementation
   * @throws IllegalArgumentException for an unknown setting, or {@code native} where none loads
   */
  static Selection select(
      String setting, BLAS nativeBlas, BLAS javaBlas, ToDoubleFunction<BLAS> millis) {
    switch (mode(setting)) {
      case "java":
        return new Selection(javaBlas, PROPERTY + "=java");
      case "native":
        if (nativeBlas == null) {
          throw new IllegalArgumentException(
              PROPERTY
                  + "=native, but no native BLAS loads (install one: on Debian, apt-get install"
                  + " libopenblas0-pthread)");
        }
        return new Selection(nativeBlas, PROPERTY + "=native; " + library());
      default:
        break;
    }
    if (nativeBlas == null) {
      return new Selection(
          javaBlas,
          "no native BLAS loads (on Debian, apt-get install libopenblas0-pthread is faster)");
    }
    double n = millis.applyAsDouble(nativeBlas);
    double j = millis.applyAsDouble(javaBlas);
    String timing =
        String.format(
            Locale.ROOT,
            "a %d×%d layer's three products over %d examples took %.2f ms native, %.2f ms in"
                + " Java",
            ROWS,
            INNER,
            COLUMNS,
            n,
            j);
    if (j * CLEARLY_FASTER < n) {
      return new Selection(
          javaBlas,
          "the native one is slower: "
              + timing
              + "; "
              + library()
              + " (a reference BLAS? on Debian, apt-get install libopenblas0-pthread)");
    }
    return new Selection(nativeBlas, timing + "; " + library());
  }

  /** The BLAS libraries in this process's memory map, or a note that none is known. */
  private static String library() {
    List<String> found = List.of();
    try {
      found = blasLibraries(Files.readAllLines(Path.of("/proc/self/maps")));
    } catch (IOException | RuntimeException e) {
      // Not Linux, or no /proc: the library cannot be named.
    }
    return found.isEmpty()
        ? "library not found in the memory map"
        : "loaded " + String.join(", ", found);
  }

  /**
   * The BLAS-like shared libraries among {@code /proc/self/maps} lines, each once, in order of
   * appearance, with a name for the well-known ones: the file {@code libblas.so.3} resolves to says
   * which BLAS the system's alternatives (or LD_LIBRARY_PATH) picked.
   */
  static List<String> blasLibraries(List<String> mapsLines) {
    Set<String> paths = new LinkedHashSet<>();
    for (String line : mapsLines) {
      int slash = line.indexOf('/');
      if (slash < 0) {
        continue;
      }
      String path = line.substring(slash).trim();
      String file = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
      if (file.contains("blas") && file.contains(".so") && !file.contains("netlibblasjni")
          || file.startsWith("libmkl_rt")
          || file.startsWith("libblis")) {
        paths.add(path);
      }
    }
    List<String> named = new ArrayList<>();
    for (String path : paths) {
      named.add(path + kind(path));
    }
    return named;
  }

  private static String kind(String path) {
    String p = path.toLowerCase(Locale.ROOT);
    if (p.contains("openblas")) {
      return " (OpenBLAS)";
    }
    if (p.contains("mkl")) {
      return " (MKL)";
    }
    if (p.contains("blis")) {
      return " (BLIS)";
    }
    if (p.contains("atlas")) {
      return " (ATLAS)";
    }
    if (p.contains("/blas/libblas.so")) {
      return " (reference BLAS)";
    }
    return "";
  }

  /**
   * The best of five timings of a layer's three products, after three to warm up (the Java one is
   * JIT-compiled): forward Z = W X, back Wᵀ Δ, and the gradient ∂W = Δ Xᵀ. A reference BLAS is
   * nearly as fast as Java on the first and far slower on the transposed ones.
   */
  private static double gemmMillis(BLAS blas) {
    double[] w = values(ROWS * INNER, 7919);
    double[] x = values(INNER * COLUMNS, 104729);
    double[] delta = values(ROWS * COLUMNS, 1299709);
    double[] z = new double[ROWS * COLUMNS];
    double[] back = new double[INNER * COLUMNS];
    double[] gradient = new double[ROWS * INNER];
    double best = Double.POSITIVE_INFINITY;
    for (int run = 0; run < 8; run++) {
      long start = System.nanoTime();
      blas.dgemm("N", "N", ROWS, COLUMNS, INNER, 1.0, w, ROWS, x, INNER, 0.0, z, ROWS);
      blas.dgemm("T", "N", INNER, COLUMNS, ROWS, 1.0, w, ROWS, delta, ROWS, 0.0, back, INNER);
      blas.dgemm("N", "T", ROWS, INNER, COLUMNS, 1.0, delta, ROWS, x, INNER, 0.0, gradient, ROWS);
      double ms = (System.nanoTime() - start) / 1e6;
      if (run >= 3) {
        best = Math.min(best, ms);
      }
    }
    return best;
  }

  private static double[] values(int n, int prime) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = ((long) i * prime % 1000) / 1000.0 - 0.5;
    }
    return v;
  }
}
