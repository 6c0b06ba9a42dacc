package cnnlab.ops.nd4j;

import cnnlab.ops.PreluGradients;
import cnnlab.ops.RRelu;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ReLU family as libnd4j comparisons and {@code select}: {@code select(cond, a, b)} takes a where the
 * condition holds, b elsewhere. Conditions are written so that NaN inputs propagate as in PyTorch.
 */
final class Activations {
    private Activations() {
    }

    private static INDArray select(INDArray condition, INDArray ifTrue, INDArray ifFalse) {
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, ifTrue.shape());
        return Native.exec("select", new INDArray[] {condition, ifTrue, ifFalse}, out);
    }

    static INDArray relu(INDArray x) {
        return select(x.lte(0), Nd4j.zerosLike(x), x);
    }

    static INDArray reluBackward(INDArray x, INDArray gradOut) {
        return select(x.lte(0), Nd4j.zerosLike(x), gradOut);
    }

    static INDArray leakyRelu(INDArray x, double slope) {
        return select(x.gt(0), x, x.mul(slope));
    }

    static INDArray leakyReluBackward(INDArray x, INDArray gradOut, double slope) {
        return select(x.gt(0), gradOut, gradOut.mul(slope));
    }

    /** alpha laid out to broadcast against x: a scalar, or {@code [1, C, 1, ...]}. */
    private static INDArray broadcastable(INDArray x, INDArray alpha) {
        long[] shape = new long[x.rank()];
        java.util.Arrays.fill(shape, 1);
        if (alpha.length() > 1) {
            shape[1] = alpha.length();
        }
        return alpha.reshape(shape);
    }

    private static INDArray times(INDArray x, INDArray alpha) {
        return alpha.length() == 1 ? x.mul(alpha.getDouble(0)) : x.mul(broadcastable(x, alpha));
    }

    static INDArray prelu(INDArray x, INDArray alpha) {
        return select(x.gt(0), x, times(x, alpha));
    }

    static PreluGradients preluBackward(INDArray x, INDArray alpha, INDArray gradOut) {
        INDArray positive = x.gt(0);
        INDArray dx = select(positive, gradOut, times(gradOut, alpha));
        INDArray contribution = select(positive, Nd4j.zerosLike(x), x.mul(gradOut));
        INDArray dalpha;
        if (alpha.length() == 1) {
            dalpha = Nd4j.create(new float[] {contribution.sumNumber().floatValue()}, alpha.shape(), 'c');
        } else {
            int[] others = new int[x.rank() - 1];
            for (int axis = 0, i = 0; axis < x.rank(); axis++) {
                if (axis != 1) {
                    others[i++] = axis;
                }
            }
            dalpha = contribution.sum(others).reshape(alpha.shape());
        }
        return new PreluGradients(dx, dalpha);
    }

    static RRelu rreluTraining(INDArray x, INDArray drawn) {
        INDArray slopes = select(x.lte(0), drawn, Nd4j.onesLike(x));
        return new RRelu(x.mul(slopes), slopes);
    }

    static INDArray rreluBackward(INDArray gradOut, INDArray slopes) {
        return gradOut.mul(slopes);
    }
}
