package cnnlab.nn;

import cnnlab.ops.Buffers;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam (Kingma and Ba, 2015), as PyTorch's {@code torch.optim.Adam} without weight decay. For each parameter
 * {@code w} with gradient {@code g}, at its own step {@code t = 1, 2, ...} (moments m and v zero at first):
 * <pre>
 *   m = beta1 * m + (1 - beta1) * g
 *   v = beta2 * v + (1 - beta2) * g^2
 *   w = w - lr * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps)
 * </pre>
 * computed in float32 in PyTorch's order ({@code denom = sqrt(v) / sqrt(1 - beta2^t) + eps},
 * {@code w += -(lr / (1 - beta1^t)) * m / denom}).
 *
 * <p>The step is one Java loop per parameter over its values copied off the native buffer: LeNet-5 has ten
 * small parameters, and nine ND4J calls for each (about 90 per step) cost 5 ms a batch, more than the
 * arithmetic of its 61,706 weights by two orders of magnitude.
 *
 * <p>Defaults (PyTorch's): lr 1e-3, beta1 0.9, beta2 0.999, eps 1e-8.
 * <pre>
 * jshell&gt; var opt = new Adam(1e-3);
 * </pre>
 */
public final class Adam implements Optimizer {
    private double lr;
    private final double beta1, beta2, eps;
    private final Map<Param, Moments> moments = new IdentityHashMap<>();

    /**
     * One parameter's state: its moments and its own step count, as PyTorch keeps them. A parameter first stepped
     * later (a layer unfrozen after others trained) starts its bias correction at t = 1.
     */
    private static final class Moments {
        final float[] m, v;
        int t;

        Moments(int length) {
            m = new float[length];
            v = new float[length];
        }
    }

    /** @throws IllegalArgumentException if lr or eps is not positive, or a beta is outside [0, 1) */
    public Adam(double lr, double beta1, double beta2, double eps) {
        Optimizer.checkLearningRate("Adam", lr);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam: betas must be in [0, 1) but are (" + beta1 + ", " + beta2
                    + ")");
        }
        if (!(eps > 0)) {
            throw new IllegalArgumentException("Adam: eps must be positive but is " + eps);
        }
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
    }

    /** betas (0.9, 0.999), eps 1e-8. */
    public Adam(double lr) {
        this(lr, 0.9, 0.999, 1e-8);
    }

    /** lr 1e-3, betas (0.9, 0.999), eps 1e-8. */
    public Adam() {
        this(1e-3);
    }

    @Override
    public void step(List<Param> params) {
        float b1 = (float) beta1, b2 = (float) beta2, keep1 = (float) (1 - beta1), keep2 = (float) (1 - beta2);
        float epsilon = (float) eps;
        for (Param p : params) {
            float[] w = Buffers.floats(p.value()), g = Buffers.floats(p.grad());
            Moments state = moments.computeIfAbsent(p, q -> new Moments(w.length));
            int t = ++state.t;
            double correction1 = 1 - Math.pow(beta1, t), correction2 = 1 - Math.pow(beta2, t);
            float stepSize = (float) (lr / correction1), correction2Sqrt = (float) Math.sqrt(correction2);
            float[] m = state.m, v = state.v;
            for (int i = 0; i < w.length; i++) {
                m[i] = m[i] * b1 + keep1 * g[i];
                v[i] = v[i] * b2 + keep2 * g[i] * g[i];
                float denominator = (float) Math.sqrt(v[i]) / correction2Sqrt + epsilon;
                w[i] = w[i] + -stepSize * (m[i] / denominator);
            }
            Buffers.copyInto(p.value(), w);
        }
    }

    /** How many steps the most stepped parameter has taken (0 before the first). */
    public int steps() {
        return moments.values().stream().mapToInt(state -> state.t).max().orElse(0);
    }

    @Override
    public double learningRate() {
        return lr;
    }

    @Override
    public void setLearningRate(double lr) {
        this.lr = Optimizer.checkLearningRate("Adam", lr);
    }

    @Override
    public String toString() {
        return "Adam(lr " + lr + ", betas (" + beta1 + ", " + beta2 + "), eps " + eps + ")";
    }
}
