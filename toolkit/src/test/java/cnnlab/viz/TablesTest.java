package cnnlab.viz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.Cnn;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.Table;

/** Arrays as table columns: values in row-major order, printed without float32 noise, bad input named. */
class TablesTest {
    private static final INDArray X = Nd4j.create(new float[] {-2, -0.5f, 0, 1.5f}, new long[] {4}, 'c');

    @Test
    void oneColumnPerArrayOneRowPerValue() {
        Table t = Tables.columns("ReLU", List.of("x", "relu(x)", "leaky"), X, Cnn.relu(X), Cnn.leakyRelu(X));
        assertEquals("ReLU", t.name());
        assertEquals(List.of("x", "relu(x)", "leaky"), t.columnNames());
        assertArrayEquals(new double[] {0, 0, 0, 1.5}, t.doubleColumn("relu(x)").asDoubleArray());
        assertEquals(-0.02f, (float) t.doubleColumn("leaky").getDouble(0));
    }

    @Test
    void float32ValuesPrintAsTyped() {
        Table t = Tables.columns(null, List.of("leaky"), Cnn.leakyRelu(X));
        assertEquals("values", t.name());
        assertEquals("-0.02", t.getString(0, "leaky"));
        assertEquals("-0.005", t.getString(1, "leaky"));
        assertEquals("1.5", t.getString(3, "leaky"));
        Table nan = Tables.columns("nan", List.of("x", "relu(x)"), Nd4j.createFromArray(Float.NaN, 1f),
                Cnn.relu(Nd4j.createFromArray(Float.NaN, 1f)));
        assertEquals("NaN", nan.getString(0, "x"), "a NaN is shown, not left blank as a missing value");
        assertEquals("NaN", nan.getString(0, "relu(x)"));
        assertTrue(cnnlab.notebook.Html.table(nan, 10).contains(">NaN<"), cnnlab.notebook.Html.table(nan, 10));
    }

    @Test
    void matricesAreReadRowByRow() {
        INDArray m = Nd4j.create(new float[][] {{1, 2}, {3, 4}});
        Table t = Tables.columns("m", List.of("m", "transposed"), m, m.transpose());
        assertArrayEquals(new double[] {1, 2, 3, 4}, t.doubleColumn("m").asDoubleArray());
        assertArrayEquals(new double[] {1, 3, 2, 4}, t.doubleColumn("transposed").asDoubleArray());
    }

    @Test
    void badInputsSayWhatIsWrong() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Tables.columns("t", List.of("x"), X, X));
        assertTrue(e.getMessage().startsWith("Tables.columns: need one name per array but got 1 names for 2 arrays"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Tables.columns("t", List.of("x", "y"), X, Nd4j.zeros(3)));
        assertTrue(e.getMessage().contains("'y' [3] has 3 and 'x' [4] has 4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tables.columns("t", List.of("x", "x"), X, X));
        assertTrue(e.getMessage().contains("distinct"), e.getMessage());
    }
}
