package cnnlab.ops;

import static cnnlab.testing.Arrays4.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import cnnlab.Cnn;
import cnnlab.testing.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * What every op promises about its inputs, on both engines: it never changes them (DESIGN.md: "Ops never
 * mutate their inputs"); it accepts float64 arrays and answers in float32 (Ops: "other dtypes are converted");
 * and it gives the same answer for an input laid out differently in memory (column-major, or a strided view).
 */
class InputsTest {

    /** One op call over an array of inputs, returning every array it produces. */
    record Call(String name, INDArray[] inputs, BiFunction<Ops, INDArray[], List<INDArray>> run) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Call> calls() {
        Random r = new Random(0x1A9);
        Ops ref = Cnn.reference();
        INDArray x = Tensors.uniform(r, 2, 3, 6, 5), w = Tensors.uniform(r, 4, 3, 3, 2), b = Tensors.uniform(r, 4);
        INDArray tw = Tensors.uniform(r, 3, 2, 3, 3), tb = Tensors.uniform(r, 2);
        ConvParams conv = ConvParams.of(2, 1).withDilation(1, 2);
        ConvParams reflect = ConvParams.same().withPaddingMode(PaddingMode.REFLECT);
        ConvTransposeParams tconv = ConvTransposeParams.of(2, 1).withOutputPadding(1);
        PoolParams pool = PoolParams.of(3, 2, 1).withCeilMode(true);
        PoolParams avg = pool.withCountIncludePad(false);
        INDArray gConv = Tensors.uniform(r, ref.conv2d(x, w, b, conv).shape());
        INDArray gReflect = Tensors.uniform(r, ref.conv2d(x, w, b, reflect).shape());
        INDArray gT = Tensors.uniform(r, ref.convTranspose2d(x, tw, tb, tconv).shape());
        INDArray gPool = Tensors.uniform(r, ref.maxPool2d(x, pool).shape());
        Pooled pooled = ref.maxPool2dWithIndices(x, PoolParams.of(2));
        INDArray winners = ref.maxPool2dWithIndices(x, pool).indices();
        INDArray alpha = Tensors.uniform(r, 3), g = Tensors.uniform(r, x.shape());
        RReluParams training = RReluParams.DEFAULT.training(3);
        RRelu forward = ref.rrelu(x, training);

        List<Call> c = new ArrayList<>();
        c.add(new Call("conv2d", new INDArray[] {x, w, b}, (o, a) -> List.of(o.conv2d(a[0], a[1], a[2], conv))));
        c.add(new Call("conv2d reflect same", new INDArray[] {x, w, b},
                (o, a) -> List.of(o.conv2d(a[0], a[1], a[2], reflect))));
        c.add(new Call("conv2dBackward", new INDArray[] {x, w, gConv},
                (o, a) -> grads(o.conv2dBackward(a[0], a[1], a[2], conv))));
        c.add(new Call("conv2dWeightBackward", new INDArray[] {x, w, gConv},
                (o, a) -> weightGrads(o.conv2dWeightBackward(a[0], a[1], a[2], conv))));
        c.add(new Call("conv2dBackward reflect same", new INDArray[] {x, w, gReflect},
                (o, a) -> grads(o.conv2dBackward(a[0], a[1], a[2], reflect))));
        c.add(new Call("convTranspose2d", new INDArray[] {x, tw, tb},
                (o, a) -> List.of(o.convTranspose2d(a[0], a[1], a[2], tconv))));
        c.add(new Call("convTranspose2dBackward", new INDArray[] {x, tw, gT},
                (o, a) -> grads(o.convTranspose2dBackward(a[0], a[1], a[2], tconv))));
        c.add(new Call("maxPool2dWithIndices", new INDArray[] {x}, (o, a) -> {
            Pooled p = o.maxPool2dWithIndices(a[0], pool);
            return List.of(p.output(), p.indices());
        }));
        c.add(new Call("maxPool2dBackward", new INDArray[] {x, gPool},
                (o, a) -> List.of(o.maxPool2dBackward(a[0], a[1], pool))));
        c.add(new Call("maxPool2dBackward by indices", new INDArray[] {x, gPool, winners},
                (o, a) -> List.of(o.maxPool2dBackward(a[0], a[1], a[2], pool))));
        c.add(new Call("minPool2d", new INDArray[] {x}, (o, a) -> List.of(o.minPool2d(a[0], pool))));
        c.add(new Call("minPool2dBackward", new INDArray[] {x, gPool},
                (o, a) -> List.of(o.minPool2dBackward(a[0], a[1], pool))));
        c.add(new Call("avgPool2d", new INDArray[] {x}, (o, a) -> List.of(o.avgPool2d(a[0], avg))));
        c.add(new Call("avgPool2dBackward", new INDArray[] {x, gPool},
                (o, a) -> List.of(o.avgPool2dBackward(a[0], a[1], avg))));
        c.add(new Call("medianPool2d", new INDArray[] {x}, (o, a) -> List.of(o.medianPool2d(a[0], pool))));
        c.add(new Call("maxUnpool2d", new INDArray[] {pooled.output(), pooled.indices()},
                (o, a) -> List.of(o.maxUnpool2d(a[0], a[1], PoolParams.of(2), new long[] {6, 5}))));
        c.add(new Call("unpoolNearest", new INDArray[] {x}, (o, a) -> List.of(o.unpoolNearest(a[0], 2, 1))));
        c.add(new Call("relu", new INDArray[] {x}, (o, a) -> List.of(o.relu(a[0]))));
        c.add(new Call("reluBackward", new INDArray[] {x, g}, (o, a) -> List.of(o.reluBackward(a[0], a[1]))));
        c.add(new Call("leakyRelu", new INDArray[] {x}, (o, a) -> List.of(o.leakyRelu(a[0], 0.2))));
        c.add(new Call("leakyReluBackward", new INDArray[] {x, g},
                (o, a) -> List.of(o.leakyReluBackward(a[0], a[1], 0.2))));
        c.add(new Call("prelu", new INDArray[] {x, alpha}, (o, a) -> List.of(o.prelu(a[0], a[1]))));
        c.add(new Call("preluBackward", new INDArray[] {x, alpha, g}, (o, a) -> {
            PreluGradients p = o.preluBackward(a[0], a[1], a[2]);
            return List.of(p.dx(), p.dalpha());
        }));
        c.add(new Call("rrelu eval", new INDArray[] {x}, (o, a) -> rrelu(o.rrelu(a[0], RReluParams.DEFAULT))));
        c.add(new Call("rrelu training", new INDArray[] {x}, (o, a) -> rrelu(o.rrelu(a[0], training))));
        c.add(new Call("rreluBackward", new INDArray[] {g, forward.output(), forward.slopes()},
                (o, a) -> List.of(o.rreluBackward(a[0], new RRelu(a[1], a[2])))));
        return c;
    }

    private static List<INDArray> grads(ConvGradients g) {
        return List.of(g.dx(), g.dw(), g.db());
    }

    private static List<INDArray> weightGrads(ConvGradients g) {
        return List.of(g.dw(), g.db());
    }

    private static List<INDArray> rrelu(RRelu r) {
        return List.of(r.output(), r.slopes());
    }

    static Stream<Arguments> callsOnBothEngines() {
        return Tensors.ENGINES.stream().flatMap(ops -> calls().stream().map(c -> Arguments.of(ops.name(), ops, c)));
    }

    private static INDArray[] map(INDArray[] inputs, UnaryOperator<INDArray> f) {
        INDArray[] out = new INDArray[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            out[i] = f.apply(inputs[i]);
        }
        return out;
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("callsOnBothEngines")
    void opsNeverMutateTheirInputs(String engine, Ops ops, Call call) {
        INDArray[] copies = map(call.inputs(), INDArray::dup);
        call.run().apply(ops, call.inputs());
        for (int i = 0; i < copies.length; i++) {
            Tensors.assertIdentical(copies[i], call.inputs()[i], engine + " " + call + ": input " + i);
        }
        // also for float64 inputs, which take the conversion path
        INDArray[] doubles = map(call.inputs(), InputsTest::toDouble), doubleCopies = map(doubles, INDArray::dup);
        call.run().apply(ops, doubles);
        for (int i = 0; i < doubles.length; i++) {
            Tensors.assertIdentical(doubleCopies[i], doubles[i], engine + " " + call + ": float64 input " + i);
        }
    }

    private static INDArray toDouble(INDArray a) {
        return a.dataType() == DataType.FLOAT ? a.castTo(DataType.DOUBLE) : a;
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("callsOnBothEngines")
    void float64InputsAreAcceptedAndGiveFloat32Results(String engine, Ops ops, Call call) {
        List<INDArray> want = call.run().apply(ops, call.inputs());
        List<INDArray> got = call.run().apply(ops, map(call.inputs(), InputsTest::toDouble));
        assertEquals(want.size(), got.size());
        for (int i = 0; i < want.size(); i++) {
            String what = engine + " " + call + ": result " + i;
            assertEquals(want.get(i).dataType(), got.get(i).dataType(), what + " dtype");
            if (want.get(i).dataType() != DataType.LONG) {
                assertEquals(DataType.FLOAT, got.get(i).dataType(), what + " is float32");
            }
            assertClose(want.get(i), got.get(i), 1e-6, 1e-6, what);
        }
    }

    /** The same values in a column-major copy. */
    private static INDArray fortran(INDArray a) {
        return a.dup('f');
    }

    /** The same values as a strided view: the left half of an array twice as wide (the right half all 7s). */
    private static INDArray stridedView(INDArray a) {
        int last = a.rank() - 1;
        INDArray wide = Nd4j.concat(last, a, Nd4j.zerosLike(a).addi(7));
        INDArrayIndex[] index = new INDArrayIndex[a.rank()];
        for (int i = 0; i < last; i++) {
            index[i] = NDArrayIndex.all();
        }
        index[last] = NDArrayIndex.interval(0, a.size(last));
        return wide.get(index);
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("callsOnBothEngines")
    void columnMajorAndViewInputsGiveTheSameResults(String engine, Ops ops, Call call) {
        List<INDArray> want = call.run().apply(ops, call.inputs());
        for (var layout : List.<UnaryOperator<INDArray>>of(InputsTest::fortran, InputsTest::stridedView)) {
            INDArray[] inputs = map(call.inputs(), layout);
            List<INDArray> got = call.run().apply(ops, inputs);
            String kind = inputs[0].ordering() == 'f' ? "column-major" : "view";
            for (int i = 0; i < want.size(); i++) {
                // not one bit may differ: a student comparing a view's result with a copy's must see equal numbers
                Tensors.assertIdentical(want.get(i), got.get(i), engine + " " + call + " " + kind + ": result " + i);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cnnlab.testing.Tensors#engines")
    void maxUnpoolAcceptsInt32Indices(Ops ops) {
        INDArray x = Tensors.uniform(new Random(4), 1, 2, 4, 4);
        Pooled p = ops.maxPool2dWithIndices(x, PoolParams.of(2));
        assertClose(ops.maxUnpool2d(p.output(), p.indices(), PoolParams.of(2)),
                ops.maxUnpool2d(p.output(), p.indices().castTo(DataType.INT), PoolParams.of(2)), 0, 0, ops.name());
        // whole numbers in a float array name the same cells
        assertClose(ops.maxUnpool2d(p.output(), p.indices(), PoolParams.of(2)),
                ops.maxUnpool2d(p.output(), p.indices().castTo(DataType.FLOAT), PoolParams.of(2)), 0, 0, ops.name());
        INDArray g = Tensors.uniform(new Random(5), 1, 2, 2, 2);
        assertClose(ops.maxPool2dBackward(x, g, p.indices(), PoolParams.of(2)),
                ops.maxPool2dBackward(x, g, p.indices().castTo(DataType.DOUBLE), PoolParams.of(2)), 0, 0, ops.name());
    }
}
