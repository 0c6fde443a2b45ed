/**
 * The versioned model file: a JSON document with the architecture and each layer's weights and
 * biases, written atomically through Hadoop FileSystem and validated when read. No Java
 * serialization.
 */
package io.sparkprop.model;
