package io.sparkprop.data;

import java.io.Serializable;

/**
 * What a valid example looks like for a network: its feature count and how a label becomes the
 * target column y.
 *
 * @param numFeatures n_0
 * @param numOutputs n_L
 * @param labels how labels are read and encoded
 */
public record DataShape(int numFeatures, int numOutputs, LabelKind labels) implements Serializable {

  /** How a label field becomes y. */
  public enum LabelKind {
    /** An integer class 0 … K−1, one-hot encoded over K = n_L outputs. */
    CLASS_INDEX,
    /** For one sigmoid output: the label must be 0 or 1 and is y itself. */
    BINARY,
    /** For sigmoid outputs: a comma-separated set of classes, multi-hot encoded (LIBSVM only). */
    MULTI_LABEL,
    /** For one identity output: any finite real number, y itself. */
    REAL
  }

  /** Whether each example belongs to exactly one class, so accuracy is defined. */
  public boolean isClassification() {
    return labels == LabelKind.CLASS_INDEX || labels == LabelKind.BINARY;
  }

  /**
   * Parses a label field and writes y into {@code target[offset … offset + n_L)}.
   *
   * @throws RecordException naming the expected and found label
   */
  public void encodeLabel(String field, double[] target, int offset) throws RecordException {
    java.util.Arrays.fill(target, offset, offset + numOutputs, 0.0);
    switch (labels) {
      case REAL -> target[offset] = parseFinite(field, "label");
      case BINARY -> {
        double v = parseFinite(field, "label");
        if (v != 0.0 && v != 1.0) {
          throw new RecordException(
              "label must be 0 or 1 for a single sigmoid output, found " + field);
        }
        target[offset] = v;
      }
      case CLASS_INDEX -> target[offset + classIndex(field)] = 1.0;
      case MULTI_LABEL -> {
        for (String part : field.split(",", -1)) {
          target[offset + classIndex(part)] = 1.0;
        }
      }
    }
  }

  private int classIndex(String field) throws RecordException {
    double v = parseFinite(field, "label");
    if (v != Math.rint(v) || v < 0 || v >= numOutputs) {
      throw new RecordException(
          "label must be an integer class in 0.."
              + (numOutputs - 1)
              + " for "
              + numOutputs
              + " outputs, found "
              + field);
    }
    return (int) v;
  }

  /**
   * Rejects a line holding a control character other than tab or carriage return. Runs of NUL bytes
   * from a partly written or damaged file, or binary data read as text, would otherwise read as
   * blank lines or pass as numbers: {@link String#trim} and {@link Double#parseDouble} drop control
   * characters at a field's ends.
   *
   * @throws RecordException naming the character and its column
   */
  static void checkText(String line) throws RecordException {
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if ((c < ' ' && c != '\t' && c != '\r') || c == '\u007f') {
        throw new RecordException(
            String.format(
                "control character U+%04X at column %d (is the file binary or damaged?)",
                (int) c, i + 1));
      }
    }
  }

  /** Parses a finite double; the error names what the field is and what was found. */
  static double parseFinite(String field, String what) throws RecordException {
    double v;
    try {
      v = Double.parseDouble(field);
    } catch (NumberFormatException e) {
      throw new RecordException(what + " is not a number (found '" + field + "')");
    }
    if (!Double.isFinite(v)) {
      throw new RecordException(what + " must be finite, found " + field);
    }
    return v;
  }
}
