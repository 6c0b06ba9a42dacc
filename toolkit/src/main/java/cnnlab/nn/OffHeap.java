package cnnlab.nn;

import java.util.function.LongSupplier;
import org.bytedeco.javacpp.Pointer;

/**
 * Keeps ND4J's native (off-heap) memory bounded in long loops such as training and batched prediction.
 *
 * <p>Every INDArray owns native memory that is freed only when the garbage collector reclaims the small Java
 * object in front of it. A training loop makes tens of megabytes of such garbage per mini-batch but hardly any
 * Java heap garbage, so the collector may not run for a long time and the process grows by gigabytes (a
 * 60,000-image Fashion-MNIST run once grew one JVM past 19 GB). After every step a loop calls {@link #step()},
 * which reads the process's resident memory (a cheap read of {@code /proc/self/statm} through JavaCPP) and,
 * while it is more than the threshold above what it was when the guard was made, asks for a collection, at
 * most once per {@link #MIN_INTERVAL_NANOS interval}. The ceiling is fixed rather than moved up after each
 * collection: freed native memory goes back to the allocator, not to the system, so the resident size does not
 * drop after a collection, and a ceiling that followed it would let the process creep up for ever.
 */
final class OffHeap {
    /** Growth above the starting resident size that makes {@link #step()} collect: 256 MB. */
    static final long GROWTH_BYTES = 256L << 20;
    /** At most one collection a second: a full collection of a small heap takes a few tens of milliseconds. */
    static final long MIN_INTERVAL_NANOS = 1_000_000_000L;

    private final LongSupplier residentBytes;
    private final long ceiling;
    private final long minIntervalNanos;
    private long lastCollection;
    private int collections;

    /** A guard that collects after {@link #GROWTH_BYTES} of growth, at most once a second. */
    OffHeap() {
        this(GROWTH_BYTES, MIN_INTERVAL_NANOS, Pointer::physicalBytes);
    }

    /** A guard over any measure of resident memory (tests pass their own). */
    OffHeap(long growthBytes, long minIntervalNanos, LongSupplier residentBytes) {
        this.residentBytes = residentBytes;
        this.ceiling = residentBytes.getAsLong() + growthBytes;
        this.minIntervalNanos = minIntervalNanos;
        this.lastCollection = System.nanoTime() - minIntervalNanos;    // the first step may collect
    }

    /** Collects garbage if the process is above its ceiling and the last collection is an interval ago. */
    void step() {
        long now = System.nanoTime();
        if (now - lastCollection >= minIntervalNanos && residentBytes.getAsLong() > ceiling) {
            System.gc();
            collections++;
            lastCollection = System.nanoTime();
        }
    }

    /** How many collections {@link #step()} asked for. */
    int collections() {
        return collections;
    }
}
