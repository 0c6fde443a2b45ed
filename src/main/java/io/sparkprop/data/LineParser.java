package io.sparkprop.data;

/** Turns one line of a text data file into an example. */
public interface LineParser {

  /**
   * @param id the example's stable id
   * @return the example, or null for a line that holds no example (blank)
   * @throws RecordException describing what is wrong, expected vs found; the caller adds the file
   *     and line
   */
  Example parse(long id, String line) throws RecordException;
}
