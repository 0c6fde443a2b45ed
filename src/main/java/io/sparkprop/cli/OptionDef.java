package io.sparkprop.cli;

import java.util.Set;

/**
 * One option: a kebab-case flag {@code --name} that is also the key {@code name} in a properties
 * file.
 *
 * @param valueName how the usage text shows the value; null for a switch that takes no value
 * @param defaultValue shown in usage and used when absent; null when there is none
 * @param commands the subcommands that accept it
 */
record OptionDef(
    String name, String valueName, String defaultValue, String help, Set<String> commands) {

  boolean isSwitch() {
    return valueName == null;
  }
}
