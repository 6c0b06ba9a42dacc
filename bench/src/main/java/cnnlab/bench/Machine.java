package cnnlab.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import cnnlab.ops.nd4j.Nd4jEngine;
import org.nd4j.nativeblas.NativeOpsHolder;

/** What the numbers were measured on: CPU, cores and which libnd4j build is loaded. */
final class Machine {
    private Machine() {
    }

    static String describe() {
        return cpu() + ", " + Runtime.getRuntime().availableProcessors() + " cores, libnd4j " + nd4jBuild();
    }

    static String cpu() {
        try (var lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
        } catch (IOException | RuntimeException e) {
            return "unknown CPU";
        }
    }

    /**
     * "with oneDNN" when the loaded libnd4j was built with it (libnd4j's own build information), and whether the
     * fast engine's convolutions call oneDNN directly.
     */
    static String nd4jBuild() {
        cnnlab.ops.nd4j.Nd4jRuntime.load();
        boolean helpers = org.nd4j.linalg.factory.Nd4j.getEnvironment().helpersAllowed();   // loads the backend first
        String info = NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo();
        boolean onednn = info != null && (info.contains("ONEDNN") || info.contains("MKLDNN"));
        return (onednn ? "with oneDNN" : "without oneDNN") + ", helpers " + (helpers ? "on" : "off")
                + (Nd4jEngine.directOneDnn() ? ", convolutions on oneDNN called directly" : "");
    }
}
