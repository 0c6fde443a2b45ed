/**
 * The spark-submit entry point ({@link io.sparkprop.cli.Main}): flags and properties files are
 * parsed and validated into spec records before Spark starts, then one of train, evaluate, predict
 * or inspect runs.
 */
package io.sparkprop.cli;
