package cnnlab.nn;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Stochastic gradient descent with momentum, as PyTorch's {@code torch.optim.SGD} (no dampening, no Nesterov,
 * no weight decay). For each parameter {@code w} with gradient {@code g} and velocity {@code v} (zero at first):
 * <pre>
 *   v = momentum * v + g
 *   w = w - lr * v
 * </pre>
 * With momentum 0 this is plain gradient descent, {@code w = w - lr * g}.
 * <pre>
 * jshell&gt; var opt = new Sgd(0.01, 0.9);
 * jshell&gt; opt.step(net.params());
 * </pre>
 */
public final class Sgd implements Optimizer {
    private double lr;
    private final double momentum;
    private final Map<Param, INDArray> velocity = new IdentityHashMap<>();

    /** @throws IllegalArgumentException if lr is not positive or momentum is outside [0, 1) */
    public Sgd(double lr, double momentum) {
        Optimizer.checkLearningRate("Sgd", lr);
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("Sgd: momentum must be in [0, 1) but is " + momentum);
        }
        this.lr = lr;
        this.momentum = momentum;
    }

    /** No momentum. */
    public Sgd(double lr) {
        this(lr, 0);
    }

    @Override
    public void step(List<Param> params) {
        for (Param p : params) {
            INDArray v = velocity.computeIfAbsent(p, q -> Nd4j.zerosLike(q.grad()));
            v.muli(momentum).addi(p.grad());
            p.value().subi(v.mul(lr));
        }
    }

    @Override
    public double learningRate() {
        return lr;
    }

    @Override
    public void setLearningRate(double lr) {
        this.lr = Optimizer.checkLearningRate("Sgd", lr);
    }

    @Override
    public String toString() {
        return "Sgd(lr " + lr + ", momentum " + momentum + ")";
    }
}
