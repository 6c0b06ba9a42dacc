package cnnlab.ops;

import static cnnlab.ops.Errors.error;
import static cnnlab.ops.Validate.float32;
import static cnnlab.ops.Validate.pair;
import static cnnlab.ops.Errors.shape;

import cnnlab.shape.Shapes;
import java.util.SplittableRandom;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link Ops} for any {@link Engine}: validates every argument, resolves the geometry with
 * {@link Shapes}, converts to float32, then lets the engine compute. This is why both engines reject alike.
 */
final class CheckedOps implements Ops {
    private final Engine engine;

    CheckedOps(Engine engine) {
        this.engine = engine;
    }

    @Override
    public String name() {
        return engine.name();
    }

    @Override
    public String toString() {
        return "Ops[" + engine.name() + "]";
    }

    /**
     * Runs an engine's computation. The memory for its arrays can run out (JavaCPP's bound, see
     * {@link Errors#outOfMemory}); that error then says so in the toolkit's own words.
     */
    private static <T> T compute(String op, Supplier<T> computation) {
        try {
            return computation.get();
        } catch (OutOfMemoryError e) {
            OutputMemory.releaseKept();
            throw Errors.outOfMemory(op, e);
        }
    }

    // ---------------------------------------------------------------- unbatched input

    /*
     * PyTorch's unbatched form: a 3-D input [C, H, W] (the lecture's C x M x N volume) is one image. The op runs on
     * it as [1, C, H, W] (a view, no copy), and every result shaped like the input or the output drops that axis
     * again; a weight's or bias's gradient is the same either way.
     */

    private static boolean unbatched(INDArray x) {
        return x != null && x.rank() == 3;
    }

    private static INDArray withBatch(INDArray a) {
        return a == null || a.rank() != 3 ? a : a.reshape(1, a.size(0), a.size(1), a.size(2));
    }

    /**
     * An unbatched input's companion (its output's gradient, its indices) as one image too. It must be unbatched
     * as well: PyTorch rejects [1, C, H, W] there, and so does the toolkit rather than quietly taking the first image.
     */
    private static INDArray withBatch(String op, String name, INDArray x, INDArray a) {
        if (a != null && a.rank() != 3) {
            throw error(op, name + " has " + a.rank() + " axes but the input is unbatched (3 axes)",
                    "input " + shape(x) + ", " + name + " " + shape(a),
                    "give " + name + " as [C, H, W], like the input");
        }
        return withBatch(a);
    }

    /**
     * The op on an unbatched input, run as one image. Its errors then give the shapes with the batch axis of 1 that
     * the student never wrote, so each says so on a line of its own.
     */
    private static <T> T asOneImage(INDArray x, Supplier<T> call) {
        try {
            return call.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + "\nnote: the input " + shape(x) + " is one image"
                    + " without a batch axis; the shapes above are given with a batch axis of 1");
        }
    }

    private static INDArray withoutBatch(INDArray a) {
        return a == null ? null : a.reshape(a.size(1), a.size(2), a.size(3));
    }

    private static ConvGradients withoutBatch(ConvGradients d) {
        return new ConvGradients(withoutBatch(d.dx()), d.dw(), d.db());
    }

    /**
     * A size worked out by {@link Shapes}, which refuses one past an int (a dilation of 2^30, say) with an
     * {@link IllegalArgumentException} of its own; here that error names the op and the shapes too.
     */
    private static int size(String op, String ctx, IntSupplier formula) {
        try {
            return formula.getAsInt();
        } catch (IllegalArgumentException e) {
            throw error(op, e.getMessage(), ctx);
        }
    }

    // ---------------------------------------------------------------- convolution

    private static ConvGeometry convGeometry(String op, INDArray x, INDArray weight, INDArray bias, ConvParams p) {
        if (p == null) {
            throw error(op, "params is null", "input " + shape(x) + ", weight " + shape(weight),
                    "use ConvParams.DEFAULT");
        }
        String ctx = "input " + shape(x) + ", weight " + shape(weight)
                + (bias == null ? "" : ", bias " + shape(bias)) + ", " + p;
        Validate.rank4(op, "input", x, "[N, C, H, W]", ctx);
        Validate.rank4(op, "weight", weight, "[K, C, kH, kW]", ctx);
        int n = Math.toIntExact(x.size(0)), c = Math.toIntExact(x.size(1));
        int h = Math.toIntExact(x.size(2)), w = Math.toIntExact(x.size(3));
        int k = Math.toIntExact(weight.size(0)), kh = Math.toIntExact(weight.size(2));
        int kw = Math.toIntExact(weight.size(3));
        if (weight.size(1) != c) {
            throw error(op, "input has " + c + " channels but weight expects " + weight.size(1), ctx,
                    "weight must be [K, " + c + ", kH, kW] for a " + c + "-channel input");
        }
        checkBias(op, bias, k, ctx);
        Validate.positive(op, "stride", p.strideH(), p.strideW(), ctx);
        Validate.positive(op, "dilation", p.dilationH(), p.dilationW(), ctx);
        int top, bottom, left, right;
        if (p.samePadding()) {
            if (p.strideH() != 1 || p.strideW() != 1) {
                throw error(op, "padding 'same' needs stride 1 but stride is " + pair(p.strideH(), p.strideW()),
                        ctx, "use explicit padding, e.g. ConvParams.of(stride, (k - 1) / 2)");
            }
            size(op, ctx, () -> Shapes.effectiveKernel(kh, p.dilationH()));      // "same" pads d(k-1) in all
            size(op, ctx, () -> Shapes.effectiveKernel(kw, p.dilationW()));
            int[] ph = Shapes.samePadding(kh, p.dilationH()), pw = Shapes.samePadding(kw, p.dilationW());
            top = ph[0];
            bottom = ph[1];
            left = pw[0];
            right = pw[1];
        } else {
            Validate.nonNegative(op, "padding", p.paddingH(), p.paddingW(), ctx);
            top = bottom = p.paddingH();
            left = right = p.paddingW();
        }
        checkPaddingMode(op, p.paddingMode(), h, w, Math.max(top, bottom), Math.max(left, right), ctx);
        int padTop = top, padBottom = bottom, padLeft = left, padRight = right;
        int oh = size(op, ctx, () -> Shapes.outputSize(h, padTop, padBottom, kh, p.strideH(), p.dilationH(), false));
        int ow = size(op, ctx, () -> Shapes.outputSize(w, padLeft, padRight, kw, p.strideW(), p.dilationW(), false));
        Validate.windowFits(op, "kernel", h, w, kh, kw, p.strideH(), p.strideW(), top, left, p.dilationH(),
                p.dilationW(), oh, ow, -1, -1, ctx);
        Validate.fitsAnArray(op, "the output", ctx, n, k, oh, ow);
        Validate.fitsAnArray(op, "the padded input", ctx, n, c, (long) h + top + bottom, (long) w + left + right);
        Validate.fitsAnArray(op, "the dilated kernel", ctx, k, c, spread(kh, p.dilationH()), spread(kw, p.dilationW()));
        return new ConvGeometry(n, c, h, w, k, kh, kw, p.strideH(), p.strideW(), top, bottom, left, right,
                p.dilationH(), p.dilationW(), oh, ow, p.paddingMode());
    }

    /** A kernel's extent with its taps spread {@code dilation} apart: {@code d(k - 1) + 1}. */
    private static long spread(int kernel, int dilation) {
        return (long) dilation * (kernel - 1) + 1;
    }

    private static void checkBias(String op, INDArray bias, int k, String ctx) {
        if (bias != null && (bias.rank() != 1 || bias.length() != k)) {
            throw error(op, "bias must be [" + k + "], one value per output channel, but has shape "
                    + shape(bias), ctx);
        }
    }

    private static void checkPaddingMode(String op, PaddingMode mode, int h, int w, int ph, int pw, String ctx) {
        if (mode == PaddingMode.REFLECT && (ph >= h || pw >= w)) {
            throw error(op, "reflect padding " + pair(ph, pw) + " must be smaller than the input " + h + "x" + w,
                    ctx, "use replicate padding or a smaller padding");
        }
        if (mode == PaddingMode.CIRCULAR && (ph > h || pw > w)) {
            throw error(op, "circular padding " + pair(ph, pw) + " must not exceed the input " + h + "x" + w, ctx);
        }
    }

    @Override
    public INDArray conv2d(INDArray x, INDArray weight, INDArray bias, ConvParams params) {
        if (unbatched(x)) {
            return asOneImage(x, () -> withoutBatch(conv2d(withBatch(x), weight, bias, params)));
        }
        ConvGeometry g = convGeometry("conv2d", x, weight, bias, params);
        return compute("conv2d", () -> engine.conv2d(float32(x), float32(weight), float32(bias), g));
    }

    @Override
    public ConvGradients conv2dBackward(INDArray x, INDArray weight, INDArray gradOut, ConvParams params) {
        if (unbatched(x)) {
            INDArray oneGradOut = withBatch("conv2dBackward", "gradOut", x, gradOut);
            return asOneImage(x, () -> withoutBatch(conv2dBackward(withBatch(x), weight, oneGradOut, params)));
        }
        ConvGeometry g = convBackwardGeometry("conv2dBackward", x, weight, gradOut, params);
        return compute("conv2dBackward", () -> engine.conv2dBackward(float32(x), float32(weight), float32(gradOut), g));
    }

    @Override
    public ConvGradients conv2dWeightBackward(INDArray x, INDArray weight, INDArray gradOut, ConvParams params) {
        if (unbatched(x)) {
            INDArray oneGradOut = withBatch("conv2dWeightBackward", "gradOut", x, gradOut);
            return asOneImage(x, () -> withoutBatch(conv2dWeightBackward(withBatch(x), weight, oneGradOut, params)));
        }
        ConvGeometry g = convBackwardGeometry("conv2dWeightBackward", x, weight, gradOut, params);
        return compute("conv2dWeightBackward", () ->
                engine.conv2dWeightBackward(float32(x), float32(weight), float32(gradOut), g));
    }

    private static ConvGeometry convBackwardGeometry(String op, INDArray x, INDArray weight, INDArray gradOut,
                                                     ConvParams params) {
        ConvGeometry g = convGeometry(op, x, weight, null, params);
        Validate.sameShape(op, "gradOut", gradOut, g.outputShape(),
                "input " + shape(x) + ", weight " + shape(weight) + ", gradOut " + shape(gradOut) + ", " + params);
        return g;
    }

    private static ConvTransposeGeometry convTransposeGeometry(String op, INDArray x, INDArray weight,
                                                               INDArray bias, ConvTransposeParams p) {
        if (p == null) {
            throw error(op, "params is null", "input " + shape(x) + ", weight " + shape(weight),
                    "use ConvTransposeParams.DEFAULT");
        }
        String ctx = "input " + shape(x) + ", weight " + shape(weight)
                + (bias == null ? "" : ", bias " + shape(bias)) + ", " + p;
        Validate.rank4(op, "input", x, "[N, C_in, H, W]", ctx);
        Validate.rank4(op, "weight", weight, "[C_in, C_out, kH, kW]", ctx);
        int n = Math.toIntExact(x.size(0)), c = Math.toIntExact(x.size(1));
        int h = Math.toIntExact(x.size(2)), w = Math.toIntExact(x.size(3));
        int k = Math.toIntExact(weight.size(1)), kh = Math.toIntExact(weight.size(2));
        int kw = Math.toIntExact(weight.size(3));
        if (weight.size(0) != c) {
            throw error(op, "input has " + c + " channels but weight expects " + weight.size(0), ctx,
                    "a transposed-conv weight is [C_in, C_out, kH, kW]: its first axis must be " + c);
        }
        checkBias(op, bias, k, ctx);
        Validate.positive(op, "stride", p.strideH(), p.strideW(), ctx);
        Validate.positive(op, "dilation", p.dilationH(), p.dilationW(), ctx);
        Validate.nonNegative(op, "padding", p.paddingH(), p.paddingW(), ctx);
        Validate.nonNegative(op, "output padding", p.outputPaddingH(), p.outputPaddingW(), ctx);
        if ((p.outputPaddingH() >= p.strideH() && p.outputPaddingH() >= p.dilationH())
                || (p.outputPaddingW() >= p.strideW() && p.outputPaddingW() >= p.dilationW())) {
            throw error(op, "output padding " + pair(p.outputPaddingH(), p.outputPaddingW())
                    + " must be smaller than either the stride " + pair(p.strideH(), p.strideW())
                    + " or the dilation " + pair(p.dilationH(), p.dilationW()), ctx);
        }
        int oh = size(op, ctx, () ->
                Shapes.convTransposeOutput(h, kh, p.strideH(), p.paddingH(), p.outputPaddingH(), p.dilationH()));
        int ow = size(op, ctx, () ->
                Shapes.convTransposeOutput(w, kw, p.strideW(), p.paddingW(), p.outputPaddingW(), p.dilationW()));
        if (oh < 1 || ow < 1) {
            throw error(op, "the output would be " + oh + "x" + ow + ": H_out = (" + h + "-1)*" + p.strideH()
                    + " - 2*" + p.paddingH() + " + " + p.dilationH() + "*(" + kh + "-1) + " + p.outputPaddingH()
                    + " + 1 = " + oh, ctx, "use less padding");
        }
        Validate.fitsAnArray(op, "the output", ctx, n, k, oh, ow);
        Validate.fitsAnArray(op, "the output before padding crops it", ctx, n, k, oh + 2L * p.paddingH(),
                ow + 2L * p.paddingW());
        Validate.fitsAnArray(op, "the dilated kernel", ctx, c, k, spread(kh, p.dilationH()), spread(kw, p.dilationW()));
        return new ConvTransposeGeometry(n, c, h, w, k, kh, kw, p.strideH(), p.strideW(), p.paddingH(),
                p.paddingW(), p.outputPaddingH(), p.outputPaddingW(), p.dilationH(), p.dilationW(), oh, ow);
    }

    @Override
    public INDArray convTranspose2d(INDArray x, INDArray weight, INDArray bias, ConvTransposeParams params) {
        if (unbatched(x)) {
            return asOneImage(x, () -> withoutBatch(convTranspose2d(withBatch(x), weight, bias, params)));
        }
        ConvTransposeGeometry g = convTransposeGeometry("convTranspose2d", x, weight, bias, params);
        return compute("convTranspose2d", () -> engine.convTranspose2d(float32(x), float32(weight), float32(bias), g));
    }

    @Override
    public ConvGradients convTranspose2dBackward(INDArray x, INDArray weight, INDArray gradOut,
                                                 ConvTransposeParams params) {
        if (unbatched(x)) {
            INDArray oneGradOut = withBatch("convTranspose2dBackward", "gradOut", x, gradOut);
            return asOneImage(x, () -> withoutBatch(convTranspose2dBackward(withBatch(x), weight, oneGradOut, params)));
        }
        ConvTransposeGeometry g = convTransposeGeometry("convTranspose2dBackward", x, weight, null, params);
        Validate.sameShape("convTranspose2dBackward", "gradOut", gradOut, g.outputShape(),
                "input " + shape(x) + ", weight " + shape(weight) + ", gradOut " + shape(gradOut) + ", " + params);
        return compute("convTranspose2dBackward", () ->
                engine.convTranspose2dBackward(float32(x), float32(weight), float32(gradOut), g));
    }

    // ---------------------------------------------------------------- pooling

    private static PoolGeometry poolGeometry(String op, INDArray x, PoolParams p, boolean dilationAllowed) {
        if (p == null) {
            throw error(op, "params is null", "input " + shape(x), "use e.g. PoolParams.of(2)");
        }
        String ctx = "input " + shape(x) + ", " + p;
        Validate.rank4(op, "input", x, "[N, C, H, W]", ctx);
        Validate.positive(op, "kernel", p.kernelH(), p.kernelW(), ctx);
        Validate.positive(op, "stride", p.strideH(), p.strideW(), ctx);
        Validate.positive(op, "dilation", p.dilationH(), p.dilationW(), ctx);
        Validate.nonNegative(op, "padding", p.paddingH(), p.paddingW(), ctx);
        if (!dilationAllowed && (p.dilationH() != 1 || p.dilationW() != 1)) {
            throw error(op, "has no dilation but dilation is " + pair(p.dilationH(), p.dilationW()), ctx);
        }
        if (p.paddingH() > p.kernelH() / 2 || p.paddingW() > p.kernelW() / 2) {
            throw error(op, "padding " + pair(p.paddingH(), p.paddingW()) + " is more than half the "
                    + p.kernelH() + "x" + p.kernelW() + " kernel", ctx,
                    "use padding at most " + pair(p.kernelH() / 2, p.kernelW() / 2));
        }
        int n = Math.toIntExact(x.size(0)), c = Math.toIntExact(x.size(1));
        int h = Math.toIntExact(x.size(2)), w = Math.toIntExact(x.size(3));
        int oh = size(op, ctx, () ->
                Shapes.poolOutput(h, p.kernelH(), p.strideH(), p.paddingH(), p.dilationH(), p.ceilMode()));
        int ow = size(op, ctx, () ->
                Shapes.poolOutput(w, p.kernelW(), p.strideW(), p.paddingW(), p.dilationW(), p.ceilMode()));
        Validate.windowFits(op, "window", h, w, p.kernelH(), p.kernelW(), p.strideH(), p.strideW(), p.paddingH(),
                p.paddingW(), p.dilationH(), p.dilationW(), oh, ow, p.kernelH() / 2, p.kernelW() / 2, ctx);
        Validate.fitsAnArray(op, "the output", ctx, n, c, oh, ow);
        Validate.fitsAnArray(op, "the padded input", ctx, n, c, h + 2L * p.paddingH(), w + 2L * p.paddingW());
        Validate.windowsReachInput(op, h, w, p.kernelH(), p.kernelW(), p.strideH(), p.strideW(), p.paddingH(),
                p.paddingW(), p.dilationH(), p.dilationW(), oh, ow, ctx);
        return new PoolGeometry(n, c, h, w, p.kernelH(), p.kernelW(), p.strideH(), p.strideW(), p.paddingH(),
                p.paddingW(), p.dilationH(), p.dilationW(), oh, ow, p.ceilMode(), p.countIncludePad());
    }

    private static void checkGradOut(String op, INDArray x, INDArray gradOut, PoolGeometry g, PoolParams p) {
        Validate.sameShape(op, "gradOut", gradOut, g.outputShape(),
                "input " + shape(x) + ", gradOut " + shape(gradOut) + ", " + p);
    }

    @Override
    public INDArray maxPool2d(INDArray x, PoolParams params) {
        if (unbatched(x)) {
            return asOneImage(x, () -> withoutBatch(maxPool2d(withBatch(x), params)));
        }
        PoolGeometry g = poolGeometry("maxPool2d", x, params, true);
        return compute("maxPool2d", () -> engine.maxPool2dValues(float32(x), g));
    }

    @Override
    public Pooled maxPool2dWithIndices(INDArray x, PoolParams params) {
        if (unbatched(x)) {
            Pooled one = asOneImage(x, () -> maxPool2dWithIndices(withBatch(x), params));
            return new Pooled(withoutBatch(one.output()), withoutBatch(one.indices()));
        }
        PoolGeometry g = poolGeometry("maxPool2d", x, params, true);
        return compute("maxPool2dWithIndices", () -> engine.maxPool2d(float32(x), g));
    }

    @Override
    public INDArray maxPool2dBackward(INDArray x, INDArray gradOut, PoolParams params) {
        if (unbatched(x)) {
            INDArray oneGradOut = withBatch("maxPool2dBackward", "gradOut", x, gradOut);
            return asOneImage(x, () -> withoutBatch(maxPool2dBackward(withBatch(x), oneGradOut, params)));
        }
        PoolGeometry g = poolGeometry("maxPool2dBackward", x, params, true);
        checkGradOut("maxPool2dBackward", x, gradOut, g, params);
        return compute("maxPool2dBackward", () -> engine.maxPool2dBackward(float32(x), float32(gradOut), g));
    }

    @Override
    public INDArray maxPool2dBackward(INDArray x, INDArray gradOut, INDArray indices, PoolParams params) {
        if (unbatched(x)) {
            INDArray oneGradOut = withBatch("maxPool2dBackward", "gradOut", x, gradOut);
            INDArray oneIndices = withBatch("maxPool2dBackward", "indices", x, indices);
            return asOneImage(x, () -> withoutBatch(maxPool2dBackward(withBatch(x), oneGradOut, oneIndices, params)));
        }
        String op = "maxPool2dBackward";
        PoolGeometry g = poolGeometry(op, x, params, true);
        checkGradOut(op, x, gradOut, g, params);
        String ctx = "input " + shape(x) + ", gradOut " + shape(gradOut) + ", indices " + shape(indices) + ", "
                + params;
        String hint = "pass the indices maxPool2dWithIndices returned for this input";
        if (indices == null) {
            throw error(op, "indices is null", ctx, hint);
        }
        if (!java.util.Arrays.equals(indices.shape(), gradOut.shape())) {
            throw error(op, "indices have shape " + shape(indices) + " but gradOut has shape " + shape(gradOut)
                    + "; they must match", ctx, hint);
        }
        INDArray idx = Validate.int64Indices(op, indices, ctx, hint);
        try {
            return compute(op, () -> engine.maxPool2dBackwardByIndices(float32(gradOut), idx, g));
        } catch (IndexOutOfBoundsException e) {
            Validate.indicesWithin(op, idx, g.h(), g.w(), "input", ctx, hint);   // names the index
            throw e;
        }
    }

    @Override
    public INDArray minPool2d(INDArray x, PoolParams params) {
        if (unbatched(x)) {
            return asOneImage(x, () -> withoutBatch(minPool2d(withBatch(x), params)));
        }
        PoolGeometry g = poolGeometry("minPool2d", x, params, true);
        return compute("minPool2d", () -> engine.minPool2d(float32(x), g));
    }

    @Override
    public INDArray minPool2dBackward(INDArray x, INDArray gradOut, PoolParams params) {
        if (unbatched(x)) {
            INDArray oneGradOut = withBatch("minPool2dBackward", "gradOut", x, gradOut);
            return asOneImage(x, () -> withoutBatch(minPool2dBackward(withBatch(x), oneGradOut, params)));
        }
        PoolGeometry g = poolGeometry("minPool2dBackward", x, params, true);
        checkGradOut("minPool2dBackward", x, gradOut, g, params);
        return compute("minPool2dBackward", () -> engine.minPool2dBackward(float32(x), float32(gradOut), g));
    }

    @Override
    public INDArray avgPool2d(INDArray x, PoolParams params) {
        if (unbatched(x)) {
            return asOneImage(x, () -> withoutBatch(avgPool2d(withBatch(x), params)));
        }
        PoolGeometry g = poolGeometry("avgPool2d", x, params, false);
        return compute("avgPool2d", () -> engine.avgPool2d(float32(x), g));
    }

    @Override
    public INDArray avgPool2dBackward(INDArray x, INDArray gradOut, PoolParams params) {
        if (unbatched(x)) {
            INDArray oneGradOut = withBatch("avgPool2dBackward", "gradOut", x, gradOut);
            return asOneImage(x, () -> withoutBatch(avgPool2dBackward(withBatch(x), oneGradOut, params)));
        }
        PoolGeometry g = poolGeometry("avgPool2dBackward", x, params, false);
        checkGradOut("avgPool2dBackward", x, gradOut, g, params);
        return compute("avgPool2dBackward", () -> engine.avgPool2dBackward(float32(gradOut), g));
    }

    @Override
    public INDArray medianPool2d(INDArray x, PoolParams params) {
        if (unbatched(x)) {
            return asOneImage(x, () -> withoutBatch(medianPool2d(withBatch(x), params)));
        }
        PoolGeometry g = poolGeometry("medianPool2d", x, params, true);
        return compute("medianPool2d", () -> engine.medianPool2d(float32(x), g));
    }

    // ---------------------------------------------------------------- unpooling

    @Override
    public INDArray maxUnpool2d(INDArray x, INDArray indices, PoolParams p, long[] outputSize) {
        if (unbatched(x)) {
            INDArray oneIndices = withBatch("maxUnpool2d", "indices", x, indices);
            return asOneImage(x, () -> withoutBatch(maxUnpool2d(withBatch(x), oneIndices, p, outputSize)));
        }
        String op = "maxUnpool2d";
        if (p == null) {
            throw error(op, "params is null", "input " + shape(x) + ", indices " + shape(indices),
                    "use the max pool's PoolParams");
        }
        String ctx = "input " + shape(x) + ", indices " + shape(indices) + ", " + p
                + (outputSize == null ? "" : ", output_size " + shape(outputSize));
        Validate.rank4(op, "input", x, "[N, C, H, W]", ctx);
        Validate.rank4(op, "indices", indices, "[N, C, H, W]", ctx);
        if (!java.util.Arrays.equals(x.shape(), indices.shape())) {
            throw error(op, "indices have shape " + shape(indices) + " but the input has shape " + shape(x)
                    + "; they must match", ctx, "pass the indices maxPool2dWithIndices returned with this output");
        }
        Validate.positive(op, "kernel", p.kernelH(), p.kernelW(), ctx);
        Validate.positive(op, "stride", p.strideH(), p.strideW(), ctx);
        Validate.nonNegative(op, "padding", p.paddingH(), p.paddingW(), ctx);
        int h = Math.toIntExact(x.size(2)), w = Math.toIntExact(x.size(3));
        int defH = size(op, ctx, () -> Shapes.convTransposeOutput(h, p.kernelH(), p.strideH(), p.paddingH(), 0, 1));
        int defW = size(op, ctx, () -> Shapes.convTransposeOutput(w, p.kernelW(), p.strideW(), p.paddingW(), 0, 1));
        int oh = defH, ow = defW;
        if (outputSize != null) {
            if (outputSize.length != 2 && outputSize.length != 4) {
                throw error(op, "output_size must be {H, W} or {N, C, H, W} but has " + outputSize.length
                        + " elements", ctx);
            }
            long askedH = outputSize[outputSize.length - 2], askedW = outputSize[outputSize.length - 1];
            if (askedH <= (long) defH - p.strideH() || askedH >= (long) defH + p.strideH()
                    || askedW <= (long) defW - p.strideW() || askedW >= (long) defW + p.strideW()) {
                throw error(op, "output_size " + askedH + "x" + askedW + " is not reachable: height must be between "
                        + ((long) defH - p.strideH() + 1) + " and " + ((long) defH + p.strideH() - 1)
                        + ", width between " + ((long) defW - p.strideW() + 1) + " and "
                        + ((long) defW + p.strideW() - 1), ctx);
            }
            if (askedH > Integer.MAX_VALUE || askedW > Integer.MAX_VALUE) {
                throw error(op, "output_size " + askedH + "x" + askedW + " is more than an int holds", ctx);
            }
            oh = (int) askedH;
            ow = (int) askedW;
        }
        if (oh < 1 || ow < 1) {
            throw error(op, "the output would be " + oh + "x" + ow, ctx, "use less padding");
        }
        Validate.fitsAnArray(op, "the output", ctx, x.size(0), x.size(1), oh, ow);
        INDArray idx = Validate.indicesWithin(op, indices, oh, ow, "output", ctx,
                "indices must come from a max pool whose input had this output's size; pass output_size");
        int outH = oh, outW = ow;
        return compute(op, () -> engine.maxUnpool2d(float32(x), idx, outH, outW));
    }

    @Override
    public INDArray unpoolNearest(INDArray x, PoolParams p) {
        if (unbatched(x)) {
            return asOneImage(x, () -> withoutBatch(unpoolNearest(withBatch(x), p)));
        }
        String op = "unpoolNearest";
        if (p == null) {
            throw error(op, "params is null", "input " + shape(x), "use e.g. PoolParams.of(2)");
        }
        String ctx = "input " + shape(x) + ", " + p;
        Validate.rank4(op, "input", x, "[N, C, H, W]", ctx);
        Validate.positive(op, "kernel", p.kernelH(), p.kernelW(), ctx);
        Validate.positive(op, "stride", p.strideH(), p.strideW(), ctx);
        if (p.paddingH() != 0 || p.paddingW() != 0 || p.dilationH() != 1 || p.dilationW() != 1) {
            throw error(op, "takes only a kernel and a stride, but padding is " + pair(p.paddingH(), p.paddingW())
                    + " and dilation " + pair(p.dilationH(), p.dilationW()), ctx);
        }
        int n = Math.toIntExact(x.size(0)), c = Math.toIntExact(x.size(1));
        int h = Math.toIntExact(x.size(2)), w = Math.toIntExact(x.size(3));
        int oh = size(op, ctx, () -> Shapes.convTransposeOutput(h, p.kernelH(), p.strideH(), 0, 0, 1));
        int ow = size(op, ctx, () -> Shapes.convTransposeOutput(w, p.kernelW(), p.strideW(), 0, 0, 1));
        Validate.fitsAnArray(op, "the output", ctx, n, c, oh, ow);
        PoolGeometry g = new PoolGeometry(n, c, h, w, p.kernelH(), p.kernelW(), p.strideH(), p.strideW(), 0, 0, 1, 1,
                oh, ow, false, true);
        return compute(op, () -> engine.unpoolNearest(float32(x), g));
    }

    // ---------------------------------------------------------------- activations

    private static void sameShapes(String op, INDArray x, INDArray gradOut) {
        sameShapes(op, "x", x, gradOut);
    }

    /** gradOut must be shaped like {@code name} (the input, or the slopes of an rrelu forward pass). */
    private static void sameShapes(String op, String name, INDArray x, INDArray gradOut) {
        String context = name + " " + shape(x) + ", gradOut " + shape(gradOut);
        if (x == null || gradOut == null) {
            throw error(op, (x == null ? name : "gradOut") + " is null", context);
        }
        if (!java.util.Arrays.equals(x.shape(), gradOut.shape())) {
            throw error(op, "gradOut has shape " + shape(gradOut) + " but " + name + " has shape " + shape(x)
                    + "; they must match", context);
        }
    }

    @Override
    public INDArray relu(INDArray x) {
        Validate.notNull("relu", "x", x);
        return compute("relu", () -> engine.relu(float32(x)));
    }

    @Override
    public INDArray reluBackward(INDArray x, INDArray gradOut) {
        sameShapes("reluBackward", x, gradOut);
        return compute("reluBackward", () -> engine.reluBackward(float32(x), float32(gradOut)));
    }

    @Override
    public INDArray leakyRelu(INDArray x, double slope) {
        Validate.notNull("leakyRelu", "x", x);
        Validate.fitsFloat("leakyRelu", "slope", slope, "x " + shape(x));
        return compute("leakyRelu", () -> engine.leakyRelu(float32(x), slope));
    }

    @Override
    public INDArray leakyReluBackward(INDArray x, INDArray gradOut, double slope) {
        sameShapes("leakyReluBackward", x, gradOut);
        Validate.fitsFloat("leakyReluBackward", "slope", slope, "x " + shape(x));
        return compute("leakyReluBackward", () -> engine.leakyReluBackward(float32(x), float32(gradOut), slope));
    }

    private static void checkAlpha(String op, INDArray x, INDArray alpha) {
        if (x == null || alpha == null) {
            throw error(op, (x == null ? "x" : "alpha") + " is null", "x " + shape(x) + ", alpha " + shape(alpha));
        }
        long channels = x.rank() >= 2 ? x.size(1) : 1;
        if (alpha.rank() > 1) {  // PyTorch: "Expected `weight` to be a scalar or 1D tensor"
            throw new IllegalArgumentException(op + ": alpha must be a scalar or 1-D (1 element or one per channel, "
                    + channels + ") but has rank " + alpha.rank() + " (x " + shape(x) + ", alpha " + shape(alpha)
                    + ")\nhint: alpha.reshape(" + alpha.length() + ")");
        }
        if (alpha.length() != 1 && (alpha.rank() != 1 || alpha.length() != channels || x.rank() < 2)) {
            throw new IllegalArgumentException(op + ": alpha must have 1 element or one per channel (" + channels
                    + ") but has shape " + shape(alpha) + " (x " + shape(x) + ", alpha " + shape(alpha) + ")");
        }
    }

    /**
     * Elementwise ops take an input with no elements (an axis of length 0) as PyTorch does, and give one back; the
     * engines' loops never see it.
     */
    private static INDArray empty(INDArray x) {
        return Nd4j.create(DataType.FLOAT, float32(x).shape());   // float32's shape: an empty Java array is [0]
    }

    @Override
    public INDArray prelu(INDArray x, INDArray alpha) {
        checkAlpha("prelu", x, alpha);
        if (x.isEmpty()) {
            return empty(x);
        }
        return compute("prelu", () -> engine.prelu(float32(x), float32(alpha)));
    }

    @Override
    public PreluGradients preluBackward(INDArray x, INDArray alpha, INDArray gradOut) {
        checkAlpha("preluBackward", x, alpha);
        sameShapes("preluBackward", x, gradOut);
        if (x.isEmpty()) {
            return new PreluGradients(empty(x), Nd4j.zeros(DataType.FLOAT, alpha.shape()));
        }
        return compute("preluBackward", () -> engine.preluBackward(float32(x), float32(alpha), float32(gradOut)));
    }

    @Override
    public RRelu rrelu(INDArray x, RReluParams p) {
        Validate.notNull("rrelu", "x", x);
        if (p == null) {
            throw error("rrelu", "params is null", "x " + shape(x), "use RReluParams.DEFAULT");
        }
        if (!(p.lower() <= p.upper()) || !Double.isFinite(p.lower()) || !Double.isFinite(p.upper())) {
            throw new IllegalArgumentException("rrelu: lower must be at most upper, both finite, but lower is "
                    + p.lower() + " and upper " + p.upper() + " (x " + shape(x) + ")");
        }
        if (p.training()) {  // the slopes are drawn from [lower, upper]
            Validate.fitsFloat("rrelu", "lower", p.lower(), "x " + shape(x) + ", " + p);
            Validate.fitsFloat("rrelu", "upper", p.upper(), "x " + shape(x) + ", " + p);
        } else {
            Validate.fitsFloat("rrelu", "the eval slope (lower + upper)/2 =", p.evalSlope(),
                    "x " + shape(x) + ", " + p);
        }
        if (x.isEmpty()) {
            return new RRelu(empty(x), empty(x));
        }
        return compute("rrelu", () -> {
            INDArray in = float32(x);
            if (!p.training()) {
                double slope = p.evalSlope();
                INDArray slopes = engine.leakyReluBackward(in, Nd4j.onesLike(in), slope);
                return new RRelu(engine.leakyRelu(in, slope), slopes);
            }
            SplittableRandom random = new SplittableRandom(p.seed());
            float[] drawn = new float[Math.toIntExact(in.length())];
            for (int i = 0; i < drawn.length; i++) {
                drawn[i] = (float) (p.lower() + (p.upper() - p.lower()) * random.nextDouble());
            }
            return engine.rreluTraining(in, Nd4j.create(drawn, in.shape(), 'c'));
        });
    }

    @Override
    public INDArray rreluBackward(INDArray gradOut, RRelu forward) {
        Validate.notNull("rreluBackward", "gradOut", gradOut);
        if (forward == null) {
            throw error("rreluBackward", "forward is null", "gradOut " + shape(gradOut),
                    "pass the RRelu that rrelu returned");
        }
        sameShapes("rreluBackward", "the forward pass", forward.slopes(), gradOut);
        if (gradOut.isEmpty()) {
            return empty(gradOut);
        }
        return compute("rreluBackward", () -> engine.rreluBackward(float32(gradOut), forward.slopes()));
    }
}
