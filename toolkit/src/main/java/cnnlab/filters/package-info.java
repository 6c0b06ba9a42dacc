/**
 * Filters to convolve with: the classic hand-made kernels ({@link cnnlab.filters.Kernels}), Gabor banks (grey and AlexNet-like colour) and the Gabor fit that scores how Gabor-like a learned filter is ({@link cnnlab.filters.Gabor}), and grey-scale dilation and erosion ({@link cnnlab.filters.Morphology}) to compare with max and min pooling. Returns weights;
 * never draws them (that is {@code viz}).
 */
package cnnlab.filters;
