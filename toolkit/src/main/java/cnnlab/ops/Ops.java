package cnnlab.ops;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The lecture's CNN building blocks, forward and backward, with PyTorch 1.13's layouts, defaults and rounding.
 *
 * <p>Two engines implement it: {@code Cnn.reference()} (plain loops that read like the lecture) and
 * {@code Cnn.fast()} (libnd4j). Both go through the same validation and the same output-size formula
 * ({@link cnnlab.shape.Shapes}), so they accept and reject exactly the same arguments. Arrays are float32
 * (other dtypes are converted), activations are {@code [N, C, H, W]}, and no op mutates its inputs.
 * Convolution is cross-correlation: the kernel is not flipped.
 *
 * <p>As in PyTorch, every convolution, pooling and unpooling op also takes one image without the batch axis: a
 * 3-D input {@code [C, H, W]} (with a 3-D gradOut, indices) gives results without it too, {@code [K, H_out,
 * W_out]} for a convolution; weight and bias gradients are the same either way.
 *
 * <p>Every method throws {@link IllegalArgumentException} naming the op, the argument and the shapes when
 * an argument is null, has the wrong rank or shape, or a parameter is out of range. NaN inputs are not an
 * error: they propagate as in PyTorch. A thread interrupted during an op (a lab check's time limit) sees the op
 * finish the pieces it has started on other cores and then throw
 * {@link java.util.concurrent.CancellationException}, its interrupt flag still set.
 */
public interface Ops {

    /** Wraps an engine in the shared validation. */
    static Ops on(Engine engine) {
        return new CheckedOps(engine);
    }

    /** "reference" or "fast". */
    String name();

    // ---------------------------------------------------------------- convolution

    /**
     * 2-D convolution (cross-correlation) of a batch of C-channel volumes with K kernels, plus a bias.
     *
     * <p>Shapes: input {@code [N, C, H, W]}, weight {@code [K, C, kH, kW]}, bias {@code [K]} or null,
     * output {@code [N, K, H_out, W_out]} with
     * {@code H_out = floor((H + 2*paddingH - dilationH*(kH-1) - 1)/strideH) + 1} (likewise W_out).
     * Padding "same" pads {@code dilation*(k-1)} in total per axis, the odd one at the bottom/right.
     *
     * <p>Defaults ({@link ConvParams#DEFAULT}): stride 1, padding 0, dilation 1, zero padding.
     * <pre>
     * jshell&gt; var x = Nd4j.rand(DataType.FLOAT, 1, 3, 8, 8); var w = Nd4j.rand(DataType.FLOAT, 2, 3, 3, 3);
     * jshell&gt; Cnn.conv2d(x, w, null, ConvParams.DEFAULT).shape()
     * $3 ==&gt; long[4] { 1, 2, 6, 6 }
     * </pre>
     *
     * @throws IllegalArgumentException if input or weight is not 4-D, their channels differ, the bias is not
     *         {@code [K]}, a stride or dilation is below 1, a padding is negative, padding "same" is used with
     *         a stride other than 1, reflect padding is not smaller than the input (circular: not larger), or
     *         the (dilated) kernel is larger than the padded input
     */
    INDArray conv2d(INDArray x, INDArray weight, INDArray bias, ConvParams params);

    /** {@link #conv2d(INDArray, INDArray, INDArray, ConvParams)} with stride 1, no padding, no bias. */
    default INDArray conv2d(INDArray x, INDArray weight) {
        return conv2d(x, weight, null, ConvParams.DEFAULT);
    }

    /**
     * {@link #conv2d(INDArray, INDArray, INDArray, ConvParams)} without a bias, as PyTorch's
     * {@code F.conv2d(x, w, stride=2)}: {@code conv2d(x, w, ConvParams.of(2, 0))}.
     */
    default INDArray conv2d(INDArray x, INDArray weight, ConvParams params) {
        return conv2d(x, weight, null, params);
    }

    /**
     * Gradients of a loss through {@link #conv2d}, given the upstream gradient {@code gradOut} (shaped like the
     * output): {@code dx [N, C, H, W]}, {@code dw [K, C, kH, kW]}, {@code db [K]} (the sum of gradOut over
     * N, H_out, W_out), as PyTorch's autograd returns them. Reflect, replicate and circular padding route the
     * gradient of a padded cell back to the input cell it copies.
     * <pre>
     * jshell&gt; var g = Cnn.conv2dBackward(x, w, Nd4j.ones(DataType.FLOAT, 1, 2, 6, 6), ConvParams.DEFAULT);
     * jshell&gt; g.dw().shape()
     * $5 ==&gt; long[4] { 2, 3, 3, 3 }
     * </pre>
     *
     * @throws IllegalArgumentException as {@link #conv2d}, or if gradOut is not shaped like the output
     */
    ConvGradients conv2dBackward(INDArray x, INDArray weight, INDArray gradOut, ConvParams params);

    /**
     * {@link #conv2dBackward} without the input gradient: {@code dw} and {@code db} as there, and {@code dx} null.
     * For a first layer, whose input (the images) needs no gradient; PyTorch skips that gradient the same way
     * when the input does not require grad. The fast engine then skips that convolution altogether; the reference
     * engine computes it and leaves it out.
     * <pre>
     * jshell&gt; Cnn.conv2dWeightBackward(x, w, Nd4j.ones(DataType.FLOAT, 1, 2, 6, 6), ConvParams.DEFAULT).dx()
     * $6 ==&gt; null
     * </pre>
     *
     * @throws IllegalArgumentException as {@link #conv2dBackward}
     */
    ConvGradients conv2dWeightBackward(INDArray x, INDArray weight, INDArray gradOut, ConvParams params);

    /**
     * Transposed convolution ("deconvolution"): the adjoint of {@link #conv2d}, which scatters each input
     * value times the kernel into the output.
     *
     * <p>Shapes: input {@code [N, C_in, H, W]}, weight {@code [C_in, C_out, kH, kW]}, bias {@code [C_out]} or
     * null, output {@code [N, C_out, H_out, W_out]} with
     * {@code H_out = (H-1)*strideH - 2*paddingH + dilationH*(kH-1) + outputPaddingH + 1}.
     *
     * <p>Defaults ({@link ConvTransposeParams#DEFAULT}): stride 1, padding 0, output padding 0, dilation 1.
     * <pre>
     * jshell&gt; Cnn.convTranspose2d(Nd4j.rand(DataType.FLOAT, 1, 4, 28, 28), Nd4j.rand(DataType.FLOAT, 4, 2, 4, 4), null,
     *    ...&gt;     ConvTransposeParams.of(2, 1)).shape()
     * $1 ==&gt; long[4] { 1, 2, 56, 56 }
     * </pre>
     *
     * @throws IllegalArgumentException if input or weight is not 4-D, the input's channels differ from
     *         {@code weight.size(0)}, the bias is not {@code [C_out]}, a stride or dilation is below 1, padding
     *         or output padding is negative, output padding is not smaller than the stride or the dilation, or
     *         the output would be empty
     */
    INDArray convTranspose2d(INDArray x, INDArray weight, INDArray bias, ConvTransposeParams params);

    /** {@link #convTranspose2d(INDArray, INDArray, INDArray, ConvTransposeParams)} without a bias. */
    default INDArray convTranspose2d(INDArray x, INDArray weight, ConvTransposeParams params) {
        return convTranspose2d(x, weight, null, params);
    }

    /**
     * Gradients of a loss through {@link #convTranspose2d}: {@code dx} (a convolution of gradOut with the same
     * weight), {@code dw [C_in, C_out, kH, kW]}, {@code db [C_out]}.
     *
     * @throws IllegalArgumentException as {@link #convTranspose2d}, or if gradOut is not shaped like the output
     */
    ConvGradients convTranspose2dBackward(INDArray x, INDArray weight, INDArray gradOut, ConvTransposeParams params);

    // ---------------------------------------------------------------- pooling

    /**
     * Max pooling: the largest value in each window. Padded cells never win.
     *
     * <p>Shapes: input {@code [N, C, H, W]}, output {@code [N, C, H_out, W_out]} with
     * {@code H_out = floor((H + 2*paddingH - dilationH*(kH-1) - 1)/strideH) + 1}; with {@code ceilMode} the
     * division rounds up, but the last window must start inside the input or the top/left padding.
     *
     * <p>Defaults: stride = kernel, padding 0, dilation 1, ceil mode off ({@link PoolParams#of(int)}).
     * <pre>
     * jshell&gt; Cnn.maxPool2d(x, PoolParams.of(2)).shape()      // x [1, 3, 8, 8]
     * $1 ==&gt; long[4] { 1, 3, 4, 4 }
     * </pre>
     *
     * @throws IllegalArgumentException if the input is not 4-D, kernel, stride or dilation is below 1, padding
     *         is negative or more than half the kernel, the window does not fit the padded input, or a dilated
     *         window reads only padding
     */
    INDArray maxPool2d(INDArray x, PoolParams params);

    /**
     * {@link #maxPool2d} that also returns, for each output, the flat index {@code h * W + w} of its maximum in
     * the input plane (int64), as PyTorch's {@code return_indices=True}. On ties the first maximum in the
     * window (row by row) wins; a NaN wins over any number.
     *
     * @throws IllegalArgumentException as {@link #maxPool2d}
     */
    Pooled maxPool2dWithIndices(INDArray x, PoolParams params);

    /**
     * Gradient of a loss through {@link #maxPool2d}: each output's gradient goes to the input cell that was its
     * maximum (the first one on ties), and sums where overlapping windows pick the same cell.
     *
     * @throws IllegalArgumentException as {@link #maxPool2d}, or if gradOut is not shaped like the output
     */
    INDArray maxPool2dBackward(INDArray x, INDArray gradOut, PoolParams params);

    /**
     * {@link #maxPool2dBackward(INDArray, INDArray, PoolParams)} given the indices that
     * {@link #maxPool2dWithIndices} returned for this input, as PyTorch's {@code max_pool2d_with_indices_backward}:
     * each output's gradient is added to the input cell its index names, so the windows need not be searched
     * again. A network keeps the indices from its forward pass for this ({@link cnnlab.nn.MaxPool2d} does).
     *
     * <p>Shapes: x {@code [N, C, H, W]} (only its shape is read), gradOut and indices {@code [N, C, H_out, W_out]}
     * as {@link #maxPool2d} gives them, output {@code [N, C, H, W]}. Defaults: those of the params
     * ({@link PoolParams#of(int)}), which must be the forward's.
     * <pre>
     * jshell&gt; Pooled p = Cnn.maxPool2dWithIndices(x, PoolParams.of(2));
     * jshell&gt; Cnn.maxPool2dBackward(x, Nd4j.onesLike(p.output()), p.indices(), PoolParams.of(2)).shape()
     * $2 ==&gt; long[4] { 1, 3, 8, 8 }
     * </pre>
     *
     * @param x       the pooled input; only its shape is read
     * @param indices {@code [N, C, H_out, W_out]}, each in {@code [0, H*W)}
     * @throws IllegalArgumentException as {@link #maxPool2dBackward(INDArray, INDArray, PoolParams)}, or if indices
     *         are not shaped like gradOut or one lies outside the input plane
     */
    INDArray maxPool2dBackward(INDArray x, INDArray gradOut, INDArray indices, PoolParams params);

    /**
     * Min pooling: the smallest value in each window, i.e. {@code -maxPool2d(-x)}, with the same window rules.
     *
     * @throws IllegalArgumentException as {@link #maxPool2d}
     */
    INDArray minPool2d(INDArray x, PoolParams params);

    /** Gradient through {@link #minPool2d}: to the first minimum of each window. */
    INDArray minPool2dBackward(INDArray x, INDArray gradOut, PoolParams params);

    /**
     * Average pooling: the mean of each window.
     *
     * <p>Shapes and window rules as {@link #maxPool2d} (no dilation). With {@code countIncludePad} (the
     * default) padded zeros count in the divisor; without it only input cells count. A window that ceil mode
     * lets hang past the padding is clipped, as in PyTorch.
     * <pre>
     * jshell&gt; Cnn.avgPool2d(x, PoolParams.of(3, 2, 1).withCountIncludePad(false)).shape()   // x [1, 3, 8, 8]
     * $1 ==&gt; long[4] { 1, 3, 4, 4 }
     * </pre>
     *
     * @throws IllegalArgumentException as {@link #maxPool2d}, or if dilation is not 1
     */
    INDArray avgPool2d(INDArray x, PoolParams params);

    /** Gradient through {@link #avgPool2d}: each output's gradient spread evenly over its window's input cells. */
    INDArray avgPool2dBackward(INDArray x, INDArray gradOut, PoolParams params);

    /**
     * Median pooling: the median of each window, where the median of an even number of values is the mean of
     * the two middle ones (never infinite for finite values), and a window holding NaN gives NaN (as
     * torch.median). Window rules as {@link #maxPool2d}; padded cells are left out of the median.
     *
     * @throws IllegalArgumentException as {@link #maxPool2d}
     */
    INDArray medianPool2d(INDArray x, PoolParams params);

    // ---------------------------------------------------------------- unpooling

    /**
     * Max-unpooling, PyTorch's {@code MaxUnpool2d}: each value goes back to where its maximum came from, all
     * other cells are zero.
     *
     * <p>Shapes: input and indices {@code [N, C, H, W]}, output {@code [N, C, H_out, W_out]} with
     * {@code H_out = (H-1)*strideH - 2*paddingH + kH} unless {@code outputSize} is given.
     *
     * @param outputSize null, {@code {H_out, W_out}} or {@code {N, C, H_out, W_out}}; each size must lie strictly
     *                   between the default size minus the stride and the default size plus the stride
     * @throws IllegalArgumentException if input or indices is not 4-D, their shapes differ, an index lies
     *         outside the output plane, or outputSize is not reachable
     */
    INDArray maxUnpool2d(INDArray x, INDArray indices, PoolParams params, long[] outputSize);

    /** {@link #maxUnpool2d(INDArray, INDArray, PoolParams, long[])} with the default output size. */
    default INDArray maxUnpool2d(INDArray x, INDArray indices, PoolParams params) {
        return maxUnpool2d(x, indices, params, null);
    }

    /**
     * The lecture's nearest unpooling: each value is copied into its {@code kH x kW} block at
     * {@code (i*strideH, j*strideW)}; where blocks overlap (stride &lt; kernel) the output is the mean of the
     * values covering it, and cells no block covers (stride &gt; kernel) are zero.
     *
     * <p>Shapes: input {@code [N, C, H, W]}, output {@code [N, C, (H-1)*strideH + kH, (W-1)*strideW + kW]}.
     * <pre>
     * jshell&gt; Cnn.unpoolNearest(Nd4j.create(new float[] {1, 2, 3, 4}, 1, 1, 2, 2), 2, 2)
     * $1 ==&gt; [1, 1, 2, 2; 1, 1, 2, 2; 3, 3, 4, 4; 3, 3, 4, 4]
     * </pre>
     *
     * @throws IllegalArgumentException if the input is not 4-D, kernel or stride is below 1, or padding or
     *         dilation is set
     */
    INDArray unpoolNearest(INDArray x, PoolParams params);

    /** {@link #unpoolNearest(INDArray, PoolParams)} with a square kernel and stride. */
    default INDArray unpoolNearest(INDArray x, int kernel, int stride) {
        return unpoolNearest(x, PoolParams.of(kernel, stride));
    }

    // ---------------------------------------------------------------- activations (any shape)

    /**
     * {@code relu(x) = max(0, x)}, elementwise, any shape. NaN stays NaN.
     * <pre>
     * jshell&gt; Cnn.relu(Nd4j.create(new float[] {-1, 0, 2}))
     * $1 ==&gt; [0, 0, 2.0000]
     * </pre>
     *
     * @throws IllegalArgumentException if x is null
     */
    INDArray relu(INDArray x);

    /** Gradient through {@link #relu}: gradOut where x &gt; 0, else 0 (so relu'(0) = 0). */
    INDArray reluBackward(INDArray x, INDArray gradOut);

    /**
     * Leaky ReLU: {@code x} where {@code x > 0}, else {@code slope * x}.
     *
     * @param slope PyTorch's {@code negative_slope}; {@link #leakyRelu(INDArray)} uses 0.01
     * @throws IllegalArgumentException if x is null, or the slope is finite and outside float32's range (PyTorch:
     *         "value cannot be converted to type float without overflow")
     */
    INDArray leakyRelu(INDArray x, double slope);

    /** {@link #leakyRelu(INDArray, double)} with slope 0.01. */
    default INDArray leakyRelu(INDArray x) {
        return leakyRelu(x, 0.01);
    }

    /** Gradient through {@link #leakyRelu}: gradOut where x &gt; 0, else {@code slope * gradOut}. */
    INDArray leakyReluBackward(INDArray x, INDArray gradOut, double slope);

    /**
     * Parametric ReLU: {@code x} where {@code x > 0}, else {@code alpha * x}, with alpha learned.
     *
     * @param alpha {@code [1]} (one slope) or {@code [C]} (one per channel, axis 1 of x); PyTorch initialises it
     *              to 0.25
     * @throws IllegalArgumentException if alpha has neither 1 nor C elements
     */
    INDArray prelu(INDArray x, INDArray alpha);

    /**
     * Gradients through {@link #prelu}: {@code dx} as leaky ReLU with slope alpha, and {@code dalpha}, the sum of
     * {@code x * gradOut} over the cells where {@code x <= 0} (per channel for a per-channel alpha).
     */
    PreluGradients preluBackward(INDArray x, INDArray alpha, INDArray gradOut);

    /**
     * Randomized leaky ReLU. In eval mode (the default) negative inputs are scaled by
     * {@code (lower + upper)/2}; in training mode each element {@code <= 0} is scaled by its own slope drawn
     * uniformly from {@code [lower, upper)} by a generator seeded with {@code params.seed()}, so a run can be
     * repeated. The result carries the slopes used (1 for positive inputs).
     * <pre>
     * jshell&gt; Cnn.rrelu(x, RReluParams.DEFAULT.training(7)).slopes()
     * </pre>
     *
     * @throws IllegalArgumentException if x is null, lower &gt; upper, or a slope outside float32's range could be
     *         used, as PyTorch refuses: the eval slope in eval mode, either bound in training mode
     */
    RRelu rrelu(INDArray x, RReluParams params);

    /** Eval-mode RReLU with lower 1/8 and upper 1/3: slope 11/48 for negative inputs. */
    default INDArray rrelu(INDArray x) {
        return rrelu(x, RReluParams.DEFAULT).output();
    }

    /** Gradient through {@link #rrelu}: gradOut times the slopes the forward pass used. */
    INDArray rreluBackward(INDArray gradOut, RRelu forward);
}
