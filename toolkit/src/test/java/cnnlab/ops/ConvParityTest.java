package cnnlab.ops;

import static cnnlab.testing.Arrays4.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import cnnlab.Cnn;
import cnnlab.shape.Shapes;
import cnnlab.testing.Tensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Parity of the two engines on convolution and transposed convolution, forward and backward, over seeded
 * random configurations (tinygrad's helper_test_op: the same inputs through both, shape first, then values
 * within 1e-4 absolute + 1e-4 relative, float32).
 */
class ConvParityTest {
    private static final Ops REF = Cnn.reference(), FAST = Cnn.fast();
    private static final int CASES = 40;

    /** One seeded conv2d configuration; the record's toString names the test. */
    record ConvCase(int id, long[] x, long[] w, boolean bias, ConvParams params, long seed) {
        @Override
        public String toString() {
            return "#" + id + " x" + Arrays.toString(x) + " w" + Arrays.toString(w) + (bias ? " +bias" : "")
                    + " " + params;
        }
    }

    /**
     * Forty valid conv2d configurations: 1-4 rows and columns of kernel (rectangular), stride 1-3, dilation
     * 1-3 and padding 0-3 per axis; the padding mode cycles zeros, reflect, replicate, circular; every third
     * case uses padding "same" (stride 1, odd and even kernels). Sizes are drawn so each case is valid by
     * construction: the dilated kernel fits the padded input, reflect padding &lt; size, circular &le; size.
     */
    static List<ConvCase> convCases() {
        Random r = new Random(0xC0_2D);
        List<ConvCase> cases = new ArrayList<>();
        PaddingMode[] modes = PaddingMode.values();
        for (int id = 0; id < CASES; id++) {
            PaddingMode mode = modes[id % modes.length];
            boolean same = id % 3 == 2;
            int n = 1 + r.nextInt(2), c = 1 + r.nextInt(3), k = 1 + r.nextInt(3);
            int kh = 1 + r.nextInt(4), kw = 1 + r.nextInt(4);
            int dh = 1 + r.nextInt(3), dw = 1 + r.nextInt(3);
            int sh = same ? 1 : 1 + r.nextInt(3), sw = same ? 1 : 1 + r.nextInt(3);
            int ph = same ? 0 : r.nextInt(4), pw = same ? 0 : r.nextInt(4);
            int h = inputSize(r, Shapes.effectiveKernel(kh, dh), ph, same, mode);
            int w = inputSize(r, Shapes.effectiveKernel(kw, dw), pw, same, mode);
            ConvParams p = ConvParams.DEFAULT.withStride(sh, sw).withDilation(dh, dw).withPaddingMode(mode);
            p = same ? p.withSamePadding() : p.withPadding(ph, pw);
            cases.add(new ConvCase(id, new long[] {n, c, h, w}, new long[] {k, c, kh, kw}, r.nextBoolean(), p,
                    r.nextLong()));
        }
        return cases;
    }

    /** An input size the (dilated) kernel fits after padding, and that the padding mode accepts. */
    private static int inputSize(Random r, int effectiveKernel, int padding, boolean same, PaddingMode mode) {
        int least = same ? effectiveKernel : Math.max(1, effectiveKernel - 2 * padding); // "same" pads <= eff/2
        if (mode == PaddingMode.REFLECT) {
            least = Math.max(least, padding + 1);
        } else if (mode == PaddingMode.CIRCULAR) {
            least = Math.max(least, padding);
        }
        return least + r.nextInt(4);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("convCases")
    void conv2dForwardAndBackwardAgree(ConvCase cc) {
        Random r = new Random(cc.seed());
        INDArray x = Tensors.uniform(r, cc.x()), w = Tensors.uniform(r, cc.w());
        INDArray b = cc.bias() ? Tensors.uniform(r, cc.w()[0]) : null;
        INDArray expected = REF.conv2d(x, w, b, cc.params());
        int oh = Math.toIntExact(expected.size(2)), ow = Math.toIntExact(expected.size(3));
        if (cc.params().samePadding()) {
            assertArrayEquals(new long[] {cc.x()[0], cc.w()[0], cc.x()[2], cc.x()[3]}, expected.shape(),
                    cc + ": padding same keeps the size");
        }
        assertClose(expected, FAST.conv2d(x, w, b, cc.params()), cc + " y");

        INDArray gradOut = Tensors.uniform(r, cc.x()[0], cc.w()[0], oh, ow);
        ConvGradients want = REF.conv2dBackward(x, w, gradOut, cc.params());
        ConvGradients got = FAST.conv2dBackward(x, w, gradOut, cc.params());
        assertClose(want.dx(), got.dx(), cc + " dx");
        assertClose(want.dw(), got.dw(), cc + " dw");
        assertClose(want.db(), got.db(), cc + " db");
    }

    /**
     * Stride-1, zero-padded convolutions, the shapes the fast engine's backward turns into forward convolutions
     * (dx by the rotated kernel, padded k - 1 - p; a transposed convolution where p > k - 1): kernels 1-5 rows by
     * 1-4 columns, padding 0 to one past the kernel on each axis.
     */
    static List<ConvCase> stride1Cases() {
        Random r = new Random(0x5_1D);
        return IntStream.range(0, 24).mapToObj(id -> {
            int kh = 1 + id % 5, kw = 1 + id % 4, ph = id % (kh + 2), pw = (id / 2) % (kw + 2);
            int h = Math.max(1, kh - 2 * ph) + r.nextInt(5), w = Math.max(1, kw - 2 * pw) + r.nextInt(5);
            int n = 1 + r.nextInt(3), c = 1 + r.nextInt(3), k = 1 + r.nextInt(4);
            return new ConvCase(id, new long[] {n, c, h, w}, new long[] {k, c, kh, kw}, false,
                    ConvParams.DEFAULT.withPadding(ph, pw), r.nextLong());
        }).toList();
    }

    /** Both engines agree on dx, dw and db, and conv2dWeightBackward gives the same dw and db without dx. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("stride1Cases")
    void stride1BackwardAgreesWithAndWithoutInputGradient(ConvCase cc) {
        Random r = new Random(cc.seed());
        INDArray x = Tensors.uniform(r, cc.x()), w = Tensors.uniform(r, cc.w());
        long[] outShape = REF.conv2d(x, w, null, cc.params()).shape();
        INDArray gradOut = Tensors.uniform(r, outShape);
        ConvGradients want = REF.conv2dBackward(x, w, gradOut, cc.params());
        ConvGradients got = FAST.conv2dBackward(x, w, gradOut, cc.params());
        assertClose(want.dx(), got.dx(), cc + " dx");
        assertClose(want.dw(), got.dw(), cc + " dw");
        assertClose(want.db(), got.db(), cc + " db");
        for (Ops ops : List.of(REF, FAST)) {
            ConvGradients weightsOnly = ops.conv2dWeightBackward(x, w, gradOut, cc.params());
            assertNull(weightsOnly.dx(), cc + ": no dx from conv2dWeightBackward");
            assertClose(want.dw(), weightsOnly.dw(), cc + " dw without dx");
            assertClose(want.db(), weightsOnly.db(), cc + " db without dx");
        }
    }

    /** One seeded transposed-conv configuration. */
    record TransposeCase(int id, long[] x, long[] w, boolean bias, ConvTransposeParams params, long seed) {
        @Override
        public String toString() {
            return "#" + id + " x" + Arrays.toString(x) + " w" + Arrays.toString(w) + (bias ? " +bias" : "")
                    + " " + params;
        }
    }

    /**
     * Forty valid transposed convolutions: kernels 1-4 per axis, stride 1-3, dilation 1-2, padding 0-2,
     * output padding drawn below max(stride, dilation) per axis (PyTorch's rule); every eighth case forces
     * stride 1, dilation 2 and output padding 1, the case allowed only by the dilation. Padding is lowered
     * until the output is not empty.
     */
    static List<TransposeCase> transposeCases() {
        Random r = new Random(0x7_2D);
        List<TransposeCase> cases = new ArrayList<>();
        for (int id = 0; id < CASES; id++) {
            int n = 1 + r.nextInt(2), cin = 1 + r.nextInt(3), cout = 1 + r.nextInt(3);
            int kh = 1 + r.nextInt(4), kw = 1 + r.nextInt(4);
            int h = 1 + r.nextInt(5), w = 1 + r.nextInt(5);
            int sh = 1 + r.nextInt(3), sw = 1 + r.nextInt(3), dh = 1 + r.nextInt(2), dw = 1 + r.nextInt(2);
            int oph = r.nextInt(Math.max(sh, dh)), opw = r.nextInt(Math.max(sw, dw));
            if (id % 8 == 7) {
                sh = 1;
                dh = 2;
                oph = 1;
                kh = Math.max(kh, 2);
            }
            int ph = r.nextInt(3), pw = r.nextInt(3);
            while (ph > 0 && Shapes.convTransposeOutput(h, kh, sh, ph, oph, dh) < 1) {
                ph--;
            }
            while (pw > 0 && Shapes.convTransposeOutput(w, kw, sw, pw, opw, dw) < 1) {
                pw--;
            }
            ConvTransposeParams p = ConvTransposeParams.DEFAULT.withStride(sh, sw).withPadding(ph, pw)
                    .withOutputPadding(oph, opw).withDilation(dh, dw);
            cases.add(new TransposeCase(id, new long[] {n, cin, h, w}, new long[] {cin, cout, kh, kw},
                    r.nextBoolean(), p, r.nextLong()));
        }
        return cases;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transposeCases")
    void convTranspose2dForwardAndBackwardAgree(TransposeCase tc) {
        Random r = new Random(tc.seed());
        INDArray x = Tensors.uniform(r, tc.x()), w = Tensors.uniform(r, tc.w());
        INDArray b = tc.bias() ? Tensors.uniform(r, tc.w()[1]) : null;
        ConvTransposeParams p = tc.params();
        INDArray expected = REF.convTranspose2d(x, w, b, p);
        long[] shape = {tc.x()[0], tc.w()[1],
                Shapes.convTransposeOutput((int) tc.x()[2], (int) tc.w()[2], p.strideH(), p.paddingH(),
                        p.outputPaddingH(), p.dilationH()),
                Shapes.convTransposeOutput((int) tc.x()[3], (int) tc.w()[3], p.strideW(), p.paddingW(),
                        p.outputPaddingW(), p.dilationW())};
        assertArrayEquals(shape, expected.shape(), tc + ": output shape follows Shapes.convTransposeOutput");
        assertClose(expected, FAST.convTranspose2d(x, w, b, p), tc + " y");

        INDArray gradOut = Tensors.uniform(r, shape);
        ConvGradients want = REF.convTranspose2dBackward(x, w, gradOut, p);
        ConvGradients got = FAST.convTranspose2dBackward(x, w, gradOut, p);
        assertClose(want.dx(), got.dx(), tc + " dx");
        assertClose(want.dw(), got.dw(), tc + " dw");
        assertClose(want.db(), got.db(), tc + " db");
    }
}
