package cnnlab.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.Cnn;
import cnnlab.testing.ChildJvm;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Running out of memory for arrays: an error in the toolkit's words, after which the ops go on working. */
class OutOfMemoryTest {

    @Test
    void javaCppsRefusalBecomesAnErrorThatNamesTheOpAndWhatToDo() {
        OutOfMemoryError javaCpp = new OutOfMemoryError("Cannot allocate new LongPointer(4): totalBytes = 0, "
                + "physicalBytes = 1509M");
        javaCpp.initCause(new OutOfMemoryError(
                "Physical memory usage is too high: physicalBytes (1509M) > maxPhysicalBytes (1500M)"));
        OutOfMemoryError e = Errors.outOfMemory("relu", javaCpp);
        String[] lines = e.getMessage().split("\n");
        assertEquals(2, lines.length, e.getMessage());
        assertTrue(lines[0].matches(
                "relu: out of memory for arrays \\(the process holds \\d+ MB, its limit is \\d+ MB\\)"), lines[0]);
        assertTrue(lines[1].startsWith("hint: let go of arrays you no longer need"), lines[1]);
        assertTrue(lines[1].contains("-Dorg.bytedeco.javacpp.maxphysicalbytes="), lines[1]);
        assertSame(javaCpp, e.getCause());
    }

    @Test
    void theJavaHeapsErrorIsWordedAlikeAndOthersAreLeftAsTheyWere() {
        OutOfMemoryError heap = new OutOfMemoryError("Java heap space");
        OutOfMemoryError e = Errors.outOfMemory("relu", heap);
        assertTrue(e.getMessage().matches("relu: out of Java heap for arrays \\(the heap holds \\d+ MB, its limit is"
                + " \\d+ MB\\)\nhint: let go of arrays you no longer need, or use smaller inputs; .*"), e.getMessage());
        assertSame(heap, e.getCause());
        OutOfMemoryError metaspace = new OutOfMemoryError("Metaspace");
        assertSame(metaspace, Errors.outOfMemory("relu", metaspace));
    }

    @Test
    void oneOutputLargerThanTheRoomLeftIsRefusedBeforeItIsAllocated() throws Exception {
        List<String> lines = ChildJvm.run(OneHugeOutput.class, "-Xmx256m",
                "-Dorg.bytedeco.javacpp.maxphysicalbytes=700m").lines().toList();
        assertEquals(4, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("conv2d: out of memory for arrays (an array of 748 MB does not fit: the"
                + " process holds "), lines.get(0));
        assertEquals("held below the bound: true", lines.get(1));
        assertTrue(lines.get(2).startsWith("conv2d: out of Java heap for arrays (the heap holds "), lines.get(2));
        assertEquals("then: [1, 1, 3, 3]", lines.get(3));
    }

    /**
     * A padding of 7,000 around a 5x5 input: a 14,003 x 14,003 output, 748 MB, under a 700 MB bound on native
     * memory (the fast engine) and a 256 MB heap (the reference engine). Before, ND4J allocated and filled it
     * whole, since JavaCPP checks only the memory already held.
     */
    public static final class OneHugeOutput {
        public static void main(String[] args) {
            INDArray x = Nd4j.rand(1, 1, 5, 5), w = Nd4j.rand(1, 1, 3, 3);
            for (Ops ops : new Ops[] {Cnn.fast(), Cnn.reference()}) {
                try {
                    System.out.println("no error: " + java.util.Arrays.toString(
                            ops.conv2d(x, w, null, ConvParams.of(1, 7000)).shape()));
                } catch (OutOfMemoryError e) {
                    System.out.println(e.getMessage().lines().findFirst().orElse(""));
                }
                if (ops == Cnn.fast()) {
                    System.out.println("held below the bound: "
                            + (org.bytedeco.javacpp.Pointer.physicalBytes() < 700L << 20));
                }
            }
            System.out.println("then: " + java.util.Arrays.toString(Cnn.fast().conv2d(x, w).shape()));
        }
    }

    @Test
    void oneDnnsCopiesOfAnArrayCountAgainstTheBoundToo() throws Exception {
        List<String> lines = ChildJvm.run(BlockedCopy.class, "-Xmx256m", "-Dorg.bytedeco.javacpp.maxphysicalbytes=900m")
                .lines().toList();
        assertEquals(3, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("conv2d: out of memory for arrays (an array of "), lines.get(0));
        assertEquals("held below the bound: true", lines.get(1));
        assertEquals("then: [1, 16, 100, 100]", lines.get(2));
    }

    /**
     * A 16-channel convolution of a 2,600 x 2,600 photo: its output (433 MB) fits under a 900 MB bound, but not beside
     * the copy oneDNN makes of it in its blocked layout, which oneDNN allocates itself. Before, nothing counted that
     * copy (a 64-channel conv of a 5000x5000 photo took the kernel past the machine's 24 GB).
     */
    public static final class BlockedCopy {
        public static void main(String[] args) {
            INDArray w = Nd4j.rand(16, 3, 3, 3);
            try {
                INDArray y = Cnn.fast().conv2d(Nd4j.rand(1, 3, 2600, 2600), w, null, ConvParams.same());
                System.out.println("no error: " + java.util.Arrays.toString(y.shape()));
            } catch (OutOfMemoryError e) {
                System.out.println(e.getMessage().lines().findFirst().orElse(""));
            }
            System.out.println("held below the bound: " + (org.bytedeco.javacpp.Pointer.physicalBytes() < 900L << 20));
            System.out.println("then: " + java.util.Arrays.toString(Cnn.fast().conv2d(Nd4j.rand(1, 3, 100, 100), w,
                    null, ConvParams.same()).shape()));
        }
    }

    @Test
    void anOpPastTheBoundSaysSoAndTheNextOneRunsOnceArraysAreDropped() throws Exception {
        // a bound of its own keeps this small (Nd4jRuntimeTest checks cnnlab's): about 20 of these outputs
        List<String> lines = ChildJvm.run(Hoarder.class, "-Xmx256m", "-Dorg.bytedeco.javacpp.maxphysicalbytes=700m")
                .lines().toList();
        assertEquals(3, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("relu: out of memory for arrays (an array of 24 MB does not fit: the"
                + " process holds "), lines.get(0));
        assertTrue(lines.get(0).endsWith(", its limit is 700 MB)"), lines.get(0));
        assertTrue(lines.get(1).startsWith("hint: let go of arrays"), lines.get(1));
        assertEquals("after clearing: [8, 64, 112, 112]", lines.get(2));
    }

    /** Keeps every relu output of a 25.7 MB input until the bound stops it; then lets them go and tries again. */
    public static final class Hoarder {
        public static void main(String[] args) {
            Ops ops = Cnn.fast();
            INDArray x = Nd4j.rand(8, 64, 112, 112);
            List<INDArray> kept = new ArrayList<>();
            try {
                for (int i = 0; i < 200; i++) {
                    kept.add(ops.relu(x));
                }
                System.out.println("no error after " + kept.size() + " outputs");
            } catch (OutOfMemoryError e) {
                System.out.println(e.getMessage());
            }
            kept.clear();
            System.out.println("after clearing: " + java.util.Arrays.toString(ops.relu(x).shape()));
        }
    }
}
