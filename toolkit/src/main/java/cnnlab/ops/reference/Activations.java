package cnnlab.ops.reference;

import cnnlab.ops.Buffers;
import cnnlab.ops.Parallel;
import cnnlab.ops.PreluGradients;
import cnnlab.ops.RRelu;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ReLU family, elementwise, each forward beside its derivative.
 * <pre>
 *   relu(x)        = max(0, x)                relu'(x)        = x <= 0 ? 0 : 1     (so relu'(0) = 0)
 *   leaky(x)       = x > 0 ? x : slope*x      leaky'(x)       = x > 0 ? 1 : slope
 *   prelu(x)       = x > 0 ? x : alpha*x      d prelu/d alpha = x > 0 ? 0 : x      (summed over alpha's cells)
 *   rrelu(x)       = x > 0 ? x : r*x, r drawn from [lower, upper) in training, (lower+upper)/2 in eval
 * </pre>
 * NaN stays NaN in every forward pass. The comparisons are PyTorch's, which matters only at NaN: relu' and
 * rrelu's slope are 1 there, leaky' is the slope. relu alone runs on all cores and writes over its input's copy:
 * it is the op nearest the engine's limit of 30 times the fast engine's time (README, Performance).
 */
final class Activations {
    private Activations() {
    }

    private static float[] values(INDArray a) {
        return Buffers.floats(a);
    }

    private static INDArray like(INDArray a, float[] v) {
        return Buffers.array(v, a.shape());
    }

    static INDArray relu(INDArray input) {
        float[] x = values(input);  // a copy of the input, overwritten with the output
        Parallel.forEachBlock(Parallel.THREADS, x.length, (from, to) -> {
            for (int i = from; i < to; i++) {
                x[i] = x[i] < 0 ? 0f : x[i]; // so NaN passes through, and -0.0 stays -0.0 (as PyTorch)
            }
        });
        return like(input, x);
    }

    static INDArray reluBackward(INDArray input, INDArray gradOut) {
        float[] x = values(input), g = values(gradOut);  // copies; g is overwritten with dx
        Parallel.forEachBlock(Parallel.THREADS, x.length, (from, to) -> {
            for (int i = from; i < to; i++) {
                g[i] = x[i] <= 0 ? 0f : g[i];
            }
        });
        return like(input, g);
    }

    static INDArray leakyRelu(INDArray input, double slope) {
        float s = (float) slope;
        float[] x = values(input), y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] > 0 ? x[i] : s * x[i];
        }
        return like(input, y);
    }

    static INDArray leakyReluBackward(INDArray input, INDArray gradOut, double slope) {
        float s = (float) slope;
        float[] x = values(input), g = values(gradOut), dx = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            dx[i] = x[i] > 0 ? g[i] : s * g[i];
        }
        return like(input, dx);
    }

    /**
     * Which alpha element flat cell {@code i} of a row-major {@code [N, C, ...]} array uses: one for all, or its
     * channel's, {@code c = (i / cellsPerChannel) mod C} with {@code cellsPerChannel = H*W} for a 4-D input.
     */
    private static int alphaIndex(INDArray input, long alphaLength, int i) {
        if (alphaLength == 1) {
            return 0;
        }
        long cellsPerChannel = input.length() / (input.size(0) * input.size(1));
        return (int) ((i / cellsPerChannel) % input.size(1));
    }

    static INDArray prelu(INDArray input, INDArray alpha) {
        float[] x = values(input), a = values(alpha), y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] > 0 ? x[i] : a[alphaIndex(input, a.length, i)] * x[i];
        }
        return like(input, y);
    }

    /**
     * dalpha sums {@code x * g} over every cell that alpha's slope touched: thousands of terms of both signs, whose
     * sum may be small. A float running sum would be off by about 1e-4 there (PyTorch's summation by about 1e-6), so
     * the terms are added in double and the sum rounded to float once.
     */
    static PreluGradients preluBackward(INDArray input, INDArray alpha, INDArray gradOut) {
        float[] x = values(input), a = values(alpha), g = values(gradOut), dx = new float[x.length];
        double[] sums = new double[a.length];
        for (int i = 0; i < x.length; i++) {
            int ai = alphaIndex(input, a.length, i);
            dx[i] = x[i] > 0 ? g[i] : a[ai] * g[i];
            if (!(x[i] > 0)) {
                sums[ai] += x[i] * g[i];
            }
        }
        float[] dalpha = new float[a.length];
        for (int ai = 0; ai < a.length; ai++) {
            dalpha[ai] = (float) sums[ai];
        }
        return new PreluGradients(like(input, dx), Nd4j.create(dalpha, alpha.shape(), 'c'));
    }

    static RRelu rreluTraining(INDArray input, INDArray drawn) {
        float[] x = values(input), r = values(drawn), y = new float[x.length], slopes = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            slopes[i] = x[i] <= 0 ? r[i] : 1f;
            y[i] = x[i] * slopes[i];
        }
        return new RRelu(like(input, y), like(input, slopes));
    }

    static INDArray times(INDArray gradOut, INDArray slopes) {
        float[] g = values(gradOut), s = values(slopes), dx = new float[g.length];
        for (int i = 0; i < g.length; i++) {
            dx[i] = g[i] * s[i];
        }
        return like(gradOut, dx);
    }
}
