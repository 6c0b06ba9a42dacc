package cnnlab.ops.nd4j;

import cnnlab.ops.PoolGeometry;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Loops of the fast engine on the JDK's incubating Vector API ({@code jdk.incubator.vector}). They run only where
 * {@link PlaneLoops} finds the module in the JVM, which {@code --add-modules jdk.incubator.vector} puts there: the
 * launcher, the kernel, the tests and the benchmark all start Java with it. Without it (IJava, say) the plain loops
 * do the same work. Only {@code fromArray}, {@code intoArray} and lane operations are used, which every JDK since
 * 17 has; nothing outside this class names the module's types, so nothing loads it unless it is there.
 *
 * <p>Max pooling's backward for 2x2 windows at stride 2 without padding or dilation, which tile the plane. Instead
 * of zeroing the result and scattering each gradient to the cell its index names, each pair of input rows is
 * written once, whole, from its row of windows: a window's gradient goes to the one of its four cells whose
 * offset in the window is the index's, and the other three get 0.
 */
final class VectorLoops {
    private VectorLoops() {
    }

    /** Indices (int64) a step reads: one vector's worth; each becomes a float lane of {@link #FLOATS}. */
    private static final VectorSpecies<Long> LONGS = LongVector.SPECIES_PREFERRED;

    /** Windows per step. */
    private static final int N = LONGS.length();

    /** Floats in vectors of N lanes: a step's taps and gradients, and each half of its cells in a row. */
    private static final VectorSpecies<Float> FLOATS =
            VectorSpecies.of(float.class, VectorShape.forBitSize(N * Float.SIZE));

    /** Cell lane l of a step's first half takes window l/2; of its second half, window N/2 + l/2. */
    private static final VectorShuffle<Float> FIRST_HALF = VectorShuffle.fromOp(FLOATS, l -> l / 2);
    private static final VectorShuffle<Float> SECOND_HALF = VectorShuffle.fromOp(FLOATS, l -> N / 2 + l / 2);

    /** A cell's column in its window, lane by lane: 0, 1, 0, 1, ... */
    private static final float[] COLUMNS = new float[N];

    static {
        for (int l = 0; l < N; l++) {
            COLUMNS[l] = l % 2;
        }
    }

    /**
     * Whether the JDK here compiles these loops to vector instructions: x86-64 with AVX-512 (vectors of 8 longs),
     * where JDK 17 converts int64 lanes to floats in one instruction and each lane shuffle is one. With AVX2 it
     * would run the conversion in its slow Java form, so the plain loops run instead.
     */
    static boolean worthwhile() {
        return "amd64".equals(System.getProperty("os.arch")) && N >= 8;
    }

    /**
     * Planes {@code [from, to)} of max pooling's backward, 2x2 windows at stride 2 ({@code 2*oh <= h},
     * {@code 2*ow <= w}), with at most 2^24 cells a plane, so that every index inside it is exact as a float.
     * Input rows below and columns right of the last window get 0. Returns false, leaving those planes partly
     * written, if an index lies outside its own window; the caller then scatters instead.
     */
    static boolean maxBackward2x2(LongBuffer index, FloatBuffer dy, FloatBuffer dx, PoolGeometry g, int from,
                                  int to) {
        int h = g.h(), w = g.w(), oh = g.oh(), ow = g.ow(), inPlane = h * w, outPlane = oh * ow;
        long[] indices = new long[ow];
        float[] gradients = new float[ow], rows = new float[2 * w], zeros = new float[w];
        FloatVector zero = FloatVector.zero(FLOATS);
        FloatVector column = FloatVector.fromArray(FLOATS, COLUMNS, 0);
        FloatVector below = column.add(w);                                        // w, w + 1, w, ...
        FloatVector corners = zero.addIndex(2);                                   // 0, 2, 4, ...: windows' columns
        for (int p = from; p < to; p++) {
            for (int r = 0; r < oh; r++) {
                int o = p * outPlane + r * ow;
                index.get(o, indices, 0, ow);
                dy.get(o, gradients, 0, ow);
                FloatVector farthest = zero;
                int c = 0;
                for (; c + N <= ow; c += N) {
                    // each window's index less its top-left cell's: 0, 1, w or w + 1 when inside the window
                    FloatVector tap = ((FloatVector) LongVector.fromArray(LONGS, indices, c)
                            .convertShape(VectorOperators.L2F, FLOATS, 0)).sub(corners.add(2 * (r * w + c)));
                    // the distance to the nearer of 0.5 and w + 0.5 is 0.5 exactly when the tap is 0, 1, w or w + 1
                    farthest = farthest.max(tap.sub(0.5f).abs().min(tap.sub(w + 0.5f).abs()));
                    FloatVector gradient = FloatVector.fromArray(FLOATS, gradients, c).add(0);   // -0 + 0 is 0
                    FloatVector tap1 = tap.rearrange(FIRST_HALF), tap2 = tap.rearrange(SECOND_HALF);
                    FloatVector gradient1 = gradient.rearrange(FIRST_HALF);
                    FloatVector gradient2 = gradient.rearrange(SECOND_HALF);
                    zero.blend(gradient1, tap1.eq(column)).intoArray(rows, 2 * c);
                    zero.blend(gradient2, tap2.eq(column)).intoArray(rows, 2 * c + N);
                    zero.blend(gradient1, tap1.eq(below)).intoArray(rows, w + 2 * c);
                    zero.blend(gradient2, tap2.eq(below)).intoArray(rows, w + 2 * c + N);
                }
                for (; c < ow; c++) {
                    long tap = indices[c] - 2L * (r * w + c);
                    if ((tap & ~1L) != 0 && ((tap - w) & ~1L) != 0) {
                        return false;
                    }
                    int corner = 2 * c;                           // the window's four cells, 0 but the tap's
                    rows[corner] = 0f;
                    rows[corner + 1] = 0f;
                    rows[w + corner] = 0f;
                    rows[w + corner + 1] = 0f;
                    rows[corner + (int) tap] = gradients[c] + 0f;
                }
                if (farthest.reduceLanes(VectorOperators.MAX) > 0.5f) {
                    return false;
                }
                dx.put(p * inPlane + 2 * r * w, rows, 0, 2 * w);
            }
            for (int y = 2 * oh; y < h; y++) {
                dx.put(p * inPlane + y * w, zeros, 0, w);
            }
        }
        return true;
    }
}
