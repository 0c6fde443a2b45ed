package io.sparkprop.cli;

import io.sparkprop.spark.TrainerConfig;

/**
 * A training configuration from conf/, read by the CLI's own option parser, for the benchmark: it
 * runs what the file says rather than a copy of its settings that could drift from it.
 */
public final class ShippedConfig {
  private ShippedConfig() {}

  /**
   * The training {@code file} describes (network, optimizer, batch fraction, steps, precision).
   *
   * @throws IllegalArgumentException when the CLI would refuse the file
   */
  public static TrainerConfig read(String file) {
    try {
      Options o = Options.parse("train", new String[] {"--config", file});
      return Settings.trainerConfig(o, Settings.network(o, null), Settings.optimizer(o));
    } catch (UsageException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }
}
