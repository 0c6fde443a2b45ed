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
    if (labels == LabelKind.MULTI_LABEL) {
      String[] parts = field.split(",", -1);
      double[] classes = new double[parts.length];
      for (int i = 0; i < parts.length; i++) {
        classes[i] = parseFinite(parts[i], "label");
      }
      encodeClasses(classes, target, offset);
    } else {
      encodeLabel(parseFinite(field, "label"), target, offset);
    }
  }

  /**
   * Writes y for a numeric label into {@code target[offset … offset + n_L)}: the value itself
   * (real), 0 or 1 (binary), or the one-hot (class index) or one-class multi-hot column of a class.
   *
   * @throws RecordException naming the expected and found label
   */
  public void encodeLabel(double value, double[] target, int offset) throws RecordException {
    if (!Double.isFinite(value)) {
      throw new RecordException("label must be finite, found " + value);
    }
    java.util.Arrays.fill(target, offset, offset + numOutputs, 0.0);
    switch (labels) {
      case REAL -> target[offset] = value;
      case BINARY -> {
        if (value != 0.0 && value != 1.0) {
          throw new RecordException(
              "label must be 0 or 1 for a single sigmoid output, found "
                  + show(value)
                  + (value == -1.0 ? " (binary LIBSVM sets label -1 and +1: write 0 for -1)" : ""));
        }
        target[offset] = value;
      }
      case CLASS_INDEX, MULTI_LABEL -> target[offset + classIndex(value)] = 1.0;
    }
  }

  /**
   * Writes the multi-hot y of a set of classes (multi-label data) into {@code target[offset …
   * offset + n_L)}.
   *
   * @throws RecordException naming the expected and found class
   */
  public void encodeClasses(double[] classes, double[] target, int offset) throws RecordException {
    java.util.Arrays.fill(target, offset, offset + numOutputs, 0.0);
    for (double c : classes) {
      if (!Double.isFinite(c)) {
        throw new RecordException("label must be finite, found " + c);
      }
      target[offset + classIndex(c)] = 1.0;
    }
  }

  private int classIndex(double v) throws RecordException {
    if (v != Math.rint(v) || v < 0 || v >= numOutputs) {
      throw new RecordException(
          "label must be an integer class in 0.."
              + (numOutputs - 1)
              + " for "
              + numOutputs
              + " outputs, found "
              + show(v));
    }
    return (int) v;
  }

  /** A number as a reader would write it: integers without ".0". */
  static String show(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
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

  /**
   * Parses a finite double written in decimal (digits, a point, an exponent); the error names what
   * the field is and what was found. Java's own syntax beyond that (a type suffix as in {@code
   * 1.5f}, hexadecimal as in {@code 0x1p3}, surrounding blanks) is not a number in a data file.
   */
  static double parseFinite(String field, String what) throws RecordException {
    double v;
    try {
      if (!decimal(field) && !field.matches("[+-]?(NaN|Infinity)")) {
        throw new NumberFormatException(field);
      }
      v = Double.parseDouble(field);
    } catch (NumberFormatException e) {
      throw new RecordException(what + " is not a number (found '" + clip(field) + "')");
    }
    if (!Double.isFinite(v)) {
      throw new RecordException(what + " must be finite, found " + clip(field));
    }
    return v;
  }

  /** Whether the text holds only what a decimal number does: digits, '.', 'e' or 'E', signs. */
  private static boolean decimal(String text) {
    if (text.isEmpty()) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!(c >= '0' && c <= '9') && c != '.' && c != 'e' && c != 'E' && c != '+' && c != '-') {
        return false;
      }
    }
    return true;
  }

  /** Echoed input, at most 64 characters of it: a malformed token may be megabytes long. */
  static String clip(String text) {
    return text.length() <= 64 ? text : text.substring(0, 61) + "… (" + text.length() + " chars)";
  }
}
