/**
 * What a training run leaves beside its model for people to read: the per-epoch statistics, the
 * history as CSV and a self-contained HTML report with SVG charts. Plain Java and Hadoop FileSystem
 * streams; nothing here knows about Spark.
 */
package io.sparkprop.report;
