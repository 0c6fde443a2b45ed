package io.sparkprop.model;

import io.sparkprop.nn.Activation;
import io.sparkprop.nn.Loss;
import io.sparkprop.nn.NetworkSpec;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * The process {@link AtomicWriteKillTest} kills: writes generation 0, 1, 2, … of a large model over
 * one path for ever, every weight of generation g equal to g, and prints "written g" after each
 * write returns.
 */
final class AtomicWriteLoop {
  static final NetworkSpec SPEC =
      NetworkSpec.of(
          new int[] {784, 512, 10}, Activation.SIGMOID, Activation.SOFTMAX, Loss.CROSS_ENTROPY);

  private AtomicWriteLoop() {}

  public static void main(String[] args) throws IOException {
    String target = args[0];
    double[] weights = new double[SPEC.numParameters()];
    for (int generation = 0; ; generation++) {
      Arrays.fill(weights, generation);
      ModelFile.write(
          new Model(SPEC, weights, Map.of("generation", Integer.toString(generation))),
          target,
          new Configuration(),
          true);
      System.out.println("written " + generation);
      System.out.flush();
    }
  }
}
