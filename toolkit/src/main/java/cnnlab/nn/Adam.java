package cnnlab.nn;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adam (Kingma and Ba, 2015), as PyTorch's {@code torch.optim.Adam} without weight decay. For each parameter
 * {@code w} with gradient {@code g}, at step {@code t = 1, 2, ...} (moments m and v zero at first):
 * <pre>
 *   m = beta1 * m + (1 - beta1) * g
 *   v = beta2 * v + (1 - beta2) * g^2
 *   w = w - lr * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps)
 * </pre>
 *
 * <p>Defaults (PyTorch's): lr 1e-3, beta1 0.9, beta2 0.999, eps 1e-8.
 * <pre>
 * jshell&gt; var opt = new Adam(1e-3);
 * </pre>
 */
public final class Adam implements Optimizer {
    private double lr;
    private final double beta1, beta2, eps;
    private final Map<Param, INDArray> m = new IdentityHashMap<>(), v = new IdentityHashMap<>();
    private int t;

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
        t++;
        double correction1 = 1 - Math.pow(beta1, t), correction2 = 1 - Math.pow(beta2, t);
        for (Param p : params) {
            INDArray g = p.grad();
            INDArray m1 = m.computeIfAbsent(p, q -> Nd4j.zerosLike(g));
            INDArray m2 = v.computeIfAbsent(p, q -> Nd4j.zerosLike(g));
            m1.muli(beta1).addi(g.mul(1 - beta1));
            m2.muli(beta2).addi(g.mul(g).muli(1 - beta2));
            INDArray denominator = Transforms.sqrt(m2.div(correction2), false).addi(eps);
            p.value().subi(m1.div(correction1).divi(denominator).muli(lr));
        }
    }

    /** How many steps have been taken. */
    public int steps() {
        return t;
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
