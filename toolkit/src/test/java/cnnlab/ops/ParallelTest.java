package cnnlab.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The engines' pieces: each index once, failures and interrupts reach the caller. */
class ParallelTest {
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 7, 64, 1001})
    void runsEveryPieceExactlyOnce(int count) {
        AtomicIntegerArray runs = new AtomicIntegerArray(count);
        Parallel.forEach(count, runs::incrementAndGet);
        for (int i = 0; i < count; i++) {
            assertEquals(1, runs.get(i), "piece " + i);
        }
    }

    @Test
    void aFailingPieceThrowsItsOwnExceptionAtTheCaller() {
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> Parallel.forEach(10, i -> {
                    if (i == 7) {
                        throw new IllegalArgumentException("piece 7 failed");
                    }
                }));
        assertEquals("piece 7 failed", thrown.getMessage());
    }

    @Test
    void anInterruptedCallerStopsWaitingAndKeepsItsInterrupt() throws Exception {
        assumeTrue(Parallel.THREADS > 1, "one thread: the pieces run in the caller");
        AtomicBoolean release = new AtomicBoolean();
        Thread caller = Thread.currentThread();
        Thread interrupter = new Thread(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
            caller.interrupt();
        });
        interrupter.start();
        try {
            assertThrows(CancellationException.class, () -> Parallel.forEach(2, i -> {
                while (!release.get()) {
                    Thread.onSpinWait();
                }
            }));
            assertTrue(Thread.interrupted(), "the caller's interrupt flag is kept (and cleared here)");
        } finally {
            release.set(true);
            interrupter.join();
        }
    }
}
