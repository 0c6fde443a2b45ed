/**
 * Passes over cached data at fixed weights: evaluation (loss, accuracy and confusion matrix, or
 * squared error) and prediction, each a broadcast of the weights, one function per partition and a
 * treeAggregate or a write.
 */
package io.sparkprop.spark.eval;
