/**
 * The training step and the loop around it: the driver broadcasts the weights, each partition sums
 * its loss and gradient over its cached blocks, treeAggregate combines the sums, the driver divides
 * by the exact number of examples m and applies the update, and the broadcast is destroyed. The
 * loop tells its listeners after every step and epoch. Loading, evaluation and the listeners live
 * in the subpackages.
 */
package io.sparkprop.spark;
