package cnnlab.ops.reference;

import cnnlab.ops.Buffers;
import cnnlab.ops.Parallel;
import cnnlab.ops.PoolGeometry;
import cnnlab.ops.Pooled;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Max, min, average and median pooling, forward and backward, one window at a time (the planes of a batch side by
 * side on all cores).
 *
 * <p>Output cell {@code (oh, ow)} looks at the input rows {@code oh*sh - ph + i*dh} and columns
 * {@code ow*sw - pw + j*dw} for {@code i < kh, j < kw}; cells outside the input are padding. Pooling has no
 * weights, so its backward pass only routes gradients: all to the winning cell for max and min pooling (its
 * local gradient is 1, the others' 0), evenly over the window for average pooling. The output size
 * {@code oh = (H + 2p - dh(kh - 1) - 1)/sh + 1} (without dilation the lecture's {@code o = (M - w + 2p)/S + 1};
 * rounded down, or up in ceil mode)
 * comes in {@code g}, worked out by {@link cnnlab.shape.Shapes}.
 *
 * <p>Max pooling at stride 1 is grey-scale dilation by a flat kh x kw structuring element, and min pooling is
 * erosion ({@code cnnlab.filters.Morphology}; {@code LectureExamplesTest} checks both).
 */
final class Pooling {
    private Pooling() {
    }

    /** The loops over one (image, channel) plane. */
    private interface PlaneLoops {
        void run(int n, int c);
    }

    /**
     * The loops for every plane {@code (n, c)}: each plane is pooled on its own, reading and writing only its own
     * cells, so the planes run on all cores ({@link Parallel}).
     */
    private static void forEachPlane(PoolGeometry g, PlaneLoops loops) {
        Parallel.forEach(g.n() * g.c(), plane -> loops.run(plane / g.c(), plane % g.c()));
    }

    /**
     * Max (or, with {@code max = false}, min) pooling with the flat index {@code ih * W + iw} of each winner.
     * As in PyTorch, the first extreme in the window wins, every NaN takes over (so the last NaN wins), and a
     * window of nothing but -inf (+inf) reports its first input cell.
     */
    static Pooled extreme(INDArray input, PoolGeometry g, boolean max) {
        Tensor4 x = Tensor4.of(input);
        Tensor4 y = new Tensor4(g.n(), g.c(), g.oh(), g.ow());
        long[] indices = new long[y.data.length];
        forEachPlane(g, (n, c) -> {
            for (int oh = 0; oh < g.oh(); oh++) {
                for (int ow = 0; ow < g.ow(); ow++) {
                    float best = max ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
                    int bestIndex = -1;
                    for (int i = 0; i < g.kh(); i++) {
                        int ih = oh * g.sh() - g.ph() + i * g.dh();
                        if (ih < 0 || ih >= g.h()) {
                            continue;
                        }
                        for (int j = 0; j < g.kw(); j++) {
                            int iw = ow * g.sw() - g.pw() + j * g.dw();
                            if (iw < 0 || iw >= g.w()) {
                                continue;
                            }
                            float v = x.at(n, c, ih, iw);
                            if (bestIndex < 0) {
                                bestIndex = ih * g.w() + iw; // PyTorch starts from the window's first cell
                            }
                            if ((max ? v > best : v < best) || Float.isNaN(v)) {
                                best = v;
                                bestIndex = ih * g.w() + iw;
                            }
                        }
                    }
                    y.set(n, c, oh, ow, best);
                    indices[y.index(n, c, oh, ow)] = bestIndex;
                }
            }
        });
        return new Pooled(y.toArray(), Buffers.array(indices, g.outputShape()));
    }

    /**
     * Each output's gradient goes to the input cell its index names; overlapping windows add up. An index that
     * names no cell of the plane throws {@link IndexOutOfBoundsException}.
     */
    static INDArray routeToWinners(INDArray gradOut, INDArray winners, PoolGeometry g) {
        Tensor4 dy = Tensor4.of(gradOut);
        long[] index = Buffers.longs(winners);
        Tensor4 dx = new Tensor4(g.n(), g.c(), g.h(), g.w());
        forEachPlane(g, (n, c) -> {
            for (int oh = 0; oh < g.oh(); oh++) {
                for (int ow = 0; ow < g.ow(); ow++) {
                    int at = dy.index(n, c, oh, ow);
                    if (index[at] < 0 || index[at] >= (long) g.h() * g.w()) {
                        throw new IndexOutOfBoundsException("index " + index[at] + " outside the plane");
                    }
                    int ih = (int) (index[at] / g.w()), iw = (int) (index[at] % g.w());
                    dx.add(n, c, ih, iw, dy.data[at]);
                }
            }
        });
        return dx.toArray();
    }

    static INDArray average(INDArray input, PoolGeometry g) {
        Tensor4 x = Tensor4.of(input);
        Tensor4 y = new Tensor4(g.n(), g.c(), g.oh(), g.ow());
        forEachPlane(g, (n, c) -> {
            for (int oh = 0; oh < g.oh(); oh++) {
                for (int ow = 0; ow < g.ow(); ow++) {
                    int[] win = g.averageWindow(oh, ow);
                    int h0 = win[0], h1 = win[1], w0 = win[2], w1 = win[3], divisor = win[4];
                    if (h0 >= h1 || w0 >= w1) {
                        continue; // nothing of the input in this window: 0, as PyTorch
                    }
                    float sum = 0f;
                    for (int ih = h0; ih < h1; ih++) {
                        for (int iw = w0; iw < w1; iw++) {
                            sum += x.at(n, c, ih, iw);
                        }
                    }
                    y.set(n, c, oh, ow, sum / divisor);
                }
            }
        });
        return y.toArray();
    }

    static INDArray averageBackward(INDArray gradOut, PoolGeometry g) {
        Tensor4 dy = Tensor4.of(gradOut);
        Tensor4 dx = new Tensor4(g.n(), g.c(), g.h(), g.w());
        forEachPlane(g, (n, c) -> {
            for (int oh = 0; oh < g.oh(); oh++) {
                for (int ow = 0; ow < g.ow(); ow++) {
                    int[] win = g.averageWindow(oh, ow);
                    int h0 = win[0], h1 = win[1], w0 = win[2], w1 = win[3], divisor = win[4];
                    float share = dy.at(n, c, oh, ow) / divisor;    // d mean / d x = 1/divisor for each x summed
                    for (int ih = h0; ih < h1; ih++) {
                        for (int iw = w0; iw < w1; iw++) {
                            dx.add(n, c, ih, iw, share);
                        }
                    }
                }
            }
        });
        return dx.toArray();
    }

    /**
     * The median of the input cells in each window; an even count averages the two middle values. A window with
     * NaN has median NaN, as torch.median (Arrays.sort puts NaN last, so the last sorted value tells).
     */
    static INDArray median(INDArray input, PoolGeometry g) {
        Tensor4 x = Tensor4.of(input);
        Tensor4 y = new Tensor4(g.n(), g.c(), g.oh(), g.ow());
        forEachPlane(g, (n, c) -> {
            float[] window = new float[g.windowSize()];
            for (int oh = 0; oh < g.oh(); oh++) {
                for (int ow = 0; ow < g.ow(); ow++) {
                    int m = 0;
                    for (int i = 0; i < g.kh(); i++) {
                        int ih = oh * g.sh() - g.ph() + i * g.dh();
                        for (int j = 0; j < g.kw(); j++) {
                            int iw = ow * g.sw() - g.pw() + j * g.dw();
                            if (ih >= 0 && ih < g.h() && iw >= 0 && iw < g.w()) {
                                window[m++] = x.at(n, c, ih, iw);
                            }
                        }
                    }
                    Arrays.sort(window, 0, m);
                    // the middle value, or for an even count the mean of the two middle ones (added in double, so
                    // that two values near float's largest do not overflow to infinity)
                    float median = m % 2 == 1 ? window[m / 2]
                            : (float) (((double) window[m / 2 - 1] + window[m / 2]) / 2);
                    y.set(n, c, oh, ow, Float.isNaN(window[m - 1]) ? Float.NaN : median);
                }
            }
        });
        return y.toArray();
    }
}
