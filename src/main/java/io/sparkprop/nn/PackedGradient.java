package io.sparkprop.nn;

/**
 * A gradient laid out as a partition whose examples touch few features sends it: ∂W¹'s columns of
 * the {@code columns} features the examples hold, consecutive n_1-wide columns in increasing
 * feature order, then every entry after W¹ in the order of the full layout. No n_1 × n_0 array
 * stands behind it.
 *
 * @param values at least columns × n_1 + (the entries after W¹) entries
 * @param columns how many of W¹'s columns it holds
 * @param <A> double[] or float[]
 */
public record PackedGradient<A>(A values, int columns) {
  public PackedGradient {
    if (values == null || columns < 0) {
      throw new IllegalArgumentException("values and a column count of at least 0 are required");
    }
  }

  /**
   * How far before its place in the full layout an entry after W¹ sits here: n_1 × (n_0 − the
   * columns held).
   */
  int shift(ParameterLayout layout) {
    ParameterLayout.Layer first = layout.layer(1);
    return first.biasOffset() - columns * first.rows();
  }
}
