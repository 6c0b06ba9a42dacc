package cnnlab.ops;

import static cnnlab.testing.Arrays4.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.Cnn;
import cnnlab.testing.Tensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The ReLU family on both engines: parity on seeded inputs of rank 1 to 4 (with some exact zeros, where the
 * derivative's convention matters), within 1e-4 absolute + 1e-4 relative, and RReLU's seeded training mode.
 */
class ActivationsTest {
    private static final Ops REF = Cnn.reference(), FAST = Cnn.fast();

    /** One seeded activation case: an input shape and a leaky slope. */
    record Case(int id, long[] shape, double slope, long seed) {
        @Override
        public String toString() {
            return "#" + id + " x" + Arrays.toString(shape) + " slope " + slope;
        }
    }

    /** Forty shapes of rank 1-4 (rank >= 2 has a channel axis for per-channel PReLU). */
    static List<Case> cases() {
        Random r = new Random(0xAC7);
        List<Case> cases = new ArrayList<>();
        for (int id = 0; id < 40; id++) {
            int rank = 1 + id % 4;
            long[] shape = new long[rank];
            for (int i = 0; i < rank; i++) {
                shape[i] = 1 + r.nextInt(4);
            }
            double slope = id % 5 == 0 ? 0.01 : r.nextDouble() * 0.5;
            cases.add(new Case(id, shape, slope, r.nextLong()));
        }
        return cases;
    }

    /** Uniform values with about one cell in five set to exactly 0 (and one to -0.0). */
    private static INDArray input(Random r, long[] shape) {
        INDArray x = Tensors.uniform(r, shape);
        for (long i = 0; i < x.length(); i++) {
            if (r.nextInt(5) == 0) {
                x.putScalar(i, 0f);
            }
        }
        x.putScalar(r.nextInt((int) x.length()), -0f);
        return x;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reluAndLeakyReluAgree(Case c) {
        Random r = new Random(c.seed());
        INDArray x = input(r, c.shape()), g = Tensors.uniform(r, c.shape());
        assertClose(REF.relu(x), FAST.relu(x), c + " relu");
        assertClose(REF.reluBackward(x, g), FAST.reluBackward(x, g), c + " relu dx");
        assertClose(REF.leakyRelu(x, c.slope()), FAST.leakyRelu(x, c.slope()), c + " leakyRelu");
        assertClose(REF.leakyRelu(x), FAST.leakyRelu(x), c + " leakyRelu default slope");
        assertClose(REF.leakyReluBackward(x, g, c.slope()), FAST.leakyReluBackward(x, g, c.slope()),
                c + " leakyRelu dx");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void preluWithScalarAndPerChannelAlphaAgrees(Case c) {
        Random r = new Random(c.seed());
        INDArray x = input(r, c.shape()), g = Tensors.uniform(r, c.shape());
        List<INDArray> alphas = new ArrayList<>(List.of(Nd4j.create(new float[] {(float) c.slope()}, new long[] {1})));
        if (c.shape().length >= 2) {
            alphas.add(Tensors.uniform(r, c.shape()[1]));
        }
        for (INDArray alpha : alphas) {
            String what = c + " alpha" + Arrays.toString(alpha.shape());
            assertClose(REF.prelu(x, alpha), FAST.prelu(x, alpha), what + " y");
            PreluGradients want = REF.preluBackward(x, alpha, g), got = FAST.preluBackward(x, alpha, g);
            assertClose(want.dx(), got.dx(), what + " dx");
            assertClose(want.dalpha(), got.dalpha(), what + " dalpha");
        }
    }

    /**
     * ReLU's backward on a batch of several blocks, on one thread and on two, with every kind of float in x and in
     * the gradient: the reference engine's floats bit for bit (x &lt;= 0 gives +0 whatever the gradient; NaN in x,
     * either sign, passes it; so do subnormals above 0, and none below).
     */
    @ParameterizedTest(name = "{0} thread(s)")
    @ValueSource(ints = {1, 2})
    void reluBackwardGivesTheReferenceBitsForEveryKindOfFloat(int threads) {
        onThreads(threads, () -> {
            Random r = new Random(40 + threads);
            float[] kinds = {0f, -0f, Float.NaN, Float.intBitsToFloat(0xffc00000), Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, 1f, -1f};
            float[] x = new float[3 * 7 * 41 * 43], g = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextInt(4) == 0 ? kinds[r.nextInt(kinds.length)] : (float) r.nextGaussian();
                g[i] = r.nextInt(4) == 0 ? kinds[r.nextInt(kinds.length)] : (float) r.nextGaussian();
            }
            INDArray xs = Buffers.array(x, 3, 7, 41, 43), gs = Buffers.array(g, 3, 7, 41, 43);
            float[] want = Buffers.floats(REF.reluBackward(xs, gs)), got = Buffers.floats(FAST.reluBackward(xs, gs));
            for (int i = 0; i < x.length; i++) {
                assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]),
                        "cell " + i + ": x " + x[i] + ", gradient " + g[i]);
            }
        });
    }

    /** Runs {@code body} with libnd4j's thread count (which the fast engine's Java loops follow) set to n. */
    private static void onThreads(int n, Runnable body) {
        int before = Nd4j.getEnvironment().maxThreads();
        Nd4j.getEnvironment().setMaxThreads(n);
        try {
            body.run();
        } finally {
            Nd4j.getEnvironment().setMaxThreads(before);
        }
    }

    /**
     * A batch big enough for the fast engine to split the channels over threads: the same floats as the reference
     * engine's loop, bit for bit, on one thread and on two, also where an infinite gradient meets x &gt; 0.
     */
    @ParameterizedTest(name = "{0} thread(s)")
    @ValueSource(ints = {1, 2})
    void preluBackwardOnABigBatchGivesTheReferenceFloats(int threads) {
        onThreads(threads, () -> {
            Random r = new Random(threads);
            INDArray x = input(r, new long[] {4, 9, 40, 40}), g = Tensors.uniform(r, 4, 9, 40, 40);
            g.putScalar(new long[] {1, 2, 3, 4}, Float.POSITIVE_INFINITY);
            x.putScalar(new long[] {1, 2, 3, 4}, 0.5f);
            for (INDArray alpha : List.of(Tensors.uniform(r, 9), Nd4j.create(new float[] {0.25f}, new long[] {1}))) {
                PreluGradients want = REF.preluBackward(x, alpha, g), got = FAST.preluBackward(x, alpha, g);
                assertArrayEquals(Buffers.floats(want.dx()),
                        Buffers.floats(got.dx()), "dx");
                assertArrayEquals(Buffers.floats(want.dalpha()),
                        Buffers.floats(got.dalpha()), "dalpha");
                assertTrue(Float.isFinite(got.dalpha().getFloat(0)), "inf at x > 0 stays out of dalpha");
            }
        });
    }

    /** An input with no elements gives an empty result of its shape on both engines, as in PyTorch. */
    @Test
    void emptyInputsGiveEmptyResults() {
        for (long[] shape : List.of(new long[] {0, 3}, new long[] {0, 3, 4, 4}, new long[] {2, 0})) {
            INDArray x = Nd4j.create(DataType.FLOAT, shape);
            INDArray alpha = Tensors.uniform(new Random(1), shape[1]);
            for (Ops ops : Tensors.ENGINES) {
                String what = ops + " " + Arrays.toString(shape);
                assertArrayEquals(shape, ops.relu(x).shape(), what + " relu");
                assertArrayEquals(shape, ops.leakyReluBackward(x, x, 0.1).shape(), what + " leakyRelu dx");
                assertArrayEquals(shape, ops.prelu(x, alpha).shape(), what + " prelu");
                PreluGradients d = ops.preluBackward(x, alpha, x);
                assertArrayEquals(shape, d.dx().shape(), what + " prelu dx");
                assertArrayEquals(new float[(int) shape[1]], Buffers.floats(d.dalpha()), what + " prelu dalpha");
                RRelu r = ops.rrelu(x, RReluParams.DEFAULT.training(3));
                assertArrayEquals(shape, r.output().shape(), what + " rrelu");
                assertArrayEquals(shape, ops.rreluBackward(x, r).shape(), what + " rrelu dx");
            }
        }
        // an empty Java array, as notebook 05 invites (float[] xs = {}): ND4J gives it no data buffer at all
        INDArray none = Nd4j.createFromArray(new float[0]);
        for (Ops ops : Tensors.ENGINES) {
            long[] zero = {0};
            assertArrayEquals(zero, ops.relu(none).shape(), ops + " relu");
            assertArrayEquals(zero, ops.reluBackward(none, none).shape(), ops + " relu dx");
            assertArrayEquals(zero, ops.leakyRelu(none, 0.1).shape(), ops + " leakyRelu");
            assertArrayEquals(zero, ops.leakyReluBackward(none, none, 0.1).shape(), ops + " leakyRelu dx");
            assertArrayEquals(zero, ops.prelu(none, Nd4j.createFromArray(0.25f)).shape(), ops + " prelu");
            assertArrayEquals(zero, ops.rrelu(none, RReluParams.DEFAULT).output().shape(), ops + " rrelu");
        }
    }

    /**
     * dalpha as the sum of thousands of products of both signs: within one float step of that sum worked out in
     * double, on both engines, with alpha shared and per channel. A float running sum is not (here 6e-5 off -31.62,
     * whose float step is 1.9e-6). In a fuzzed PyTorch case (seed 5281: 4,482 terms of about 0.5 summing to 0.06)
     * it was 1.3e-4 off, and PyTorch 2.5e-6.
     */
    @Test
    void preluAlphaGradientIsTheSumOfManyTermsToFloatPrecision() {
        Random r = new Random(5281);
        long[] shape = {2, 3, 62, 18};
        int n = (int) shape[0], c = (int) shape[1], plane = (int) (shape[2] * shape[3]);
        float[] xs = new float[n * c * plane], gs = new float[xs.length];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (float) r.nextGaussian();
            gs[i] = (float) r.nextGaussian();
        }
        INDArray x = Nd4j.create(xs, shape, 'c'), g = Nd4j.create(gs, shape, 'c');
        for (INDArray alpha : List.of(Nd4j.create(new float[] {0.25f}, new long[] {1}), Tensors.uniform(r, c))) {
            int slopes = (int) alpha.length();
            double[] exact = new double[slopes];
            for (int i = 0; i < xs.length; i++) {
                if (!(xs[i] > 0)) {
                    exact[slopes == 1 ? 0 : i / plane % c] += xs[i] * gs[i];
                }
            }
            for (Ops ops : Tensors.ENGINES) {
                float[] got = Buffers.floats(ops.preluBackward(x, alpha, g).dalpha());
                for (int k = 0; k < slopes; k++) {
                    assertEquals(exact[k], got[k], Math.ulp((float) exact[k]), ops + " dalpha[" + k + "] of " + slopes);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rreluEvalAgreesAndUsesTheMeanSlope(Case c) {
        Random r = new Random(c.seed());
        INDArray x = input(r, c.shape()), g = Tensors.uniform(r, c.shape());
        RReluParams p = RReluParams.of(c.slope() / 2, c.slope());
        RRelu want = REF.rrelu(x, p), got = FAST.rrelu(x, p);
        assertClose(want.output(), got.output(), c + " y");
        assertClose(want.slopes(), got.slopes(), c + " slopes");
        assertClose(REF.leakyRelu(x, p.evalSlope()), got.output(), c + " eval = leaky with (l+u)/2");
        assertClose(REF.rreluBackward(g, want), FAST.rreluBackward(g, got), c + " dx");
        assertClose(REF.leakyRelu(x, RReluParams.DEFAULT.evalSlope()), FAST.rrelu(x), c + " default eval");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rreluTrainingWithTheSameSeedGivesIdenticalSlopes(Case c) {
        Random r = new Random(c.seed());
        INDArray x = input(r, c.shape()), g = Tensors.uniform(r, c.shape());
        RReluParams p = RReluParams.DEFAULT.training(c.seed());
        RRelu want = REF.rrelu(x, p), got = FAST.rrelu(x, p);
        Tensors.assertIdentical(want.slopes(), got.slopes(), c + " slopes");
        assertClose(want.output(), got.output(), c + " y");
        assertClose(REF.rreluBackward(g, want), FAST.rreluBackward(g, got), c + " dx");
        Tensors.assertIdentical(got.slopes(), FAST.rrelu(x, p).slopes(), c + " the same seed again");
        double[] xs = Tensors.values(x), slopes = Tensors.values(got.slopes()), y = Tensors.values(got.output());
        for (int i = 0; i < xs.length; i++) {
            if (xs[i] > 0) {
                assertEquals(1.0, slopes[i], c + ": slope 1 where x > 0");
            } else {
                assertTrue(slopes[i] >= p.lower() - 1e-7 && slopes[i] < p.upper() + 1e-7,
                        c + ": slope " + slopes[i] + " in [lower, upper) at " + i);
            }
            assertEquals((float) (xs[i] * slopes[i]), y[i], 1e-6, c + ": y = x * slope at " + i);
        }
    }

    @Test
    void rreluTrainingDrawsDifferentSlopesForDifferentSeeds() {
        INDArray x = Transforms.abs(Tensors.awayFromZero(new Random(5), 0.1, 2, 3, 4, 4)).negi(); // all negative
        for (Ops ops : Tensors.ENGINES) {
            INDArray a = ops.rrelu(x, RReluParams.DEFAULT.training(1)).slopes();
            INDArray b = ops.rrelu(x, RReluParams.DEFAULT.training(2)).slopes();
            assertFalse(Arrays.equals(Tensors.values(a), Tensors.values(b)), ops.name() + ": seeds 1 and 2 differ");
            double[] s = Tensors.values(a);
            double mean = Arrays.stream(s).average().orElseThrow();
            // 96 draws from U[1/8, 1/3): mean 0.229, standard error 0.006
            assertEquals(RReluParams.DEFAULT.evalSlope(), mean, 0.03, ops.name() + ": slopes centred in the band");
        }
    }

    private static float[] floats(INDArray a) {
        return Buffers.floats(a);
    }

    private static INDArray row(float... v) {
        return Nd4j.create(v, new long[] {v.length}, 'c');
    }

    /**
     * PyTorch's leaky_relu is the select {@code x > 0 ? x : x * slope}: a positive x comes back bit for bit whatever
     * the slope (torch 1.13: leaky_relu([1, 3, -2], 8.162257703906704) = [1, 3, -16.324515]; with NaN, [1, 3, nan];
     * with inf, [1, 3, -inf]; its backward with inf and a gradient of ones [1, 1, inf]).
     */
    @Test
    void leakyReluGivesPositiveValuesBackExactlyForAnySlope() {
        for (Ops ops : List.of(REF, FAST)) {
            String e = ops.name();
            float s = (float) 8.162257703906704;
            assertArrayEquals(new float[] {1, 3, -2 * s}, floats(ops.leakyRelu(row(1, 3, -2), 8.162257703906704)), e);
            assertArrayEquals(new float[] {1, 1, s}, floats(ops.leakyReluBackward(row(1, 3, -2), row(1, 1, 1),
                    8.162257703906704)), e);
            assertArrayEquals(new float[] {1, 3, Float.NaN}, floats(ops.leakyRelu(row(1, 3, -2), Double.NaN)), e);
            assertArrayEquals(new float[] {1, 3, Float.NEGATIVE_INFINITY},
                    floats(ops.leakyRelu(row(1, 3, -2), Double.POSITIVE_INFINITY)), e);
            assertArrayEquals(new float[] {1, 1, Float.POSITIVE_INFINITY},
                    floats(ops.leakyReluBackward(row(1, 3, -2), row(1, 1, 1), Double.POSITIVE_INFINITY)), e);
            assertArrayEquals(new float[] {1, 3, 2}, floats(ops.leakyRelu(row(1, 3, -2), -1)), e);
            assertArrayEquals(new float[] {1, 3, -2 * 16777216f}, floats(ops.leakyRelu(row(1, 3, -2), 16777217.0)), e);
            assertArrayEquals(new float[] {1, 3, Float.NaN}, floats(ops.prelu(row(1, 3, -2), row(Float.NaN))), e);
        }
    }

    /** Per-channel PReLU with one NaN slope spoils only that channel's negative cells (torch: [2, nan, 2, -1]). */
    @Test
    void prelusNaNSlopeStaysInItsChannel() {
        INDArray x = Nd4j.create(new float[] {2, -2, 2, -2}, new long[] {1, 2, 2}, 'c');
        for (Ops ops : List.of(REF, FAST)) {
            assertArrayEquals(new float[] {2, Float.NaN, 2, -1}, floats(ops.prelu(x, row(Float.NaN, 0.5f))),
                    ops.name());
        }
    }
}
