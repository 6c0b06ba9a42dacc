package cnnlab.ops.nd4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Settings that must be made before ND4J (and JavaCPP under it) loads. A user's own setting of either wins.
 *
 * <p>The native build. The toolkit ships two: {@code linux-x86_64-onednn-avx2} (fast, oneDNN) and the portable
 * {@code linux-x86_64}. JavaCPP would load the AVX2 one whenever it is on the class path and crash the JVM on a
 * CPU without AVX2, so on such a CPU this selects the portable one (JavaCPP's
 * {@code org.bytedeco.javacpp.platform.extension} set to empty).
 *
 * <p>The memory bound. ND4J's arrays keep their data outside the Java heap, and an array nobody holds any more
 * gives it back only when the garbage collector finds the small Java object in front of it. A loop of ops makes
 * megabytes of such garbage per call and hardly any heap garbage, so the collector may not run for gigabytes.
 * JavaCPP collects when the process's resident size passes {@code org.bytedeco.javacpp.maxPhysicalBytes}, whose
 * default is four times the maximum heap: all of the memory of a machine whose heap is the JVM's default quarter
 * of it. On this 24 GB machine, 600 relu calls on an 8x64x112x112 input grew a JVM to 11.6 GB. This lowers the
 * bound to the maximum heap plus {@link #NATIVE_HEADROOM_BYTES}, so the heap can never reach it alone, and dead
 * arrays are collected long before a laptop runs out. Live arrays beyond it end in an {@code OutOfMemoryError}
 * that a cell shows as an error (a cnnlab op's in its own words, {@code cnnlab.ops.Errors#outOfMemory}); a run
 * that needs more sets the property itself (README, "Memory").
 */
public final class Nd4jRuntime {
    private static final String EXTENSION = "org.bytedeco.javacpp.platform.extension";
    /** JavaCPP reads both spellings; a user may have set either. */
    private static final String[] MAX_PHYSICAL = {
        "org.bytedeco.javacpp.maxPhysicalBytes", "org.bytedeco.javacpp.maxphysicalbytes"};
    /** Room for ND4J's native arrays above the maximum heap: 2 GiB, three times the largest notebook's peak. */
    static final long NATIVE_HEADROOM_BYTES = 2L << 30;

    private Nd4jRuntime() {
    }

    /** Idempotent; call before the first ND4J class is used. */
    public static synchronized void load() {
        if (System.getProperty(EXTENSION) == null && !cpuHasAvx2()) {
            System.setProperty(EXTENSION, "");
        }
        if (System.getProperty(MAX_PHYSICAL[0]) == null && System.getProperty(MAX_PHYSICAL[1]) == null) {
            System.setProperty(MAX_PHYSICAL[0], Long.toString(maxPhysicalBytes(Runtime.getRuntime().maxMemory())));
        }
    }

    /**
     * The resident size at which JavaCPP collects: the maximum heap plus {@link #NATIVE_HEADROOM_BYTES}, or
     * JavaCPP's own default (four times the heap) where that is lower.
     */
    static long maxPhysicalBytes(long maxHeapBytes) {
        return Math.min(maxHeapBytes + NATIVE_HEADROOM_BYTES, 4 * maxHeapBytes);
    }

    /** True when /proc/cpuinfo lists avx2 and fma; true also where there is no /proc (not Linux). */
    static boolean cpuHasAvx2() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(cpuinfo)) {
            return true;
        }
        try (var lines = Files.lines(cpuinfo)) {
            return lines.filter(l -> l.startsWith("flags")).findFirst()
                    .map(l -> l.contains(" avx2") && l.contains(" fma")).orElse(false);
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }
}
