/**
 * Filters to convolve with: the classic hand-made kernels ({@link cnnlab.filters.Kernels}). Returns weights;
 * never draws them (that is {@code viz}).
 */
package cnnlab.filters;
