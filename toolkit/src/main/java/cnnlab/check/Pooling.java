package cnnlab.check;

/**
 * Lab 2, exercise 1: the four poolings of one image with a square {@code kernel × kernel} window moving
 * {@code stride} cells at a time, no padding. Shapes: x {@code [C][H][W]}, result {@code [C][H_out][W_out]} with
 * {@code H_out = ⌊(H − kernel)/stride⌋ + 1}. A student's class implements it and is checked with
 * {@code Check.lab2.pooling(new MyPool())}.
 */
public interface Pooling {
    /** The largest value of each window. */
    double[][][] maxPool(double[][][] x, int kernel, int stride);

    /** The mean of each window. */
    double[][][] avgPool(double[][][] x, int kernel, int stride);

    /** The smallest value of each window. */
    double[][][] minPool(double[][][] x, int kernel, int stride);

    /** The median of each window; for an even number of values, the mean of the two middle ones. */
    double[][][] medianPool(double[][][] x, int kernel, int stride);
}
