package io.sparkprop.nn;

/** {@link ElementWise} in plain Java loops: the fallback where the Vector API is not available. */
final class ScalarElementWise extends ElementWise {
  @Override
  String description() {
    return "scalar Java";
  }

  @Override
  void sigmoid(double[] values, int n) {
    for (int i = 0; i < n; i++) {
      values[i] = Activation.sigmoid(values[i]);
    }
  }

  @Override
  void sigmoid(float[] values, int n) {
    for (int i = 0; i < n; i++) {
      values[i] = (float) Activation.sigmoid(values[i]);
    }
  }

  @Override
  void exp(double[] values, int n) {
    for (int i = 0; i < n; i++) {
      values[i] = Math.exp(values[i]);
    }
  }

  @Override
  void tanh(double[] values, int n) {
    for (int i = 0; i < n; i++) {
      values[i] = Math.tanh(values[i]);
    }
  }

  @Override
  void tanh(float[] values, int n) {
    for (int i = 0; i < n; i++) {
      values[i] = (float) Math.tanh(values[i]);
    }
  }

  // Math.max rather than a comparison: HotSpot vectorises it, and a branch on the sign of z
  // mispredicts on about half of a layer's values.
  @Override
  void relu(double[] values, int n) {
    for (int i = 0; i < n; i++) {
      values[i] = Math.max(values[i], 0.0);
    }
  }

  @Override
  void relu(float[] values, int n) {
    for (int i = 0; i < n; i++) {
      values[i] = Math.max(values[i], 0.0f);
    }
  }

  @Override
  void reluMask(double[] delta, double[] activations, int n) {
    for (int i = 0; i < n; i++) {
      if (activations[i] <= 0) {
        delta[i] = 0.0;
      }
    }
  }

  @Override
  void reluMask(float[] delta, float[] activations, int n) {
    for (int i = 0; i < n; i++) {
      if (activations[i] <= 0) {
        delta[i] = 0.0f;
      }
    }
  }

  @Override
  void pixels(byte[] pixels, int from, float[] into, int offset, int n) {
    for (int i = 0; i < n; i++) {
      into[offset + i] = (pixels[from + i] & 0xff) / 255f;
    }
  }

  @Override
  void add(double[] values, int from, double[] into, int offset, int n) {
    for (int i = 0; i < n; i++) {
      into[offset + i] += values[from + i];
    }
  }

  @Override
  void add(float[] values, int from, float[] into, int offset, int n) {
    for (int i = 0; i < n; i++) {
      into[offset + i] += values[from + i];
    }
  }

  @Override
  void pixels(byte[] pixels, int from, double[] into, int offset, int n) {
    for (int i = 0; i < n; i++) {
      into[offset + i] = (pixels[from + i] & 0xff) * PIXEL_SCALE;
    }
  }

  @Override
  void gather4(
      double a0,
      int f0,
      double a1,
      int f1,
      double a2,
      int f2,
      double a3,
      int f3,
      double[] values,
      double[] into,
      int offset,
      int length) {
    for (int i = 0; i < length; i++) {
      into[offset + i] +=
          a0 * values[f0 + i] + a1 * values[f1 + i] + a2 * values[f2 + i] + a3 * values[f3 + i];
    }
  }

  @Override
  void gather4(
      float a0,
      int f0,
      float a1,
      int f1,
      float a2,
      int f2,
      float a3,
      int f3,
      float[] values,
      float[] into,
      int offset,
      int length) {
    for (int i = 0; i < length; i++) {
      into[offset + i] +=
          a0 * values[f0 + i] + a1 * values[f1 + i] + a2 * values[f2 + i] + a3 * values[f3 + i];
    }
  }

  @Override
  void scatter4(
      double a0,
      int o0,
      double a1,
      int o1,
      double a2,
      int o2,
      double a3,
      int o3,
      double[] values,
      int from,
      double[] into,
      int length) {
    for (int i = 0; i < length; i++) {
      double v = values[from + i];
      into[o0 + i] += a0 * v;
      into[o1 + i] += a1 * v;
      into[o2 + i] += a2 * v;
      into[o3 + i] += a3 * v;
    }
  }

  @Override
  void scatter4(
      float a0,
      int o0,
      float a1,
      int o1,
      float a2,
      int o2,
      float a3,
      int o3,
      float[] values,
      int from,
      float[] into,
      int length) {
    for (int i = 0; i < length; i++) {
      float v = values[from + i];
      into[o0 + i] += a0 * v;
      into[o1 + i] += a1 * v;
      into[o2 + i] += a2 * v;
      into[o3 + i] += a3 * v;
    }
  }
}
