package io.sparkprop.data;

import java.io.Serializable;

/**
 * Parses LIBSVM lines: {@code label index:value index:value …} with 1-based, strictly increasing
 * indices no greater than n_0. For multi-label sigmoid outputs the label may be a comma-separated
 * class list ({@code 1,3 5:0.2}). Blank lines are skipped. For prediction the label is optional
 * and, when present, not read: a line may start with its first {@code index:value}.
 */
public final class LibsvmParser implements LineParser, Serializable {
  private static final long serialVersionUID = 1L;

  private final DataShape shape;
  private final boolean labelsOptional;

  public LibsvmParser(DataShape shape) {
    this(shape, false);
  }

  /**
   * @param labelsOptional for prediction: a line may have no label, and a label is not read
   */
  public LibsvmParser(DataShape shape, boolean labelsOptional) {
    this.shape = shape;
    this.labelsOptional = labelsOptional;
  }

  @Override
  public Example parse(long id, String line) throws RecordException {
    DataShape.checkText(line);
    String[] tokens = line.trim().split("\\s+");
    if (tokens.length == 0 || tokens[0].isEmpty()) {
      return null;
    }
    boolean labelled = tokens[0].indexOf(':') < 0;
    if (!labelled && !labelsOptional) {
      throw new RecordException(
          "missing label (expected 'label index:value …', found '"
              + DataShape.clip(tokens[0])
              + "' first)");
    }
    double[] target = new double[shape.numOutputs()];
    if (!labelsOptional) {
      shape.encodeLabel(tokens[0], target, 0);
    }
    int first = labelled ? 1 : 0;
    int count = tokens.length - first;
    int[] indices = new int[count];
    double[] values = new double[count];
    int previous = 0;
    for (int k = 0; k < count; k++) {
      String token = tokens[k + first];
      int colon = token.indexOf(':');
      if (colon <= 0 || colon == token.length() - 1) {
        throw new RecordException(
            "feature " + (k + 1) + " must be index:value, found '" + DataShape.clip(token) + "'");
      }
      int index = index(token.substring(0, colon), previous);
      indices[k] = index - 1;
      values[k] = DataShape.parseFinite(token.substring(colon + 1), "feature " + index);
      previous = index;
    }
    return new Example(id, target, indices, values);
  }

  /**
   * The 1-based feature index {@code text} names, checked: an integer from 1 to n_0, greater than
   * the line's {@code previous} index.
   */
  private int index(String text, int previous) throws RecordException {
    int index;
    try {
      index = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      if (text.matches("\\d+")) {
        // An integer, only past int: far beyond any input layer.
        throw beyondInputLayer(DataShape.clip(text));
      }
      throw new RecordException(
          "feature index is not an integer (found '" + DataShape.clip(text) + "')");
    }
    if (index < 1) {
      throw new RecordException("feature index " + index + " is invalid (indices are 1-based)");
    }
    if (index <= previous) {
      throw new RecordException(
          "feature indices must increase, found " + index + " after " + previous);
    }
    if (index > shape.numFeatures()) {
      throw beyondInputLayer(Integer.toString(index));
    }
    return index;
  }

  private RecordException beyondInputLayer(String index) {
    return new RecordException(
        "feature index "
            + index
            + " is beyond the input layer (expected 1.."
            + shape.numFeatures()
            + ")");
  }
}
