package cnnlab.ops.reference;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * Runs the pieces of a loop that do not touch each other (one output map each, say) on several cores.
 *
 * <p>A piece writes only its own cells and adds its terms in the same order as the one-core loop would, so the
 * results are the same floats for any number of threads. The number is the system property
 * {@code cnnlab.reference.threads}, read once (default: every core); {@code ./cnnlab bench} sets it to the
 * thread count of the other sides.
 */
final class Parallel {
    static final int THREADS = Math.max(1,
            Integer.getInteger("cnnlab.reference.threads", Runtime.getRuntime().availableProcessors()));

    private static final ExecutorService WORKERS = THREADS == 1 ? null : Executors.newFixedThreadPool(THREADS, r -> {
        Thread t = new Thread(r, "cnnlab-reference");
        t.setDaemon(true); // never keeps a kernel or a test JVM alive
        return t;
    });

    private Parallel() {
    }

    /** {@code piece.accept(i)} for every {@code i < count}, in contiguous runs of i, one run per thread. */
    static void forEach(int count, IntConsumer piece) {
        int runs = Math.min(THREADS, count);
        if (runs <= 1) {
            for (int i = 0; i < count; i++) {
                piece.accept(i);
            }
            return;
        }
        List<Callable<Void>> work = new ArrayList<>(runs);
        for (int r = 0; r < runs; r++) {
            int from = (int) ((long) count * r / runs), to = (int) ((long) count * (r + 1) / runs);
            work.add(() -> {
                for (int i = from; i < to; i++) {
                    piece.accept(i);
                }
                return null;
            });
        }
        try {
            for (Future<Void> done : WORKERS.invokeAll(work)) {
                done.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while the reference engine was computing");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
