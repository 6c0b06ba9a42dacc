package cnnlab.nn;

import java.util.List;

/**
 * Updates parameters in place from their gradients, as PyTorch's {@code torch.optim}. An optimiser keeps its
 * state (velocities, moments) per {@link Param} object, so use one optimiser per network.
 */
public interface Optimizer {

    /** One update of every parameter from its current {@link Param#grad()}. */
    void step(List<Param> params);
}
