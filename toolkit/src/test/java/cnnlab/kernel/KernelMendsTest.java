package cnnlab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import cnnlab.viz.Images;
import java.nio.file.Path;
import java.util.Set;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The notes the kernel adds under javac's "cannot find symbol" for a name that nearly exists. */
class KernelMendsTest {
    private static JShell shell;

    @BeforeAll
    static void start() throws Exception {
        shell = JShell.builder().executionEngine("local").build();
        shell.addToClasspath(Path.of(Images.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString());
        for (String line : new String[] {"import cnnlab.viz.*;", "import cnnlab.filters.*;",
            "import org.nd4j.linalg.api.ndarray.INDArray;", "class MyConv { }", "INDArray x = null;"}) {
            assertEquals(Snippet.Status.VALID, shell.eval(line).get(0).status(), line);
        }
    }

    @AfterAll
    static void stop() {
        shell.close();
    }

    private static String noteFor(String cell) {
        Snippet s = shell.eval(cell).get(0).snippet();
        assertEquals(Snippet.Status.REJECTED, shell.status(s), cell);
        return KernelMends.misspelled(shell, s);
    }

    @Test
    void americanSpellingsAndTyposOfToolkitNamesGetTheName() {
        String british = " (the toolkit spells grey, centre, colour and normalise the British way)";
        assertEquals("Images has no method sampleGray: did you mean sampleGrey?" + british,
                noteFor("Images.sampleGray(\"camera\")"));
        assertEquals("Images has no method centerCrop: did you mean centreCrop?" + british,
                noteFor("Images.centerCrop(null)"));
        assertEquals("Kernels has no method sobelx: did you mean sobelX?", noteFor("Kernels.sobelx()"));
        assertEquals("Kernels has no method soblX: did you mean sobelX?", noteFor("Kernels.soblX()"));
        assertEquals("INDArray has no method shapes: did you mean shape?", noteFor("x.shapes()"));
        assertEquals("there is no class Kernel: did you mean Kernels?", noteFor("Kernel.sobelX()"));
        assertEquals("there is no class MyConvv: did you mean MyConv?", noteFor("new MyConvv()"));
    }

    @Test
    void namesFarFromAnyOrOfTheStudentsOwnGetJavacsMessageAlone() {
        assertNull(noteFor("Images.somethingElse()"));
        assertNull(noteFor("Kernels.sobel()"), "sobelX and sobelY are equally near: no guess");
        assertNull(noteFor("int y = undeclaredThing;"));
        assertNull(noteFor("Zebra.run()"));
        assertNull(noteFor("Strng s = \"\";"), "only the toolkit's and the notebook's own classes are guessed");
    }

    @Test
    void editDistanceCountsASwapAsOne() {
        assertEquals(0, KernelMends.editDistance("grey", "grey"));
        assertEquals(1, KernelMends.editDistance("sobelx", "sobely"));
        assertEquals(1, KernelMends.editDistance("saple", "sample"));
        assertEquals(1, KernelMends.editDistance("smaple", "sample"));
        assertEquals("relu", KernelMends.nearest("rleu", Set.of("relu", "prelu", "rrelu")));
    }
}
