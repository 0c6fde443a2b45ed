package io.sparkprop.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The BLAS is chosen by the setting and, on auto, by timing: a native library is kept unless Java
 * is clearly faster (a reference BLAS), and the library actually loaded is named from the memory
 * map.
 */
class BlasTest {
  /** Stands in for a native implementation: a BLAS that is not the Java one (and is never run). */
  private static final BLAS NATIVE =
      (BLAS)
          java.lang.reflect.Proxy.newProxyInstance(
              BLAS.class.getClassLoader(),
              new Class<?>[] {BLAS.class},
              (proxy, method, args) -> {
                throw new UnsupportedOperationException(method.getName());
              });

  private static final BLAS JAVA = JavaBLAS.getInstance();

  private static Blas.Selection auto(double nativeMillis, double javaMillis) {
    return Blas.select("auto", NATIVE, JAVA, b -> b == NATIVE ? nativeMillis : javaMillis);
  }

  @Test
  void auto_keepsNative_unlessJavaIsClearlyFaster() {
    assertSame(NATIVE, auto(1.0, 3.0).blas(), "OpenBLAS against Java");
    assertSame(NATIVE, auto(1.4, 1.0).blas(), "a close call keeps native: no flip on noise");
    Blas.Selection reference = auto(21.0, 3.0);
    assertSame(JAVA, reference.blas(), "a reference BLAS, 7× slower");
    assertTrue(
        reference
            .reason()
            .startsWith(
                "the native one is slower: a 128×784 layer's three products over 128 examples took"
                    + " 21.00 ms native, 3.00 ms in Java;"),
        reference.reason());
    assertTrue(reference.reason().endsWith("apt-get install libopenblas0-pthread)"));
  }

  @Test
  void settings_forceEitherOrRefuse() {
    assertSame(JAVA, Blas.select("java", NATIVE, JAVA, b -> 1 / 0).blas(), "no timing");
    assertSame(NATIVE, Blas.select(" Native ", NATIVE, JAVA, b -> 1 / 0).blas());
    assertSame(JAVA, Blas.select("auto", null, JAVA, b -> 1 / 0).blas(), "none loads");
    assertEquals(
        "sparkprop.blas=native, but no native BLAS loads (install one: on Debian, apt-get install"
            + " libopenblas0-pthread)",
        assertThrows(
                IllegalArgumentException.class, () -> Blas.select("native", null, JAVA, b -> 1.0))
            .getMessage());
    assertEquals(
        "must be auto, native or java, found 'mkl'",
        assertThrows(IllegalArgumentException.class, () -> Blas.mode("mkl")).getMessage());
  }

  @Test
  void blasLibraries_nameWhatLibblasResolvedTo_once() {
    List<String> maps =
        List.of(
            "7f00-7f10 r-xp 00000000 08:01 123 /usr/lib/x86_64-linux-gnu/libm.so.6",
            "7f10-7f20 r-xp 00000000 08:01 124"
                + " /usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3",
            "7f20-7f30 r--p 00001000 08:01 124"
                + " /usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3",
            "7f30-7f40 r-xp 00000000 08:01 125 /tmp/blas-123/libnetlibblasjni.so",
            "7f40-7f50 r-xp 00000000 08:01 126 /opt/lib/blas/libblas.so.3.11.0",
            "7f50-7f60 rw-p 00000000 00:00 0 [heap]");
    assertEquals(
        List.of(
            "/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3 (OpenBLAS)",
            "/opt/lib/blas/libblas.so.3.11.0 (reference BLAS)"),
        Blas.blasLibraries(maps));
  }

  @Test
  void thisJvm_saysWhatItChoseAndWhy() {
    String description = Blas.description();
    assertTrue(description.startsWith(Blas.get().getClass().getSimpleName() + " ("), description);
    if (Blas.get().getClass().getSimpleName().equals("JNIBLAS")) {
      assertTrue(description.contains("loaded /") && description.contains("blas"), description);
    }
  }
}
