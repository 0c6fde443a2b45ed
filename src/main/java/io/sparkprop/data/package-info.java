/**
 * Parsers and readers for LIBSVM, CSV and MNIST IDX data, and the column-major example blocks the
 * trainer computes on. Plain Java (plus Hadoop FileSystem streams): records in, validated examples
 * and blocks out; every error names the file, the line or record, and expected vs found.
 */
package io.sparkprop.data;
