package io.sparkprop.model;

import io.sparkprop.nn.NetworkSpec;
import java.util.Map;
import java.util.TreeMap;

/**
 * A trained network: its architecture, its flat parameters (layout in {@link NetworkSpec}) and
 * free-form string metadata (how and when it was trained).
 */
public record Model(NetworkSpec spec, double[] weights, Map<String, String> metadata) {

  public Model {
    if (weights.length != spec.numParameters()) {
      throw new IllegalArgumentException(
          "expected "
              + spec.numParameters()
              + " parameters for "
              + spec.layersString()
              + ", found "
              + weights.length);
    }
    metadata = java.util.Collections.unmodifiableMap(new TreeMap<>(metadata));
  }
}
