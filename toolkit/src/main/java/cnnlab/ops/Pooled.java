package cnnlab.ops;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A max pool's output and where each maximum came from.
 *
 * @param output  {@code [N, C, H_out, W_out]}
 * @param indices {@code [N, C, H_out, W_out]} int64, the flat index {@code h * W + w} of the maximum in its
 *                input plane, as PyTorch's {@code return_indices=True}
 */
public record Pooled(INDArray output, INDArray indices) {
}
