package io.sparkprop.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ParsersTest {
  private static final DataShape THREE_CLASSES =
      new DataShape(4, 3, DataShape.LabelKind.CLASS_INDEX);
  private static final LibsvmParser LIBSVM = new LibsvmParser(THREE_CLASSES);
  private static final CsvParser CSV = new CsvParser(THREE_CLASSES, ',', 0);

  private static double[] dense(Example e) {
    double[] x = new double[4];
    e.writeFeatures(x, 0, 4);
    return x;
  }

  @Test
  void libsvm_validLine_densifiesAndOneHotEncodes() throws RecordException {
    Example e = LIBSVM.parse(9, "2 1:0.5 4:-1.25");
    assertEquals(9, e.id());
    assertArrayEquals(new double[] {0.5, 0, 0, -1.25}, dense(e));
    assertArrayEquals(new double[] {0, 0, 1}, e.target());
  }

  /** Java's number syntax beyond decimal is not a number in a data file. */
  @ParameterizedTest(name = "''{0}''")
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {"1.5f", "2d", "0x1p3", "0x10", "1_000", "1.5F"})
  void javaNumberSyntax_isNotANumber(String value) {
    RecordException e = assertThrows(RecordException.class, () -> LIBSVM.parse(0, "1 1:" + value));
    assertEquals("feature 1 is not a number (found '" + value + "')", e.getMessage());
    RecordException label =
        assertThrows(RecordException.class, () -> LIBSVM.parse(0, value + " 1:1"));
    assertTrue(label.getMessage().contains("label is not a number"), label.getMessage());
  }

  @Test
  void decimalForms_allParse() throws RecordException {
    Example e = LIBSVM.parse(0, "1 1:-.5 2:+3 3:1e-3 4:2.E2");
    assertArrayEquals(new double[] {-0.5, 3, 0.001, 200}, dense(e));
  }

  @Test
  void hugeMalformedToken_isClippedInTheError() {
    String token = "9".repeat(100_000) + "x";
    RecordException e = assertThrows(RecordException.class, () -> LIBSVM.parse(0, "1 1:" + token));
    assertTrue(e.getMessage().length() < 200, "clipped: " + e.getMessage().length() + " chars");
    assertTrue(e.getMessage().contains("(100001 chars)"), e.getMessage());
  }

  @Test
  void forPrediction_theLabelIsOptionalAndNotRead() throws RecordException {
    LibsvmParser predicting = new LibsvmParser(THREE_CLASSES, true);
    assertArrayEquals(new double[] {0.5, 0, 0, -1.25}, dense(predicting.parse(0, "1:0.5 4:-1.25")));
    assertArrayEquals(new double[] {0.5, 0, 0, 0}, dense(predicting.parse(0, "99 1:0.5")));
    assertArrayEquals(new double[] {0, 0, 0}, predicting.parse(0, "x 1:0.5").target());
    CsvParser csv = new CsvParser(THREE_CLASSES, ',', 4, true);
    assertArrayEquals(new double[] {1, 2, 3, 4}, dense(csv.parse(0, "1,2,3,4")));
    assertArrayEquals(new double[] {1, 2, 3, 4}, dense(csv.parse(0, "1,2,3,4,label")));
    RecordException e = assertThrows(RecordException.class, () -> csv.parse(0, "1,2,3"));
    assertTrue(e.getMessage().contains("expected 5 fields"), e.getMessage());
  }

  @Test
  void libsvm_blankLine_holdsNoExample() throws RecordException {
    assertNull(LIBSVM.parse(0, "   "));
  }

  @Test
  void libsvm_multiLabelList_isMultiHot() throws RecordException {
    LibsvmParser multi = new LibsvmParser(new DataShape(4, 3, DataShape.LabelKind.MULTI_LABEL));
    assertArrayEquals(new double[] {1, 0, 1}, multi.parse(0, "0,2 3:1").target());
  }

  @ParameterizedTest(name = "''{0}''")
  @CsvSource(
      delimiter = '|',
      value = {
        "1:0.5 2:1|missing label (expected 'label index:value …', found '1:0.5' first)",
        "1 3|feature 1 must be index:value, found '3'",
        "1 0:0.5|feature index 0 is invalid (indices are 1-based)",
        "1 3:1 2:1|feature indices must increase, found 2 after 3",
        "1 5:1|feature index 5 is beyond the input layer (expected 1..4)",
        "1 2:abc|feature 2 is not a number (found 'abc')",
        "1 2:NaN|feature 2 must be finite, found NaN",
        "1 2:Infinity|feature 2 must be finite, found Infinity",
        "1 2:1e999|feature 2 must be finite, found 1e999",
        "3 1:1|label must be an integer class in 0..2 for 3 outputs, found 3",
        "1.5 1:1|label must be an integer class in 0..2 for 3 outputs, found 1.5",
        "x 1:1|label is not a number (found 'x')",
        "1 a:1|feature index is not an integer (found 'a')",
        "1 -1:0.5|feature index -1 is invalid (indices are 1-based)",
        "1 1:|feature 1 must be index:value, found '1:'",
        "1 :5|feature 1 must be index:value, found ':5'",
        "1 1:0.5:2|feature 1 is not a number (found '0.5:2')",
        "1 99999999999:1|feature index 99999999999 is beyond the input layer (expected 1..4)",
        "1 1:0.5,|feature 1 is not a number (found '0.5,')",
        "-1 1:1|label must be an integer class in 0..2 for 3 outputs, found -1",
      })
  void libsvm_malformedLine_saysWhatIsWrong(String line, String expected) {
    assertEquals(
        expected, assertThrows(RecordException.class, () -> LIBSVM.parse(0, line)).getMessage());
  }

  /** Java's trim() and parseDouble would drop these at a field's ends and read the rest. */
  @Test
  void controlCharacters_neitherBlankNorPartOfANumber() throws RecordException {
    String nul = String.valueOf((char) 0);
    assertEquals(
        "control character U+0000 at column 1 (is the file binary or damaged?)",
        assertThrows(RecordException.class, () -> LIBSVM.parse(0, nul.repeat(3))).getMessage());
    assertEquals(
        "control character U+0000 at column 6 (is the file binary or damaged?)",
        assertThrows(RecordException.class, () -> LIBSVM.parse(0, "1 1:2" + nul)).getMessage());
    assertEquals(
        "control character U+0001 at column 3 (is the file binary or damaged?)",
        assertThrows(RecordException.class, () -> CSV.parse(0, "1,\u0001" + "2,3,4,5"))
            .getMessage());
    // Tabs and a carriage return (a CRLF file) stay allowed.
    assertEquals(3, LIBSVM.parse(0, "1\t1:2\t3:4\r").target().length);
  }

  @Test
  void csv_validRowWithQuotes_parsesLabelColumn() throws RecordException {
    Example e = CSV.parse(1, "\"1\", 0.5,0,\"-2\",3");
    assertArrayEquals(new double[] {0.5, 0, -2, 3}, dense(e));
    assertArrayEquals(new double[] {0, 1, 0}, e.target());
  }

  @Test
  void csv_labelInLastColumn_isTakenFromThere() throws RecordException {
    CsvParser last = new CsvParser(THREE_CLASSES, ';', 4);
    Example e = last.parse(1, "1;2;3;4;0");
    assertArrayEquals(new double[] {1, 2, 3, 4}, dense(e));
    assertArrayEquals(new double[] {1, 0, 0}, e.target());
  }

  @ParameterizedTest(name = "''{0}''")
  @CsvSource(
      delimiter = '|',
      value = {
        "1,2,3,4|expected 5 fields (4 features and a label) separated by ',', found 4",
        "1,2,3,4,5,6|expected 5 fields (4 features and a label) separated by ',', found 6",
        "1;2;3;4;5|expected 5 fields (4 features and a label) separated by ',', found 1",
        "a,1,2,3,4|label is not a number (found 'a')",
        "7,1,2,3,4|label must be an integer class in 0..2 for 3 outputs, found 7",
        "1,1,NaN,3,4|column 3 must be finite, found NaN",
        "1,\"2,3,4,5|unterminated quoted field",
      })
  void csv_malformedRow_saysWhatIsWrong(String line, String expected) {
    assertEquals(
        expected, assertThrows(RecordException.class, () -> CSV.parse(0, line)).getMessage());
  }

  @Test
  void csv_headerWithWrongColumnCount_isRejected() {
    assertEquals(
        "header has 3 columns, expected 5 (4 features and a label)",
        assertThrows(RecordException.class, () -> CSV.checkHeader("label,a,b")).getMessage());
  }

  @Test
  void binaryLabel_otherThanZeroOrOne_isRejected() throws RecordException {
    LibsvmParser binary = new LibsvmParser(new DataShape(4, 1, DataShape.LabelKind.BINARY));
    assertEquals(
        "label must be 0 or 1 for a single sigmoid output, found 2",
        assertThrows(RecordException.class, () -> binary.parse(0, "2 1:1")).getMessage());
    assertEquals(
        "label must be 0 or 1 for a single sigmoid output, found -1 (binary LIBSVM sets label -1"
            + " and +1: write 0 for -1)",
        assertThrows(RecordException.class, () -> binary.parse(0, "-1 1:1")).getMessage());
    assertEquals(1.0, binary.parse(0, "+1 1:1").target()[0], "+1 reads as 1");
  }
}
