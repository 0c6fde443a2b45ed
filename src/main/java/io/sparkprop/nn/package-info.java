/**
 * The network math: specification, activations, losses, and the forward/backward pass over a
 * column-major block of examples (one GEMM per layer forward, two backward), with reusable
 * workspace buffers. Plain Java and BLAS only; nothing here knows about Spark.
 */
package io.sparkprop.nn;
