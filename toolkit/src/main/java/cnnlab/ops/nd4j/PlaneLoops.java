package cnnlab.ops.nd4j;

import cnnlab.ops.Buffers;
import cnnlab.ops.OutputMemory;
import cnnlab.ops.Parallel;
import cnnlab.ops.PoolGeometry;
import cnnlab.ops.Pooled;
import java.lang.ref.Reference;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.function.IntConsumer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The window ops that oneDNN and libnd4j have no fitting kernel for, as Java loops over one {@code [H, W]} plane
 * at a time: max and min pooling with dilation or non-finite inputs, or with fewer than 4 channels in the backward
 * pass; max pooling's backward given the forward's indices, and those indices from oneDNN's winning taps; average
 * pooling with padding or ceil mode; median pooling; max-unpooling and nearest unpooling. These went through
 * im2col, sorts and scatters of libnd4j before, which were slower than the reference engine's plain loops (median
 * pooling 34x, max-unpooling 29x on 64x6x28x28).
 *
 * <p>Each loop visits windows and adds terms in the reference engine's order, so the floats are the same; what
 * makes it fast is one bulk copy in and out ({@link Buffers}), window bounds worked out once per call instead of
 * a test per cell, and the work spread over libnd4j's thread count: by planes, and for the ops that only write
 * their own output cells also by bands of output rows when there are few planes (a colour photo has 3).
 */
final class PlaneLoops {
    private PlaneLoops() {
    }

    /** Below this many input cells a call stays on the caller's thread: a hand-off costs more than it saves. */
    private static final long PARALLEL_FROM = 1 << 15;

    /** Threads for a Java loop of the fast engine over {@code cells} cells: libnd4j's count, or 1 for a small one. */
    static int threads(long cells) {
        return cells < PARALLEL_FROM ? 1 : Nd4j.getEnvironment().maxThreads();
    }

    private static void forEachPlane(int planes, long cells, IntConsumer plane) {
        Parallel.forEach(threads(cells), planes, plane);
    }

    /** Work on output rows {@code [from, to)} of plane {@code p}. */
    private interface Band {
        void rows(int p, int from, int to);
    }

    /**
     * For ops that only write their own output cells: the planes, each cut into bands of output rows when there
     * are too few planes to keep every thread busy (a colour photo has 3).
     */
    private static void forEachBand(PoolGeometry g, long cells, Band band) {
        int threads = threads(cells), planes = g.n() * g.c();
        int bands = threads == 1 ? 1 : Math.min(g.oh(), Math.max(1, (4 * threads + planes - 1) / planes));
        Parallel.forEach(threads, planes * bands, i -> {
            int p = i / bands, b = i % bands;
            band.rows(p, (int) ((long) g.oh() * b / bands), (int) ((long) g.oh() * (b + 1) / bands));
        });
    }

    /**
     * One axis of the windows: output {@code o} starts at input {@code start[o] = o*s - p}, and its taps
     * {@code from[o] <= i < to[o]} are the ones that land inside the input ({@code start + i*d} in {@code [0, size)}).
     */
    private record Axis(int[] start, int[] from, int[] to, int dilation) {
        static Axis of(int out, int k, int s, int p, int d, int size) {
            int[] start = new int[out], from = new int[out], to = new int[out];
            for (int o = 0; o < out; o++) {
                start[o] = o * s - p;
                int i = 0;
                while (i < k && start[o] + i * d < 0) {
                    i++;
                }
                from[o] = i;
                while (i < k && start[o] + i * d < size) {
                    i++;
                }
                to[o] = i;
            }
            return new Axis(start, from, to, d);
        }

        int at(int o, int i) {
            return start[o] + i * dilation;
        }
    }

    private static Axis rows(PoolGeometry g) {
        return Axis.of(g.oh(), g.kh(), g.sh(), g.ph(), g.dh(), g.h());
    }

    private static Axis columns(PoolGeometry g) {
        return Axis.of(g.ow(), g.kw(), g.sw(), g.pw(), g.dw(), g.w());
    }

    /**
     * Max (or min) pooling, and the flat index {@code ih * W + iw} of each winner when {@code withIndices}. As
     * PyTorch: the first extreme in the window wins, a NaN wins over any number (the last NaN), and a window of
     * nothing but -inf (+inf for min) reports its first input cell.
     */
    static Pooled extreme(INDArray x, PoolGeometry g, boolean max, boolean withIndices) {
        float[] in = Buffers.floats(x);
        int[] winners = winners(in, g, max);
        int inPlane = g.h() * g.w(), outPlane = g.oh() * g.ow();
        float[] out = new float[winners.length];
        long[] indices = withIndices ? new long[out.length] : null;
        for (int o = 0; o < out.length; o++) {
            int winner = winners[o];
            out[o] = winner < 0 ? (max ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY)
                    : in[o / outPlane * inPlane + winner];
            if (indices != null) {
                indices[o] = winner;
            }
        }
        INDArray values = Buffers.array(out, g.outputShape());
        return new Pooled(values, indices == null ? null : Buffers.array(indices, g.outputShape()));
    }

    /**
     * Max pooling with indices where every window lies inside the input (no padding, no ceil-mode overhang), as
     * {@link #extreme} but with a loop that does not branch on the data: per output row, each tap of the window
     * in turn is compared across the whole row of windows, the running maximum kept with {@code Math.max} and the
     * winning tap with a conditional move. On random inputs the window-by-window loop mispredicts most of its
     * comparisons: 8x64x112x112, 2x2 windows, one thread, 46-58 against 21-33 ms.
     *
     * <p>The winners are {@link #extreme}'s: a tap wins if it is larger than the running maximum or a NaN, so the
     * first maximum wins, then the last NaN; comparing against {@code Math.max}'s value instead of the winner's
     * only differs in the sign of a zero, which no comparison sees. The output is the winner's own value.
     */
    static Pooled maxInside(INDArray x, PoolGeometry g) {
        INDArray input = Buffers.rowMajor(x, DataType.FLOAT);    // held to the end: a copy's memory dies with it
        FloatPointer in = new FloatPointer(input.data().addressPointer());
        INDArray values = OutputMemory.floats(g.outputShape());
        INDArray indices = OutputMemory.longs(g.outputShape());
        FloatPointer valuesOut = new FloatPointer(values.data().addressPointer());
        LongPointer indicesOut = new LongPointer(indices.data().addressPointer());
        int inPlane = g.h() * g.w(), outPlane = g.oh() * g.ow(), group = planesPerCopy(inPlane);
        int[] taps = new int[g.kh() * g.kw()];
        for (int i = 0; i < g.kh(); i++) {
            for (int j = 0; j < g.kw(); j++) {
                taps[i * g.kw() + j] = i * g.dh() * g.w() + j * g.dw();
            }
        }
        Parallel.forEachRun(threads(x.length()), g.n() * g.c(), (from, to) -> {
            float[] planes = new float[group * inPlane], rowMax = new float[g.ow()], out = new float[group * outPlane];
            int[] rowTap = new int[g.ow()];
            long[] at = new long[group * outPlane];
            FloatPointer source = new FloatPointer(in), valuesTo = new FloatPointer(valuesOut);
            LongPointer indicesTo = new LongPointer(indicesOut);
            for (int first = from; first < to; first += group) {
                int count = Math.min(group, to - first);
                source.position((long) first * inPlane).get(planes, 0, count * inPlane);
                for (int q = 0; q < count; q++) {
                    for (int oh = 0; oh < g.oh(); oh++) {
                        int top = q * inPlane + oh * g.sh() * g.w();
                        for (int ow = 0; ow < g.ow(); ow++) {
                            rowMax[ow] = planes[top + ow * g.sw()];
                            rowTap[ow] = 0;
                        }
                        for (int tap : taps) {
                            for (int ow = 0, cell = top + tap; ow < g.ow(); ow++, cell += g.sw()) {
                                float v = planes[cell];
                                boolean wins = v > rowMax[ow] | v != v;
                                rowTap[ow] = wins ? tap : rowTap[ow];
                                rowMax[ow] = Math.max(rowMax[ow], v);
                            }
                        }
                        for (int ow = 0, o = (q * g.oh() + oh) * g.ow(); ow < g.ow(); ow++, o++) {
                            int winner = top + ow * g.sw() + rowTap[ow];
                            out[o] = planes[winner];
                            at[o] = winner - q * inPlane;
                        }
                    }
                }
                valuesTo.position((long) first * outPlane).put(out, 0, count * outPlane);
                indicesTo.position((long) first * outPlane).put(at, 0, count * outPlane);
            }
        });
        Reference.reachabilityFence(input);
        return new Pooled(values, indices);
    }

    /**
     * Max-pool indices from the winning taps oneDNN's training primitive writes (one byte per output, row-major,
     * tap {@code i * kW + j} of the window): the flat index {@code ih * W + iw} of each into {@code indices}. False
     * if a winner lies in the padding (then the indices are not PyTorch's and the caller drops them).
     */
    static boolean indicesFromTaps(Pointer taps, INDArray indices, PoolGeometry g) {
        int outPlane = g.oh() * g.ow(), group = planesPerCopy(outPlane), windows = g.kh() * g.kw();
        int[] tapOffset = new int[windows], first = new int[outPlane];
        for (int t = 0; t < windows; t++) {
            tapOffset[t] = t / g.kw() * g.dh() * g.w() + t % g.kw() * g.dw();
        }
        boolean[] border = new boolean[outPlane];       // windows that reach into the padding
        boolean anyBorder = false;
        for (int oh = 0, o = 0; oh < g.oh(); oh++) {
            for (int ow = 0; ow < g.ow(); ow++, o++) {
                int top = oh * g.sh() - g.ph(), left = ow * g.sw() - g.pw();
                first[o] = top * g.w() + left;
                border[o] = top < 0 || left < 0 || top + (g.kh() - 1) * g.dh() >= g.h()
                        || left + (g.kw() - 1) * g.dw() >= g.w();
                anyBorder |= border[o];
            }
        }
        boolean checkBorder = anyBorder;
        BytePointer from = new BytePointer(taps);
        LongPointer to = new LongPointer(indices.data().addressPointer());
        boolean[] inside = {true};
        Parallel.forEachRun(threads(indices.length()), g.n() * g.c(), (firstPlane, lastPlane) -> {
            byte[] tap = new byte[group * outPlane];
            long[] at = new long[group * outPlane];
            BytePointer source = new BytePointer(from);
            LongPointer target = new LongPointer(to);
            boolean allInside = true;
            for (int p = firstPlane; p < lastPlane; p += group) {
                int count = Math.min(group, lastPlane - p);
                source.position((long) p * outPlane).get(tap, 0, count * outPlane);
                for (int q = 0; q < count; q++) {
                    for (int cell = 0, o = q * outPlane; cell < outPlane; cell++, o++) {
                        at[o] = first[cell] + tapOffset[tap[o] & 0xff];
                    }
                    if (checkBorder) {
                        for (int cell = 0, o = q * outPlane; cell < outPlane; cell++, o++) {
                            if (border[cell]) {
                                int t = tap[o] & 0xff;
                                int ih = cell / g.ow() * g.sh() - g.ph() + t / g.kw() * g.dh();
                                int iw = cell % g.ow() * g.sw() - g.pw() + t % g.kw() * g.dw();
                                allInside &= ih >= 0 && ih < g.h() && iw >= 0 && iw < g.w();
                            }
                        }
                    }
                }
                target.position((long) p * outPlane).put(at, 0, count * outPlane);
            }
            if (!allInside) {
                inside[0] = false;
            }
        });
        return inside[0];
    }

    /**
     * How many planes of {@code cells} cells a Java loop copies in or out (or zeroes) at once: about 64 KB of
     * floats, so that small planes (LeNet's 10x10) do not pay a native call each, and a group stays in cache.
     */
    private static int planesPerCopy(int cells) {
        return Math.max(1, (1 << 14) / Math.max(cells, 1));
    }

    /**
     * Whether {@link VectorLoops} runs here: the JVM has the incubating Vector API (started with {@code
     * --add-modules jdk.incubator.vector}) and compiles it well. Asked once; nothing else touches the module.
     */
    static final boolean VECTORS = vectors();

    private static boolean vectors() {
        try {
            return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent() && VectorLoops.worthwhile();
        } catch (LinkageError e) {
            return false;
        }
    }

    /**
     * Results from this many cells (8 MB of floats) are written by {@link VectorLoops}; smaller ones stay in cache,
     * where zeroing and scattering is as fast or faster. 2x2 at stride 2, 2 threads, medians of 1,000-2,000 calls,
     * scatter against vector loop: 64x6x28x28 (LeNet's first pool) 0.14 against 0.17 ms, 2x3x224x224 0.13 against
     * 0.15 ms, 16x64x32x32 0.32-0.34 ms both, 8x64x64x64 0.57-0.58 against 0.52-0.53 ms, 4x64x96x96 0.62 against
     * 0.55 ms, 8x64x112x112 1.85-2.06 against 1.50-1.73 ms.
     */
    private static final long VECTORS_FROM = 1 << 21;

    /**
     * Max pooling's backward given the forward's indices: each output's gradient added to the cell its index
     * names, outputs in order (the reference engine's sums), straight into the result; indices outside the plane
     * are an {@link IndexOutOfBoundsException}. A large result ({@link #VECTORS_FROM}) of 2x2 windows at stride 2
     * without padding, the usual case, is written row by row on the Vector API ({@link VectorLoops}) when every
     * index lies in its own window, which is the same sums; anything else is scattered ({@link #scatterByIndices}).
     */
    static INDArray maxBackwardByIndices(INDArray gradOut, INDArray indices, PoolGeometry g) {
        boolean large = (long) g.n() * g.c() * g.h() * g.w() >= VECTORS_FROM;
        return maxBackwardByIndices(gradOut, indices, g, VECTORS && large);
    }

    /** As above, with the Vector API's loop allowed or not, whatever the size (tests run both). */
    static INDArray maxBackwardByIndices(INDArray gradOut, INDArray indices, PoolGeometry g, boolean vectors) {
        if (vectors && tiles2x2(g)) {
            INDArray gradients = Buffers.rowMajor(gradOut, DataType.FLOAT);
            FloatBuffer dy = gradients.data().asNioFloat();
            LongBuffer index = indices.data().asNioLong();
            INDArray dx = OutputMemory.floats(g.n(), g.c(), g.h(), g.w());
            FloatBuffer out = dx.data().asNioFloat();
            boolean[] inside = {true};
            Parallel.forEachRun(threads(dx.length()), g.n() * g.c(), (from, to) -> {
                if (!VectorLoops.maxBackward2x2(index, dy, out, g, from, to)) {
                    inside[0] = false;
                }
            });
            Reference.reachabilityFence(gradients);
            if (inside[0]) {
                return dx;
            }
        }
        return scatterByIndices(gradOut, indices, g);
    }

    /**
     * 2x2 windows at stride 2, no padding or dilation, all inside the plane (each input cell in at most one), and
     * planes of at most 2^24 cells, whose indices are exact as floats ({@link VectorLoops#maxBackward2x2}).
     */
    private static boolean tiles2x2(PoolGeometry g) {
        return g.kh() == 2 && g.kw() == 2 && g.sh() == 2 && g.sw() == 2 && g.ph() == 0 && g.pw() == 0
                && g.dh() == 1 && g.dw() == 1 && 2 * g.oh() <= g.h() && 2 * g.ow() <= g.w()
                && (long) g.h() * g.w() <= 1 << 24;
    }

    /**
     * Max pooling's backward by scattering: a group of planes (about 64 KB) is zeroed with one {@code memset}
     * and then scattered into while it is still in cache; indices and gradients are read where they lie, each
     * index checked on the way. No window is searched.
     *
     * <p>Why this order: the scatter used to go into a zeroed Java array that was then copied out, and into the
     * result's cold memory ({@code OutputMemory}) that copy cost about as much as the scatter. Zeroed in place, the
     * result needs no copy. 8x64x112x112, 2 threads, a probe over a ring of 20 outputs (medians of 60): 1.80-1.85
     * ms against 2.30-2.81 ms.
     */
    private static INDArray scatterByIndices(INDArray gradOut, INDArray indices, PoolGeometry g) {
        INDArray gradients = Buffers.rowMajor(gradOut, DataType.FLOAT);   // held to the end, as in maxInside
        FloatBuffer dy = gradients.data().asNioFloat();
        LongBuffer index = indices.data().asNioLong();
        INDArray dx = OutputMemory.floats(g.n(), g.c(), g.h(), g.w());
        Pointer dxMemory = dx.data().addressPointer();
        FloatBuffer out = dx.data().asNioFloat();
        int inPlane = g.h() * g.w(), outPlane = g.oh() * g.ow(), group = planesPerCopy(inPlane);
        Parallel.forEachRun(threads(dx.length()), g.n() * g.c(), (from, to) -> {
            BytePointer zeroed = new BytePointer(dxMemory);
            for (int first = from; first < to; first += group) {
                int count = Math.min(group, to - first);
                Pointer.memset(zeroed.position((long) first * inPlane * Float.BYTES), 0,
                        (long) count * inPlane * Float.BYTES);
                for (int p = first; p < first + count; p++) {
                    for (int o = p * outPlane, end = o + outPlane; o < end; o++) {
                        long cell = index.get(o);
                        if (cell < 0 || cell >= inPlane) {
                            throw new IndexOutOfBoundsException("index " + cell + " outside a plane of " + inPlane);
                        }
                        int at = p * inPlane + (int) cell;
                        out.put(at, out.get(at) + dy.get(o));
                    }
                }
            }
        });
        Reference.reachabilityFence(gradients);
        return dx;
    }

    /** Every window's winner ({@link #winner}), output cells row-major over all planes. */
    private static int[] winners(float[] in, PoolGeometry g, boolean max) {
        int inPlane = g.h() * g.w(), outPlane = g.oh() * g.ow();
        int[] winners = new int[g.n() * g.c() * outPlane];
        Axis rows = rows(g), cols = columns(g);
        float sign = max ? 1 : -1;
        forEachBand(g, in.length, (p, from, to) -> {
            for (int oh = from; oh < to; oh++) {
                for (int ow = 0, o = p * outPlane + oh * g.ow(); ow < g.ow(); ow++, o++) {
                    winners[o] = winner(in, p * inPlane, g.w(), rows, oh, cols, ow, sign);
                }
            }
        });
        return winners;
    }

    /**
     * The in-plane index of window (oh, ow)'s winner, or -1 if the window holds no input cell. {@code sign} is 1
     * for max pooling and -1 for min pooling (negation is exact, so comparing {@code sign * v} picks the same cell).
     */
    private static int winner(float[] in, int base, int w, Axis rows, int oh, Axis cols, int ow, float sign) {
        int r0 = rows.from[oh], r1 = rows.to[oh], c0 = cols.from[ow], c1 = cols.to[ow];
        if (r0 >= r1 || c0 >= c1) {
            return -1;
        }
        int dh = rows.dilation, dw = cols.dilation, first = base + rows.start[oh] * w + cols.start[ow];
        int best = first + r0 * dh * w + c0 * dw;
        float value = sign * in[best];
        for (int i = r0; i < r1; i++) {
            int row = first + i * dh * w;
            for (int j = c0; j < c1; j++) {
                float v = in[row + j * dw];
                if (sign * v > value || v != v) {
                    best = row + j * dw;
                    value = sign * v;
                }
            }
        }
        return best - base;
    }

    /** Max (or min) pooling's backward: each output's gradient added to its window's winner, outputs in order. */
    static INDArray extremeBackward(INDArray x, INDArray gradOut, PoolGeometry g, boolean max) {
        float[] in = Buffers.floats(x), dy = Buffers.floats(gradOut);
        int[] winners = winners(in, g, max);
        int inPlane = g.h() * g.w(), outPlane = g.oh() * g.ow();
        float[] dx = new float[in.length];
        forEachPlane(g.n() * g.c(), in.length, p -> {
            for (int o = p * outPlane; o < (p + 1) * outPlane; o++) {
                if (winners[o] >= 0) {
                    dx[p * inPlane + winners[o]] += dy[o];
                }
            }
        });
        return Buffers.array(dx, g.n(), g.c(), g.h(), g.w());
    }

    /** {@link PoolGeometry#averageWindow} for every output cell, row by row. */
    private static int[][] averageWindows(PoolGeometry g) {
        int[][] windows = new int[g.oh() * g.ow()][];
        for (int oh = 0; oh < g.oh(); oh++) {
            for (int ow = 0; ow < g.ow(); ow++) {
                windows[oh * g.ow() + ow] = g.averageWindow(oh, ow);
            }
        }
        return windows;
    }

    /** Average pooling: each window's sum over its divisor; a window with no input cell gives 0, as PyTorch. */
    static INDArray average(INDArray x, PoolGeometry g) {
        float[] in = Buffers.floats(x);
        int inPlane = g.h() * g.w(), outPlane = g.oh() * g.ow();
        float[] out = new float[g.n() * g.c() * outPlane];
        int[][] windows = averageWindows(g);
        forEachBand(g, in.length, (p, from, to) -> {
            for (int o = from * g.ow(); o < to * g.ow(); o++) {
                int[] win = windows[o];
                if (win[0] >= win[1] || win[2] >= win[3]) {
                    continue;
                }
                float sum = 0f;
                for (int ih = win[0]; ih < win[1]; ih++) {
                    for (int at = p * inPlane + ih * g.w() + win[2]; at < p * inPlane + ih * g.w() + win[3]; at++) {
                        sum += in[at];
                    }
                }
                out[p * outPlane + o] = sum / win[4];
            }
        });
        return Buffers.array(out, g.outputShape());
    }

    /** Average pooling's backward: each output's gradient over its divisor, added to every cell of its window. */
    static INDArray averageBackward(INDArray gradOut, PoolGeometry g) {
        float[] dy = Buffers.floats(gradOut);
        int inPlane = g.h() * g.w(), outPlane = g.oh() * g.ow(), planes = g.n() * g.c();
        float[] dx = new float[planes * inPlane];
        int[][] windows = averageWindows(g);
        forEachPlane(planes, dx.length, p -> {
            for (int o = 0; o < outPlane; o++) {
                int[] win = windows[o];
                float share = dy[p * outPlane + o] / win[4];
                for (int ih = win[0]; ih < win[1]; ih++) {
                    for (int iw = win[2]; iw < win[3]; iw++) {
                        dx[p * inPlane + ih * g.w() + iw] += share;
                    }
                }
            }
        });
        return Buffers.array(dx, g.n(), g.c(), g.h(), g.w());
    }

    /**
     * Median pooling: the input cells of each window in {@code Arrays.sort}'s order (-0 before 0, NaN last), the
     * mean of the two middle ones (one when the count is odd), NaN if the window holds NaN. A window of 4 or 9 cells
     * (2x2 and 3x3 windows inside the input, and their corners in the padding) goes through a fixed network of
     * min/max steps with no branch on the data ({@link #middleOf4}, {@link #middleOf9}); other counts through an
     * insertion sort, whose branches on random data miss about half the time. Against the insertion sort for
     * every window (2 threads, medians, alternating JVMs, two each): on 64x6x28x28 3x3 stride 1 padding 1
     * 19.6-22.7 → 6.5-8.6 ms, 3x3 stride 2 padding 1 ceil mode 5.3-6.1 → 1.8-2.6 ms, 2x2 2.3-3.9 → 0.8-2.7 ms;
     * on a 1x3x512x512 photo 3x3 stride 1 padding 1 60-64 → 16-22 ms.
     */
    static INDArray median(INDArray x, PoolGeometry g) {
        float[] in = Buffers.floats(x);
        int inPlane = g.h() * g.w(), outPlane = g.oh() * g.ow(), planes = g.n() * g.c();
        float[] out = new float[planes * outPlane];
        Axis rows = rows(g), cols = columns(g);
        forEachBand(g, in.length, (p, from, to) -> {
            float[] window = new float[g.windowSize()];
            for (int oh = from; oh < to; oh++) {
                for (int ow = 0, o = p * outPlane + oh * g.ow(); ow < g.ow(); ow++, o++) {
                    int m = 0;
                    boolean nan = false;
                    for (int i = rows.from[oh]; i < rows.to[oh]; i++) {
                        int row = p * inPlane + rows.at(oh, i) * g.w();
                        for (int j = cols.from[ow]; j < cols.to[ow]; j++) {
                            float v = in[row + cols.at(ow, j)];
                            nan |= v != v;
                            window[m++] = v;
                        }
                    }
                    out[o] = nan ? Float.NaN : middle(window, m);
                }
            }
        });
        return Buffers.array(out, g.outputShape());
    }

    /**
     * The middle value of {@code window[0, m)} (m > 0, no NaN), or the mean of the two middle ones when m is even,
     * as the reference computes it.
     */
    private static float middle(float[] window, int m) {
        if (m == 4) {
            return middleOf4(window);
        }
        if (m == 9) {
            return middleOf9(window);
        }
        for (int k = 1; k < m; k++) {                    // insertion sort
            float v = window[k];
            int i = k;
            while (i > 0 && Float.compare(window[i - 1], v) > 0) {
                window[i] = window[i - 1];
                i--;
            }
            window[i] = v;
        }
        return m % 2 == 1 ? window[m / 2] : mean(window[m / 2 - 1], window[m / 2]);
    }

    /** The mean of two floats, added in double so that two near float's largest do not overflow, rounded once. */
    private static float mean(float a, float b) {
        return (float) (((double) a + b) / 2);
    }

    /**
     * (second + third smallest) / 2 of 4 values. With each pair ordered, the smaller of the two lows is the
     * smallest of all and the larger of the two highs the largest; the other two are the middle ones, and their sum
     * does not depend on their order. {@code Math.min} and {@code Math.max} order -0 before 0, as
     * {@code Float.compare} does, and equal values are the same bits, so the middle two are the sort's.
     */
    static float middleOf4(float[] w) {
        float a = w[0], b = w[1], c = w[2], d = w[3];
        float low1 = Math.min(a, b), high1 = Math.max(a, b), low2 = Math.min(c, d), high2 = Math.max(c, d);
        return mean(Math.max(low1, low2), Math.min(high1, high2));     // the larger low, the smaller high
    }

    /**
     * The fifth smallest of 9 values (the sorted window's {@code w[4]}), by the 19 steps of the median-of-9
     * network in Devillard's "Fast median search" (OpenCV's 3x3 median filter uses it too). A step
     * {@code (x, y)} puts the smaller of the two values in x and the larger in y; where only one of them is read
     * again, only that one is computed. Exact for any 9 values, as for 4 in {@link #middleOf4}.
     */
    static float middleOf9(float[] w) {
        float p0 = w[0], p1 = w[1], p2 = w[2], p3 = w[3], p4 = w[4], p5 = w[5], p6 = w[6], p7 = w[7], p8 = w[8], t;
        t = Math.min(p1, p2); p2 = Math.max(p1, p2); p1 = t;
        t = Math.min(p4, p5); p5 = Math.max(p4, p5); p4 = t;
        t = Math.min(p7, p8); p8 = Math.max(p7, p8); p7 = t;
        t = Math.min(p0, p1); p1 = Math.max(p0, p1); p0 = t;
        t = Math.min(p3, p4); p4 = Math.max(p3, p4); p3 = t;
        t = Math.min(p6, p7); p7 = Math.max(p6, p7); p6 = t;
        t = Math.min(p1, p2); p2 = Math.max(p1, p2); p1 = t;
        t = Math.min(p4, p5); p5 = Math.max(p4, p5); p4 = t;
        t = Math.min(p7, p8); p8 = Math.max(p7, p8); p7 = t;
        p3 = Math.max(p0, p3);                           // (0, 3): only the larger is read again
        p5 = Math.min(p5, p8);                           // (5, 8): only the smaller
        t = Math.min(p4, p7); p7 = Math.max(p4, p7); p4 = t;
        p6 = Math.max(p3, p6);                           // (3, 6)
        p4 = Math.max(p1, p4);                           // (1, 4)
        p2 = Math.min(p2, p5);                           // (2, 5)
        p4 = Math.min(p4, p7);                           // (4, 7)
        t = Math.min(p4, p2); p2 = Math.max(p4, p2); p4 = t;
        p4 = Math.max(p6, p4);                           // (6, 4)
        return Math.min(p4, p2);                         // (4, 2)
    }

    /** Max-unpooling: each value to the cell of its plane that its index names (the last one wins a cell). */
    static INDArray maxUnpool(INDArray x, INDArray indices, int oh, int ow) {
        float[] in = Buffers.floats(x);
        long[] to = Buffers.longs(indices);
        int planes = Math.toIntExact(x.size(0) * x.size(1)), inPlane = in.length / Math.max(planes, 1);
        int outPlane = oh * ow;
        float[] out = new float[Math.multiplyExact(planes, outPlane)];
        forEachPlane(planes, out.length, p -> {
            for (int i = p * inPlane; i < (p + 1) * inPlane; i++) {
                out[p * outPlane + (int) to[i]] = in[i];
            }
        });
        return Buffers.array(out, x.size(0), x.size(1), oh, ow);
    }

    /**
     * Nearest unpooling: each value added into its {@code kh x kw} block at {@code (i*sh, j*sw)}, then each cell
     * divided by how many blocks reached it (cells none reached stay 0). Here h, w are the input's and oh, ow the
     * larger output's.
     */
    static INDArray nearest(INDArray x, PoolGeometry g) {
        float[] in = Buffers.floats(x);
        int inPlane = g.h() * g.w(), outPlane = g.oh() * g.ow(), planes = g.n() * g.c();
        int[] count = new int[outPlane];
        for (int i = 0; i < g.h(); i++) {
            for (int j = 0; j < g.w(); j++) {
                for (int a = 0; a < g.kh(); a++) {
                    for (int b = 0; b < g.kw(); b++) {
                        count[(i * g.sh() + a) * g.ow() + j * g.sw() + b]++;
                    }
                }
            }
        }
        float[] out = new float[planes * outPlane];
        forEachPlane(planes, out.length, p -> {
            int base = p * outPlane;
            for (int i = 0; i < g.h(); i++) {
                for (int j = 0; j < g.w(); j++) {
                    float v = in[p * inPlane + i * g.w() + j];
                    for (int a = 0; a < g.kh(); a++) {
                        int row = base + (i * g.sh() + a) * g.ow() + j * g.sw();
                        for (int b = 0; b < g.kw(); b++) {
                            out[row + b] += v;
                        }
                    }
                }
            }
            for (int o = 0; o < outPlane; o++) {
                if (count[o] > 0) {
                    out[base + o] /= count[o];
                }
            }
        });
        return Buffers.array(out, g.outputShape());
    }
}
