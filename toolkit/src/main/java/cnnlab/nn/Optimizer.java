package cnnlab.nn;

import java.util.List;

/**
 * Updates parameters in place from their gradients, as PyTorch's {@code torch.optim}. An optimiser keeps its
 * state (velocities, moments) per {@link Param} object, so use one optimiser per network.
 */
public interface Optimizer {

    /** One update of every parameter from its current {@link Param#grad()}. */
    void step(List<Param> params);

    /** The step size used by the next {@link #step}. */
    double learningRate();

    /**
     * Sets the step size of the following steps, as a PyTorch learning-rate scheduler does
     * ({@link FitParams#withLearningRateDecay} uses it once per epoch).
     *
     * @throws IllegalArgumentException if lr is not positive and finite
     */
    void setLearningRate(double lr);

    /** The check both optimisers share: lr positive and finite. */
    static double checkLearningRate(String optimizer, double lr) {
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException(optimizer + ": learning rate must be positive and finite but is " + lr);
        }
        return lr;
    }
}
