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

    /**
     * A ✏️ cell edited and run again without compiling keeps JShell's class of the earlier run: its check then
     * says so instead of passing code the cell no longer holds (graded, that cell scores 0: "did not compile").
     */
    @Test
    void aCheckAfterAnExerciseCellThatDidNotCompileSaysSoAndRunsNoCase() {
        String cell = "// ✏️ lab1 ex1\nclass MySizes {\n    static int outputSize(int i, int k, int s, int p) {\n"
                + "        return (i + 2 * p - k) / s + 1\n    }\n}";
        cnnlab.check.Lab1Checks.OutputSize working = (i, k, s, p) -> (i + 2 * p - k) / s + 1;
        try {
            KernelMends.exerciseRan(cell, true);
            cnnlab.check.CheckResult r = cnnlab.check.Check.lab1.outputSize(working);
            assertEquals(cnnlab.check.CheckResult.Status.ERROR, r.status(), r.toString());
            assertEquals(0, r.points(), r.toString());
            assertEquals("not checked: the ✏️ lab1 ex1 cell did not compile when it last ran, so its class is still"
                    + " the one of an earlier run (graded, the cell counts as not compiling): fix its error, run it"
                    + " again, then this cell", r.verdict());
            KernelMends.exerciseRan("// ✏️ lab1 ex2\nclass MyConv { }", true);   // another exercise's cell
            KernelMends.exerciseRan("Check.lab1.outputSize(MySizes::outputSize)", false);   // no ✏️ cell
            assertEquals(cnnlab.check.CheckResult.Status.ERROR, cnnlab.check.Check.lab1.outputSize(working).status());
            KernelMends.exerciseRan(cell.replace("+ 1\n", "+ 1;\n"), false);   // mended and run again
            assertEquals(cnnlab.check.CheckResult.Status.PASSED, cnnlab.check.Check.lab1.outputSize(working).status());
        } finally {
            System.clearProperty(KernelMends.NOT_COMPILED + "lab1 ex1");
            System.clearProperty(KernelMends.NOT_COMPILED + "lab1 ex2");
        }
    }

    @Test
    void aClassOrMethodThatDidNotCompileIsADeclarationAndAStrayStatementIsNot() {
        org.junit.jupiter.api.Assertions.assertTrue(KernelMends.isDeclaration(shell.eval(
                "class Broken { static int f() { return 1 } }").get(0).snippet()), "unparsed: JShell's guess");
        org.junit.jupiter.api.Assertions.assertTrue(KernelMends.isDeclaration(shell.eval(
                "static int g() { return nothing; }").get(0).snippet()));
        org.junit.jupiter.api.Assertions.assertFalse(KernelMends.isDeclaration(shell.eval(
                "int leftover = undefinedThing;").get(0).snippet()));
    }

    @Test
    void aClassThatFailedToStartGetsTheRestartHint() {
        var event = shell.eval("throw new NoClassDefFoundError(\"Could not initialize class"
                + " tech.tablesaw.api.Table\");").get(0);
        jdk.jshell.EvalException e = (jdk.jshell.EvalException) event.exception();
        java.util.List<String> lines = KernelMends.withRestartHint(e, java.util.List.of("NoClassDefFoundError: ..."));
        assertEquals(2, lines.size(), lines.toString());
        org.junit.jupiter.api.Assertions.assertTrue(lines.get(1).contains("hint: tech.tablesaw.api.Table failed to"
                + " start earlier (stopped halfway, perhaps by the stop button), and it stays so: restart the kernel"
                + " (Kernel > Restart), then run the notebook's cells from the top"), lines.toString());
        var other = (jdk.jshell.EvalException) shell.eval("throw new IllegalStateException(\"x\");").get(0).exception();
        assertEquals(java.util.List.of("x"), KernelMends.withRestartHint(other, java.util.List.of("x")));
        // a cell's own class that failed to start is made again by running its cell: no restart hint
        var own = (jdk.jshell.EvalException) shell.eval("throw new NoClassDefFoundError(\"Could not initialize class"
                + " REPL.$JShell$2$Bad\");").get(0).exception();
        assertEquals(java.util.List.of("x"), KernelMends.withRestartHint(own, java.util.List.of("x")));
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

    /** A student who knows PyTorch: its names for what the toolkit names otherwise get the toolkit's. */
    @Test
    void pytorchsNamesGetTheToolkits() {
        shell.eval("cnnlab.nn.Sequential net = null;");
        assertEquals("Sequential has no method parameters: did you mean params? (parameters is PyTorch's name)",
                noteFor("net.parameters()"));
        assertEquals("Sequential has no method named_parameters: did you mean stateDict? (named_parameters is"
                + " PyTorch's name)", noteFor("net.named_parameters()"));
        assertEquals("Sequential has no method state_dict: did you mean stateDict? (Java's names are camelCase)",
                noteFor("net.state_dict()"));
        assertEquals("Cnn has no method max_pool2d: did you mean maxPool2d? (Java's names are camelCase)",
                noteFor("cnnlab.Cnn.max_pool2d(null, null)"));
        assertEquals("INDArray has no method numel: did you mean length? (numel is PyTorch's name)",
                noteFor("x.numel()"));
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
