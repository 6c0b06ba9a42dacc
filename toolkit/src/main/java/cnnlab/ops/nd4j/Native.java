package cnnlab.ops.nd4j;

import cnnlab.ops.Buffers;
import cnnlab.ops.OutputMemory;
import cnnlab.ops.PaddingMode;
import cnnlab.ops.Parallel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.shape.Gather;
import org.nd4j.linalg.api.ops.impl.transforms.Pad;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Thin, typed calls into libnd4j's custom ops, with every output allocated here so shapes are ours. */
final class Native {
    private Native() {
    }

    /** libnd4j's weight layout code for {@code [oC, iC, kH, kW]}, PyTorch's. */
    private static final int OIHW = 1;
    private static final int NCHW = 0;

    static INDArray exec(String op, INDArray[] inputs, INDArray output, int... iArgs) {
        Nd4j.exec(DynamicCustomOp.builder(op).addInputs(inputs).addOutputs(output).addIntegerArguments(iArgs)
                .build());
        return output;
    }

    /*
     * Dilation: libnd4j's oneDNN helper fails to build dilated convolution primitives (and a failed op leaves
     * libnd4j's error state set for the next op). So every call here runs at dilation 1, on a kernel with the
     * dilation written out as zeros between the taps: the same sums, the same outputs.
     */

    /** {@code [.., kH, kW]} spread to {@code [.., d(kH-1)+1, d(kW-1)+1]} with zeros between the taps. */
    private static INDArray dilate(INDArray w, int dh, int dw) {
        if (dh == 1 && dw == 1) {
            return w;
        }
        long kh = w.size(2), kw = w.size(3), ekh = dh * (kh - 1) + 1, ekw = dw * (kw - 1) + 1;
        INDArray spread = Nd4j.zeros(DataType.FLOAT, w.size(0), w.size(1), ekh, ekw);
        taps(spread, dh, dw).assign(w);
        return spread;
    }

    /**
     * The view of a spread kernel that holds the real taps. An axis with a single tap is taken with step 1:
     * ND4J rejects a strided interval whose step is longer than the axis.
     */
    private static INDArray taps(INDArray spread, int dh, int dw) {
        long stepH = spread.size(2) == 1 ? 1 : dh, stepW = spread.size(3) == 1 ? 1 : dw;
        return spread.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, stepH, spread.size(2)),
                NDArrayIndex.interval(0, stepW, spread.size(3)));
    }

    /**
     * conv2d with symmetric zero padding; weight {@code [K, C, kH, kW]}. On oneDNN called directly ({@link OneDnn})
     * where it loads, else on libnd4j's conv2d.
     */
    static INDArray conv2d(INDArray x, INDArray w, INDArray b, int sh, int sw, int ph, int pw, int dh, int dw,
                           int oh, int ow) {
        INDArray spread = dilate(w, dh, dw);
        INDArray direct = OneDnn.conv2d(x, spread, b, sh, sw, ph, pw, oh, ow);
        return direct != null ? direct : libnd4jConv2d(x, spread, b, sh, sw, ph, pw, oh, ow);
    }

    /** libnd4j's conv2d, undilated; the route when oneDNN is not loaded (and, in tests, the one to compare with). */
    static INDArray libnd4jConv2d(INDArray x, INDArray w, INDArray b, int sh, int sw, int ph, int pw, int oh, int ow) {
        INDArray y = OutputMemory.floats(x.size(0), w.size(0), oh, ow);
        INDArray[] in = b == null ? new INDArray[] {x, w} : new INDArray[] {x, w, b};
        return exec("conv2d", in, y, (int) w.size(2), (int) w.size(3), sh, sw, ph, pw, 1, 1, 0, NCHW, OIHW);
    }

    /**
     * conv2d's gradients {dx, dw, db} for symmetric zero padding: on oneDNN's backward primitives called directly
     * ({@link OneDnn}) where it loads, else libnd4j's conv2d_bp. Either way db comes from the weight-gradient pass:
     * given a bias (zeros: its values enter no gradient), libnd4j's oneDNN sums it there, which a separate
     * {@code gradOut.sum(0, 2, 3)} did not (VGG 3x3's backward 31.2-38.2 against 33.1-40.9 ms, 2 threads).
     */
    static INDArray[] conv2dBackward(INDArray x, INDArray w, INDArray gradOut, int sh, int sw, int ph, int pw,
                                     int dh, int dw) {
        INDArray spread = dilate(w, dh, dw);
        INDArray[] d = OneDnn.conv2dBackward(x, spread, gradOut, sh, sw, ph, pw);
        if (d == null) {
            d = libnd4jConv2dBackward(x, spread, gradOut, sh, sw, ph, pw);
        }
        return new INDArray[] {d[0], dh == 1 && dw == 1 ? d[1] : taps(d[1], dh, dw).dup('c'), d[2]};
    }

    /**
     * {@link #conv2dBackward} without the input's gradient, {@code {dw, db}}: oneDNN's weights primitive alone, or
     * libnd4j's conv2d_bp (which computes dx as well) when oneDNN is not loaded.
     */
    static INDArray[] conv2dWeightBackward(INDArray x, INDArray w, INDArray gradOut, int sh, int sw, int ph,
                                           int pw, int dh, int dw) {
        INDArray spread = dilate(w, dh, dw);
        INDArray[] d = OneDnn.conv2dWeightBackward(x, spread, gradOut, sh, sw, ph, pw);
        if (d == null) {
            INDArray[] all = libnd4jConv2dBackward(x, spread, gradOut, sh, sw, ph, pw);
            d = new INDArray[] {all[1], all[2]};
        }
        return new INDArray[] {dh == 1 && dw == 1 ? d[0] : taps(d[0], dh, dw).dup('c'), d[1]};
    }

    /** libnd4j's conv2d_bp, undilated; the route when oneDNN is not loaded (and, in tests, the one to compare with). */
    static INDArray[] libnd4jConv2dBackward(INDArray x, INDArray w, INDArray gradOut, int sh, int sw, int ph,
                                            int pw) {
        INDArray bias = Nd4j.zeros(DataType.FLOAT, w.size(0));
        INDArray dx = OutputMemory.floats(x.shape());
        INDArray dw = OutputMemory.floats(w.shape());
        INDArray db = OutputMemory.floats(w.size(0));
        Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(x, w, bias, gradOut)
                .addOutputs(dx, dw, db)
                .addIntegerArguments((int) w.size(2), (int) w.size(3), sh, sw, ph, pw, 1, 1, 0, NCHW, OIHW)
                .build());
        return new INDArray[] {dx, dw, db};
    }

    /** libnd4j deconv2d without padding: the full {@code (H-1)*s + d(k-1) + 1} output. Weight {@code [C, K, kH, kW]}. */
    static INDArray deconv2dFull(INDArray x, INDArray w, int sh, int sw, int dh, int dw) {
        INDArray spread = dilate(w, dh, dw);
        long kh = spread.size(2), kw = spread.size(3);
        long fh = (x.size(2) - 1) * sh + kh, fw = (x.size(3) - 1) * sw + kw;
        INDArray y = OutputMemory.floats(x.size(0), w.size(1), fh, fw);
        return exec("deconv2d", new INDArray[] {x, spread}, y, (int) kh, (int) kw, sh, sw, 0, 0, 1, 1, 0, NCHW, OIHW);
    }

    /**
     * libnd4j deconv2d (oneDNN) with symmetric padding at stride 1: {@code dx} of a stride-1 convolution, the full
     * correlation of {@code gradOut [N, K, oH, oW]} with {@code w [K, C, kH, kW]}, cropped by the padding.
     */
    static INDArray deconv2dStride1(INDArray gradOut, INDArray w, int ph, int pw, long h, long wid) {
        INDArray dx = OutputMemory.floats(gradOut.size(0), w.size(1), h, wid);
        return exec("deconv2d", new INDArray[] {gradOut, w}, dx, (int) w.size(2), (int) w.size(3), 1, 1, ph, pw, 1, 1,
                0, NCHW, OIHW);
    }

    /*
     * libnd4j's own pooling ops (oneDNN where the binary has it), iArgs
     * {kH, kW, sH, sW, pH, pW, dH, dW, sameMode, extra, layout}. Windows uses them only where their semantics are
     * PyTorch's: no padding, no dilation, no ceil-mode overhang, and for max pooling finite inputs.
     */

    /** libnd4j maxpool2d, no padding or dilation: the largest value of each window. */
    static INDArray maxPool(INDArray x, int kh, int kw, int sh, int sw, int oh, int ow) {
        return pool("maxpool2d", x, kh, kw, sh, sw, oh, ow);
    }

    /** libnd4j maxpool2d_bp: each output's gradient to its window's first maximum. */
    static INDArray maxPoolBackward(INDArray x, INDArray gradOut, int kh, int kw, int sh, int sw) {
        return poolBackward("maxpool2d_bp", x, gradOut, kh, kw, sh, sw);
    }

    /** libnd4j avgpool2d, no padding or dilation: the mean of each kH x kW window. */
    static INDArray avgPool(INDArray x, int kh, int kw, int sh, int sw, int oh, int ow) {
        return pool("avgpool2d", x, kh, kw, sh, sw, oh, ow);
    }

    /** libnd4j avgpool2d_bp: an equal share of each output's gradient to every cell of its window. */
    static INDArray avgPoolBackward(INDArray x, INDArray gradOut, int kh, int kw, int sh, int sw) {
        return poolBackward("avgpool2d_bp", x, gradOut, kh, kw, sh, sw);
    }

    private static INDArray pool(String op, INDArray x, int kh, int kw, int sh, int sw, int oh, int ow) {
        INDArray y = OutputMemory.floats(x.size(0), x.size(1), oh, ow);
        return exec(op, new INDArray[] {x}, y, kh, kw, sh, sw, 0, 0, 1, 1, 0, 0, NCHW);
    }

    private static INDArray poolBackward(String op, INDArray x, INDArray gradOut, int kh, int kw, int sh, int sw) {
        INDArray dx = OutputMemory.floats(x.shape());
        return exec(op, new INDArray[] {x, gradOut}, dx, kh, kw, sh, sw, 0, 0, 1, 1, 0, 0, NCHW);
    }

    /** Pad the last two axes with a constant. */
    static INDArray padConstant(INDArray x, int top, int bottom, int left, int right, double value) {
        if (top == 0 && bottom == 0 && left == 0 && right == 0) {
            return x;
        }
        return Nd4j.pad(x, new int[][] {{0, 0}, {0, 0}, {top, bottom}, {left, right}}, Pad.Mode.CONSTANT, value);
    }

    /** Pad the last two axes by a padding mode, by gathering rows then columns through {@link PaddingMode#source}. */
    static INDArray pad(INDArray x, int top, int bottom, int left, int right, PaddingMode mode) {
        if (mode == PaddingMode.ZEROS) {
            return padConstant(x, top, bottom, left, right, 0);
        }
        // an axis without padding is left alone (ND4J's Gather fails on the one-element index of a 1-wide axis)
        INDArray rows = top == 0 && bottom == 0 ? x : gather(x, sources(top, (int) x.size(2), bottom, mode), 2);
        return left == 0 && right == 0 ? rows : gather(rows, sources(left, (int) x.size(3), right, mode), 3);
    }

    private static int[] sources(int before, int size, int after, PaddingMode mode) {
        int[] index = new int[before + size + after];
        for (int i = 0; i < index.length; i++) {
            index[i] = mode.source(i - before, size);
        }
        return index;
    }

    private static INDArray gather(INDArray x, int[] index, int axis) {
        return Nd4j.exec(new Gather(x, index, axis))[0];
    }

    /**
     * The adjoint of {@link #pad}: fold the gradient of a padded array back onto the input, each padded cell's
     * gradient going to the cell it copied, added in row-major order of the padded array as PyTorch's
     * reflection and replication pad backward add them. (A product with 0/1 selection matrices, as before, turned
     * every cell NaN once one gradient was infinite: 0 * inf.)
     */
    static INDArray unpad(INDArray grad, int h, int w, int top, int left, PaddingMode mode) {
        int hp = (int) grad.size(2), wp = (int) grad.size(3);
        if (mode == PaddingMode.ZEROS) {
            return grad.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(top, top + h),
                    NDArrayIndex.interval(left, left + w)).dup('c');
        }
        int[] rows = sources(top, h, hp - h - top, mode), cols = sources(left, w, wp - w - left, mode);
        int planes = Math.toIntExact(grad.size(0) * grad.size(1));
        float[] g = Buffers.floats(grad), dx = new float[planes * h * w];
        Parallel.forEach(PlaneLoops.threads(g.length), planes, p -> {
            int in = p * hp * wp, out = p * h * w;
            for (int i = 0; i < hp; i++) {
                for (int j = 0; j < wp; j++) {
                    dx[out + rows[i] * w + cols[j]] += g[in + i * wp + j];
                }
            }
        });
        return Buffers.array(dx, grad.size(0), grad.size(1), h, w);
    }
}
