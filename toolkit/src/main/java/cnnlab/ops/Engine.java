package cnnlab.ops;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What an engine computes once {@link Ops} has validated the arguments and resolved the geometry.
 * Arrays arrive as float32, shapes already checked, output sizes already computed by
 * {@link cnnlab.shape.Shapes}. Implementations: {@code ops.reference} (loops) and {@code ops.nd4j} (libnd4j).
 * Users call {@link Ops}, never an engine directly.
 */
public interface Engine {
    String name();

    INDArray conv2d(INDArray x, INDArray weight, INDArray bias, ConvGeometry g);

    ConvGradients conv2dBackward(INDArray x, INDArray weight, INDArray gradOut, ConvGeometry g);

    /** {@link #conv2dBackward} with {@code dx} null: an engine may skip computing it. */
    default ConvGradients conv2dWeightBackward(INDArray x, INDArray weight, INDArray gradOut, ConvGeometry g) {
        ConvGradients all = conv2dBackward(x, weight, gradOut, g);
        return new ConvGradients(null, all.dw(), all.db());
    }

    INDArray convTranspose2d(INDArray x, INDArray weight, INDArray bias, ConvTransposeGeometry g);

    ConvGradients convTranspose2dBackward(INDArray x, INDArray weight, INDArray gradOut, ConvTransposeGeometry g);

    Pooled maxPool2d(INDArray x, PoolGeometry g);

    /** Max pooling without the indices: an engine may skip computing them. */
    default INDArray maxPool2dValues(INDArray x, PoolGeometry g) {
        return maxPool2d(x, g).output();
    }

    INDArray maxPool2dBackward(INDArray x, INDArray gradOut, PoolGeometry g);

    /**
     * Each output's gradient added to the input cell its index names. {@code indices} are row-major int64 and
     * shaped like gradOut, but not yet checked against the plane: that check is part of the one pass over them
     * here, so an engine throws {@link IndexOutOfBoundsException} at an index outside {@code [0, h*w)}, and
     * {@link Ops} then names it with the checks' own message.
     */
    INDArray maxPool2dBackwardByIndices(INDArray gradOut, INDArray indices, PoolGeometry g);

    INDArray minPool2d(INDArray x, PoolGeometry g);

    INDArray minPool2dBackward(INDArray x, INDArray gradOut, PoolGeometry g);

    INDArray avgPool2d(INDArray x, PoolGeometry g);

    INDArray avgPool2dBackward(INDArray gradOut, PoolGeometry g);

    INDArray medianPool2d(INDArray x, PoolGeometry g);

    /** {@code indices} are int64 and already checked to lie in {@code [0, oh*ow)}. */
    INDArray maxUnpool2d(INDArray x, INDArray indices, int oh, int ow);

    /** Input {@code [g.n, g.c, g.h, g.w]}, output {@code [g.n, g.c, g.oh, g.ow]} with {@code oh = (h-1)sh + kh}. */
    INDArray unpoolNearest(INDArray x, PoolGeometry g);

    INDArray relu(INDArray x);

    INDArray reluBackward(INDArray x, INDArray gradOut);

    INDArray leakyRelu(INDArray x, double slope);

    INDArray leakyReluBackward(INDArray x, INDArray gradOut, double slope);

    /** {@code alpha} has one element or one per channel (axis 1 of x). */
    INDArray prelu(INDArray x, INDArray alpha);

    PreluGradients preluBackward(INDArray x, INDArray alpha, INDArray gradOut);

    /** Training-mode RReLU: negative (and zero) elements take the slope drawn for them in {@code drawn}. */
    RRelu rreluTraining(INDArray x, INDArray drawn);

    /** Multiply the upstream gradient by the slopes RReLU used. */
    INDArray rreluBackward(INDArray gradOut, INDArray slopes);
}
