package cnnlab.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The stop button pressed during the setup cell: the toolkit's classes still start whole (an audit's interrupted
 * setup left ND4J and Tablesaw failing until a restart). In a JVM of its own, where nothing has started them yet.
 */
class NotebookSetupTest {
    /** setup() with the thread's interrupt flag already set, as the stop button leaves it; then a table and an op. */
    public static void main(String[] args) {
        Thread.currentThread().interrupt();
        Notebook.setup();
        System.out.println("INTERRUPTED " + Thread.interrupted());
        System.out.println("TABLE " + tech.tablesaw.api.Table.create("t").name());
        System.out.println("OP " + org.nd4j.linalg.factory.Nd4j.create(new float[] {1f, 2f}).sumNumber());
    }

    @Test
    void anInterruptDuringSetupLeavesTheClassesWorking() throws IOException, InterruptedException {
        Process java = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"),
                NotebookSetupTest.class.getName()).redirectErrorStream(true).start();
        String out = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(java.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, java.exitValue(), out);
        assertTrue(out.contains("INTERRUPTED true"), "the press still reaches the cell: " + out);
        assertTrue(out.contains("TABLE t"), out);
        assertTrue(out.contains("OP 3.0"), out);
    }
}
