/**
 * What every other package may use: the names by which enums appear in flags, config files, model
 * files and checkpoints, and their one parser. Plain Java; it imports nothing of ours.
 */
package io.sparkprop.common;
