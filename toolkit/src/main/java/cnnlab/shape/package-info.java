/**
 * Output-size arithmetic ({@link cnnlab.shape.Shapes}) and its worked explanation: the single home of the
 * convolution, pooling and transposed-convolution size formulas. Not for computing anything on arrays.
 */
package cnnlab.shape;
