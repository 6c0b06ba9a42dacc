package cnnlab.ops.nd4j;

import cnnlab.ops.PoolGeometry;
import cnnlab.ops.Pooled;
import cnnlab.shape.Shapes;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.shape.Gather;
import org.nd4j.linalg.api.ops.impl.shape.OneHot;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Every pooling op on one mechanism: libnd4j's im2col lays the windows out as rows of a
 * {@code [N*C*H_out*W_out, kH*kW]} matrix, a row reduction pools them, and col2im (im2col's adjoint) carries
 * row gradients back to the input. Padding is filled with a value that cannot win (-inf for max, 0 for sums),
 * and ceil mode's overhanging windows get extra fill at the bottom/right.
 */
final class Windows {
    private Windows() {
    }

    /** Rows below and columns right of the input that the windows reach: the padding, or more in ceil mode. */
    private static int padAfter(int in, int k, int s, int p, int d, int out) {
        return Math.max(p, (out - 1) * s + Shapes.effectiveKernel(k, d) - in - p);
    }

    static INDArray rows(INDArray x, PoolGeometry g, double fill) {
        int bottom = padAfter(g.h(), g.kh(), g.sh(), g.ph(), g.dh(), g.oh());
        int right = padAfter(g.w(), g.kw(), g.sw(), g.pw(), g.dw(), g.ow());
        INDArray padded = Native.padConstant(x, g.ph(), bottom, g.pw(), right, fill);
        INDArray cols = Native.im2col(padded, g.kh(), g.kw(), g.sh(), g.sw(), g.dh(), g.dw(), g.oh(), g.ow());
        return cols.permute(0, 1, 4, 5, 2, 3).dup('c').reshape((long) g.n() * g.c() * g.oh() * g.ow(), g.windowSize());
    }

    /** The adjoint of {@link #rows}: add each row's gradient back onto the input cells of its window. */
    static INDArray fold(INDArray rowGrads, PoolGeometry g) {
        int bottom = padAfter(g.h(), g.kh(), g.sh(), g.ph(), g.dh(), g.oh());
        int right = padAfter(g.w(), g.kw(), g.sw(), g.pw(), g.dw(), g.ow());
        INDArray cols = rowGrads.reshape(g.n(), g.c(), g.oh(), g.ow(), g.kh(), g.kw()).permute(0, 1, 4, 5, 2, 3)
                .dup('c');
        INDArray image = Native.col2im(cols, g.sh(), g.sw(), g.h() + g.ph() + bottom, g.w() + g.pw() + right,
                g.dh(), g.dw());
        return image.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(g.ph(), g.ph() + g.h()),
                NDArrayIndex.interval(g.pw(), g.pw() + g.w())).dup('c');
    }

    /**
     * Position of each row's maximum within its window: the first maximum, or, if the row holds NaN, its last
     * NaN (PyTorch's {@code val > max || isnan(val)} scan).
     */
    private static INDArray winners(INDArray rows) {
        INDArray winner = Nd4j.argMax(rows, 1).castTo(DataType.DOUBLE);
        INDArray nan = rows.isNaN().castTo(DataType.DOUBLE);
        if (nan.maxNumber().doubleValue() > 0) {
            INDArray lastNan = Nd4j.argMax(nan.mulRowVector(Nd4j.arange(1, rows.size(1) + 1).castTo(DataType.DOUBLE)), 1)
                    .castTo(DataType.DOUBLE);
            INDArray hasNan = nan.max(1);
            winner = winner.mul(hasNan.rsub(1)).addi(lastNan.mul(hasNan));
        }
        return winner;
    }

    /**
     * PyTorch starts each window's scan at its first input cell, so a window holding nothing but -inf reports
     * that cell, never a padding cell. Patch those (rare) windows.
     */
    private static INDArray firstCellIfAllNegInf(INDArray winner, INDArray values, PoolGeometry g) {
        if (values.minNumber().doubleValue() != Double.NEGATIVE_INFINITY) {
            return winner;
        }
        double[] first = new double[g.oh() * g.ow()];
        for (int oh = 0; oh < g.oh(); oh++) {
            for (int ow = 0; ow < g.ow(); ow++) {
                first[oh * g.ow() + ow] = firstInside(oh, g.sh(), g.ph(), g.dh(), g.h()) * g.kw()
                        + firstInside(ow, g.sw(), g.pw(), g.dw(), g.w());
            }
        }
        INDArray allNegInf = values.eq(Double.NEGATIVE_INFINITY).castTo(DataType.DOUBLE)
                .reshape((long) g.n() * g.c(), (long) g.oh() * g.ow());
        INDArray firstCell = allNegInf.mulRowVector(Nd4j.createFromArray(first)).reshape(-1);
        return winner.mul(allNegInf.reshape(-1).rsub(1)).addi(firstCell);
    }

    /** The first of a window's positions along one axis that falls inside the input. */
    private static int firstInside(int o, int s, int p, int d, int size) {
        int i = 0;
        while (o * s - p + i * d < 0) {
            i++;
        }
        return i;
    }

    static Pooled max(INDArray x, PoolGeometry g) {
        INDArray rows = rows(x, g, Double.NEGATIVE_INFINITY);
        INDArray winner = winners(rows);
        INDArray values = Nd4j.exec(new Gather(rows.reshape(-1), rowOffsets(g).addi(winner).castTo(DataType.INT), 0))[0];
        winner = firstCellIfAllNegInf(winner, values, g);
        return new Pooled(values.reshape(g.outputShape()), flatIndices(winner, g));
    }

    static INDArray maxBackward(INDArray x, INDArray gradOut, PoolGeometry g) {
        INDArray rows = rows(x, g, Double.NEGATIVE_INFINITY);
        INDArray winner = winners(rows);
        INDArray values = Nd4j.exec(new Gather(rows.reshape(-1), rowOffsets(g).addi(winner).castTo(DataType.INT), 0))[0];
        winner = firstCellIfAllNegInf(winner, values, g).castTo(DataType.INT);
        INDArray oneHot = Nd4j.createUninitialized(DataType.FLOAT, winner.length(), g.windowSize());
        Nd4j.exec(new OneHot(winner, oneHot, g.windowSize()));
        return fold(oneHot.muliColumnVector(gradOut.reshape(-1, 1)), g);
    }

    /** {@code r * K} for each row r: where each row starts in the flattened rows. */
    private static INDArray rowOffsets(PoolGeometry g) {
        long rows = (long) g.n() * g.c() * g.oh() * g.ow();
        return Nd4j.arange(0, rows).castTo(DataType.DOUBLE).muli(g.windowSize());
    }

    /** PyTorch's indices: the flat {@code ih * W + iw} of the winning cell in its input plane. */
    private static INDArray flatIndices(INDArray winner, PoolGeometry g) {
        double[] windowStart = new double[g.oh() * g.ow()];
        for (int oh = 0; oh < g.oh(); oh++) {
            for (int ow = 0; ow < g.ow(); ow++) {
                windowStart[oh * g.ow() + ow] = (double) (oh * g.sh() - g.ph()) * g.w() + (ow * g.sw() - g.pw());
            }
        }
        double[] cellOffset = new double[g.windowSize()];
        for (int i = 0; i < g.kh(); i++) {
            for (int j = 0; j < g.kw(); j++) {
                cellOffset[i * g.kw() + j] = (double) i * g.dh() * g.w() + j * g.dw();
            }
        }
        INDArray offset = Nd4j.exec(new Gather(Nd4j.createFromArray(cellOffset), winner.castTo(DataType.INT), 0))[0];
        return offset.reshape((long) g.n() * g.c(), (long) g.oh() * g.ow())
                .addiRowVector(Nd4j.createFromArray(windowStart))
                .castTo(DataType.LONG).reshape(g.outputShape());
    }

    static INDArray average(INDArray x, PoolGeometry g) {
        INDArray sums = rows(x, g, 0).sum(1);
        return sums.reshape((long) g.n() * g.c(), (long) g.oh() * g.ow()).diviRowVector(divisors(g))
                .reshape(g.outputShape());
    }

    static INDArray averageBackward(INDArray gradOut, PoolGeometry g) {
        INDArray share = gradOut.dup('c').reshape((long) g.n() * g.c(), (long) g.oh() * g.ow())
                .diviRowVector(divisors(g)).reshape(-1, 1);
        INDArray rowGrads = Nd4j.ones(DataType.FLOAT, share.length(), g.windowSize()).muliColumnVector(share);
        return fold(rowGrads, g);
    }

    private static INDArray divisors(PoolGeometry g) {
        float[] divisor = new float[g.oh() * g.ow()];
        for (int oh = 0; oh < g.oh(); oh++) {
            for (int ow = 0; ow < g.ow(); ow++) {
                divisor[oh * g.ow() + ow] = g.averageWindow(oh, ow)[4];
            }
        }
        return Nd4j.createFromArray(divisor);
    }

    /**
     * Sort each window's row (padding filled with +inf sorts last), then average the two middle values of the
     * cells that are really in the window.
     */
    static INDArray median(INDArray x, PoolGeometry g) {
        INDArray sorted = Nd4j.sort(rows(x, g, Double.POSITIVE_INFINITY), 1, true);
        double[] low = new double[g.oh() * g.ow()], high = new double[low.length];
        for (int oh = 0; oh < g.oh(); oh++) {
            int rowsIn = inside(oh, g.sh(), g.ph(), g.dh(), g.kh(), g.h());
            for (int ow = 0; ow < g.ow(); ow++) {
                int m = rowsIn * inside(ow, g.sw(), g.pw(), g.dw(), g.kw(), g.w());
                low[oh * g.ow() + ow] = (m - 1) / 2;
                high[oh * g.ow() + ow] = m / 2;
            }
        }
        INDArray flat = sorted.reshape(-1);
        INDArray a = pick(flat, low, g), b = pick(flat, high, g);
        return a.addi(b).divi(2).reshape(g.outputShape());
    }

    /** How many of a window's k positions along one axis fall inside the input. */
    private static int inside(int o, int s, int p, int d, int k, int size) {
        int count = 0;
        for (int i = 0; i < k; i++) {
            int at = o * s - p + i * d;
            count += at >= 0 && at < size ? 1 : 0;
        }
        return count;
    }

    private static INDArray pick(INDArray flatSorted, double[] positionInPlane, PoolGeometry g) {
        INDArray position = rowOffsets(g).reshape((long) g.n() * g.c(), (long) g.oh() * g.ow())
                .addiRowVector(Nd4j.createFromArray(positionInPlane)).reshape(-1);
        return Nd4j.exec(new Gather(flatSorted, position.castTo(DataType.INT), 0))[0];
    }

    /** Nearest unpooling: a transposed convolution of each plane with a kH x kW block of ones, over the count. */
    static INDArray unpoolNearest(INDArray x, PoolGeometry g) {
        INDArray block = Nd4j.ones(DataType.FLOAT, 1, 1, g.kh(), g.kw());
        INDArray sums = Native.deconv2dFull(x.reshape((long) g.n() * g.c(), 1, g.h(), g.w()), block, g.sh(), g.sw(),
                1, 1);
        INDArray count = Native.deconv2dFull(Nd4j.ones(DataType.FLOAT, 1, 1, g.h(), g.w()), block, g.sh(), g.sw(),
                1, 1);
        INDArray divisor = Transforms.max(count, 1.0, false).reshape(1, (long) g.oh() * g.ow());
        return sums.reshape((long) g.n() * g.c(), (long) g.oh() * g.ow()).diviRowVector(divisor)
                .reshape(g.outputShape());
    }
}
