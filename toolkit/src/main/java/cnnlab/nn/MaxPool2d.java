package cnnlab.nn;

import cnnlab.ops.Ops;
import cnnlab.ops.PoolParams;
import cnnlab.ops.Pooled;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Max pooling, PyTorch's {@code nn.MaxPool2d}: {@link Ops#maxPool2d} forward; backward routes each output's
 * gradient to the (first) maximum of its window. In training mode (the default, as a new PyTorch module) the
 * forward pass keeps where each maximum was ({@link Ops#maxPool2dWithIndices}) and the backward pass sends the
 * gradients there ({@link Ops#maxPool2dBackward(INDArray, INDArray, INDArray, PoolParams)}), as PyTorch's
 * autograd does; in eval mode the forward pass keeps only the input and a backward pass searches the windows
 * again. The gradients are the same either way.
 *
 * <p>Shapes: input {@code [N, C, H, W]}, output {@code [N, C, H_out, W_out]} with
 * {@code H_out = floor((H + 2*padding - (k-1) - 1)/stride) + 1}. No parameters.
 *
 * <p>Defaults: {@code new MaxPool2d(k)} has stride k, padding 0 ({@link PoolParams#of(int)}).
 * <pre>
 * jshell&gt; new MaxPool2d(2).forward(Nd4j.rand(DataType.FLOAT, 8, 6, 28, 28)).shape()
 * $1 ==&gt; long[4] { 8, 6, 14, 14 }
 * </pre>
 */
public final class MaxPool2d extends Pool2dLayer {
    private boolean training = true;
    private INDArray indices;   // the last training-mode forward's, for its backward

    /** @throws IllegalArgumentException if params is null (the values are checked when the op runs) */
    public MaxPool2d(PoolParams params) {
        super("MaxPool2d", params);
    }

    /** A {@code kernel x kernel} window with stride {@code kernel}. */
    public MaxPool2d(int kernel) {
        this(PoolParams.of(kernel));
    }

    @Override
    INDArray pool(Ops ops, INDArray x, PoolParams params) {
        indices = null;
        if (!training) {
            return ops.maxPool2d(x, params);
        }
        Pooled pooled = ops.maxPool2dWithIndices(x, params);
        indices = pooled.indices();
        return pooled.output();
    }

    @Override
    INDArray poolBackward(Ops ops, INDArray x, INDArray gradOut, PoolParams params) {
        return indices == null ? ops.maxPool2dBackward(x, gradOut, params)
                : ops.maxPool2dBackward(x, gradOut, indices, params);
    }

    @Override
    public void setTraining(boolean training) {
        this.training = training;
    }

    @Override
    public void forgetInput() {
        super.forgetInput();
        indices = null;
    }
}
