package cnnlab.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.Cnn;
import cnnlab.ops.ConvParams;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The oneDNN route computes the fast engine's conv2d: same shape, same values (float32 rounding apart). */
class OneDnnConvTest {

    @ParameterizedTest(name = "x [{0},{1},{2},{2}], w [{3},{1},{4},{4}], stride {5}, padding {6}")
    @CsvSource({"2, 1, 12, 3, 5, 1, 2", "1, 3, 17, 4, 3, 2, 1", "3, 6, 9, 8, 2, 3, 0"})
    void agreesWithTheFastEngine(int n, int c, int size, int k, int kernel, int stride, int padding) {
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.randn(DataType.FLOAT, n, c, size, size), w = Nd4j.randn(DataType.FLOAT, k, c, kernel, kernel);
        INDArray b = Nd4j.randn(DataType.FLOAT, k);
        INDArray want = Cnn.fast().conv2d(x, w, b, ConvParams.of(stride, padding));
        try (OneDnnConv direct = new OneDnnConv(x.shape(), w.shape(), stride, padding)) {
            assertFalse(direct.kernel.isBlank(), "oneDNN names the kernel it chose");
            for (int call = 0; call < 2; call++) {          // the second call reuses the primitive and its buffers
                INDArray got = direct.forward(x, w, b);
                assertArrayEquals(want.shape(), got.shape());
                assertTrue(want.equalsWithEps(got, 1e-4), "call " + call + ": largest difference "
                        + want.sub(got).amaxNumber());
            }
            INDArray other = Nd4j.randn(DataType.FLOAT, n, c, size, size);
            assertTrue(Cnn.fast().conv2d(other, w, b, ConvParams.of(stride, padding))
                    .equalsWithEps(direct.forward(other, w, b), 1e-4), "a new input is read, not a cached one");
        }
    }
}
