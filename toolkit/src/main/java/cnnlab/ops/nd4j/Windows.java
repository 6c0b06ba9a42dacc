package cnnlab.ops.nd4j;

import cnnlab.ops.PoolGeometry;
import cnnlab.ops.Pooled;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Every pooling op of the fast engine. Max pooling of a finite input without dilation runs on oneDNN's primitives
 * called directly ({@link OneDnn}), with or without the winners' indices; its backward pass, given those indices,
 * only scatters ({@link PlaneLoops}). libnd4j's own pooling kernels give PyTorch's answers for max and min pooling
 * of a finite input without dilation (the gradient goes to the first maximum of the window; padding and ceil mode
 * by padding with -inf first) and for average pooling without padding or ceil-mode overhang (it divides by
 * kH*kW). Everything else runs on {@link PlaneLoops}.
 */
final class Windows {
    private Windows() {
    }

    /** True where libnd4j's pooling ops give PyTorch's answers: no padding, dilation or ceil-mode overhang. */
    static boolean plain(PoolGeometry g) {
        return g.ph() == 0 && g.pw() == 0 && g.dh() == 1 && g.dw() == 1
                && g.oh() == (g.h() - g.kh()) / g.sh() + 1 && g.ow() == (g.w() - g.kw()) / g.sw() + 1;
    }

    /**
     * Below this many channels the pooling backward passes, min pooling and max pooling with indices run on the
     * Java loops: libnd4j's kernels (oneDNN) lay channels out in blocks of 8 or 16, so a grey or colour image costs
     * them several times its size. Measured side by side: max pooling's backward 2-2.5x faster on the loops with 3
     * channels (1x3x512x512, 8x3x224x224), 1.2-1.5x slower with 6 (64x6x28x28); average pooling's backward 1.4-1.6x
     * faster with 3 channels (2x2 windows). On the 1x3x512x512 photo (2 threads, medians of 21, two rounds; 2x2,
     * 3x3 stride 1 pad 1, 3x3 stride 2 pad 1 ceil mode): min pooling 10-14, 38-44, 16-20 ms natively against
     * 8.0-8.3, 31, 12 ms on the loops; max pooling with indices 9.8-21, 44-52, 13-14 against 5.8-8.0, 27-33, 12 ms.
     */
    private static final int FEW_CHANNELS = 4;

    /** Every input finite (one reduction; an overflowing sum only costs the native path). */
    private static boolean finite(INDArray x) {
        return Double.isFinite(x.sumNumber().doubleValue());
    }

    /**
     * True where libnd4j's max-pooling kernel gives PyTorch's answer: no dilation and a finite input (the same test
     * for x and -x, so min pooling asks it of x).
     */
    private static boolean nativeMax(INDArray x, PoolGeometry g) {
        return g.dh() == 1 && g.dw() == 1 && finite(x);
    }

    /**
     * {@link #nativeMax}, and enough channels to fill the blocks native kernels lay channels out in
     * ({@link #FEW_CHANNELS}): the test for every max and min pooling route but max pooling's values alone.
     */
    private static boolean nativeMaxManyChannels(INDArray x, PoolGeometry g) {
        return g.c() >= FEW_CHANNELS && nativeMax(x, g);
    }

    /**
     * The input of {@link #nativeMax} pooling padded with -inf if the windows reach past it (padding, ceil mode):
     * -inf never wins over a finite cell, so the maxima and their cells are PyTorch's.
     */
    private static INDArray paddedForNative(INDArray x, PoolGeometry g) {
        if (plain(g)) {
            return x;
        }
        return Native.padConstant(x, g.ph(), g.padBottom(), g.pw(), g.padRight(), Double.NEGATIVE_INFINITY);
    }

    /** The input's part of a gradient with respect to {@link #paddedForNative}'s array. */
    private static INDArray cropped(INDArray padded, PoolGeometry g) {
        if (padded.size(2) == g.h() && padded.size(3) == g.w()) {
            return padded;
        }
        return padded.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(g.ph(), g.ph() + g.h()),
                NDArrayIndex.interval(g.pw(), g.pw() + g.w())).dup('c');
    }

    /** True where every window lies inside the input: no padding and no ceil-mode overhang (dilation is fine). */
    static boolean inside(PoolGeometry g) {
        return g.ph() == 0 && g.pw() == 0 && g.padBottom() == 0 && g.padRight() == 0;
    }

    /** Max pooling with the winners' indices: oneDNN's training primitive where it gives PyTorch's, else loops. */
    static Pooled max(INDArray x, PoolGeometry g) {
        Pooled direct = nativeMaxManyChannels(x, g) ? OneDnn.maxPool2dWithIndices(x, g) : null;
        if (direct != null) {
            return direct;
        }
        return inside(g) ? PlaneLoops.maxInside(x, g) : PlaneLoops.extreme(x, g, true, true);
    }

    /** Max pooling without indices. */
    static INDArray maxValues(INDArray x, PoolGeometry g) {
        if (nativeMax(x, g)) {
            INDArray direct = OneDnn.maxPool2d(x, g);
            return direct != null ? direct
                    : Native.maxPool(paddedForNative(x, g), g.kh(), g.kw(), g.sh(), g.sw(), g.oh(), g.ow());
        }
        return PlaneLoops.extreme(x, g, true, false).output();
    }

    /** Each output's gradient goes to its window's winning cell. */
    static INDArray maxBackward(INDArray x, INDArray gradOut, PoolGeometry g) {
        if (nativeMaxManyChannels(x, g)) {
            INDArray padded = paddedForNative(x, g);
            return cropped(Native.maxPoolBackward(padded, gradOut, g.kh(), g.kw(), g.sh(), g.sw()), g);
        }
        return PlaneLoops.extremeBackward(x, gradOut, g, true);
    }

    /** Each output's gradient goes to the input cell its index (from {@link #max}) names. */
    static INDArray maxBackwardByIndices(INDArray gradOut, INDArray indices, PoolGeometry g) {
        return PlaneLoops.maxBackwardByIndices(gradOut, indices, g);
    }

    /** Min pooling; on libnd4j's kernel it is max pooling of -x, negated. */
    static INDArray minValues(INDArray x, PoolGeometry g) {
        if (nativeMaxManyChannels(x, g)) {
            INDArray padded = paddedForNative(x.neg(), g);
            return Native.maxPool(padded, g.kh(), g.kw(), g.sh(), g.sw(), g.oh(), g.ow()).negi();
        }
        return PlaneLoops.extreme(x, g, false, false).output();
    }

    static INDArray minBackward(INDArray x, INDArray gradOut, PoolGeometry g) {
        if (nativeMaxManyChannels(x, g)) {
            INDArray padded = paddedForNative(x.neg(), g);
            return cropped(Native.maxPoolBackward(padded, gradOut, g.kh(), g.kw(), g.sh(), g.sw()), g);
        }
        return PlaneLoops.extremeBackward(x, gradOut, g, false);
    }

    static INDArray average(INDArray x, PoolGeometry g) {
        if (plain(g)) {
            return Native.avgPool(x, g.kh(), g.kw(), g.sh(), g.sw(), g.oh(), g.ow());
        }
        return PlaneLoops.average(x, g);
    }

    /**
     * An input-shaped array with no memory behind it: one NaN cell that every stride 0 points at. libnd4j's
     * avgpool2d_bp takes the input for its shape only (the gradient does not depend on it); a fresh input-sized
     * array cost about as much as the op itself (8x64x112x112, 3x3 stride 2: 59-76 against 30-41 ms, 2 threads).
     * Were the cell ever read, the NaN would spread into the gradient and the parity tests would fail.
     */
    private static INDArray shapeOnly(PoolGeometry g) {
        return Nd4j.create(Nd4j.createBuffer(new float[] {Float.NaN}), new long[] {g.n(), g.c(), g.h(), g.w()},
                new long[4], 0, 'c');
    }

    /** Every cell of a window gets an equal share of its output's gradient. */
    static INDArray averageBackward(INDArray gradOut, PoolGeometry g) {
        if (plain(g) && g.c() >= FEW_CHANNELS) {
            return Native.avgPoolBackward(shapeOnly(g), gradOut, g.kh(), g.kw(), g.sh(), g.sw());
        }
        return PlaneLoops.averageBackward(gradOut, g);
    }
}
