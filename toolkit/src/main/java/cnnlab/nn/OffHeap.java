package cnnlab.nn;

import org.bytedeco.javacpp.Pointer;

/**
 * Keeps ND4J's native (off-heap) memory bounded in long loops such as training and batched prediction.
 *
 * <p>Every INDArray owns native memory that is freed only when the garbage collector reclaims the small Java
 * object in front of it. A training loop makes tens of megabytes of such garbage per mini-batch but hardly any
 * Java heap garbage, so the collector may not run for a long time and the process grows by gigabytes (a
 * 60,000-image epoch once grew one JVM past 19 GB). After every step a loop calls {@link #step()}, which reads
 * the process's resident memory (a cheap read of {@code /proc/self/statm} through JavaCPP) and asks for a
 * collection once it has grown by {@link #GROWTH_BYTES} since the last one. Freed native memory is reused by
 * the next allocations, so the resident size stays flat.
 */
final class OffHeap {
    /** Resident-memory growth that triggers a collection: 256 MB. */
    static final long GROWTH_BYTES = 256L << 20;

    private final long growthBytes;
    private long baseline = Pointer.physicalBytes();
    private int collections;

    /** A guard that collects after {@link #GROWTH_BYTES} of growth. */
    OffHeap() {
        this(GROWTH_BYTES);
    }

    OffHeap(long growthBytes) {
        this.growthBytes = growthBytes;
    }

    /** Collects garbage if the process has grown by the threshold since the last collection. */
    void step() {
        if (Pointer.physicalBytes() - baseline > growthBytes) {
            System.gc();
            collections++;
            baseline = Pointer.physicalBytes();
        }
    }

    /** How many collections {@link #step()} asked for. */
    int collections() {
        return collections;
    }
}
