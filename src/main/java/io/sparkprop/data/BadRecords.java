package io.sparkprop.data;

import io.sparkprop.common.Named;
import java.io.Serializable;

/**
 * What a text reader does with a malformed record (a LIBSVM line or a CSV row): fail at the first
 * one, or skip it, count it and fail only when more than {@code max} are skipped in all. Problems
 * of a whole file (a missing path, a CSV header that does not fit, any defect of an IDX file)
 * always fail.
 *
 * @param skip whether malformed records are skipped
 * @param max with {@code skip}, the most records that may be skipped before the load fails
 */
public record BadRecords(boolean skip, long max) implements Serializable {
  /** Fail at the first malformed record. */
  public static final BadRecords FAIL = new BadRecords(false, 0);

  public BadRecords {
    if (max < 0) {
      throw new IllegalArgumentException("the most bad records must be >= 0, found " + max);
    }
  }

  /**
   * The policy named {@code fail} or {@code skip}, case-insensitively.
   *
   * @throws IllegalArgumentException naming the allowed values
   */
  public static BadRecords parse(String policy, long max) {
    return Named.parse(Policy.class, "policy", policy) == Policy.FAIL
        ? FAIL
        : new BadRecords(true, max);
  }

  private enum Policy implements Named {
    FAIL,
    SKIP;

    @Override
    public String id() {
      return Named.idOf(this);
    }
  }
}
