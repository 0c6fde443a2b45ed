/**
 * What happens around the training step, as {@link io.sparkprop.spark.TrainingListener}s: progress
 * logging, held-out evaluation after every epoch, early stopping, the history, and checkpoints
 * (written atomically, read back to resume).
 */
package io.sparkprop.spark.run;
