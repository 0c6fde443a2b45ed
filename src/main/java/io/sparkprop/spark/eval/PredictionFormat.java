package io.sparkprop.spark.eval;

import io.sparkprop.common.Named;

/** How predictions are written: see {@link Predictor}. */
public enum PredictionFormat implements Named {
  PARQUET,
  ORC,
  CSV,
  JSON,
  TEXT;

  @Override
  public String id() {
    return Named.idOf(this);
  }

  /** Parses a format name; the error names the allowed values. */
  public static PredictionFormat parse(String name) {
    return Named.parse(PredictionFormat.class, "predictions format", name);
  }

  /** Whether the format holds Spark ML vectors (CSV and text do not). */
  boolean holdsVectors() {
    return this == PARQUET || this == ORC || this == JSON;
  }
}
