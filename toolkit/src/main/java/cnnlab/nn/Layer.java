package cnnlab.nn;

import cnnlab.ops.Ops;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One step of a network: a forward pass that remembers what its backward pass needs, and that backward pass.
 *
 * <p>The contract, as in micrograd: {@link #forward} computes the output and caches its inputs;
 * {@link #backward} takes {@code dL/d output}, writes {@code dL/d param} into each {@link Param#grad()}
 * (overwriting, not accumulating) and returns {@code dL/d input}. Call backward once after each forward.
 *
 * <p>Layers that compute with the toolkit's ops ({@link Conv2d}, the pools, the ReLU family) use the engine a
 * {@link Sequential} gives them through {@link #useEngine}; until then, {@code Cnn.fast()}.
 */
public interface Layer {

    /** The output for a batch {@code x}; remembers what {@link #backward} needs. */
    INDArray forward(INDArray x);

    /**
     * The gradient of the loss with respect to the last forward's input, given the gradient with respect to
     * its output (shaped like that output). Sets the gradients of this layer's parameters on the way.
     *
     * @throws IllegalStateException if forward has not been called
     */
    INDArray backward(INDArray gradOut);

    /**
     * {@link #backward} for the first layer of a network in training, where nothing uses {@code dL/d input}:
     * sets the parameters' gradients as backward does, and may skip computing the input gradient (then returns
     * null). {@link Conv2d} skips it; other layers run {@link #backward}.
     */
    default INDArray backwardParamsOnly(INDArray gradOut) {
        return backward(gradOut);
    }

    /** The learned parameters, with their gradients; none for most layers. */
    default List<Param> params() {
        return List.of();
    }

    /**
     * Training or eval mode. {@link RReLU} draws random slopes while training; {@link MaxPool2d} keeps where
     * each maximum was for the backward pass; the others ignore it.
     */
    default void setTraining(boolean training) {
    }

    /** The engine ({@code Cnn.fast()} or {@code Cnn.reference()}) for this layer's ops; ignored by the others. */
    default void useEngine(Ops ops) {
    }

    /**
     * The stem of this layer's name in a {@link Sequential}, which numbers layers of the same kind from 1:
     * {@code conv} gives conv1, conv2, ...; {@code fc} gives fc1, fc2, ...
     */
    String kind();
}
