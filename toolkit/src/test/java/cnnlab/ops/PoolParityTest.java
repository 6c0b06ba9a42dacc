package cnnlab.ops;

import static cnnlab.testing.Arrays4.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import cnnlab.Cnn;
import cnnlab.shape.Shapes;
import cnnlab.testing.Tensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Parity of the two engines on every pooling and unpooling op, forward and backward, over seeded random
 * configurations. Values within 1e-4 absolute + 1e-4 relative (float32); max-pool indices exactly. Inputs are
 * continuous random values, so windows have no ties (ties are the golden tests' business).
 */
class PoolParityTest {
    private static final Ops REF = Cnn.reference(), FAST = Cnn.fast();
    private static final int CASES = 40;

    /** One seeded pooling configuration. */
    record PoolCase(int id, long[] x, PoolParams params, long seed) {
        @Override
        public String toString() {
            return "#" + id + " x" + Arrays.toString(x) + " " + params;
        }
    }

    /**
     * Forty valid windows: kernel 1-4 per axis (rectangular), stride 1-3, padding 0 to half the kernel,
     * ceil mode on every other case, count_include_pad alternating with period 4 (so all four combinations
     * with ceil mode occur), dilation 1-2 when the op has it. Input sizes are drawn so the window fits.
     */
    static List<PoolCase> cases(long seed, boolean dilation) {
        Random r = new Random(seed);
        List<PoolCase> cases = new ArrayList<>();
        for (int id = 0; id < CASES; id++) {
            int n = 1 + r.nextInt(2), c = 1 + r.nextInt(3);
            int kh = 1 + r.nextInt(4), kw = 1 + r.nextInt(4);
            int sh = 1 + r.nextInt(3), sw = 1 + r.nextInt(3);
            int ph = r.nextInt(kh / 2 + 1), pw = r.nextInt(kw / 2 + 1);
            int dh = dilation ? 1 + r.nextInt(2) : 1, dw = dilation ? 1 + r.nextInt(2) : 1;
            boolean ceil = id % 2 == 1;
            int h = inputSize(r, kh, sh, ph, dh, ceil), w = inputSize(r, kw, sw, pw, dw, ceil);
            PoolParams p = new PoolParams(kh, kw, sh, sw, ph, pw, dh, dw, ceil, id % 4 < 2);
            cases.add(new PoolCase(id, new long[] {n, c, h, w}, p, r.nextLong()));
        }
        return cases;
    }

    /**
     * A size the window fits once padded, grown until every window has at least one tap inside the input (a
     * dilated window can step over a small input and read only padding, which the ops reject).
     */
    private static int inputSize(Random r, int k, int s, int p, int d, boolean ceil) {
        int size = Math.max(1, Shapes.effectiveKernel(k, d) - 2 * p) + r.nextInt(5);
        while (!everyWindowReachesInput(size, k, s, p, d, Shapes.poolOutput(size, k, s, p, d, ceil))) {
            size++;
        }
        return size;
    }

    static boolean everyWindowReachesInput(int size, int k, int s, int p, int d, int out) {
        for (int o = 0; o < out; o++) {
            boolean inside = false;
            for (int i = 0; i < k; i++) {
                int at = o * s - p + i * d;
                inside |= at >= 0 && at < size;
            }
            if (!inside) {
                return false;
            }
        }
        return true;
    }

    static List<PoolCase> dilatedCases() {
        return cases(0x9001, true);
    }

    static List<PoolCase> avgCases() {
        return cases(0xA7E, false);
    }

    private static INDArray gradFor(Random r, INDArray y) {
        return Tensors.uniform(r, y.shape());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dilatedCases")
    void maxPoolWithIndicesAndBackwardAgree(PoolCase pc) {
        Random r = new Random(pc.seed());
        INDArray x = Tensors.uniform(r, pc.x());
        Pooled want = REF.maxPool2dWithIndices(x, pc.params()), got = FAST.maxPool2dWithIndices(x, pc.params());
        assertClose(want.output(), got.output(), pc + " y");
        assertEquals(DataType.LONG, got.indices().dataType(), pc + " indices dtype");
        assertClose(want.indices(), got.indices(), 0, 0, pc + " indices");
        assertClose(want.output(), FAST.maxPool2d(x, pc.params()), pc + " maxPool2d = output of WithIndices");
        INDArray g = gradFor(r, want.output());
        INDArray dx = REF.maxPool2dBackward(x, g, pc.params());
        assertClose(dx, FAST.maxPool2dBackward(x, g, pc.params()), pc + " dx");
        assertClose(dx, REF.maxPool2dBackward(x, g, want.indices(), pc.params()), 0, 0,
                pc + " reference dx by indices");
        assertClose(dx, FAST.maxPool2dBackward(x, g, got.indices(), pc.params()), 0, 0, pc + " fast dx by indices");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dilatedCases")
    void minPoolAndBackwardAgree(PoolCase pc) {
        Random r = new Random(pc.seed() + 1);
        INDArray x = Tensors.uniform(r, pc.x());
        INDArray want = REF.minPool2d(x, pc.params());
        assertClose(want, FAST.minPool2d(x, pc.params()), pc + " y");
        INDArray g = gradFor(r, want);
        assertClose(REF.minPool2dBackward(x, g, pc.params()), FAST.minPool2dBackward(x, g, pc.params()), pc + " dx");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dilatedCases")
    void medianPoolAgrees(PoolCase pc) {
        INDArray x = Tensors.uniform(new Random(pc.seed() + 2), pc.x());
        assertClose(REF.medianPool2d(x, pc.params()), FAST.medianPool2d(x, pc.params()), pc + " y");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("avgCases")
    void avgPoolAndBackwardAgree(PoolCase pc) {
        Random r = new Random(pc.seed());
        INDArray x = Tensors.uniform(r, pc.x());
        INDArray want = REF.avgPool2d(x, pc.params());
        assertClose(want, FAST.avgPool2d(x, pc.params()), pc + " y");
        INDArray g = gradFor(r, want);
        assertClose(REF.avgPool2dBackward(x, g, pc.params()), FAST.avgPool2dBackward(x, g, pc.params()), pc + " dx");
    }

    /**
     * Max-unpooling of a max pool's own output and indices, back to the pooled input's size (PyTorch's
     * MaxUnpool2d has no dilation, so these windows have none). Every other case passes the size as
     * {@code {N, C, H, W}} rather than {@code {H, W}}.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("avgCases")
    void maxUnpoolOfMaxPoolAgrees(PoolCase pc) {
        INDArray x = Tensors.uniform(new Random(pc.seed() + 3), pc.x());
        Pooled pooled = REF.maxPool2dWithIndices(x, pc.params());
        long[] size = pc.id() % 2 == 0 ? new long[] {pc.x()[2], pc.x()[3]} : pc.x().clone();
        INDArray want = REF.maxUnpool2d(pooled.output(), pooled.indices(), pc.params(), size);
        assertArrayEquals(x.shape(), want.shape(), pc + ": unpooled to the input's size");
        assertClose(want, FAST.maxUnpool2d(pooled.output(), pooled.indices(), pc.params(), size), pc + " y");
        // each maximum is back where it came from
        double[] in = Tensors.values(x), out = Tensors.values(want), max = Tensors.values(pooled.output());
        long[] idx = pooled.indices().dup('c').data().asLong();
        long plane = pc.x()[2] * pc.x()[3], perPlaneOut = pooled.output().size(2) * pooled.output().size(3);
        for (int i = 0; i < idx.length; i++) {
            long at = (i / perPlaneOut) * plane + idx[i];
            assertEquals(in[(int) at], out[(int) at], 0, pc + ": max " + i + " returns to its cell");
            assertEquals(max[i], out[(int) at], 0, pc + ": max " + i);
        }
    }

    /** One nearest-unpooling configuration. */
    record UnpoolCase(int id, long[] x, PoolParams params, long seed) {
        @Override
        public String toString() {
            return "#" + id + " x" + Arrays.toString(x) + " " + params;
        }
    }

    /** Forty block copies: kernel 1-3, stride 1-4 per axis, so stride is below, equal to and above the kernel. */
    static List<UnpoolCase> unpoolCases() {
        Random r = new Random(0x0E_A2);
        List<UnpoolCase> cases = new ArrayList<>();
        for (int id = 0; id < CASES; id++) {
            int kh = 1 + r.nextInt(3), kw = 1 + r.nextInt(3);
            int sh = switch (id % 3) {
                case 0 -> Math.max(1, kh - 1);
                case 1 -> kh;
                default -> kh + 1;
            };
            int sw = 1 + r.nextInt(4);
            long[] x = {1 + r.nextInt(2), 1 + r.nextInt(2), 1 + r.nextInt(4), 1 + r.nextInt(4)};
            PoolParams p = PoolParams.window(kh, kw).withStride(sh, sw);
            cases.add(new UnpoolCase(id, x, p, r.nextLong()));
        }
        return cases;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unpoolCases")
    void unpoolNearestAgrees(UnpoolCase uc) {
        INDArray x = Tensors.uniform(new Random(uc.seed()), uc.x());
        PoolParams p = uc.params();
        INDArray want = REF.unpoolNearest(x, p);
        assertArrayEquals(new long[] {uc.x()[0], uc.x()[1], (uc.x()[2] - 1) * p.strideH() + p.kernelH(),
                (uc.x()[3] - 1) * p.strideW() + p.kernelW()}, want.shape(), uc + ": output shape");
        assertClose(want, FAST.unpoolNearest(x, p), uc + " y");
    }
}
