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
    void theJavaHeapsOwnErrorIsLeftAsItWas() {
        OutOfMemoryError heap = new OutOfMemoryError("Java heap space");
        assertSame(heap, Errors.outOfMemory("relu", heap));
    }

    @Test
    void anOpPastTheBoundSaysSoAndTheNextOneRunsOnceArraysAreDropped() throws Exception {
        // a bound of its own keeps this small (Nd4jRuntimeTest checks cnnlab's): about 20 of these outputs
        List<String> lines = ChildJvm.run(Hoarder.class, "-Xmx256m", "-Dorg.bytedeco.javacpp.maxphysicalbytes=700m")
                .lines().toList();
        assertEquals(3, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("relu: out of memory for arrays (the process holds "), lines.get(0));
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
