package cnnlab.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.check.CheckResult.Status;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A student's function that asks for more memory than the kernel has: the check says what to look at and runs
 * no more calls (each would fill the kernel's heap again, which took its own threads down with it in an audit).
 */
class MemoryHogTest {
    private static final Lab1Checks PUBLIC = new Lab1Checks(() -> CheckConfig.publicOnly(Students.GENEROUS));

    @Test
    void aFunctionOutOfMemoryEndsTheCheckWithANoteOnItsArrays() {
        AtomicInteger calls = new AtomicInteger();
        CheckResult r = PUBLIC.conv2d((x, w, b, p) -> {
            calls.incrementAndGet();
            return new double[Integer.MAX_VALUE][][];   // an OutOfMemoryError without filling the heap
        });
        assertEquals(Status.ERROR, r.status(), r.toString());
        assertEquals(1, calls.get(), "one call: the rest are not run");
        assertTrue(r.groups().get(0).problem().contains("threw OutOfMemoryError"), r.toString());
        assertTrue(r.groups().get(1).problem().contains("not run: an earlier call ran out of memory"), r.toString());
        assertTrue(r.notes().contains("Your function asked for more memory than the kernel has: look at the sizes of"
                + " the arrays it creates (new double[a][b][c] holds a·b·c numbers of 8 bytes) against the sizes the"
                + " case needs."), r.toString());
        CheckResult next = Check.lab1.outputSize((i, k, s, p) -> (i + 2 * p - k) / s + 1);
        assertEquals(Status.PASSED, next.status(), "the next check runs as usual");
    }
}
