package cnnlab;

import cnnlab.ops.ConvGradients;
import cnnlab.ops.ConvParams;
import cnnlab.ops.ConvTransposeParams;
import cnnlab.ops.Ops;
import cnnlab.ops.PoolParams;
import cnnlab.ops.Pooled;
import cnnlab.ops.PreluGradients;
import cnnlab.ops.RRelu;
import cnnlab.ops.RReluParams;
import cnnlab.ops.nd4j.Nd4jEngine;
import cnnlab.ops.nd4j.Nd4jRuntime;
import cnnlab.ops.reference.ReferenceEngine;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The toolkit's front door: every CNN building block of the lecture as a static method on the fast engine,
 * plus the two engines themselves.
 *
 * <pre>
 * jshell&gt; import cnnlab.*; import cnnlab.ops.*;
 * jshell&gt; var y = Cnn.conv2d(x, w, b, ConvParams.of(2, 1));        // fast (libnd4j)
 * jshell&gt; var same = Cnn.reference().conv2d(x, w, b, ConvParams.of(2, 1));   // the lecture's loops
 * </pre>
 *
 * <p>Both engines implement {@link Ops} with the same validation, the same output-size formula and PyTorch's
 * semantics; see {@link Ops} for shapes, defaults and errors of each op.
 */
public final class Cnn {
    static {
        Nd4jRuntime.load();
    }

    private static final Ops REFERENCE = Ops.on(new ReferenceEngine());
    private static final Ops FAST = Ops.on(new Nd4jEngine());

    private Cnn() {
    }

    /** The readable engine: plain loops over the lecture's formulas. */
    public static Ops reference() {
        return REFERENCE;
    }

    /** The fast engine, on libnd4j; the static methods below use it. */
    public static Ops fast() {
        return FAST;
    }

    /** @see Ops#conv2d(INDArray, INDArray, INDArray, ConvParams) */
    public static INDArray conv2d(INDArray x, INDArray weight, INDArray bias, ConvParams params) {
        return FAST.conv2d(x, weight, bias, params);
    }

    /** @see Ops#conv2d(INDArray, INDArray) */
    public static INDArray conv2d(INDArray x, INDArray weight) {
        return FAST.conv2d(x, weight);
    }

    /** @see Ops#conv2d(INDArray, INDArray, ConvParams) */
    public static INDArray conv2d(INDArray x, INDArray weight, ConvParams params) {
        return FAST.conv2d(x, weight, params);
    }

    /** @see Ops#conv2dBackward */
    public static ConvGradients conv2dBackward(INDArray x, INDArray weight, INDArray gradOut, ConvParams params) {
        return FAST.conv2dBackward(x, weight, gradOut, params);
    }

    /** @see Ops#conv2dWeightBackward */
    public static ConvGradients conv2dWeightBackward(INDArray x, INDArray weight, INDArray gradOut,
                                                     ConvParams params) {
        return FAST.conv2dWeightBackward(x, weight, gradOut, params);
    }

    /** @see Ops#convTranspose2d */
    public static INDArray convTranspose2d(INDArray x, INDArray weight, INDArray bias, ConvTransposeParams params) {
        return FAST.convTranspose2d(x, weight, bias, params);
    }

    /** @see Ops#convTranspose2d(INDArray, INDArray, ConvTransposeParams) */
    public static INDArray convTranspose2d(INDArray x, INDArray weight, ConvTransposeParams params) {
        return FAST.convTranspose2d(x, weight, params);
    }

    /** @see Ops#convTranspose2dBackward */
    public static ConvGradients convTranspose2dBackward(INDArray x, INDArray weight, INDArray gradOut,
                                                        ConvTransposeParams params) {
        return FAST.convTranspose2dBackward(x, weight, gradOut, params);
    }

    /** @see Ops#maxPool2d */
    public static INDArray maxPool2d(INDArray x, PoolParams params) {
        return FAST.maxPool2d(x, params);
    }

    /** @see Ops#maxPool2dWithIndices */
    public static Pooled maxPool2dWithIndices(INDArray x, PoolParams params) {
        return FAST.maxPool2dWithIndices(x, params);
    }

    /** @see Ops#maxPool2dBackward(INDArray, INDArray, PoolParams) */
    public static INDArray maxPool2dBackward(INDArray x, INDArray gradOut, PoolParams params) {
        return FAST.maxPool2dBackward(x, gradOut, params);
    }

    /** @see Ops#maxPool2dBackward(INDArray, INDArray, INDArray, PoolParams) */
    public static INDArray maxPool2dBackward(INDArray x, INDArray gradOut, INDArray indices, PoolParams params) {
        return FAST.maxPool2dBackward(x, gradOut, indices, params);
    }

    /** @see Ops#minPool2d */
    public static INDArray minPool2d(INDArray x, PoolParams params) {
        return FAST.minPool2d(x, params);
    }

    /** @see Ops#minPool2dBackward */
    public static INDArray minPool2dBackward(INDArray x, INDArray gradOut, PoolParams params) {
        return FAST.minPool2dBackward(x, gradOut, params);
    }

    /** @see Ops#avgPool2d */
    public static INDArray avgPool2d(INDArray x, PoolParams params) {
        return FAST.avgPool2d(x, params);
    }

    /** @see Ops#avgPool2dBackward */
    public static INDArray avgPool2dBackward(INDArray x, INDArray gradOut, PoolParams params) {
        return FAST.avgPool2dBackward(x, gradOut, params);
    }

    /** @see Ops#medianPool2d */
    public static INDArray medianPool2d(INDArray x, PoolParams params) {
        return FAST.medianPool2d(x, params);
    }

    /** @see Ops#maxUnpool2d(INDArray, INDArray, PoolParams, long[]) */
    public static INDArray maxUnpool2d(INDArray x, INDArray indices, PoolParams params, long[] outputSize) {
        return FAST.maxUnpool2d(x, indices, params, outputSize);
    }

    /** @see Ops#maxUnpool2d(INDArray, INDArray, PoolParams) */
    public static INDArray maxUnpool2d(INDArray x, INDArray indices, PoolParams params) {
        return FAST.maxUnpool2d(x, indices, params);
    }

    /** @see Ops#unpoolNearest(INDArray, PoolParams) */
    public static INDArray unpoolNearest(INDArray x, PoolParams params) {
        return FAST.unpoolNearest(x, params);
    }

    /** @see Ops#unpoolNearest(INDArray, int, int) */
    public static INDArray unpoolNearest(INDArray x, int kernel, int stride) {
        return FAST.unpoolNearest(x, kernel, stride);
    }

    /** @see Ops#relu */
    public static INDArray relu(INDArray x) {
        return FAST.relu(x);
    }

    /** @see Ops#reluBackward */
    public static INDArray reluBackward(INDArray x, INDArray gradOut) {
        return FAST.reluBackward(x, gradOut);
    }

    /** @see Ops#leakyRelu(INDArray, double) */
    public static INDArray leakyRelu(INDArray x, double slope) {
        return FAST.leakyRelu(x, slope);
    }

    /** @see Ops#leakyRelu(INDArray) */
    public static INDArray leakyRelu(INDArray x) {
        return FAST.leakyRelu(x);
    }

    /** @see Ops#leakyReluBackward */
    public static INDArray leakyReluBackward(INDArray x, INDArray gradOut, double slope) {
        return FAST.leakyReluBackward(x, gradOut, slope);
    }

    /** @see Ops#prelu */
    public static INDArray prelu(INDArray x, INDArray alpha) {
        return FAST.prelu(x, alpha);
    }

    /** @see Ops#preluBackward */
    public static PreluGradients preluBackward(INDArray x, INDArray alpha, INDArray gradOut) {
        return FAST.preluBackward(x, alpha, gradOut);
    }

    /** @see Ops#rrelu(INDArray, RReluParams) */
    public static RRelu rrelu(INDArray x, RReluParams params) {
        return FAST.rrelu(x, params);
    }

    /** @see Ops#rrelu(INDArray) */
    public static INDArray rrelu(INDArray x) {
        return FAST.rrelu(x);
    }

    /** @see Ops#rreluBackward */
    public static INDArray rreluBackward(INDArray gradOut, RRelu forward) {
        return FAST.rreluBackward(gradOut, forward);
    }
}
