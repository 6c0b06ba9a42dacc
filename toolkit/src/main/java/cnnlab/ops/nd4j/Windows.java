package cnnlab.ops.nd4j;

import cnnlab.ops.PoolGeometry;
import cnnlab.ops.Pooled;
import cnnlab.shape.Shapes;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.longer.MatchCondition;
import org.nd4j.linalg.api.ops.impl.shape.Gather;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Every pooling op on one mechanism: libnd4j's im2col lays each window out along one axis of a
 * {@code [N, C, kH*kW, H_out, W_out]} array, a reduction over that axis pools, and col2im (im2col's adjoint)
 * carries window gradients back to the input. Padding is filled with a value that cannot win (-inf for max,
 * 0 for sums), and ceil mode's overhanging windows get extra fill at the bottom/right.
 *
 * <p>The common case (no padding, no dilation, no ceil-mode overhang, and for max pooling no NaN or infinity
 * in the input) goes to libnd4j's own pooling ops instead, 15-70x faster here (measured side by side); their answers
 * are the same there: max pooling's gradient goes to the first maximum of the window, average pooling divides
 * by kH*kW.
 */
final class Windows {
    private Windows() {
    }

    private static final int WINDOW_AXIS = 2;

    /** Rows below and columns right of the input that the windows reach: the padding, or more in ceil mode. */
    private static int padAfter(int in, int k, int s, int p, int d, int out) {
        return Math.max(p, (out - 1) * s + Shapes.effectiveKernel(k, d) - in - p);
    }

    /** {@code [N, C, K, H_out, W_out]}: element {@code k} of every window, window cells row by row. */
    static INDArray windows(INDArray x, PoolGeometry g, double fill) {
        int bottom = padAfter(g.h(), g.kh(), g.sh(), g.ph(), g.dh(), g.oh());
        int right = padAfter(g.w(), g.kw(), g.sw(), g.pw(), g.dw(), g.ow());
        INDArray padded = Native.padConstant(x, g.ph(), bottom, g.pw(), right, fill);
        INDArray cols = Native.im2col(padded, g.kh(), g.kw(), g.sh(), g.sw(), g.dh(), g.dw(), g.oh(), g.ow());
        return cols.reshape(g.n(), g.c(), g.windowSize(), g.oh(), g.ow());
    }

    /** The adjoint of {@link #windows}: add each window cell's gradient back onto the input cell it read. */
    static INDArray fold(INDArray windowGrads, PoolGeometry g) {
        int bottom = padAfter(g.h(), g.kh(), g.sh(), g.ph(), g.dh(), g.oh());
        int right = padAfter(g.w(), g.kw(), g.sw(), g.pw(), g.dw(), g.ow());
        INDArray cols = windowGrads.reshape(g.n(), g.c(), g.kh(), g.kw(), g.oh(), g.ow());
        INDArray image = Native.col2im(cols, g.sh(), g.sw(), g.h() + g.ph() + bottom, g.w() + g.pw() + right,
                g.dh(), g.dw());
        return image.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(g.ph(), g.ph() + g.h()),
                NDArrayIndex.interval(g.pw(), g.pw() + g.w())).dup('c');
    }

    /** The view of window cell {@code k} of every window: {@code [N, C, H_out, W_out]}. */
    private static INDArray cell(INDArray windows, int k) {
        return windows.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(k), NDArrayIndex.all(),
                NDArrayIndex.all());
    }

    /**
     * Max of every window and where in the window it is: the first maximum, or, if the window holds NaN, its last
     * NaN (PyTorch's {@code val > max || isnan(val)} scan) with value NaN. A window of nothing but -inf reports its
     * first input cell, as PyTorch's scan starts there. Returns {values, winner} with winner as doubles.
     */
    private static INDArray[] maxAndWinner(INDArray x, PoolGeometry g) {
        INDArray windows = windows(x, g, Double.NEGATIVE_INFINITY);
        INDArray values = windows.max(WINDOW_AXIS);
        INDArray winner = Nd4j.argMax(windows, WINDOW_AXIS).castTo(DataType.DOUBLE);
        if (x.isNaN().any()) {
            INDArray nan = windows.isNaN().castTo(DataType.DOUBLE);
            INDArray position = Nd4j.arange(1, g.windowSize() + 1).castTo(DataType.DOUBLE)
                    .reshape(1, 1, g.windowSize(), 1, 1);
            INDArray lastNan = Nd4j.argMax(nan.mul(position), WINDOW_AXIS).castTo(DataType.DOUBLE);
            INDArray hasNan = nan.max(WINDOW_AXIS);
            winner = winner.mul(hasNan.rsub(1)).addi(lastNan.mul(hasNan));
            values = values.putWhereWithMask(hasNan.castTo(DataType.BOOL), Double.NaN);
        }
        if (values.minNumber().doubleValue() == Double.NEGATIVE_INFINITY) {
            winner = firstCellIfAllNegInf(winner, values, g);
        }
        return new INDArray[] {values, winner};
    }

    private static INDArray firstCellIfAllNegInf(INDArray winner, INDArray values, PoolGeometry g) {
        double[] first = new double[g.oh() * g.ow()];
        for (int oh = 0; oh < g.oh(); oh++) {
            for (int ow = 0; ow < g.ow(); ow++) {
                first[oh * g.ow() + ow] = firstInside(oh, g.sh(), g.ph(), g.dh(), g.h()) * g.kw()
                        + firstInside(ow, g.sw(), g.pw(), g.dw(), g.w());
            }
        }
        INDArray allNegInf = values.eq(Double.NEGATIVE_INFINITY).castTo(DataType.DOUBLE)
                .reshape((long) g.n() * g.c(), (long) g.oh() * g.ow());
        INDArray firstCell = allNegInf.mulRowVector(Nd4j.createFromArray(first)).reshape(winner.shape());
        return winner.mul(allNegInf.reshape(winner.shape()).rsub(1)).addi(firstCell);
    }

    /** The first of a window's positions along one axis that falls inside the input. */
    private static int firstInside(int o, int s, int p, int d, int size) {
        int i = 0;
        while (o * s - p + i * d < 0) {
            i++;
        }
        return i;
    }

    /** True where libnd4j's pooling ops give PyTorch's answers: no padding, dilation or ceil-mode overhang. */
    static boolean plain(PoolGeometry g) {
        return g.ph() == 0 && g.pw() == 0 && g.dh() == 1 && g.dw() == 1
                && g.oh() == (g.h() - g.kh()) / g.sh() + 1 && g.ow() == (g.w() - g.kw()) / g.sw() + 1;
    }

    /** {@link #plain} and every input finite (one reduction; an overflowing sum only costs the fast path). */
    private static boolean plainMax(INDArray x, PoolGeometry g) {
        return plain(g) && Double.isFinite(x.sumNumber().doubleValue());
    }

    /** Max pooling without indices. */
    static INDArray maxValues(INDArray x, PoolGeometry g) {
        if (plainMax(x, g)) {
            return Native.maxPool(x, g.kh(), g.kw(), g.sh(), g.sw(), g.oh(), g.ow());
        }
        return maxAndWinner(x, g)[0];
    }

    static Pooled max(INDArray x, PoolGeometry g) {
        INDArray[] r = maxAndWinner(x, g);
        return new Pooled(r[0], flatIndices(r[1], g));
    }

    /**
     * Each output's gradient goes to its window's winning cell: window cell k gets it where the winner is k. With
     * an infinite or NaN gradient, multiplying by that 0/1 mask would put {@code 0 * inf = NaN} into cells that
     * won nothing, where PyTorch's scatter leaves 0; such gradients are scattered in Java instead.
     */
    static INDArray maxBackward(INDArray x, INDArray gradOut, PoolGeometry g) {
        if (plainMax(x, g)) {
            return Native.maxPoolBackward(x, gradOut, g.kh(), g.kw(), g.sh(), g.sw());
        }
        if (!Double.isFinite(gradOut.sumNumber().doubleValue())) {
            return scatterToWinners(gradOut, max(x, g).indices(), g);
        }
        INDArray winner = maxAndWinner(x, g)[1];
        INDArray grads = Nd4j.zeros(DataType.FLOAT, g.n(), g.c(), g.windowSize(), g.oh(), g.ow());
        for (int k = 0; k < g.windowSize(); k++) {
            cell(grads, k).assign(gradOut.mul(winner.eq(k).castTo(DataType.FLOAT)));
        }
        return fold(grads, g);
    }

    /** PyTorch's max-pool backward: each output's gradient added to its winner's cell, output cells in order. */
    private static INDArray scatterToWinners(INDArray gradOut, INDArray indices, PoolGeometry g) {
        float[] grads = gradOut.dup('c').data().asFloat();
        long[] winners = indices.dup('c').data().asLong();
        int planes = g.n() * g.c(), inPlane = g.h() * g.w(), outPlane = g.oh() * g.ow();
        float[] dx = new float[planes * inPlane];
        for (int p = 0; p < planes; p++) {
            for (int o = 0; o < outPlane; o++) {
                dx[p * inPlane + Math.toIntExact(winners[p * outPlane + o])] += grads[p * outPlane + o];
            }
        }
        return Nd4j.create(dx, new long[] {g.n(), g.c(), g.h(), g.w()}, 'c');
    }

    /** PyTorch's indices: the flat {@code ih * W + iw} of the winning cell in its input plane. */
    private static INDArray flatIndices(INDArray winner, PoolGeometry g) {
        double[] windowStart = new double[g.oh() * g.ow()];
        for (int oh = 0; oh < g.oh(); oh++) {
            for (int ow = 0; ow < g.ow(); ow++) {
                windowStart[oh * g.ow() + ow] = (double) (oh * g.sh() - g.ph()) * g.w() + (ow * g.sw() - g.pw());
            }
        }
        INDArray row = Transforms.floor(winner.div(g.kw()), false);       // which window row the winner is in
        INDArray column = winner.sub(row.mul(g.kw()));                     // and which column
        INDArray offset = row.muli((double) g.dh() * g.w()).addi(column.muli(g.dw()));
        return offset.reshape((long) g.n() * g.c(), (long) g.oh() * g.ow())
                .addiRowVector(Nd4j.createFromArray(windowStart))
                .castTo(DataType.LONG).reshape(g.outputShape());
    }

    static INDArray average(INDArray x, PoolGeometry g) {
        if (plain(g)) {
            return Native.avgPool(x, g.kh(), g.kw(), g.sh(), g.sw(), g.oh(), g.ow());
        }
        INDArray sums = windows(x, g, 0).sum(WINDOW_AXIS);
        return sums.reshape((long) g.n() * g.c(), (long) g.oh() * g.ow()).diviRowVector(divisors(g))
                .reshape(g.outputShape());
    }

    /** Every cell of a window gets an equal share of its output's gradient. */
    static INDArray averageBackward(INDArray gradOut, PoolGeometry g) {
        if (plain(g)) {
            // libnd4j takes the input for its shape only: average pooling's gradient does not depend on it
            INDArray shapeOfX = Nd4j.createUninitialized(DataType.FLOAT, g.n(), g.c(), g.h(), g.w());
            return Native.avgPoolBackward(shapeOfX, gradOut, g.kh(), g.kw(), g.sh(), g.sw());
        }
        INDArray share = gradOut.dup('c').reshape((long) g.n() * g.c(), (long) g.oh() * g.ow())
                .diviRowVector(divisors(g)).reshape(g.outputShape());
        INDArray grads = Nd4j.createUninitialized(DataType.FLOAT, g.n(), g.c(), g.windowSize(), g.oh(), g.ow());
        for (int k = 0; k < g.windowSize(); k++) {
            cell(grads, k).assign(share);
        }
        return fold(grads, g);
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
     * Sort each window (padding filled with +inf sorts last), then average the two middle values of the cells
     * that are really in the window.
     */
    static INDArray median(INDArray x, PoolGeometry g) {
        long windowsCount = (long) g.n() * g.c() * g.oh() * g.ow();
        INDArray rows = windows(x, g, Double.POSITIVE_INFINITY).permute(0, 1, 3, 4, 2).dup('c')
                .reshape(windowsCount, g.windowSize());
        INDArray sorted = Nd4j.sort(rows, 1, true);
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
        INDArray median = a.addi(b).divi(2).reshape(g.outputShape());
        return x.isNaN().any() ? nanWhereWindowHasNan(median, rows) : median;
    }

    /**
     * NaN for every window (a row of {@code rows}) that holds NaN, as torch.median: libnd4j's sort places NaN
     * elsewhere than Java's (last), so the picked middle would depend on it.
     */
    private static INDArray nanWhereWindowHasNan(INDArray median, INDArray rows) {
        float[] values = median.dup('c').data().asFloat();
        long[] nans = Nd4j.getExecutioner().exec(new MatchCondition(rows, Conditions.isNan(), 1)).data().asLong();
        for (int i = 0; i < values.length; i++) {
            values[i] = nans[i] > 0 ? Float.NaN : values[i];
        }
        return Nd4j.create(values, median.shape(), 'c');
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

    /** Element {@code position} of each sorted window row. */
    private static INDArray pick(INDArray flatSorted, double[] positionInPlane, PoolGeometry g) {
        long windowsCount = (long) g.n() * g.c() * g.oh() * g.ow();
        INDArray rowStart = Nd4j.arange(0, windowsCount).castTo(DataType.DOUBLE).muli(g.windowSize());
        INDArray position = rowStart.reshape((long) g.n() * g.c(), (long) g.oh() * g.ow())
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
