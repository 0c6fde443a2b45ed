package io.sparkprop.data;

import io.sparkprop.common.Named;

/**
 * Whether cached blocks keep their features sparse ({@code --sparse}): as each example's nonzeros
 * (row index, and value unless every value is 1) rather than a dense matrix.
 */
public enum Sparsity implements Named {
  /**
   * Sparse when fewer than 1 in {@link ExampleBlock#SPARSE_BELOW} of a block's values are nonzero.
   */
  AUTO,
  /** Always sparse. */
  ON,
  /** Always dense, as blocks were before sparse storage. */
  OFF;

  @Override
  public String id() {
    return Named.idOf(this);
  }

  /**
   * Parses a setting name, case-insensitively.
   *
   * @throws IllegalArgumentException naming the allowed values
   */
  public static Sparsity parse(String name) {
    return Named.parse(Sparsity.class, "sparse", name);
  }
}
