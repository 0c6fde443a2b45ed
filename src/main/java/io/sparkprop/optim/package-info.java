/**
 * Update rules applied on the driver to the averaged gradient: plain gradient descent (the seeds' w
 * ← w − η ∂C/∂w) and momentum. Each optimizer owns its state (velocities, later moments and
 * histories) and can export and restore it for checkpoints. Plain Java; no Spark.
 */
package io.sparkprop.optim;
