package cnnlab.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.CancellationException;
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

    /**
     * An interrupted caller (a lab check's time limit) still waits for its pieces, which write into the op's arrays,
     * and only then throws, its interrupt flag kept. When it threw at once, the op's arrays could be reused under
     * pieces still writing, which crashed the JVM.
     */
    @Test
    void anInterruptedCallerWaitsForItsPiecesThenThrowsAndKeepsItsInterrupt() throws Exception {
        assumeTrue(Parallel.THREADS > 1, "one thread: the pieces run in the caller");
        AtomicIntegerArray finished = new AtomicIntegerArray(2);
        Thread caller = Thread.currentThread();
        Thread interrupter = new Thread(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            caller.interrupt();
        });
        long end = System.nanoTime() + 400_000_000L;
        interrupter.start();
        try {
            assertThrows(CancellationException.class, () -> Parallel.forEach(2, i -> {
                while (System.nanoTime() < end) {         // deaf to interrupts, as the engines' loops are
                    Thread.onSpinWait();
                }
                finished.set(i, 1);
            }));
            assertEquals("[1, 1]", finished.toString(), "every piece had ended when the caller threw");
            assertTrue(Thread.interrupted(), "the caller's interrupt flag is kept (and cleared here)");
        } finally {
            interrupter.join();
        }
    }
}
