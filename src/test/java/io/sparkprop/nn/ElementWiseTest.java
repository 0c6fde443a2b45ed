package io.sparkprop.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both element-wise implementations against references that share neither formula nor exp with the
 * product (StrictMath, and σ written as e^z/(1 + e^z) for z &lt; 0), on lengths that end in a
 * partial vector, with the values where the functions saturate or are special.
 */
class ElementWiseTest {
  /** Double results: a few ulps, as for any composition of correctly rounded steps. */
  private static final double DOUBLE_ULPS = 4;

  /** Float results against the double reference rounded to float. */
  private static final double FLOAT_ULPS = 4;

  /** Below the normal range only an absolute error is meaningful. */
  private static final double DOUBLE_FLOOR = 1e-300;

  private static final double FLOAT_FLOOR = 1e-37;

  private static final int[] LENGTHS = {1, 3, 7, 8, 17, 1000, 20_001};

  static Stream<ElementWise> implementations() {
    return Stream.of(ElementWise.choose("scalar"), ElementWise.choose("vector"));
  }

  private static double sigmoidReference(double z) {
    if (z >= 0) {
      return 1.0 / (1.0 + StrictMath.exp(-z));
    }
    double e = StrictMath.exp(z);
    return e / (1.0 + e);
  }

  /** Gaussian values of two widths, then the special ones. */
  private static double[] inputs(int n, long seed) {
    Random random = new Random(seed);
    double[] z = new double[n];
    for (int i = 0; i < n; i++) {
      z[i] = random.nextGaussian() * (i % 2 == 0 ? 4.0 : 60.0);
    }
    double[] special = {0.0, -0.0, -745, 745, -1000, 1000, -88, 88, 1e-310, -20, 20};
    for (int i = 0; i < Math.min(n, special.length); i++) {
      z[n - 1 - i] = special[i];
    }
    return z;
  }

  @ParameterizedTest
  @MethodSource("implementations")
  void exp_doubles_matchesStrictMath(ElementWise kernels) {
    for (int n : LENGTHS) {
      double[] z = inputs(n, 7 * n);
      double[] exp = z.clone();
      kernels.exp(exp, n);
      for (int i = 0; i < n; i++) {
        assertClose(StrictMath.exp(z[i]), exp[i], "exp(" + z[i] + ")");
      }
    }
  }

  @ParameterizedTest
  @MethodSource("implementations")
  void sigmoidTanhRelu_doubles_matchReferences(ElementWise kernels) {
    for (int n : LENGTHS) {
      double[] z = inputs(n, n);
      double[] sigmoid = z.clone();
      double[] tanh = z.clone();
      double[] relu = z.clone();
      kernels.sigmoid(sigmoid, n);
      kernels.tanh(tanh, n);
      kernels.relu(relu, n);
      for (int i = 0; i < n; i++) {
        assertClose(sigmoidReference(z[i]), sigmoid[i], "sigmoid(" + z[i] + ")");
        assertClose(StrictMath.tanh(z[i]), tanh[i], "tanh(" + z[i] + ")");
        assertEquals(z[i] > 0 ? z[i] : 0.0, relu[i], 0.0, "relu(" + z[i] + ")");
      }
    }
  }

  @ParameterizedTest
  @MethodSource("implementations")
  void sigmoidTanhRelu_floats_matchReferences(ElementWise kernels) {
    for (int n : LENGTHS) {
      double[] wide = inputs(n, 100 + n);
      float[] z = new float[n];
      for (int i = 0; i < n; i++) {
        z[i] = (float) wide[i];
      }
      float[] sigmoid = z.clone();
      float[] tanh = z.clone();
      float[] relu = z.clone();
      kernels.sigmoid(sigmoid, n);
      kernels.tanh(tanh, n);
      kernels.relu(relu, n);
      for (int i = 0; i < n; i++) {
        assertClose((float) sigmoidReference(z[i]), sigmoid[i], "sigmoid(" + z[i] + "f)");
        assertClose((float) StrictMath.tanh(z[i]), tanh[i], "tanh(" + z[i] + "f)");
        assertEquals(z[i] > 0 ? z[i] : 0.0f, relu[i], 0.0f, "relu(" + z[i] + "f)");
      }
    }
  }

  @ParameterizedTest
  @MethodSource("implementations")
  void nan_staysNaN(ElementWise kernels) {
    double[] d = {Double.NaN, 1.0, Double.NaN};
    float[] f = {Float.NaN, 1.0f, Float.NaN};
    kernels.sigmoid(d, 3);
    kernels.sigmoid(f, 3);
    assertTrue(Double.isNaN(d[0]) && Double.isNaN(d[2]) && Float.isNaN(f[0]) && Float.isNaN(f[2]));
    double[] rd = {Double.NaN, -1.0};
    float[] rf = {Float.NaN, -1.0f};
    kernels.relu(rd, 2);
    kernels.relu(rf, 2);
    assertTrue(Double.isNaN(rd[0]) && Float.isNaN(rf[0]), "relu passes NaN on");
    assertEquals(0.0, rd[1]);
    assertEquals(0.0f, rf[1]);
  }

  @ParameterizedTest
  @MethodSource("implementations")
  void add_addsEachValueIntoItsPlace_andNothingElse(ElementWise kernels) {
    for (int n : LENGTHS) {
      double[] values = inputs(n + 5, n);
      double[] into = inputs(n + 9, 3L * n);
      double[] expected = into.clone();
      for (int i = 0; i < n; i++) {
        expected[4 + i] = into[4 + i] + values[5 + i];
      }
      kernels.add(values, 5, into, 4, n);
      assertArrayEquals(expected, into, 0.0, "doubles, length " + n);

      float[] vf = new float[n + 5];
      float[] intoF = new float[n + 9];
      for (int i = 0; i < vf.length; i++) {
        vf[i] = (float) values[i];
      }
      for (int i = 0; i < intoF.length; i++) {
        intoF[i] = (float) expected[i] * 0.5f;
      }
      float[] expectedF = intoF.clone();
      for (int i = 0; i < n; i++) {
        expectedF[4 + i] = intoF[4 + i] + vf[5 + i];
      }
      kernels.add(vf, 5, intoF, 4, n);
      assertArrayEquals(expectedF, intoF, 0f, "floats, length " + n);
    }
  }

  @ParameterizedTest
  @MethodSource("implementations")
  void pixels_everyByteAtEveryPosition_decodesLikeTheScalarFormulas(ElementWise kernels) {
    for (int n : new int[] {1, 7, 8, 15, 16, 17, 33, 64, 255, 256, 257, 1000}) {
      for (int shift : new int[] {0, 3}) {
        byte[] pixels = new byte[n + shift];
        for (int i = 0; i < pixels.length; i++) {
          pixels[i] = (byte) (i * 37 + n);
        }
        float[] into = new float[n + 2];
        into[0] = 9f;
        into[n + 1] = 9f;
        kernels.pixels(pixels, shift, into, 1, n);
        for (int i = 0; i < n; i++) {
          int p = pixels[shift + i] & 0xff;
          // The nearest float to p/255: the double quotient (accurate to 2^−53) rounded once.
          float expected = (float) (p / 255.0);
          assertEquals(
              Float.floatToRawIntBits(expected),
              Float.floatToRawIntBits(into[1 + i]),
              "pixel " + p + " at " + i + " of " + n);
        }
        assertEquals(9f, into[0], "before the range");
        assertEquals(9f, into[n + 1], "after the range");

        double[] doubles = new double[n + 2];
        doubles[0] = 9;
        doubles[n + 1] = 9;
        kernels.pixels(pixels, shift, doubles, 1, n);
        for (int i = 0; i < n; i++) {
          int p = pixels[shift + i] & 0xff;
          assertEquals(
              Double.doubleToRawLongBits(p * (1.0 / 255)),
              Double.doubleToRawLongBits(doubles[1 + i]),
              "pixel " + p + " as a double, at " + i + " of " + n);
        }
        assertEquals(9.0, doubles[0], "before the range");
        assertEquals(9.0, doubles[n + 1], "after the range");
      }
    }
  }

  @ParameterizedTest
  @MethodSource("implementations")
  void reluMask_zeroesExactlyWhereTheActivationIsNotPositive(ElementWise kernels) {
    for (int n : LENGTHS) {
      double[] a = inputs(n, 7 * n);
      for (int i = 0; i < n; i += 3) {
        a[i] = 0.0; // ReLU outputs are often exactly 0
      }
      double[] delta = inputs(n, 11 * n);
      double[] masked = delta.clone();
      float[] af = new float[n];
      float[] deltaFloat = new float[n];
      for (int i = 0; i < n; i++) {
        af[i] = (float) a[i];
        deltaFloat[i] = (float) delta[i];
      }
      float[] maskedFloat = deltaFloat.clone();
      kernels.reluMask(masked, a, n);
      kernels.reluMask(maskedFloat, af, n);
      for (int i = 0; i < n; i++) {
        assertEquals(a[i] > 0 ? delta[i] : 0.0, masked[i], 0.0, "at " + i + " of " + n);
        assertEquals(af[i] > 0 ? deltaFloat[i] : 0.0f, maskedFloat[i], 0.0f, "at " + i);
      }
    }
  }

  @Test
  void vector_resultDoesNotDependOnThePositionInTheArray() {
    ElementWise vector = ElementWise.choose("vector");
    double[] z = inputs(37, 5);
    double[] whole = z.clone();
    vector.sigmoid(whole, whole.length);
    for (int shift = 1; shift < 9; shift++) {
      double[] shifted = new double[z.length + shift];
      System.arraycopy(z, 0, shifted, shift, z.length);
      vector.sigmoid(shifted, shifted.length);
      for (int i = 0; i < z.length; i++) {
        assertEquals(whole[i], shifted[i + shift], 0.0, "value " + i + " shifted by " + shift);
      }
    }
  }

  @Test
  void choose_settings() {
    assertInstanceOf(ScalarElementWise.class, ElementWise.choose("scalar"));
    assertInstanceOf(VectorElementWise.class, ElementWise.choose(" Vector "));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ElementWise.choose("simd"));
    assertEquals(
        "sparkprop.elementwise must be auto, scalar or vector, found 'simd'", e.getMessage());
  }

  /** A JVM without the module falls back to plain loops; asking for the Vector API there fails. */
  @Test
  void withoutTheVectorModule_fallsBackToScalarLoops() throws Exception {
    assertEquals("scalar Java 0.5", probe(List.of()));
    String refused = probe(List.of("-D" + ElementWise.PROPERTY + "=vector"));
    assertTrue(
        refused.contains(
            "sparkprop.elementwise=vector needs the JVM flag --add-modules=jdk.incubator.vector"),
        refused);
    assertEquals(
        "scalar Java 0.5",
        probe(
            List.of(
                "--add-modules=jdk.incubator.vector", "-D" + ElementWise.PROPERTY + "=scalar")));
  }

  private static String probe(List<String> flags) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(flags);
    command.addAll(
        List.of("-cp", "target/classes:target/test-classes", ElementWiseProbe.class.getName()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the probe finished");
    return output.lines().filter(l -> !l.startsWith("WARNING")).collect(Collectors.joining("\n"));
  }

  private static void assertClose(double expected, double actual, String what) {
    double tolerance = Math.max(DOUBLE_ULPS * Math.ulp(expected), DOUBLE_FLOOR);
    assertEquals(expected, actual, tolerance, what);
  }

  private static void assertClose(float expected, float actual, String what) {
    double tolerance = Math.max(FLOAT_ULPS * Math.ulp(expected), FLOAT_FLOOR);
    assertEquals(expected, actual, tolerance, what);
  }

  /**
   * gather4 and scatter4 (the sparse first layer's kernels), on lengths that end in a partial
   * vector: each entry against its sum computed directly in double, within a few ulps of the terms'
   * magnitude (the vector version fuses multiply and add); the entries around them untouched.
   */
  @ParameterizedTest
  @MethodSource("implementations")
  void gather4AndScatter4_matchTheirSums(ElementWise kernels) {
    Random random = new Random(12);
    for (int n : LENGTHS) {
      if (n > 1000) {
        continue;
      }
      double[] values = new double[5 * n + 3];
      for (int i = 0; i < values.length; i++) {
        values[i] = random.nextGaussian();
      }
      float[] floatValues = new float[values.length];
      for (int i = 0; i < values.length; i++) {
        floatValues[i] = (float) values[i];
      }
      double[] a = {0.5, -1.25, 3.0, 0.1};
      int[] at = {3 * n, 1, 2 * n + 2, n + 1};
      double[] into = new double[n + 4];
      float[] floatInto = new float[n + 4];
      kernels.gather4(a[0], at[0], a[1], at[1], a[2], at[2], a[3], at[3], values, into, 2, n);
      kernels.gather4(
          (float) a[0],
          at[0],
          (float) a[1],
          at[1],
          (float) a[2],
          at[2],
          (float) a[3],
          at[3],
          floatValues,
          floatInto,
          2,
          n);
      for (int i = 0; i < n + 4; i++) {
        double expected = 0;
        double scale = 0;
        if (i >= 2 && i < n + 2) {
          for (int q = 0; q < 4; q++) {
            expected += a[q] * values[at[q] + i - 2];
            scale += Math.abs(a[q] * values[at[q] + i - 2]);
          }
        }
        assertEquals(expected, into[i], 4 * Math.ulp(scale), "gather4 double, n " + n + " i " + i);
        assertEquals(expected, floatInto[i], 1e-5 * scale + 1e-30, "gather4 float, n " + n);
      }
      double[] out = new double[5 * n + 3];
      float[] floatOut = new float[5 * n + 3];
      int[] to = {0, n + 1, 2 * n + 2, 4 * n + 3};
      kernels.scatter4(a[0], to[0], a[1], to[1], a[2], to[2], a[3], to[3], values, 7, out, n);
      kernels.scatter4(
          (float) a[0],
          to[0],
          (float) a[1],
          to[1],
          (float) a[2],
          to[2],
          (float) a[3],
          to[3],
          floatValues,
          7,
          floatOut,
          n);
      double[] expected = new double[out.length];
      for (int q = 0; q < 4; q++) {
        for (int i = 0; i < n; i++) {
          expected[to[q] + i] += a[q] * values[7 + i];
        }
      }
      for (int i = 0; i < out.length; i++) {
        assertEquals(expected[i], out[i], 2 * Math.ulp(expected[i]), "scatter4 double, n " + n);
        assertEquals(
            expected[i], floatOut[i], 1e-6 * Math.abs(expected[i]) + 1e-30, "scatter4 float");
      }
    }
  }
}
