package cnnlab.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

/**
 * Runs the pieces of a loop that do not touch each other (one output map each, say) on several cores.
 *
 * <p>A piece writes only its own cells and adds its terms in the same order as the one-core loop would, so the
 * results are the same floats for any number of threads. The reference engine runs on {@link #THREADS}, the system
 * property {@code cnnlab.reference.threads}, read once (default: every core); {@code ./cnnlab bench} sets it to the
 * thread count of the other sides. The fast engine's Java loops run on libnd4j's thread count instead.
 */
public final class Parallel {
    public static final int THREADS = Math.max(1,
            Integer.getInteger("cnnlab.reference.threads", Runtime.getRuntime().availableProcessors()));

    private static final int POOL_SIZE = Math.max(THREADS, Runtime.getRuntime().availableProcessors());

    private static final ExecutorService WORKERS = Executors.newFixedThreadPool(POOL_SIZE, r -> {
        Thread t = new Thread(r, "cnnlab-worker");
        t.setDaemon(true); // never keeps a kernel or a test JVM alive
        return t;
    });

    private Parallel() {
    }

    /** {@code piece.accept(i)} for every {@code i < count}, in contiguous runs of i, one run per thread. */
    public static void forEach(int count, IntConsumer piece) {
        forEach(THREADS, count, piece);
    }

    /** Work on cells (or items) {@code [from, to)}. */
    public interface Cells {
        void run(int from, int to);
    }

    /** Cells {@code [0, length)} of independent cells, in blocks of 64 K spread over up to {@code threads} threads. */
    public static void forEachBlock(int threads, int length, Cells cells) {
        int size = 1 << 16, blocks = (length + size - 1) / size;
        forEach(threads, blocks, b -> cells.run(b * size, Math.min(length, (b + 1) * size)));
    }

    /**
     * {@link #forEach(int, IntConsumer)} on up to {@code threads} threads (1: all in the caller).
     *
     * <p>An interrupt (a notebook's stop button) ends the loop before its next piece on every thread, and the call
     * with a {@link CancellationException}; a piece that fails ends the other runs the same way. Before, every
     * piece ran to the end: a stopped reference op went on filling both cores after its cell had ended, and one
     * running in the caller alone could not be stopped.
     */
    public static void forEach(int threads, int count, IntConsumer piece) {
        forEachRun(threads, count, (from, to) -> {
            for (int i = from; i < to; i++) {
                if (stopping()) {
                    return;
                }
                try {
                    piece.accept(i);
                } catch (RuntimeException | Error e) {
                    STOP.get().set(true);       // the call fails anyway: the other runs need not finish
                    throw e;
                }
            }
        });
    }

    /** The stop flag of the loop whose piece or run this thread is running, or null outside one. */
    private static final ThreadLocal<AtomicBoolean> STOP = new ThreadLocal<>();

    /**
     * True when the loop this thread works for is to end: its caller was interrupted (a notebook's stop button) or
     * one of its pieces failed. A long piece asks now and then and returns early; the call then ends with a
     * {@link CancellationException}, so what the piece left unwritten is never seen. False outside a loop.
     */
    public static boolean stopping() {
        AtomicBoolean stop = STOP.get();
        if (stop == null) {
            return false;
        }
        if (Thread.currentThread().isInterrupted()) {
            stop.set(true);                     // the caller itself, running the only run
        }
        return stop.get();
    }

    /**
     * Items {@code [0, count)} cut into one contiguous run per thread, up to {@code threads} (1: all in the
     * caller); {@code run.run(from, to)} is called once per run, so a run can set up its scratch arrays once.
     * A long run may end early when {@link #stopping()}.
     *
     * <p>Returns only when every run has ended, even if the caller is interrupted meanwhile (a lab check's time
     * limit, say): the runs write into the op's arrays, and an op that left early let its arrays' memory be
     * reused under them, which crashed the JVM. The interrupt then ends the op with a
     * {@link CancellationException}, the thread's interrupt flag set again.
     */
    public static void forEachRun(int threads, int count, Cells run) {
        AtomicBoolean stop = new AtomicBoolean();
        int runs = Math.min(Math.min(threads, count), POOL_SIZE);
        if (runs <= 1) {
            if (count > 0) {
                within(stop, () -> run.run(0, count));
            }
            if (stop.get()) {
                throw cancelled();
            }
            return;
        }
        List<Future<?>> running = new ArrayList<>(runs);
        for (int r = 0; r < runs; r++) {
            int from = (int) ((long) count * r / runs), to = (int) ((long) count * (r + 1) / runs);
            running.add(WORKERS.submit(() -> within(stop, () -> run.run(from, to))));
        }
        boolean interrupted = false;
        Throwable failed = null;
        for (Future<?> piece : running) {
            while (true) {
                try {
                    piece.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;          // the pieces still write into the op's arrays: wait for them
                    stop.set(true);              // ... which end at their next piece
                } catch (ExecutionException e) {
                    failed = failed == null ? e.getCause() : failed;
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (interrupted || failed == null && stop.get()) {
            throw cancelled();
        }
        if (failed instanceof RuntimeException r) {
            throw r;
        }
        if (failed instanceof Error err) {
            throw err;
        }
        if (failed != null) {
            throw new IllegalStateException(failed);
        }
    }

    /** Runs {@code work} with {@code stop} as this thread's loop (restoring the one it had: loops may nest). */
    private static void within(AtomicBoolean stop, Runnable work) {
        AtomicBoolean outer = STOP.get();
        STOP.set(stop);
        try {
            work.run();
        } finally {
            STOP.set(outer);
        }
    }

    /** The caller's interrupt flag stays set, as after any interrupted call. */
    private static CancellationException cancelled() {
        return new CancellationException("interrupted while cnnlab was computing");
    }
}
