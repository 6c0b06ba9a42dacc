package cnnlab.ops.nd4j;

import cnnlab.ops.Buffers;
import cnnlab.ops.ConvGeometry;
import cnnlab.ops.ConvGradients;
import cnnlab.ops.ConvTransposeGeometry;
import cnnlab.shape.Shapes;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Convolution and transposed convolution on conv2d and its gradients (oneDNN called directly, {@link OneDnn}), and
 * libnd4j's deconv2d (oneDNN where the binary has it). Symmetric zero padding goes to the convolution directly;
 * asymmetric ("same" with an even kernel), reflect, replicate and circular padding pad explicitly first.
 */
final class Convolutions {
    private Convolutions() {
    }

    static INDArray conv2d(INDArray x, INDArray w, INDArray b, ConvGeometry g) {
        if (g.symmetricZeroPadding()) {
            return Native.conv2d(x, w, b, g.sh(), g.sw(), g.padTop(), g.padLeft(), g.dh(), g.dw(), g.oh(), g.ow());
        }
        INDArray padded = Native.pad(x, g.padTop(), g.padBottom(), g.padLeft(), g.padRight(), g.mode());
        return Native.conv2d(padded, w, b, g.sh(), g.sw(), 0, 0, g.dh(), g.dw(), g.oh(), g.ow());
    }

    /**
     * Without oneDNN called directly (libnd4j's conv2d_bp for the backward), below this many multiply-adds per
     * gradient, stride-1 backward runs as forward calls
     * ({@link #stride1InputGradient}, {@link #stride1WeightGradient}) instead of libnd4j's conv2d_bp: measured side
     * by side on 1 thread, LeNet's conv1 backward 56-60 -> 29-36 ms and conv2 15-27 -> 5-7 ms (with dx then still a
     * deconv2d), while VGG 3x3 (925 M) got slower (214 -> 360 ms).
     */
    static final double SPLIT_BACKWARD_MACS = 1e8;

    /**
     * With both gradients wanted, conv2d_bp beats the split from this many input channels and kernels on: measured
     * side by side (alternating blocks, 2 threads, medians in ms, split against conv2d_bp), LeNet conv2
     * (6 -> 16) 2.2-2.6 against 1.4-1.6, 8x3x64x64 -> 8 5.1 against 4.4, 64x16x10x10 -> 32 3x3 4.1 against 2.3;
     * the split stays ahead for LeNet conv1 (1 -> 6) 4.4-5.2 against 5.6-8.4, 2 -> 6 5.7 against 7.2, and 4 -> 4
     * 1.0-1.8 against 1.8-2.0 (1 and 2 threads). The weight gradient alone stays split (conv2d_bp would compute dx
     * too): LeNet conv2's 1.0-1.2 ms.
     */
    static final int BP_MIN_CHANNELS = 3, BP_MIN_KERNELS = 8;

    static ConvGradients conv2dBackward(INDArray x, INDArray w, INDArray gradOut, ConvGeometry g) {
        return conv2dBackward(x, w, gradOut, g, true);
    }

    /**
     * {@code dx} is null unless {@code inputGradient}. With oneDNN called directly, its backward primitives (the
     * weights' alone when dx is not wanted); without it, libnd4j's conv2d_bp or, for small stride-1 shapes, the
     * split into forward calls ({@link #SPLIT_BACKWARD_MACS}). The split had been the route for LeNet conv1 and
     * for every weight gradient alone; against oneDNN's primitives called directly it lost on every shape it took
     * (alternating JVMs, 2 threads, medians in ms, split against direct): LeNet conv1 backward 4.1-4.4 against
     * 1.5-2.2 and its weights alone 1.9-2.3 against 0.37-0.53, LeNet conv2's weights alone 0.87-1.3 against
     * 0.40-0.67, 8x1x64x64 by 8 3x3 2.0-4.0 against 0.56-0.75, 64x4x16x16 by 4 0.94-2.2 against 0.58-0.87.
     */
    static ConvGradients conv2dBackward(INDArray x, INDArray w, INDArray gradOut, ConvGeometry g,
                                        boolean inputGradient) {
        if (!OneDnn.active() && splits(g, inputGradient)) {
            return splitBackward(x, w, gradOut, g, inputGradient);
        }
        boolean symmetric = g.symmetricZeroPadding();
        INDArray input = symmetric ? x : Native.pad(x, g.padTop(), g.padBottom(), g.padLeft(), g.padRight(), g.mode());
        int ph = symmetric ? g.padTop() : 0, pw = symmetric ? g.padLeft() : 0;
        if (!inputGradient) {
            INDArray[] d = Native.conv2dWeightBackward(input, w, gradOut, g.sh(), g.sw(), ph, pw, g.dh(), g.dw());
            return new ConvGradients(null, d[0], d[1]);
        }
        INDArray[] d = Native.conv2dBackward(input, w, gradOut, g.sh(), g.sw(), ph, pw, g.dh(), g.dw());
        INDArray dx = symmetric ? d[0] : Native.unpad(d[0], g.h(), g.w(), g.padTop(), g.padLeft(), g.mode());
        return new ConvGradients(dx, d[1], d[2]);
    }

    /** Whether libnd4j's route splits this backward into forward calls (see {@link #SPLIT_BACKWARD_MACS}). */
    static boolean splits(ConvGeometry g, boolean inputGradient) {
        return g.symmetricZeroPadding() && g.sh() == 1 && g.sw() == 1 && g.dh() == 1 && g.dw() == 1
                && (double) g.n() * g.c() * g.k() * g.kh() * g.kw() * g.oh() * g.ow() < SPLIT_BACKWARD_MACS
                && !(inputGradient && g.c() >= BP_MIN_CHANNELS && g.k() >= BP_MIN_KERNELS);
    }

    /** The stride-1 backward as forward calls; {@code dx} is null unless {@code inputGradient}. */
    static ConvGradients splitBackward(INDArray x, INDArray w, INDArray gradOut, ConvGeometry g,
                                       boolean inputGradient) {
        INDArray dx = inputGradient ? stride1InputGradient(w, gradOut, g) : null;
        return new ConvGradients(dx, stride1WeightGradient(x, gradOut, g), biasGradient(gradOut));
    }

    /*
     * Stride-1 backward as forward calls. dx is the "full" correlation of gradOut with w rotated by 180 degrees,
     * i.e. a forward convolution of gradOut ([N, K, oH, oW]) by w with its two channel axes swapped and each tap
     * flipped ([C, K, kH, kW]), padded by k - 1 - p. As oneDNN's forward that is 3.4x faster here than libnd4j's
     * deconv2d on LeNet's conv1 (2.7 vs 9.3 ms, one thread, side by side). dw is a convolution too, of the input
     * with its batch and channel axes swapped ([C, N, H, W]) by gradOut as the kernel ([K, N, oH, oW]), whose
     * [C, K, kH, kW] output is dw transposed.
     */

    private static INDArray stride1InputGradient(INDArray w, INDArray gradOut, ConvGeometry g) {
        int padH = g.kh() - 1 - g.padTop(), padW = g.kw() - 1 - g.padLeft();
        if (padH < 0 || padW < 0) {          // padding wider than the kernel: crop the transposed convolution
            return Native.deconv2dStride1(gradOut, w, g.padTop(), g.padLeft(), g.h(), g.w());
        }
        return Native.conv2d(gradOut, rotatedTransposed(w, g), null, 1, 1, padH, padW, 1, 1, g.h(), g.w());
    }

    /** {@code w [K, C, kH, kW]} as {@code [C, K, kH, kW]} with every kH x kW kernel rotated by 180 degrees. */
    private static INDArray rotatedTransposed(INDArray w, ConvGeometry g) {
        float[] taps = Buffers.floats(w), rotated = new float[taps.length];
        int kh = g.kh(), kw = g.kw();
        for (int k = 0; k < g.k(); k++) {
            for (int c = 0; c < g.c(); c++) {
                for (int i = 0; i < kh; i++) {
                    for (int j = 0; j < kw; j++) {
                        rotated[((c * g.k() + k) * kh + kh - 1 - i) * kw + kw - 1 - j] =
                                taps[((k * g.c() + c) * kh + i) * kw + j];
                    }
                }
            }
        }
        return Buffers.array(rotated, g.c(), g.k(), kh, kw);
    }

    private static INDArray stride1WeightGradient(INDArray x, INDArray gradOut, ConvGeometry g) {
        INDArray xT = x.permute(1, 0, 2, 3).dup('c');
        INDArray gradOutT = gradOut.permute(1, 0, 2, 3).dup('c');
        INDArray dwT = Native.conv2d(xT, gradOutT, null, 1, 1, g.padTop(), g.padLeft(), 1, 1, g.kh(), g.kw());
        return dwT.permute(1, 0, 2, 3).dup('c');
    }

    /**
     * The full transposed convolution (no padding) from libnd4j, then the PyTorch window of it: padding crops
     * {@code p} from each side, output padding extends the bottom/right (with zeros past the full output).
     */
    static INDArray convTranspose2d(INDArray x, INDArray w, INDArray b, ConvTransposeGeometry g) {
        INDArray full = Native.deconv2dFull(x, w, g.sh(), g.sw(), g.dh(), g.dw());
        int extraH = Math.max(0, g.ph() + g.oh() - (int) full.size(2));
        int extraW = Math.max(0, g.pw() + g.ow() - (int) full.size(3));
        full = Native.padConstant(full, 0, extraH, 0, extraW, 0);
        INDArray y = full.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(g.ph(), g.ph() + g.oh()),
                NDArrayIndex.interval(g.pw(), g.pw() + g.ow())).dup('c');
        return b == null ? y : y.addi(b.reshape(1, g.k(), 1, 1));
    }

    /**
     * Backward of a transposed convolution is a convolution: {@code dx = conv2d(gradOut, w)} with the same
     * stride, padding and dilation, and {@code dw} is conv2d's weight gradient with the roles of input and
     * upstream gradient swapped. Output padding can make that convolution one row longer than x; the extra
     * row is dropped (and x zero-extended to match).
     */
    static ConvGradients convTranspose2dBackward(INDArray x, INDArray w, INDArray gradOut, ConvTransposeGeometry g) {
        int hh = Shapes.convOutput(g.oh(), g.kh(), g.sh(), g.ph(), g.dh());
        int ww = Shapes.convOutput(g.ow(), g.kw(), g.sw(), g.pw(), g.dw());
        INDArray dxFull = Native.conv2d(gradOut, w, null, g.sh(), g.sw(), g.ph(), g.pw(), g.dh(), g.dw(), hh, ww);
        INDArray dx = hh == g.h() && ww == g.w() ? dxFull : dxFull.get(NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.interval(0, g.h()), NDArrayIndex.interval(0, g.w())).dup('c');
        INDArray xExtended = Native.padConstant(x, 0, hh - g.h(), 0, ww - g.w(), 0);
        INDArray dw = Native.conv2dWeightBackward(gradOut, w, xExtended, g.sh(), g.sw(), g.ph(), g.pw(), g.dh(),
                g.dw())[0];
        return new ConvGradients(dx, dw, biasGradient(gradOut));
    }

    /**
     * The bias's gradient, {@code gradOut} summed over images and positions, always in row-major order: ND4J sums
     * in the order the array lies in memory, so a column-major or strided {@code gradOut} rounded differently.
     */
    private static INDArray biasGradient(INDArray gradOut) {
        return Buffers.rowMajor(gradOut, DataType.FLOAT).sum(0, 2, 3);
    }
}
