package cnnlab.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

/**
 * The guard's decisions on a resident size the test controls (the process's real one depends on what ran
 * before), and its default reading the real one.
 */
class OffHeapTest {
    private static final long MB = 1L << 20;

    @Test
    void collectsOnlyAboveTheCeiling() {
        AtomicLong resident = new AtomicLong(500 * MB);
        OffHeap guard = new OffHeap(256 * MB, 0, resident::get);
        guard.step();
        resident.set(756 * MB);
        guard.step();
        assertEquals(0, guard.collections(), "at the ceiling, not above it");
        resident.set(757 * MB);
        guard.step();
        assertEquals(1, guard.collections());
    }

    /** The ceiling stays where it was: the resident size does not drop after a collection. */
    @Test
    void theCeilingDoesNotFollowTheResidentSize() {
        AtomicLong resident = new AtomicLong(500 * MB);
        OffHeap guard = new OffHeap(256 * MB, 0, resident::get);
        resident.set(900 * MB);
        guard.step();
        guard.step();
        assertEquals(2, guard.collections(), "still above the first ceiling, so collect again");
    }

    @Test
    void collectsAtMostOncePerInterval() {
        AtomicLong resident = new AtomicLong(500 * MB);
        OffHeap guard = new OffHeap(0, 3_600_000_000_000L, resident::get);   // an hour apart
        resident.set(600 * MB);
        guard.step();
        guard.step();
        guard.step();
        assertEquals(1, guard.collections());
    }

    @Test
    void theDefaultGuardReadsThisProcess() {
        assertTrue(Pointer.physicalBytes() > 10 * MB);
        OffHeap guard = new OffHeap();
        guard.step();
        assertEquals(0, guard.collections(), "nothing allocated since the guard was made");
    }
}
