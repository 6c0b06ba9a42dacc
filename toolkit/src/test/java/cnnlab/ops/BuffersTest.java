package cnnlab.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The bulk copies give what ND4J's element-by-element copies give, for every kind of array a caller may hold. */
class BuffersTest {
    private static final INDArray BASE = Nd4j.rand(DataType.FLOAT, 2, 3, 4, 5);

    static Stream<Arguments> arrays() {
        return Stream.<Arguments>of(
                Arguments.of("row-major", (Function<INDArray, INDArray>) a -> a),
                Arguments.of("column-major copy", (Function<INDArray, INDArray>) a -> a.dup('f')),
                Arguments.of("permuted view", (Function<INDArray, INDArray>) a -> a.permute(0, 2, 1, 3)),
                Arguments.of("view at an offset", (Function<INDArray, INDArray>) a -> a.get(NDArrayIndex.point(1),
                        NDArrayIndex.all(), NDArrayIndex.interval(1, 3), NDArrayIndex.all())),
                Arguments.of("view of the first part", (Function<INDArray, INDArray>) a -> a.get(NDArrayIndex.point(0),
                        NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all())),
                Arguments.of("reshaped", (Function<INDArray, INDArray>) a -> a.reshape(6, 20)),
                Arguments.of("column", (Function<INDArray, INDArray>) a -> a.reshape(6, 20).getColumn(3)),
                Arguments.of("float64", (Function<INDArray, INDArray>) a -> a.castTo(DataType.DOUBLE)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("arrays")
    void floatsAreTheRowMajorValuesAndGoBackIntoTheSameArray(String name, Function<INDArray, INDArray> view) {
        INDArray a = view.apply(BASE);
        float[] expected = a.castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[] values = Buffers.floats(a);
        assertArrayEquals(expected, values);
        INDArray back = Buffers.array(values, a.shape());
        assertEquals(a.castTo(DataType.FLOAT), back);
        assertEquals('c', back.ordering());
    }

    @Test
    void aDimensionOfSizeOneNeedsNoCopy() {
        INDArray lenet = Nd4j.rand(DataType.FLOAT, 4, 1, 6, 6);   // strides [36, 36, 6, 1]: ND4J calls them odd
        assertSame(lenet, Buffers.rowMajor(lenet, DataType.FLOAT));
        assertTrue(Buffers.rowMajorFromStart(lenet));
        INDArray firstImage = BASE.get(NDArrayIndex.interval(0, 1), NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.all());
        assertTrue(Buffers.rowMajorFromStart(firstImage), "the first image lies row-major from the buffer's start");
        assertNotSame(firstImage, Buffers.rowMajor(firstImage, DataType.FLOAT), "but is not the whole buffer");
        INDArray firstChannel = BASE.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 1), NDArrayIndex.all(),
                NDArrayIndex.all());   // [2, 1, 4, 5], the images 60 floats apart: not one run of memory
        assertFalse(Buffers.rowMajorFromStart(firstChannel));
        assertArrayEquals(firstChannel.dup('c').data().asFloat(), Buffers.floats(firstChannel));
        assertFalse(Buffers.rowMajorFromStart(BASE.reshape(6, 20).getColumn(3).reshape(1, 6)));
    }

    @Test
    void arraysInsideAWorkspaceAreCopiedFromTheirOwnPlace() {
        WorkspaceConfiguration config = WorkspaceConfiguration.builder().initialSize(1 << 20).build();
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(config, "BuffersTest")) {
            INDArray first = Nd4j.rand(DataType.FLOAT, 5, 7);
            INDArray second = Nd4j.rand(DataType.FLOAT, 5, 7).addi(1);
            assertArrayEquals(first.dup('c').data().asFloat(), Buffers.floats(first));
            assertArrayEquals(second.dup('c').data().asFloat(), Buffers.floats(second));
        }
    }

    @Test
    void longsRoundTripAndIntegersAreWidened() {
        long[] values = {5, -3, 7, 1L << 40};
        INDArray a = Buffers.array(values, 2, 2);
        assertEquals(DataType.LONG, a.dataType());
        assertArrayEquals(values, a.data().asLong());
        assertArrayEquals(values, Buffers.longs(a));
        assertArrayEquals(new long[] {3, 2}, Buffers.longs(Nd4j.createFromArray(3, 2)));
    }

    @Test
    void copyIntoWritesInPlaceAlsoIntoAView() {
        INDArray whole = Nd4j.zeros(DataType.FLOAT, 2, 3);
        Buffers.copyInto(whole, new float[] {1, 2, 3, 4, 5, 6});
        assertEquals(Nd4j.createFromArray(new float[][] {{1, 2, 3}, {4, 5, 6}}), whole);
        INDArray big = Nd4j.zeros(DataType.FLOAT, 4, 3);
        Buffers.copyInto(big.get(NDArrayIndex.interval(1, 3), NDArrayIndex.all()), new float[] {1, 2, 3, 4, 5, 6});
        assertEquals(Nd4j.createFromArray(new float[][] {{0, 0, 0}, {1, 2, 3}, {4, 5, 6}, {0, 0, 0}}), big);
    }

    @Test
    void emptyArraysAndWrongLengths() {
        assertEquals(0, Buffers.floats(Nd4j.create(DataType.FLOAT, 0, 3)).length);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Buffers.array(new float[5], 2, 3));
        assertTrue(e.getMessage().contains("5 values") && e.getMessage().contains("[2,3]"), e.getMessage());
    }
}
