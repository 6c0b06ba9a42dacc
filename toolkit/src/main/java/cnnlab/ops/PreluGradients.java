package cnnlab.ops;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Gradients of PReLU with respect to its input and its slope.
 *
 * @param dx     shaped like the input
 * @param dalpha shaped like alpha ({@code [1]} or {@code [C]})
 */
public record PreluGradients(INDArray dx, INDArray dalpha) {
}
