package cnnlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Shifts worked out by hand on a 3x3 image 0..8, and the random shift's range and seed. */
class AugmentTest {
    private static final INDArray X = Nd4j.arange(9).castTo(DataType.FLOAT).reshape(1, 1, 3, 3);

    private static float[] shifted(int dy, int dx) {
        return Augment.shift(X, new int[] {dy}, new int[] {dx}).data().asFloat();
    }

    @Test
    void shiftsByHand() {
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8}, shifted(0, 0));
        assertArrayEquals(new float[] {0, 0, 1, 0, 3, 4, 0, 6, 7}, shifted(0, 1));     // right
        assertArrayEquals(new float[] {1, 2, 0, 4, 5, 0, 7, 8, 0}, shifted(0, -1));    // left
        assertArrayEquals(new float[] {0, 0, 0, 0, 1, 2, 3, 4, 5}, shifted(1, 0));     // down
        assertArrayEquals(new float[] {4, 5, 0, 7, 8, 0, 0, 0, 0}, shifted(-1, -1));   // up and left
        assertEquals(36f, X.sumNumber().floatValue(), "the input is unchanged");
    }

    @Test
    void randomShiftsStayInRangeAndRepeatWithTheSeed() {
        INDArray ones = Nd4j.ones(DataType.FLOAT, 200, 1, 5, 5);
        INDArray a = Augment.shift(ones, 1, new Random(3)), b = Augment.shift(ones, 1, new Random(3));
        assertEquals(a, b);
        for (int i = 0; i < 200; i++) {
            double kept = a.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).sumNumber().doubleValue();
            assertTrue(kept == 25 || kept == 20 || kept == 16, "a shift of at most 1 per axis keeps 25, 20 or 16 "
                    + "of 25 pixels but kept " + kept);
        }
    }

    @Test
    void badArgumentsAreNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> Augment.shift(X, new int[] {3}, new int[] {0}));
        assertTrue(e.getMessage().contains("moves the whole image out"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Augment.shift(Nd4j.ones(2, 2), 1, new Random()));
        assertTrue(e.getMessage().contains("need images [N, C, H, W]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Augment.shift(X, -1, new Random()));
    }
}
