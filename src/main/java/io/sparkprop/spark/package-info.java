/**
 * The distributed trainer: data loaded into cached example blocks by the executors, and the
 * training step of the design card — broadcast the weights, sum each partition's gradient, combine
 * with treeAggregate, divide by m on the driver, update, destroy the broadcast.
 */
package io.sparkprop.spark;
