package cnnlab.nn;

import cnnlab.ops.Errors;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Flattens each sample to a vector, PyTorch's {@code nn.Flatten()}: input {@code [N, C, H, W]} (or any rank
 * &gt;= 2), output {@code [N, C*H*W]} in row-major order (the last axis varies fastest). Backward reshapes the gradient
 * back. No parameters.
 * <pre>
 * jshell&gt; new Flatten().forward(Nd4j.rand(DataType.FLOAT, 8, 16, 5, 5)).shape()
 * $1 ==&gt; long[2] { 8, 400 }
 * </pre>
 */
public final class Flatten implements Layer {
    private long[] inputShape;

    /** @throws IllegalArgumentException if x has fewer than 2 axes */
    @Override
    public INDArray forward(INDArray x) {
        if (x.rank() < 2) {
            throw Errors.error("Flatten", "input must be [N, ...] with a batch axis but has rank " + x.rank(),
                    "input " + Errors.shape(x));
        }
        inputShape = x.shape();
        return x.reshape('c', x.size(0), x.length() / x.size(0));
    }

    @Override
    public INDArray backward(INDArray gradOut) {
        if (inputShape == null) {
            throw Check.noForward(this);
        }
        return gradOut.reshape('c', inputShape);
    }

    @Override
    public String kind() {
        return "flatten";
    }

    @Override
    public String toString() {
        return "Flatten()";
    }
}
