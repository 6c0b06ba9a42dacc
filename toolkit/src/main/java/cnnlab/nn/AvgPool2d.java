package cnnlab.nn;

import cnnlab.ops.Ops;
import cnnlab.ops.PoolParams;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Average pooling, PyTorch's {@code nn.AvgPool2d}: {@link Ops#avgPool2d} forward; backward spreads each output's
 * gradient evenly over its window ({@link Ops#avgPool2dBackward}).
 *
 * <p>Shapes: input {@code [N, C, H, W]}, output {@code [N, C, H_out, W_out]} with
 * {@code H_out = floor((H + 2*padding - (k-1) - 1)/stride) + 1}. No parameters.
 *
 * <p>Defaults: {@code new AvgPool2d(k)} has stride k, padding 0, count_include_pad true
 * ({@link PoolParams#of(int)}).
 * <pre>
 * jshell&gt; new AvgPool2d(2).forward(Nd4j.rand(DataType.FLOAT, 8, 6, 28, 28)).shape()
 * $1 ==&gt; long[4] { 8, 6, 14, 14 }
 * </pre>
 */
public final class AvgPool2d extends Pool2dLayer {
    /** @throws IllegalArgumentException if params is null (the values are checked when the op runs) */
    public AvgPool2d(PoolParams params) {
        super("AvgPool2d", params);
    }

    /** A {@code kernel x kernel} window with stride {@code kernel}. */
    public AvgPool2d(int kernel) {
        this(PoolParams.of(kernel));
    }

    @Override
    INDArray pool(Ops ops, INDArray x, PoolParams params) {
        return ops.avgPool2d(x, params);
    }

    @Override
    INDArray poolBackward(Ops ops, INDArray x, INDArray gradOut, PoolParams params) {
        return ops.avgPool2dBackward(x, gradOut, params);
    }
}
