/**
 * Spark ML estimators and models over sparkprop's trainer: {@link io.sparkprop.ml.MlpClassifier}
 * and {@link io.sparkprop.ml.MlpRegressor}, usable as Pipeline stages, their models saved and
 * loaded with Spark ML's writers and readers.
 */
package io.sparkprop.ml;
