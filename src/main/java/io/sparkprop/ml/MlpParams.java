package io.sparkprop.ml;

import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The training parameters {@link MlpClassifier} and {@link MlpRegressor} share, with their getters
 * and setters. Spark ML finds a stage's params through its public methods, these included.
 *
 * @param <S> the estimator, which setters return
 */
public interface MlpParams<S extends Params & MlpParams<S>> {
  /** Where the params live; one set per estimator instance. */
  MlpTraining training();

  default IntArrayParam layers() {
    return training().layers;
  }

  default Param<String> activation() {
    return training().activation;
  }

  default Param<String> solver() {
    return training().solver;
  }

  default IntParam maxIter() {
    return training().maxIter;
  }

  default DoubleParam stepSize() {
    return training().stepSize;
  }

  default DoubleParam batchFraction() {
    return training().batchFraction;
  }

  default IntParam blockSize() {
    return training().blockSize;
  }

  default LongParam seed() {
    return training().seed;
  }

  default DoubleParam tol() {
    return training().tol;
  }

  default Param<String> weightCol() {
    return training().weightCol;
  }

  default S setLayers(int[] value) {
    return set(training().layers, value);
  }

  default S setActivation(String value) {
    return set(training().activation, value);
  }

  default S setSolver(String value) {
    return set(training().solver, value);
  }

  default S setMaxIter(int value) {
    return set(training().maxIter, (Object) value);
  }

  default S setStepSize(double value) {
    return set(training().stepSize, (Object) value);
  }

  default S setBatchFraction(double value) {
    return set(training().batchFraction, (Object) value);
  }

  default S setBlockSize(int value) {
    return set(training().blockSize, (Object) value);
  }

  default S setSeed(long value) {
    return set(training().seed, (Object) value);
  }

  default S setTol(double value) {
    return set(training().tol, (Object) value);
  }

  default S setWeightCol(String value) {
    return set(training().weightCol, value);
  }

  @SuppressWarnings("unchecked")
  private <T> S set(Param<T> param, T value) {
    ((Params) this).set(param, value);
    return (S) this;
  }
}
