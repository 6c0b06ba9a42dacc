package cnnlab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.filters.Kernels;
import cnnlab.ops.ConvParams;
import cnnlab.testing.Tensors;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import tech.tablesaw.api.Table;

/** The engine comparison measures agreement exactly and times without asserting any speed. */
class EngineComparisonTest {

    private static final INDArray X = Tensors.uniform(new Random(1), 1, 1, 32, 32);

    @Test
    void theEnginesAgreeOnAConvolution() {
        EngineComparison c = EngineComparison.of("Sobel", ops -> ops.conv2d(X, Kernels.sobelX(), null,
                ConvParams.same()), 3);
        assertTrue(c.maxAbsDifference() < 1e-5, "difference " + c.maxAbsDifference());
        assertTrue(c.referenceMillis() > 0 && c.fastMillis() > 0, c.toString());
        assertEquals(c.referenceMillis() / c.fastMillis(), c.speedup(), 1e-9);
        assertEquals(3, c.repeats());
        assertTrue(c.toString().startsWith("Sobel: the engines agree to "), c.toString());
        assertTrue(c.toString().endsWith("(median of 3 calls each)."), c.toString());
    }

    @Test
    void aDisagreementIsMeasuredNotHidden() {
        EngineComparison c = EngineComparison.of("off by 1.5",
                ops -> ops == Cnn.fast() ? ops.relu(X).add(1.5) : ops.relu(X), 1);
        assertEquals(1.5, c.maxAbsDifference(), 1e-6);
        assertTrue(c.toString().contains("median of 1 call each"), c.toString());
    }

    @Test
    void theTableHasOneRowWithTheMeasurement() {
        EngineComparison c = new EngineComparison("relu", 12.0, 0.5, 2.5e-7, 5);
        Table t = c.table();
        assertEquals(1, t.rowCount());
        assertEquals(List.of("op", "reference ms", "fast ms", "fast is ×", "largest |difference|"), t.columnNames());
        assertEquals(24.0, t.doubleColumn("fast is ×").get(0), 1e-9);
        t.append(new EngineComparison("conv", 9.8, 5.6, 0, 3).table());
        assertEquals(List.of("24.0", "1.8"), List.of(t.getString(0, "fast is ×"), t.getString(1, "fast is ×")),
                "as many decimals in every row, after append too");
        assertEquals("12.000", t.getString(0, "reference ms"));
        assertEquals("relu: the engines agree to 2.5e-07 (largest |reference − fast|).\nThe fast engine took 0.50 ms,"
                + " the reference 12 ms: 24× faster (median of 5 calls each).", c.toString());
    }

    @Test
    void rejectsBadArguments() {
        IllegalArgumentException repeats = assertThrows(IllegalArgumentException.class,
                () -> EngineComparison.of("relu", ops -> ops.relu(X), 0));
        assertEquals("EngineComparison.of: repeats must be at least 1 but is 0 (relu)", repeats.getMessage());
        IllegalArgumentException shapes = assertThrows(IllegalArgumentException.class,
                () -> EngineComparison.of("shapes", ops -> ops == Cnn.fast() ? X.reshape(1, 1, 16, 64) : X, 1));
        assertTrue(shapes.getMessage().contains("different shapes (reference [1, 1, 32, 32]"), shapes.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EngineComparison.of("null", ops -> null, 1));
    }
}
