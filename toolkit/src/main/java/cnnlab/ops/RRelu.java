package cnnlab.ops;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The result of {@link Ops#rrelu}: the output and the slope each element was multiplied by
 * (1 where the input is positive), which is also the local gradient.
 */
public record RRelu(INDArray output, INDArray slopes) {
}
