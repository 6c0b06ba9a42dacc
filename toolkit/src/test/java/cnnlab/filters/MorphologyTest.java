package cnnlab.filters;

import static cnnlab.testing.Arrays4.assertClose;
import static cnnlab.testing.Tensors.plane;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.Cnn;
import cnnlab.ops.PoolParams;
import cnnlab.testing.Tensors;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Grey-scale dilation and erosion: the lecture's 4x4 response by hand, then agreement with max and min pooling. */
class MorphologyTest {

    /** The 4x4 response of the pooling slides. */
    private static final double[][] RESPONSE = {
            {1, 1, 2, 4},
            {5, 6, 7, 8},
            {3, 2, 1, 0},
            {1, 2, 3, 4}};

    @Test
    void dilationOfTheLectureResponseByHand() {
        assertClose(plane(new double[][] {{6, 7, 8}, {6, 7, 8}, {3, 3, 4}}),
                Morphology.dilate(plane(RESPONSE), 2, 2), 0, 0, "2x2, stride 1");
        assertClose(plane(new double[][] {{6, 8}, {3, 4}}), Morphology.dilate(plane(RESPONSE), 2, 2, 2), 0, 0,
                "2x2, stride 2");
        assertClose(plane(new double[][] {{6, 8}, {6, 8}, {2, 4}}), Morphology.dilate(plane(RESPONSE), 2, 1, 1)
                        .get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                                org.nd4j.linalg.indexing.NDArrayIndex.all(),
                                org.nd4j.linalg.indexing.NDArrayIndex.indices(1, 3)),
                0, 0, "2x1 element, columns 1 (1,6,2,2) and 3 (4,8,0,4)");
    }

    @Test
    void erosionOfTheLectureResponseByHand() {
        assertClose(plane(new double[][] {{1, 1, 2}, {2, 1, 0}, {1, 1, 0}}), Morphology.erode(plane(RESPONSE), 2, 2),
                0, 0, "2x2, stride 1");
        assertClose(plane(new double[][] {{1, 2}, {1, 0}}), Morphology.erode(plane(RESPONSE), 2, 2, 2), 0, 0,
                "2x2, stride 2");
    }

    @ParameterizedTest(name = "element {0}x{1}, stride {2}")
    @CsvSource({"2, 2, 2", "2, 2, 1", "3, 3, 2", "2, 3, 1", "1, 1, 1", "3, 2, 3"})
    void dilationIsMaxPoolingAndErosionIsMinPooling(int seH, int seW, int stride) {
        INDArray x = Tensors.uniform(new Random(7L * seH + seW + stride), 2, 3, 9, 11);
        PoolParams pool = PoolParams.window(seH, seW).withStride(stride);
        INDArray dilated = Morphology.dilate(x, seH, seW, stride);
        assertArrayEquals(Cnn.maxPool2d(x, pool).shape(), dilated.shape());
        assertClose(Cnn.maxPool2d(x, pool), dilated, 0, 0, "dilation vs max pooling");
        assertClose(Cnn.minPool2d(x, pool), Morphology.erode(x, seH, seW, stride), 0, 0, "erosion vs min pooling");
    }

    @Test
    void neverChangesItsInput() {
        INDArray x = plane(RESPONSE), copy = x.dup();
        Morphology.dilate(x, 2, 2);
        assertEquals(copy, x);
    }

    @Test
    void rejectsBadInputNamingTheShapes() {
        IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
                () -> Morphology.dilate(Nd4j.ones(DataType.FLOAT, 4, 4), 2, 2));
        assertTrue(rank.getMessage().startsWith("Morphology.dilate: expected an image [N, C, H, W] but got [4, 4]"),
                rank.getMessage());
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> Morphology.erode(plane(RESPONSE), 5, 2));
        assertTrue(big.getMessage().contains("5x2 element does not fit the 4x4 image (input [1, 1, 4, 4])"),
                big.getMessage());
        IllegalArgumentException stride = assertThrows(IllegalArgumentException.class,
                () -> Morphology.dilate(plane(RESPONSE), 2, 2, 0));
        assertTrue(stride.getMessage().contains("stride 0"), stride.getMessage());
    }
}
