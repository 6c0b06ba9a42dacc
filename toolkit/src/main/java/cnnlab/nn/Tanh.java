package cnnlab.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@code tanh(x)}, elementwise, any shape: the activation of the original LeNet-5. No parameters.
 * <pre>
 *   y = tanh(x)          dy/dx = 1 - y^2        (written with the output, which forward keeps)
 * </pre>
 */
public final class Tanh implements Layer, CachesInput {
    private INDArray y;

    @Override
    public INDArray forward(INDArray x) {
        y = Transforms.tanh(x, true);
        return y;
    }

    @Override
    public INDArray backward(INDArray gradOut) {
        if (y == null) {
            throw Check.noForward(this);
        }
        INDArray local = y.mul(y).rsubi(1);            // 1 - y^2
        return gradOut.mul(local);
    }

    @Override
    public void forgetInput() {
        y = null;
    }

    @Override
    public String kind() {
        return "tanh";
    }

    @Override
    public String toString() {
        return "Tanh()";
    }
}
