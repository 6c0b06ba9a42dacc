package cnnlab.nn;

import cnnlab.Cnn;
import cnnlab.ops.Ops;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code relu(x) = max(0, x)}, elementwise, any shape: {@link Ops#relu} forward, {@link Ops#reluBackward}
 * backward ({@code relu'(x) = x > 0 ? 1 : 0}, so {@code relu'(0) = 0}). No parameters.
 * <pre>
 * jshell&gt; new ReLU().forward(Nd4j.create(new float[] {-1, 0, 2}))
 * $1 ==&gt; [0, 0, 2.0000]
 * </pre>
 */
public final class ReLU implements Layer, CachesInput {
    private Ops ops = Cnn.fast();
    private INDArray x;

    @Override
    public INDArray forward(INDArray x) {
        this.x = x;
        return ops.relu(x);
    }

    @Override
    public INDArray backward(INDArray gradOut) {
        if (x == null) {
            throw Check.noForward(this);
        }
        return ops.reluBackward(x, gradOut);
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
        return "relu";
    }

    @Override
    public String toString() {
        return "ReLU()";
    }
}
