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
        AtomicBoolean stop = new AtomicBoolean();
        forEachRun(threads, count, stop, (from, to) -> {
            for (int i = from; i < to; i++) {
                if (stop.get() || Thread.currentThread().isInterrupted()) {
                    stop.set(true);
                    return;
                }
                try {
                    piece.accept(i);
                } catch (RuntimeException | Error e) {
                    stop.set(true);         // the call fails anyway: the other runs need not finish
                    throw e;
                }
            }
        });
    }

    /**
     * Items {@code [0, count)} cut into one contiguous run per thread, up to {@code threads} (1: all in the
     * caller); {@code run.run(from, to)} is called once per run, so a run can set up its scratch arrays once.
     *
     * <p>Returns only when every run has ended, even if the caller is interrupted meanwhile (a lab check's time
     * limit, say): the runs write into the op's arrays, and an op that left early let its arrays' memory be
     * reused under them, which crashed the JVM. The interrupt then ends the op with a
     * {@link CancellationException}, the thread's interrupt flag set again.
     */
    public static void forEachRun(int threads, int count, Cells run) {
        forEachRun(threads, count, null, run);
    }

    /**
     * {@link #forEachRun(int, int, Cells)}, where the runs end early once {@code stop} is set: set here when the
     * caller is interrupted, or by a run that saw the interrupt itself. Null: the runs always go to their end.
     */
    private static void forEachRun(int threads, int count, AtomicBoolean stop, Cells run) {
        int runs = Math.min(Math.min(threads, count), POOL_SIZE);
        if (runs <= 1) {
            if (count > 0) {
                run.run(0, count);
            }
            if (stop != null && stop.get()) {
                throw cancelled();
            }
            return;
        }
        List<Future<?>> running = new ArrayList<>(runs);
        for (int r = 0; r < runs; r++) {
            int from = (int) ((long) count * r / runs), to = (int) ((long) count * (r + 1) / runs);
            running.add(WORKERS.submit(() -> run.run(from, to)));
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
                    if (stop != null) {
                        stop.set(true);          // ... which end at their next piece
                    }
                } catch (ExecutionException e) {
                    failed = failed == null ? e.getCause() : failed;
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (interrupted || failed == null && stop != null && stop.get()) {
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

    /** The caller's interrupt flag stays set, as after any interrupted call. */
    private static CancellationException cancelled() {
        return new CancellationException("interrupted while cnnlab was computing");
    }
}
