/**
 * What every other package may use: the names by which enums appear in flags, config files, model
 * files and checkpoints, and their one parser; the names of hidden temporary files and their sweep.
 * Plain Java and Hadoop's file system; it imports nothing of ours.
 */
package io.sparkprop.common;
