package cnnlab.ops;

import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.bytedeco.javacpp.indexer.LongIndexer;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Native memory for the ops' outputs that comes back for the next output once the collector finds an array dead,
 * the way PyTorch's next tensor gets the memory its last one freed.
 *
 * <p>Why: ND4J gives every new array fresh memory, which the system must zero page by page on first touch, and
 * libnd4j then clears again. Here that cost more than the op itself: a relu of 8x64x112x112 took 1.3 ms into
 * memory it had used before and 12-23 ms into a new array. An output made here lives in memory of its own size
 * from an earlier, dead output when there is one, and nothing clears it (every op writes all of its output).
 *
 * <p>How an output's memory comes back: the collector finding its {@code DataBuffer} unreachable (a view keeps its
 * array's buffer reachable, so a live view keeps the memory lent). Ops make little heap garbage, so the collector
 * seldom runs on its own; once a budget of outputs ({@value #BUDGET_MB} MB, or an eighth of JavaCPP's bound on the
 * process's memory if that is less) has been lent since the last collection, the next output asks for one
 * ({@code System.gc()}), and a reclaimer thread takes back what it finds dead. A collection per budget costs a few
 * milliseconds with a small heap (the bench's JVMs), against the 10-20 ms that fresh memory cost for each 25 MB
 * output.
 *
 * <p>Left to ND4J as before: arrays under 256 KB (glibc's free lists reuse those already), arrays over a quarter
 * of the budget, and everything made while an ND4J workspace is open on the thread (a training step's arrays, see
 * {@code StepMemory}). At most a budget of dead outputs' memory is kept for reuse; the rest goes back to the system,
 * and an op that runs out of memory gives back all of it ({@link #releaseKept}). {@code -Dcnnlab.recycle=false}
 * turns the whole mechanism off (every output then gets ND4J's fresh memory).
 */
public final class OutputMemory {
    private OutputMemory() {
    }

    /** Megabytes of outputs lent between two collections (the bench sizes PyTorch's ring of outputs by it). */
    public static final int BUDGET_MB = 512;
    /** Bytes of outputs lent between two collections, and the most dead outputs' memory kept for reuse. */
    private static final long BUDGET = (long) BUDGET_MB << 20;
    /**
     * Tests set {@code cnnlab.recycle.poison}: then every output of every size comes from here filled with NaN, so
     * an op that leaves part of its output unwritten fails its parity tests instead of passing on zeroed memory.
     */
    static final boolean POISON = Boolean.getBoolean("cnnlab.recycle.poison");
    static final long SMALLEST = POISON ? 1 : 256 << 10;
    /** Outputs start on this boundary, as libnd4j's own do (oneDNN's vector loads prefer it). */
    private static final int ALIGNMENT = 64;

    static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty("cnnlab.recycle"));

    /** The memory behind one lent output, and where its reference goes when the output's buffer is found dead. */
    private static final class Loan extends PhantomReference<DataBuffer> {
        final Block block;

        Loan(DataBuffer buffer, Block block) {
            super(buffer, COLLECTED);
            this.block = block;
        }
    }

    /** One allocation from the system: {@code raw} as malloc gave it, {@code address} its aligned start. */
    private record Block(Pointer raw, long address, long bytes) {
        static Block allocate(long bytes) {
            Pointer raw = Pointer.malloc(bytes + ALIGNMENT);
            if (raw == null || raw.isNull()) {
                throw new OutOfMemoryError("cannot allocate " + bytes + " bytes of native memory");
            }
            long address = (raw.address() + ALIGNMENT - 1) & -ALIGNMENT;
            return new Block(raw, address, bytes);
        }

        /** A view of the aligned start as float32 or int64. */
        Pointer view(DataType type) {
            return type == DataType.FLOAT ? new Floats(address, bytes / Float.BYTES)
                    : new Longs(address, bytes / Long.BYTES);
        }

        void release() {
            Pointer.free(raw);
        }
    }

    /** A float view of a block's aligned start; it owns nothing (the block is freed only by {@link #release}). */
    private static final class Floats extends FloatPointer {
        Floats(long address, long length) {
            this.address = address;
            capacity(length);
            limit(length);
        }
    }

    /** An int64 view of a block's aligned start, owning nothing, as {@link Floats}. */
    private static final class Longs extends LongPointer {
        Longs(long address, long length) {
            this.address = address;
            capacity(length);
            limit(length);
        }
    }

    private static final ReferenceQueue<DataBuffer> COLLECTED = new ReferenceQueue<>();
    /** The loans themselves must stay reachable until their buffers are found dead. */
    private static final Set<Loan> LOANS = new HashSet<>();
    private static final Map<Long, ArrayDeque<Block>> FREE = new HashMap<>();
    private static long kept;
    private static long sinceCollection;
    private static long takenBack;
    private static final Stats STATS = new Stats();

    static {
        Thread reclaimer = new Thread(OutputMemory::reclaim, "cnnlab-output-memory");
        reclaimer.setDaemon(true);
        reclaimer.start();
    }

    /** What the mechanism has done since the JVM started (for the tests). */
    static final class Stats {
        long allocated;
        long reused;
        long collections;
        long released;
    }

    /**
     * Bytes lent between two collections, and the most dead outputs' memory kept: {@value #BUDGET_MB} MB, or an
     * eighth of JavaCPP's bound on the process's memory if that is less, so that kept memory never crowds out
     * arrays in use.
     */
    static long budget() {
        long bound = Pointer.maxPhysicalBytes();
        return bound > 0 ? Math.min(BUDGET, bound / 8) : BUDGET;
    }

    /**
     * A new row-major float32 array of {@code shape} whose values are not set: the caller writes every one of them.
     */
    public static INDArray floats(long... shape) {
        return array(DataType.FLOAT, shape);
    }

    /** A new row-major int64 array of {@code shape} (max-pool indices) whose values are not set, as {@link #floats}. */
    public static INDArray longs(long... shape) {
        return array(DataType.LONG, shape);
    }

    private static INDArray array(DataType type, long... shape) {
        long length = 1;
        for (long size : shape) {
            length = Math.multiplyExact(length, size);
        }
        long bytes = Math.multiplyExact(length, (long) type.width());
        if (!ENABLED || bytes < SMALLEST || bytes > budget() / 4
                || Nd4j.getWorkspaceManager().anyWorkspaceActiveForCurrentThread()) {
            if (bytes > budget() / 4) {
                checkRoom(bytes);
            }
            return Nd4j.createUninitialized(type, shape, 'c');
        }
        Block block = take(bytes);
        Pointer memory = block.view(type);
        if (POISON) {
            memory.fill(0xff);  // every float 0xffffffff, a NaN; every int64 -1, no index
        }
        DataBuffer buffer;
        try {
            buffer = type == DataType.FLOAT
                    ? Nd4j.createBuffer(memory, type, length, FloatIndexer.create((FloatPointer) memory))
                    : Nd4j.createBuffer(memory, type, length, LongIndexer.create((LongPointer) memory));
        } catch (RuntimeException | Error e) {
            synchronized (OutputMemory.class) {
                keepOrRelease(block);
            }
            throw e;
        }
        synchronized (OutputMemory.class) {
            LOANS.add(new Loan(buffer, block));
        }
        return Nd4j.create(buffer, shape, Nd4j.getStrides(shape, 'c'), 0, 'c');
    }

    /**
     * Refuses a large output that would take the process past JavaCPP's bound on its memory. JavaCPP compares the
     * memory held with its bound before an allocation but does not add the allocation's size, so one 14 GB output
     * under a 4 GB bound was allocated and filled, and only the next array failed (or the system killed the
     * kernel first). Before refusing, it does what JavaCPP does when short: gives back the memory kept for reuse,
     * then asks for collections (arrays a program has dropped free their memory only then), up to ten, 50 ms apart.
     * The engines check their own large temporaries here too (oneDNN's copies of an array in another layout).
     *
     * @throws OutOfMemoryError if the bytes do not fit; {@link Errors#outOfMemory} words it for the op
     */
    public static void checkRoom(long bytes) {
        long bound = Pointer.maxPhysicalBytes();
        for (int attempt = 0; bound > 0 && Pointer.physicalBytes() + bytes > bound; attempt++) {
            if (attempt == ROOM_ATTEMPTS) {
                throw new NoRoom(bytes);
            }
            releaseKept();
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NoRoom(bytes);
            }
        }
    }

    private static final int ROOM_ATTEMPTS = 10;

    /** An output that would take the process past {@code maxPhysicalBytes}; {@link Errors#outOfMemory} words it. */
    static final class NoRoom extends OutOfMemoryError {
        final long bytes;

        NoRoom(long bytes) {
            super("an array of " + bytes + " bytes would take the process past maxPhysicalBytes");
            this.bytes = bytes;
        }
    }

    /** Memory of exactly {@code bytes}: a dead output's if one is kept, else new. */
    private static synchronized Block take(long bytes) {
        if (sinceCollection + bytes > budget()) {
            collect();
        }
        sinceCollection += bytes;
        ArrayDeque<Block> sameSize = FREE.get(bytes);
        Block block = sameSize == null ? null : sameSize.poll();
        if (block != null) {
            kept -= bytes;
            STATS.reused++;
            return block;
        }
        STATS.allocated++;
        return Block.allocate(bytes);
    }

    /**
     * Asks for a collection and waits (up to 50 ms) until the reclaimer has begun taking back what it found dead.
     * Holds the class's lock; waiting releases it.
     */
    private static void collect() {
        long before = takenBack;
        System.gc();
        STATS.collections++;
        long deadline = System.nanoTime() + 50_000_000L;
        try {
            while (takenBack == before && System.nanoTime() < deadline) {
                OutputMemory.class.wait(5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sinceCollection = 0;
    }

    /**
     * The reclaimer thread: takes back each output's memory as soon as the collector finds the output dead, also
     * while JavaCPP waits for memory after its own collection (so memory over the kept budget goes back to the
     * system in time for JavaCPP's next look).
     */
    private static void reclaim() {
        while (true) {
            try {
                Loan loan = (Loan) COLLECTED.remove();
                synchronized (OutputMemory.class) {
                    for (; loan != null; loan = (Loan) COLLECTED.poll()) {
                        LOANS.remove(loan);
                        takenBack++;
                        keepOrRelease(loan.block);
                    }
                    OutputMemory.class.notifyAll();
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void keepOrRelease(Block block) {
        if (kept + block.bytes() > budget()) {
            block.release();
            STATS.released++;
            return;
        }
        FREE.computeIfAbsent(block.bytes(), b -> new ArrayDeque<>()).push(block);
        kept += block.bytes();
    }

    /** Gives all kept memory back to the system (an op ran out of memory: every byte may help the next one). */
    public static synchronized void releaseKept() {
        for (ArrayDeque<Block> sameSize : FREE.values()) {
            for (Block block : sameSize) {
                block.release();
                STATS.released++;
            }
        }
        FREE.clear();
        kept = 0;
    }

    /** A copy of the counters, taken under the lock. */
    static synchronized Stats stats() {
        Stats copy = new Stats();
        copy.allocated = STATS.allocated;
        copy.reused = STATS.reused;
        copy.collections = STATS.collections;
        copy.released = STATS.released;
        return copy;
    }
}
