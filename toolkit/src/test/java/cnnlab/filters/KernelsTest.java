package cnnlab.filters;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.Cnn;
import cnnlab.ops.ConvParams;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class KernelsTest {

    @Test
    void derivativeKernelsSumToZeroAndSmoothingKernelsToOne() {
        for (INDArray k : new INDArray[] {Kernels.sobelX(), Kernels.sobelY(), Kernels.prewittX(), Kernels.prewittY(),
                Kernels.laplacian4(), Kernels.laplacian8()}) {
            assertArrayEquals(new long[] {1, 1, 3, 3}, k.shape());
            assertEquals(0, k.sumNumber().doubleValue(), 1e-6);
        }
        assertEquals(1, Kernels.sharpen().sumNumber().doubleValue(), 1e-6);
        assertEquals(1, Kernels.box(5).sumNumber().doubleValue(), 1e-5);
        INDArray g = Kernels.gaussian(1.5, 7);
        assertArrayEquals(new long[] {1, 1, 7, 7}, g.shape());
        assertEquals(1, g.sumNumber().doubleValue(), 1e-5);
        assertEquals(g.maxNumber().floatValue(), g.getFloat(0, 0, 3, 3), 0, "peak in the middle");
        assertEquals(g.getFloat(0, 0, 1, 5), g.getFloat(0, 0, 5, 1), 1e-7, "symmetric");
    }

    @Test
    void sobelXRespondsToABrightnessRampToTheRight() {
        INDArray ramp = Nd4j.linspace(0, 1, 8).reshape(1, 1, 1, 8).repeat(2, 8);
        INDArray response = Cnn.conv2d(ramp, Kernels.sobelX(), null, ConvParams.DEFAULT);
        assertTrue(response.minNumber().doubleValue() > 0, "positive everywhere on a rightward ramp");
        INDArray vertical = Cnn.conv2d(ramp, Kernels.sobelY(), null, ConvParams.DEFAULT);
        assertEquals(0, vertical.amaxNumber().doubleValue(), 1e-6, "no vertical change");
    }

    @Test
    void badSizesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Kernels.box(0));
        assertThrows(IllegalArgumentException.class, () -> Kernels.gaussian(0, 3));
        // sizes past the limit are an error, not a native crash (box(100000) took down the JVM in libnd4j)
        for (int size : new int[] {Kernels.MAX_SIZE + 1, 46341, 100_000}) {
            var e = assertThrows(IllegalArgumentException.class, () -> Kernels.box(size));
            assertTrue(e.getMessage().startsWith("Kernels.box: size must be from 1 to 4096 but is "), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Kernels.gaussian(1, size));
        }
        assertThrows(IllegalArgumentException.class, () -> Kernels.gaussian(Double.POSITIVE_INFINITY, 3));
    }

    /** A sigma too small for the grid puts all the weight on the middle taps, instead of 0/0 everywhere. */
    @Test
    void aTinySigmaGivesTheMiddleTapsAllTheWeight() {
        assertArrayEquals(new float[] {0, 0, 0, 0, 1, 0, 0, 0, 0},
                Kernels.gaussian(1e-200, 3).data().asFloat(), 0f);
        float[] even = Kernels.gaussian(0.01, 4).data().asFloat();
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 0.25f, 0.25f, 0, 0, 0.25f, 0.25f, 0, 0, 0, 0, 0}, even, 0f);
        assertEquals(1, Kernels.gaussian(0.3, 4).sumNumber().doubleValue(), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> Kernels.of(new float[][] {{1, 2}, {3}}));
        for (float[][] none : new float[][][] {null, new float[0][], new float[][] {{}}, new float[][] {null},
                new float[][] {{1}, null}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Kernels.of(none));
            assertTrue(e.getMessage().startsWith("Kernels.of: "), e.getMessage());
        }
    }

    /** Rows of doubles or ints give the same weight as rows of floats, and the same errors. */
    @Test
    void rowsOfDoublesAndIntsAreKernelsToo() {
        INDArray floats = Kernels.of(new float[][] {{1, 0, -1}, {2, 0.1f, -2}});
        assertEquals(floats, Kernels.of(new double[][] {{1, 0, -1}, {2, 0.1, -2}}));
        assertArrayEquals(new long[] {1, 1, 2, 3}, floats.shape());
        assertEquals(Kernels.sobelX(), Kernels.of(new int[][] {{-1, 0, 1}, {-2, 0, 2}, {-1, 0, 1}}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Kernels.of(new double[][] {{1, 2}, null}));
        assertEquals("Kernels.of: row 1 is null", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Kernels.of(new int[][] {{1, 2}, {3}}));
        assertEquals("Kernels.of: row 1 has 1 values but row 0 has 2", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Kernels.of((double[][]) null));
    }
}
