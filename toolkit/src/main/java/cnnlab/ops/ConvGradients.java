package cnnlab.ops;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Gradients of a (transposed) convolution's loss with respect to its input, weight and bias.
 *
 * @param dx shaped like the input
 * @param dw shaped like the weight
 * @param db {@code [C_out]}, the upstream gradient summed over batch, height and width
 */
public record ConvGradients(INDArray dx, INDArray dw, INDArray db) {
}
