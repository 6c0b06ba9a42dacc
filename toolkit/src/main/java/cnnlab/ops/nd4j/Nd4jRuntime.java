package cnnlab.ops.nd4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Chooses libnd4j's native build before ND4J loads. The toolkit ships two: {@code linux-x86_64-onednn-avx2}
 * (fast, oneDNN) and the portable {@code linux-x86_64}. JavaCPP would load the AVX2 one whenever it is on the
 * class path and crash the JVM on a CPU without AVX2, so on such a CPU this selects the portable one
 * (JavaCPP's {@code org.bytedeco.javacpp.platform.extension} set to empty). A user's own setting wins.
 */
public final class Nd4jRuntime {
    private static final String EXTENSION = "org.bytedeco.javacpp.platform.extension";

    private Nd4jRuntime() {
    }

    /** Idempotent; call before the first ND4J class is used. */
    public static synchronized void load() {
        if (System.getProperty(EXTENSION) == null && !cpuHasAvx2()) {
            System.setProperty(EXTENSION, "");
        }
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
