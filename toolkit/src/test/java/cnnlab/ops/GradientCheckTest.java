package cnnlab.ops;

import static cnnlab.testing.Tensors.assertGradient;

import cnnlab.testing.Tensors;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every backward pass against centred differences, on both engines (micrograd's check: the same number
 * computed two ways). The loss is {@code L = sum(op(x) * R)} for a fixed random R, so the analytic gradient is
 * the op's backward with {@code gradOut = R}, and the numeric one is
 * {@code (L(a + h) - L(a - h)) / 2h} at about 20 sampled coordinates per array, L summed in double from the
 * op's float32 output.
 *
 * <p>Tolerances: step {@code h = 1e-2}, accepted error {@code 2e-3 + 2e-2 * |numeric|}. Convolutions,
 * transposed convolutions and average pooling are linear in each argument, so the centred difference is exact
 * up to float32 rounding of the outputs (about 1e-6 relative, divided by 2h); the piecewise-linear ops are
 * exact too as long as the step does not cross a kink, which the inputs are built to avoid: activations see
 * inputs at least 0.05 away from 0, max/min pooling sees values at least 0.1 apart, so a 1e-2 step never
 * changes which cell of a window wins.
 */
class GradientCheckTest {
    private static final double H = 1e-2, ATOL = 2e-3, RTOL = 2e-2;
    private static final int COORDINATES = 20;

    private static Stream<Arguments> onBothEngines(List<?> cases) {
        return Tensors.ENGINES.stream().flatMap(ops -> cases.stream().map(c -> Arguments.of(ops.name(), ops, c)));
    }

    private static void check(String what, Function<INDArray, INDArray> f, INDArray at,
                              INDArray r, INDArray analytic, Random random) {
        assertGradient(what, f, at, r, analytic, Tensors.sample(random, at.length(), COORDINATES), H, ATOL, RTOL);
    }

    // ---------------------------------------------------------------- convolution

    record ConvCase(String name, long[] x, long[] w, boolean bias, ConvParams params) {
        @Override
        public String toString() {
            return name + ": x" + Arrays.toString(x) + " w" + Arrays.toString(w) + " " + params;
        }
    }

    static Stream<Arguments> convCases() {
        return onBothEngines(List.of(
                new ConvCase("3x3 with bias", new long[] {2, 2, 6, 6}, new long[] {3, 2, 3, 3}, true,
                        ConvParams.DEFAULT),
                new ConvCase("stride 2, padding 1", new long[] {1, 2, 7, 7}, new long[] {2, 2, 3, 3}, true,
                        ConvParams.of(2, 1)),
                new ConvCase("rectangular, per-axis stride and dilation", new long[] {1, 2, 7, 6},
                        new long[] {2, 2, 2, 3}, false,
                        ConvParams.DEFAULT.withStride(1, 2).withDilation(2, 1).withPadding(1, 0)),
                new ConvCase("same, even kernel", new long[] {1, 1, 5, 6}, new long[] {2, 1, 2, 4}, true,
                        ConvParams.same()),
                new ConvCase("reflect", new long[] {1, 2, 5, 5}, new long[] {2, 2, 3, 3}, true,
                        ConvParams.of(1, 2).withPaddingMode(PaddingMode.REFLECT)),
                new ConvCase("replicate", new long[] {1, 1, 4, 5}, new long[] {2, 1, 3, 2}, false,
                        ConvParams.of(2, 1, 2, 1).withPaddingMode(PaddingMode.REPLICATE)),
                new ConvCase("circular, same, dilation 2", new long[] {1, 2, 4, 5}, new long[] {1, 2, 3, 3}, true,
                        ConvParams.same().withDilation(2).withPaddingMode(PaddingMode.CIRCULAR))));
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("convCases")
    void conv2dGradientsMatchCentredDifferences(String engine, Ops ops, ConvCase c) {
        Random random = new Random(c.name().hashCode());
        INDArray x = Tensors.uniform(random, c.x()), w = Tensors.uniform(random, c.w());
        INDArray b = c.bias() ? Tensors.uniform(random, c.w()[0]) : null;
        ConvParams p = c.params();
        INDArray r = Tensors.uniform(random, ops.conv2d(x, w, b, p).shape());
        ConvGradients g = ops.conv2dBackward(x, w, r, p);
        check(engine + " " + c + " dx", a -> ops.conv2d(a, w, b, p), x, r, g.dx(), random);
        check(engine + " " + c + " dw", a -> ops.conv2d(x, a, b, p), w, r, g.dw(), random);
        INDArray bias = b != null ? b : Nd4j.zeros(DataType.FLOAT, c.w()[0]);
        check(engine + " " + c + " db", a -> ops.conv2d(x, w, a, p), bias, r, g.db(), random);
    }

    record TransposeCase(String name, long[] x, long[] w, boolean bias, ConvTransposeParams params) {
        @Override
        public String toString() {
            return name + ": x" + Arrays.toString(x) + " w" + Arrays.toString(w) + " " + params;
        }
    }

    static Stream<Arguments> transposeCases() {
        return onBothEngines(List.of(
                new TransposeCase("3x3", new long[] {2, 2, 4, 4}, new long[] {2, 1, 3, 3}, true,
                        ConvTransposeParams.DEFAULT),
                new TransposeCase("stride 2, padding 1, output padding 1", new long[] {1, 2, 3, 3},
                        new long[] {2, 3, 3, 3}, true, ConvTransposeParams.of(2, 1).withOutputPadding(1)),
                new TransposeCase("output padding allowed by dilation", new long[] {2, 1, 3, 4},
                        new long[] {1, 2, 2, 3}, false, ConvTransposeParams.DEFAULT.withStride(1, 2)
                        .withDilation(2, 1).withOutputPadding(1, 0)),
                new TransposeCase("rectangular, per-axis padding", new long[] {1, 3, 4, 3},
                        new long[] {3, 2, 4, 2}, true, ConvTransposeParams.of(2, 3, 1, 0))));
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("transposeCases")
    void convTranspose2dGradientsMatchCentredDifferences(String engine, Ops ops, TransposeCase c) {
        Random random = new Random(c.name().hashCode());
        INDArray x = Tensors.uniform(random, c.x()), w = Tensors.uniform(random, c.w());
        INDArray b = c.bias() ? Tensors.uniform(random, c.w()[1]) : null;
        ConvTransposeParams p = c.params();
        INDArray r = Tensors.uniform(random, ops.convTranspose2d(x, w, b, p).shape());
        ConvGradients g = ops.convTranspose2dBackward(x, w, r, p);
        check(engine + " " + c + " dx", a -> ops.convTranspose2d(a, w, b, p), x, r, g.dx(), random);
        check(engine + " " + c + " dw", a -> ops.convTranspose2d(x, a, b, p), w, r, g.dw(), random);
        INDArray bias = b != null ? b : Nd4j.zeros(DataType.FLOAT, c.w()[1]);
        check(engine + " " + c + " db", a -> ops.convTranspose2d(x, w, a, p), bias, r, g.db(), random);
    }

    // ---------------------------------------------------------------- pooling

    record PoolCase(String name, long[] x, PoolParams params) {
        @Override
        public String toString() {
            return name + ": x" + Arrays.toString(x) + " " + params;
        }
    }

    static Stream<Arguments> avgCases() {
        return onBothEngines(List.of(
                new PoolCase("2x2", new long[] {2, 2, 4, 6}, PoolParams.of(2)),
                new PoolCase("3x3 stride 2 padding 1", new long[] {1, 2, 7, 7}, PoolParams.of(3, 2, 1)),
                new PoolCase("3x3 stride 2 padding 1, count_include_pad false", new long[] {1, 2, 7, 7},
                        PoolParams.of(3, 2, 1).withCountIncludePad(false)),
                new PoolCase("overlapping, ceil mode", new long[] {1, 1, 6, 5},
                        new PoolParams(3, 2, 2, 1, 1, 1, 1, 1, true, true)),
                new PoolCase("ceil mode, count_include_pad false", new long[] {1, 2, 5, 5},
                        PoolParams.of(2, 2, 1).withCeilMode(true).withCountIncludePad(false))));
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("avgCases")
    void avgPoolGradientMatchesCentredDifferences(String engine, Ops ops, PoolCase c) {
        Random random = new Random(c.name().hashCode());
        INDArray x = Tensors.uniform(random, c.x());
        INDArray r = Tensors.uniform(random, ops.avgPool2d(x, c.params()).shape());
        check(engine + " " + c + " dx", a -> ops.avgPool2d(a, c.params()), x, r,
                ops.avgPool2dBackward(x, r, c.params()), random);
    }

    static Stream<Arguments> extremeCases() {
        return onBothEngines(List.of(
                new PoolCase("2x2", new long[] {2, 2, 4, 6}, PoolParams.of(2)),
                new PoolCase("3x3 stride 1 padding 1 (overlapping windows)", new long[] {1, 2, 5, 5},
                        PoolParams.of(3, 1, 1)),
                new PoolCase("3x3 stride 2 padding 1, ceil mode", new long[] {1, 1, 6, 6},
                        PoolParams.of(3, 2, 1).withCeilMode(true)),
                new PoolCase("rectangular, dilation (2, 1)", new long[] {1, 2, 7, 6},
                        new PoolParams(2, 3, 1, 2, 1, 1, 2, 1, false, true))));
    }

    /** Values 0.1 apart: the 1e-2 step never changes a window's maximum. */
    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("extremeCases")
    void maxPoolGradientMatchesCentredDifferences(String engine, Ops ops, PoolCase c) {
        Random random = new Random(c.name().hashCode());
        INDArray x = Tensors.separated(random, 0.1, c.x());
        INDArray r = Tensors.uniform(random, ops.maxPool2d(x, c.params()).shape());
        check(engine + " " + c + " dx", a -> ops.maxPool2d(a, c.params()), x, r,
                ops.maxPool2dBackward(x, r, c.params()), random);
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("extremeCases")
    void minPoolGradientMatchesCentredDifferences(String engine, Ops ops, PoolCase c) {
        Random random = new Random(~c.name().hashCode());
        INDArray x = Tensors.separated(random, 0.1, c.x());
        INDArray r = Tensors.uniform(random, ops.minPool2d(x, c.params()).shape());
        check(engine + " " + c + " dx", a -> ops.minPool2d(a, c.params()), x, r,
                ops.minPool2dBackward(x, r, c.params()), random);
    }

    // ---------------------------------------------------------------- activations

    static Stream<Arguments> activationShapes() {
        return onBothEngines(List.of(new long[] {2, 3, 4, 4}, new long[] {3, 5}, new long[] {7}));
    }

    /** Inputs at least 0.05 from 0, so the 1e-2 step never crosses the kink. */
    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("activationShapes")
    void reluFamilyGradientsMatchCentredDifferences(String engine, Ops ops, long[] shape) {
        String what = engine + " x" + Arrays.toString(shape);
        Random random = new Random(Arrays.hashCode(shape));
        INDArray x = Tensors.awayFromZero(random, 0.05, shape), r = Tensors.uniform(random, shape);
        check(what + " relu dx", ops::relu, x, r, ops.reluBackward(x, r), random);
        for (double slope : new double[] {0.01, 0.2}) {
            check(what + " leakyRelu(" + slope + ") dx", a -> ops.leakyRelu(a, slope), x, r,
                    ops.leakyReluBackward(x, r, slope), random);
        }
        RReluParams training = RReluParams.DEFAULT.training(11);
        check(what + " rrelu training dx", a -> ops.rrelu(a, training).output(), x, r,
                ops.rreluBackward(r, ops.rrelu(x, training)), random);
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("activationShapes")
    void preluGradientsMatchCentredDifferences(String engine, Ops ops, long[] shape) {
        Random random = new Random(Arrays.hashCode(shape) + 1);
        INDArray x = Tensors.awayFromZero(random, 0.05, shape), r = Tensors.uniform(random, shape);
        INDArray scalar = Nd4j.create(new float[] {0.25f}, new long[] {1});
        List<INDArray> alphas = shape.length >= 2 ? List.of(scalar, Tensors.uniform(random, shape[1]))
                : List.of(scalar);
        for (INDArray alpha : alphas) {
            String what = engine + " x" + Arrays.toString(shape) + " alpha" + Arrays.toString(alpha.shape());
            PreluGradients g = ops.preluBackward(x, alpha, r);
            check(what + " dx", a -> ops.prelu(a, alpha), x, r, g.dx(), random);
            check(what + " dalpha", a -> ops.prelu(x, a), alpha, r, g.dalpha(), random);
        }
    }
}
