package cnnlab.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** tinygrad-style comparison: shape first, then every value within {@code atol + rtol * |expected|}. */
public final class Arrays4 {
    private Arrays4() {
    }

    public static void assertClose(INDArray expected, INDArray actual, double atol, double rtol, String what) {
        if (actual == null) {
            fail(what + ": no result");
        }
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double[] e = expected.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] a = actual.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        for (int i = 0; i < e.length; i++) {
            boolean same = Double.isNaN(e[i]) ? Double.isNaN(a[i])
                    : e[i] == a[i] || Math.abs(e[i] - a[i]) <= atol + rtol * Math.abs(e[i]);
            if (!same) {
                long[] at = org.nd4j.linalg.api.shape.Shape.ind2subC(expected.shape(), i);
                fail(what + ": first mismatch at " + java.util.Arrays.toString(at) + ": expected " + e[i] + " but got "
                        + a[i] + " (shape " + java.util.Arrays.toString(expected.shape()) + ")");
            }
        }
    }

    public static void assertClose(INDArray expected, INDArray actual, String what) {
        assertClose(expected, actual, 1e-4, 1e-4, what);
    }
}
