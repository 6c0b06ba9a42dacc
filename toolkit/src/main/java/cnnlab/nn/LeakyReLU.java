package cnnlab.nn;

import cnnlab.Cnn;
import cnnlab.ops.Ops;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Leaky ReLU, {@code x > 0 ? x : slope * x}, elementwise, any shape: {@link Ops#leakyRelu} forward,
 * {@link Ops#leakyReluBackward} backward ({@code x > 0 ? 1 : slope}). No parameters.
 *
 * <p>Defaults: slope 0.01 (PyTorch's {@code negative_slope}).
 * <pre>
 * jshell&gt; new LeakyReLU(0.1).forward(Nd4j.create(new float[] {-1, 2}))
 * $1 ==&gt; [-0.1000, 2.0000]
 * </pre>
 */
public final class LeakyReLU implements Layer, CachesInput {
    private final double slope;
    private Ops ops = Cnn.fast();
    private INDArray x;

    /** @throws IllegalArgumentException if the slope is not finite */
    public LeakyReLU(double slope) {
        if (!Double.isFinite(slope)) {
            throw new IllegalArgumentException("LeakyReLU: slope must be finite but is " + slope);
        }
        this.slope = slope;
    }

    /** Slope 0.01. */
    public LeakyReLU() {
        this(0.01);
    }

    @Override
    public INDArray forward(INDArray x) {
        this.x = x;
        return ops.leakyRelu(x, slope);
    }

    @Override
    public INDArray backward(INDArray gradOut) {
        if (x == null) {
            throw Check.noForward(this);
        }
        return ops.leakyReluBackward(x, gradOut, slope);
    }

    @Override
    public void useEngine(Ops ops) {
        this.ops = ops;
    }

    @Override
    public void forgetInput() {
        x = null;
    }

    @Override
    public String kind() {
        return "leakyrelu";
    }

    @Override
    public String toString() {
        return "LeakyReLU(slope " + slope + ")";
    }
}
