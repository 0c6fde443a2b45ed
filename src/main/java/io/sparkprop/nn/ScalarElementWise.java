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
}
