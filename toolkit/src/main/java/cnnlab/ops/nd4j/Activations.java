package cnnlab.ops.nd4j;

import cnnlab.ops.Buffers;
import cnnlab.ops.PreluGradients;
import cnnlab.ops.RRelu;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The ReLU family as elementwise libnd4j arithmetic: each activation is {@code x * s} with a slope map
 * {@code s} (1 where {@code x > 0}, the negative-side slope elsewhere), and each backward is
 * {@code gradOut * s}. Written so that NaN inputs propagate as in PyTorch ({@code NaN > 0} is false, so NaN
 * takes the negative-side slope, and {@code NaN * s} is NaN).
 */
final class Activations {
    private Activations() {
    }

    /** 1 where x &gt; 0, 0 elsewhere (NaN included). */
    private static INDArray positive(INDArray x) {
        return x.gt(0).castTo(DataType.FLOAT);
    }

    /** 1 where x &gt; 0, {@code slope} elsewhere. */
    private static INDArray slopes(INDArray x, double slope) {
        return positive(x).muli(1 - slope).addi(slope);
    }

    /**
     * {@code max(0, x)} with NaN kept, on libnd4j's relu transform (one pass; {@code x < 0 ? 0 : x}, so NaN stays
     * NaN). It is 6x faster here than the earlier copy-then-replaceWhere (./cnnlab bench).
     */
    static INDArray relu(INDArray x) {
        return Transforms.relu(x, true);
    }

    /**
     * PyTorch's threshold_backward, a select: {@code x <= 0 ? 0 : gradOut}, so NaN in x passes the gradient, and
     * where x &lt;= 0 the result is 0 even for an infinite or NaN gradient. Multiplying by the 0/1 mask is that
     * select whenever the gradient is finite (one sum checks it; a sum that overflows only costs the fast path);
     * otherwise {@code 0 * inf} would be NaN, so one Java pass selects.
     */
    static INDArray reluBackward(INDArray x, INDArray gradOut) {
        if (Double.isFinite(gradOut.sumNumber().doubleValue())) {
            return gradOut.mul(x.lte(0).castTo(DataType.FLOAT).rsubi(1));
        }
        return keepWhere(x, gradOut, true);
    }

    /**
     * {@code values} with 0 where x &lt;= 0 ({@code keepPositive}) or where x &gt; 0 (otherwise); NaN in x is
     * neither, so its value stays. PyTorch's select in one Java pass, for values with inf or NaN, where a 0/1 mask
     * multiply would give {@code 0 * inf = NaN}.
     */
    private static INDArray keepWhere(INDArray x, INDArray values, boolean keepPositive) {
        float[] xs = Buffers.floats(x), v = Buffers.floats(values);
        for (int i = 0; i < xs.length; i++) {
            v[i] = (keepPositive ? xs[i] <= 0 : xs[i] > 0) ? 0f : v[i];
        }
        return Buffers.array(v, x.shape());
    }

    static INDArray leakyRelu(INDArray x, double slope) {
        return x.mul(slopes(x, slope));
    }

    static INDArray leakyReluBackward(INDArray x, INDArray gradOut, double slope) {
        return gradOut.mul(slopes(x, slope));
    }

    /** alpha laid out to broadcast against x: {@code [1, C, 1, ...]}. */
    private static INDArray broadcastable(INDArray x, INDArray alpha) {
        long[] shape = new long[x.rank()];
        java.util.Arrays.fill(shape, 1);
        shape[1] = alpha.length();
        return alpha.reshape(shape);
    }

    /** 1 where x &gt; 0, alpha (its channel's) elsewhere. */
    private static INDArray preluSlopes(INDArray x, INDArray alpha) {
        if (alpha.length() == 1) {
            return slopes(x, alpha.getDouble(0));
        }
        INDArray p = positive(x);
        return p.rsub(1).muli(broadcastable(x, alpha)).addi(p);
    }

    static INDArray prelu(INDArray x, INDArray alpha) {
        return x.mul(preluSlopes(x, alpha));
    }

    static PreluGradients preluBackward(INDArray x, INDArray alpha, INDArray gradOut) {
        INDArray dx = gradOut.mul(preluSlopes(x, alpha));
        INDArray contribution = x.mul(gradOut);                         // PyTorch: x > 0 ? 0 : x * g
        contribution = Double.isFinite(contribution.sumNumber().doubleValue())
                ? contribution.muli(positive(x).rsubi(1)) : keepWhere(x, contribution, false);
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

    /** Slopes: the drawn one where x &lt;= 0, 1 elsewhere (NaN included, as PyTorch). */
    static RRelu rreluTraining(INDArray x, INDArray drawn) {
        INDArray negative = x.lte(0).castTo(DataType.FLOAT);
        INDArray slopes = drawn.mul(negative).addi(negative.rsub(1));
        return new RRelu(x.mul(slopes), slopes);
    }

    static INDArray rreluBackward(INDArray gradOut, INDArray slopes) {
        return gradOut.mul(slopes);
    }
}
