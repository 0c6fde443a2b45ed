/**
 * Update rules applied on the driver to the averaged gradient: plain gradient descent (w ← w − η
 * ∂C/∂w), momentum, Nesterov momentum, Adam and L-BFGS with its line search; learning-rate
 * schedules, L2 weight decay and gradient clipping. Each optimizer owns its state (velocities,
 * moments, curvature pairs) and can export and restore it for checkpoints. Plain Java; no Spark.
 */
package io.sparkprop.optim;
