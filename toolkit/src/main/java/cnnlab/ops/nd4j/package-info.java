/**
 * The fast engine: the ops on libnd4j's native kernels (oneDNN on AVX2 CPUs), convolutions on oneDNN called directly
 * ({@code OneDnn}, libnd4j's conv2d where that does not load), and on Java loops over whole planes
 * where libnd4j has no fitting kernel (window ops with indices, padding or ceil mode, median pooling, unpooling).
 * Reached through {@code Cnn.fast()} and the static methods of {@code Cnn}; validation happens before any call
 * lands here. Not for reading the lecture's formulas: that is {@code ops.reference}.
 */
package cnnlab.ops.nd4j;
