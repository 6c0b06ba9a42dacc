package cnnlab.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The logistic sigmoid {@code 1 / (1 + exp(-x))}, elementwise, any shape. No parameters.
 * <pre>
 *   y = sigmoid(x)       dy/dx = y * (1 - y)     (written with the output, which forward keeps)
 * </pre>
 */
public final class Sigmoid implements Layer, CachesInput {
    private INDArray y;

    @Override
    public INDArray forward(INDArray x) {
        y = Transforms.sigmoid(x, true);
        return y;
    }

    @Override
    public INDArray backward(INDArray gradOut) {
        if (y == null) {
            throw Check.noForward(this);
        }
        INDArray local = y.mul(y.rsub(1));             // y * (1 - y)
        return gradOut.mul(local);
    }

    @Override
    public void forgetInput() {
        y = null;
    }

    @Override
    public String kind() {
        return "sigmoid";
    }

    @Override
    public String toString() {
        return "Sigmoid()";
    }
}
