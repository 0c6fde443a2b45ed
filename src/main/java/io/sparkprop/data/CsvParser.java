package io.sparkprop.data;

import java.io.Serializable;

/**
 * Parses delimited numeric rows: n_0 feature columns plus one label column at a configurable
 * position. Fields may be enclosed in double quotes. Blank lines are skipped; a header line, when
 * present, is checked by {@link #checkHeader} (its column count, and that it is not all numbers)
 * and not parsed as data. For prediction the label column is optional and, when present, not read.
 */
public final class CsvParser implements LineParser, Serializable {
  private static final long serialVersionUID = 1L;

  private final DataShape shape;
  private final char delimiter;
  private final int labelColumn;
  private final boolean labelsOptional;

  /**
   * @param labelColumn 0-based position of the label among the n_0 + 1 columns
   */
  public CsvParser(DataShape shape, char delimiter, int labelColumn) {
    this(shape, delimiter, labelColumn, false);
  }

  /**
   * @param labelsOptional for prediction: a row may be just its n_0 features, and a label is not
   *     read
   */
  public CsvParser(DataShape shape, char delimiter, int labelColumn, boolean labelsOptional) {
    if (labelColumn < 0 || labelColumn > shape.numFeatures()) {
      throw new IllegalArgumentException(
          "label column must be in 0.."
              + shape.numFeatures()
              + " for "
              + (shape.numFeatures() + 1)
              + " columns, found "
              + labelColumn);
    }
    this.shape = shape;
    this.delimiter = delimiter;
    this.labelColumn = labelColumn;
    this.labelsOptional = labelsOptional;
  }

  @Override
  public Example parse(long id, String line) throws RecordException {
    DataShape.checkText(line);
    if (line.isBlank()) {
      return null;
    }
    String[] fields = split(line);
    int expected = shape.numFeatures() + 1;
    if (labelsOptional && fields.length == shape.numFeatures()) {
      double[] values = new double[fields.length];
      for (int c = 0; c < fields.length; c++) {
        values[c] = DataShape.parseFinite(fields[c], "column " + (c + 1));
      }
      return new Example(id, new double[shape.numOutputs()], null, values);
    }
    if (fields.length != expected) {
      throw new RecordException(
          "expected "
              + expected
              + " fields ("
              + shape.numFeatures()
              + " features and a label) separated by '"
              + delimiter
              + "', found "
              + fields.length);
    }
    double[] target = new double[shape.numOutputs()];
    if (!labelsOptional) {
      shape.encodeLabel(fields[labelColumn], target, 0);
    }
    double[] values = new double[shape.numFeatures()];
    for (int c = 0, f = 0; c < fields.length; c++) {
      if (c != labelColumn) {
        values[f++] = DataShape.parseFinite(fields[c], "column " + (c + 1));
      }
    }
    return new Example(id, target, null, values);
  }

  /**
   * Checks a header line has one name per column.
   *
   * @throws RecordException naming expected and found column counts
   */
  public void checkHeader(String line) throws RecordException {
    DataShape.checkText(line);
    String[] fields = split(line);
    int found = fields.length;
    if (found != shape.numFeatures() + 1 && !(labelsOptional && found == shape.numFeatures())) {
      throw new RecordException(
          "header has "
              + found
              + " columns, expected "
              + (shape.numFeatures() + 1)
              + " ("
              + shape.numFeatures()
              + " features and a label)");
    }
    if (allNumbers(fields)) {
      throw new RecordException(
          "with --header every file starts with a header line, but this one is all numbers (found '"
              + DataShape.clip(line)
              + "'): is it a data row of a file without a header?");
    }
  }

  private static boolean allNumbers(String[] fields) {
    for (String field : fields) {
      try {
        DataShape.parseFinite(field, "column");
      } catch (RecordException e) {
        return false;
      }
    }
    return true;
  }

  private String[] split(String line) throws RecordException {
    java.util.List<String> fields = new java.util.ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (quoted) {
        if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (ch == '"') {
          quoted = false;
        } else {
          field.append(ch);
        }
      } else if (ch == '"' && field.toString().isBlank()) {
        quoted = true;
        field.setLength(0);
      } else if (ch == delimiter) {
        fields.add(field.toString().trim());
        field.setLength(0);
      } else {
        field.append(ch);
      }
    }
    if (quoted) {
      throw new RecordException("unterminated quoted field");
    }
    fields.add(field.toString().trim());
    return fields.toArray(new String[0]);
  }
}
