/**
 * Data into cached example blocks, on the executors: text files split by Hadoop's input format and
 * parsed where they are read, IDX files read by record ranges, bad records failed or skipped and
 * counted, a seeded validation split, and the cache's size and placement logged.
 */
package io.sparkprop.spark.load;
