/**
 * Output-size arithmetic ({@link cnnlab.shape.Shapes}), its worked explanation, and tables of it over a grid of
 * sizes ({@link cnnlab.shape.SizeTable}): the single home of the convolution, pooling and transposed-convolution
 * size formulas. Not for computing anything on arrays.
 */
package cnnlab.shape;
