package cnnlab.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The guard asks for a collection only after the process has grown by its threshold. */
class OffHeapTest {

    @Test
    void collectsOnlyAfterGrowingByTheThreshold() {
        OffHeap guard = new OffHeap(32L << 20, 0);
        guard.step();
        assertEquals(0, guard.collections(), "nothing allocated yet");
        INDArray big = Nd4j.ones(DataType.FLOAT, 64L << 20 >> 2);   // 64 MB of native memory, touched
        guard.step();
        assertEquals(1, guard.collections(), "after growing by 64 MB with a 32 MB threshold");
        assertEquals(64L << 20 >> 2, big.sumNumber().longValue());
    }

    @Test
    void collectsAtMostOncePerInterval() {
        OffHeap guard = new OffHeap(0, 3_600_000_000_000L);      // above the ceiling at once, an hour apart
        Nd4j.ones(DataType.FLOAT, 16L << 20 >> 2).addi(1);
        guard.step();
        guard.step();
        guard.step();
        assertEquals(1, guard.collections());
    }
}
