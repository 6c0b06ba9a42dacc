package cnnlab.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
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

    /**
     * The stop button on a long reference op: the loop ends at the next piece on every thread, not after all of
     * them (a large input's convolution went on filling both cores for seconds after its cell ended).
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void anInterruptEndsTheLoopAtItsNextPieceOnEveryThread(int threads) throws Exception {
        assumeTrue(threads == 1 || Runtime.getRuntime().availableProcessors() > 1, "one core: one run in the caller");
        int count = 2000;
        AtomicInteger ran = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(threads == 1 ? 1 : 2);
        Thread interrupter = interruptWhen(started);
        try {
            assertThrows(CancellationException.class, () -> Parallel.forEach(threads, count, i -> {
                ran.incrementAndGet();
                if (i == 0 || i == count / 2) {
                    started.countDown();              // each thread's first piece
                }
                long end = System.nanoTime() + 5_000_000L;
                while (System.nanoTime() < end) {     // 5 ms, deaf to interrupts, as the engines' pieces are
                    Thread.onSpinWait();
                }
            }));
            assertTrue(Thread.interrupted(), "the caller's interrupt flag is kept (and cleared here)");
            assertTrue(ran.get() < count / 4, ran.get() + " of " + count + " pieces ran after the interrupt");
        } finally {
            interrupter.join();
        }
    }

    /** A piece that fails ends the other runs too, whichever run it is in (the caller waits on them in order). */
    @ParameterizedTest
    @ValueSource(ints = {0, 1000})
    void aFailingPieceEndsTheOtherRunsEarly(int failing) {
        assumeTrue(Runtime.getRuntime().availableProcessors() > 1, "one core: one run in the caller");
        AtomicInteger ran = new AtomicInteger();
        int count = 2000;
        assertThrows(IllegalStateException.class, () -> Parallel.forEach(2, count, i -> {
            if (i == failing) {
                throw new IllegalStateException("piece " + failing + " failed");
            }
            ran.incrementAndGet();
            long end = System.nanoTime() + 1_000_000L;
            while (System.nanoTime() < end) {
                Thread.onSpinWait();
            }
        }));
        assertTrue(ran.get() < count / 4, ran.get() + " of " + count + " pieces ran after one failed");
    }

    /**
     * A long run asks {@link Parallel#stopping()} and ends early: a reference convolution's pieces are one per core
     * for one image, so ending only between pieces would wait for the whole call.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void aLongRunThatAsksEndsEarlyOnAnInterrupt(int threads) throws Exception {
        assumeTrue(threads == 1 || Runtime.getRuntime().availableProcessors() > 1, "one core: one run in the caller");
        AtomicInteger steps = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(threads);
        Thread interrupter = interruptWhen(started);
        try {
            assertThrows(CancellationException.class, () -> Parallel.forEachRun(threads, threads, (from, to) -> {
                started.countDown();
                for (int step = 0; step < 1000; step++) {          // 5 s of 5 ms steps, asking before each
                    if (Parallel.stopping()) {
                        return;
                    }
                    steps.incrementAndGet();
                    long end = System.nanoTime() + 5_000_000L;
                    while (System.nanoTime() < end) {
                        Thread.onSpinWait();
                    }
                }
            }));
            assertTrue(Thread.interrupted(), "the caller's interrupt flag is kept (and cleared here)");
            assertTrue(steps.get() < 250, steps.get() + " of " + 1000 * threads + " steps ran");
        } finally {
            interrupter.join();
        }
        assertTrue(!Parallel.stopping(), "outside a loop nothing is stopping");
    }

    /** A started thread that interrupts the calling thread once {@code started} counts down to zero. */
    private static Thread interruptWhen(CountDownLatch started) {
        Thread caller = Thread.currentThread();
        Thread interrupter = new Thread(() -> {
            try {
                started.await();
            } catch (InterruptedException e) {
                return;
            }
            caller.interrupt();
        });
        interrupter.start();
        return interrupter;
    }
}
