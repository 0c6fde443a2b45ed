package io.sparkprop.spark.load;

import io.sparkprop.spark.Sampling;
import org.apache.spark.Partitioner;

/**
 * Assigns examples to partitions by a mixed hash of their stable id, so a given input and partition
 * count always gives the same partitions, and regularly spaced ids (fixed-length lines) still
 * spread evenly.
 */
final class IdPartitioner extends Partitioner {
  private static final long serialVersionUID = 1L;
  private final int partitions;

  IdPartitioner(int partitions) {
    if (partitions <= 0) {
      throw new IllegalArgumentException("partitions must be positive, found " + partitions);
    }
    this.partitions = partitions;
  }

  @Override
  public int numPartitions() {
    return partitions;
  }

  @Override
  public int getPartition(Object key) {
    return (int) Long.remainderUnsigned(Sampling.mix((Long) key), partitions);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IdPartitioner other && other.partitions == partitions;
  }

  @Override
  public int hashCode() {
    return partitions;
  }
}
