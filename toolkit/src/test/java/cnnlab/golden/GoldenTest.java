package cnnlab.golden;

import static cnnlab.testing.Arrays4.assertClose;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.Cnn;
import cnnlab.golden.Golden.Case;
import cnnlab.ops.ConvGradients;
import cnnlab.ops.ConvParams;
import cnnlab.ops.ConvTransposeParams;
import cnnlab.ops.Ops;
import cnnlab.ops.PaddingMode;
import cnnlab.ops.PoolParams;
import cnnlab.ops.Pooled;
import cnnlab.ops.PreluGradients;
import cnnlab.ops.RReluParams;
import cnnlab.shape.Shapes;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Both engines against PyTorch 1.13's own numbers: forward, backward, sizes, errors and NaN. */
class GoldenTest {
    private static final List<Ops> ENGINES = List.of(Cnn.reference(), Cnn.fast());

    private static Stream<DynamicTest> each(String file, java.util.function.BiConsumer<Ops, Case> check) {
        return Golden.cases(file).stream().flatMap(c -> ENGINES.stream().map(ops ->
                DynamicTest.dynamicTest(ops.name() + " " + c.name(), () -> check.accept(ops, c))));
    }

    static ConvParams convParams(Case c) {
        int[] s = c.pair("stride"), d = c.pair("dilation");
        PaddingMode mode = PaddingMode.valueOf(c.params().get("padding_mode").asText().toUpperCase(Locale.ROOT));
        ConvParams p = ConvParams.DEFAULT.withStride(s[0], s[1]).withDilation(d[0], d[1]).withPaddingMode(mode);
        if (c.params().get("padding").isTextual()) {
            return p.withSamePadding();
        }
        int[] pad = c.pair("padding");
        return p.withPadding(pad[0], pad[1]);
    }

    static ConvTransposeParams convTransposeParams(Case c) {
        int[] s = c.pair("stride"), p = c.pair("padding"), op = c.pair("output_padding"), d = c.pair("dilation");
        return ConvTransposeParams.DEFAULT.withStride(s[0], s[1]).withPadding(p[0], p[1])
                .withOutputPadding(op[0], op[1]).withDilation(d[0], d[1]);
    }

    static PoolParams poolParams(Case c) {
        int[] k = c.pair("kernel_size"), s = c.pair("stride"), p = c.pair("padding"), d = c.pair("dilation");
        return new PoolParams(k[0], k[1], s[0], s[1], p == null ? 0 : p[0], p == null ? 0 : p[1],
                d == null ? 1 : d[0], d == null ? 1 : d[1], c.flag("ceil_mode", false),
                c.flag("count_include_pad", true));
    }

    private static void checkConv(Ops ops, Case c) {
        ConvParams p = convParams(c);
        INDArray x = c.in("x"), w = c.in("weight"), b = c.in("bias");
        assertClose(c.out("y"), ops.conv2d(x, w, b, p), c + " y");
        ConvGradients g = ops.conv2dBackward(x, w, c.in("grad_out"), p);
        assertClose(c.out("dx"), g.dx(), c + " dx");
        assertClose(c.out("dweight"), g.dw(), c + " dweight");
        if (b != null) {
            assertClose(c.out("dbias"), g.db(), c + " dbias");
        }
    }

    @TestFactory
    Stream<DynamicTest> conv2d() {
        return each("conv2d", GoldenTest::checkConv);
    }

    @TestFactory
    Stream<DynamicTest> convTranspose2d() {
        return each("conv_transpose2d", (ops, c) -> {
            ConvTransposeParams p = convTransposeParams(c);
            INDArray x = c.in("x"), w = c.in("weight"), b = c.in("bias");
            assertClose(c.out("y"), ops.convTranspose2d(x, w, b, p), c + " y");
            ConvGradients g = ops.convTranspose2dBackward(x, w, c.in("grad_out"), p);
            assertClose(c.out("dx"), g.dx(), c + " dx");
            assertClose(c.out("dweight"), g.dw(), c + " dweight");
            if (b != null) {
                assertClose(c.out("dbias"), g.db(), c + " dbias");
            }
        });
    }

    private static void checkMaxPool(Ops ops, Case c) {
        PoolParams p = poolParams(c);
        Pooled r = ops.maxPool2dWithIndices(c.in("x"), p);
        assertClose(c.out("y"), r.output(), c + " y");
        assertClose(c.out("indices"), r.indices(), 0, 0, c + " indices");
        assertEquals(DataType.LONG, r.indices().dataType(), c + " indices dtype");
        assertClose(c.out("dx"), ops.maxPool2dBackward(c.in("x"), c.in("grad_out"), p), c + " dx");
        assertClose(c.out("dx"), ops.maxPool2dBackward(c.in("x"), c.in("grad_out"), c.out("indices"), p),
                c + " dx by PyTorch's indices");
    }

    @TestFactory
    Stream<DynamicTest> maxPool2d() {
        return each("max_pool2d", GoldenTest::checkMaxPool);
    }

    private static void checkAvgPool(Ops ops, Case c) {
        PoolParams p = poolParams(c);
        assertClose(c.out("y"), ops.avgPool2d(c.in("x"), p), c + " y");
        assertClose(c.out("dx"), ops.avgPool2dBackward(c.in("x"), c.in("grad_out"), p), c + " dx");
    }

    @TestFactory
    Stream<DynamicTest> avgPool2d() {
        return each("avg_pool2d", GoldenTest::checkAvgPool);
    }

    @TestFactory
    Stream<DynamicTest> minPool2d() {
        return each("min_pool2d", (ops, c) -> {
            PoolParams p = poolParams(c);
            assertClose(c.out("y"), ops.minPool2d(c.in("x"), p), c + " y");
            assertClose(c.out("dx"), ops.minPool2dBackward(c.in("x"), c.in("grad_out"), p), c + " dx");
        });
    }

    @TestFactory
    Stream<DynamicTest> medianPool2d() {
        return each("median_pool2d", (ops, c) ->
                assertClose(c.out("y"), ops.medianPool2d(c.in("x"), poolParams(c)), c + " y"));
    }

    @TestFactory
    Stream<DynamicTest> maxUnpool2d() {
        return each("max_unpool2d", (ops, c) -> {
            int[] size = c.pair("output_size");
            long[] outputSize = size == null ? null : new long[] {size[0], size[1]};
            assertClose(c.out("y"), ops.maxUnpool2d(c.in("x"), c.in("indices"), poolParams(c), outputSize), c + " y");
        });
    }

    @TestFactory
    Stream<DynamicTest> unpoolNearest() {
        return each("unpool_nearest", (ops, c) ->
                assertClose(c.out("y"), ops.unpoolNearest(c.in("x"), poolParams(c)), c + " y"));
    }

    private static void checkActivation(Ops ops, Case c) {
        INDArray x = c.in("x"), g = c.in("grad_out");
        String fn = c.params().get("fn").asText();
        switch (fn) {
            case "relu" -> {
                assertClose(c.out("y"), ops.relu(x), c + " y");
                assertClose(c.out("dx"), ops.reluBackward(x, g), c + " dx");
            }
            case "leaky_relu" -> {
                double slope = c.params().get("negative_slope").asDouble();
                assertClose(c.out("y"), ops.leakyRelu(x, slope), c + " y");
                assertClose(c.out("dx"), ops.leakyReluBackward(x, g, slope), c + " dx");
            }
            case "prelu" -> {
                INDArray alpha = Golden.tensor(c.params().get("alpha"));
                assertClose(c.out("y"), ops.prelu(x, alpha), c + " y");
                PreluGradients d = ops.preluBackward(x, alpha, g);
                assertClose(c.out("dx"), d.dx(), c + " dx");
                assertClose(c.out("dalpha"), d.dalpha(), 1e-4, 1e-4, c + " dalpha");
            }
            case "rrelu_eval" -> {
                RReluParams p = RReluParams.of(c.params().get("lower").asDouble(), c.params().get("upper").asDouble());
                var r = ops.rrelu(x, p);
                assertClose(c.out("y"), r.output(), c + " y");
                assertClose(c.out("dx"), ops.rreluBackward(g, r), c + " dx");
            }
            default -> throw new IllegalStateException("unknown fn " + fn);
        }
    }

    @TestFactory
    Stream<DynamicTest> activations() {
        return each("activations", GoldenTest::checkActivation);
    }

    @TestFactory
    Stream<DynamicTest> nanPropagation() {
        return each("nan", (ops, c) -> {
            switch (c.raw().get("op").asText()) {
                case "conv2d" -> checkConv(ops, c);
                case "max_pool2d" -> checkMaxPool(ops, c);
                case "avg_pool2d" -> checkAvgPool(ops, c);
                default -> checkActivation(ops, c);
            }
        });
    }

    @TestFactory
    Stream<DynamicTest> sizes() {
        return Golden.cases("sizes").stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            var q = c.params();
            int i = q.get("input").asInt(), k = q.get("kernel").asInt(), s = q.get("stride").asInt();
            int p = q.get("padding").asInt(), d = q.get("dilation").asInt();
            int expected = c.outputs().get("size").asInt();
            int actual = switch (q.get("kind").asText()) {
                case "conv" -> Shapes.convOutput(i, k, s, p, d);
                case "pool" -> Shapes.poolOutput(i, k, s, p, d, q.get("ceil_mode").asBoolean());
                default -> Shapes.convTransposeOutput(i, k, s, p, q.get("output_padding").asInt(), d);
            };
            assertEquals(expected, actual, c.toString());
        }));
    }

    private static INDArray zeros(com.fasterxml.jackson.databind.JsonNode shape) {
        long[] s = new long[shape.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = shape.get(i).asLong();
        }
        return Nd4j.zeros(DataType.FLOAT, s);
    }

    /** Every input PyTorch rejects is an IllegalArgumentException; the cases it accepts (3-D inputs) run. */
    @TestFactory
    Stream<DynamicTest> errors() {
        return each("errors", (ops, c) -> {
            var in = c.inputs();
            INDArray x = zeros(in.get("x_shape"));
            String op = c.raw().get("op").asText();
            Executable call = switch (op) {
                case "conv2d" -> () -> ops.conv2d(x, zeros(in.get("weight_shape")),
                        in.has("bias_shape") ? zeros(in.get("bias_shape")) : null, convParams(c));
                case "conv_transpose2d" -> () -> ops.convTranspose2d(x, zeros(in.get("weight_shape")),
                        in.has("bias_shape") ? zeros(in.get("bias_shape")) : null, convTransposeParams(c));
                case "max_pool2d" -> () -> ops.maxPool2d(x, poolParams(c));
                case "avg_pool2d" -> () -> ops.avgPool2d(x, poolParams(c));
                case "max_unpool2d" -> () -> {
                    INDArray idx = zeros(in.get("indices_shape")).castTo(DataType.LONG);
                    if (in.has("indices_max")) {
                        idx.putScalar(0, in.get("indices_max").asLong());
                    }
                    int[] size = c.pair("output_size");
                    ops.maxUnpool2d(x, idx, poolParams(c), size == null ? null : new long[] {size[0], size[1]});
                };
                default -> throw new IllegalStateException("unknown op " + op);
            };
            if (c.raw().path("torch_accepts").asBoolean(false)) {    // e.g. one image without the batch axis
                assertDoesNotThrow(call, c + ": torch accepts it");
                return;
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call, c.toString());
            String camel = switch (op) {
                case "conv_transpose2d" -> "convTranspose2d";
                case "max_pool2d" -> "maxPool2d";
                case "avg_pool2d" -> "avgPool2d";
                case "max_unpool2d" -> "maxUnpool2d";
                default -> op;
            };
            assertTrue(e.getMessage().startsWith(camel + ": "), c + ": message names the op: " + e.getMessage());
            assertTrue(e.getMessage().contains("[" + String.join(",", in.get("x_shape").toString()
                    .replaceAll("[\\[\\]]", "").split(",")) + "]"), c + ": message names the input shape: "
                    + e.getMessage());
        });
    }
}
