package cnnlab.notebook;

import cnnlab.ops.nd4j.Nd4jRuntime;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The one call every notebook makes after loading the toolkit:
 * <pre>
 * %jars ../toolkit/target/cnnlab-toolkit.jar
 * </pre>
 * then, in the next cell (a cell cannot mix magics and Java),
 * <pre>
 * import cnnlab.*; import cnnlab.ops.*; ...
 * cnnlab.notebook.Notebook.setup();
 * </pre>
 * It picks ND4J's native build, starts ND4J (so the first op is not the one that pays for it) and, under
 * rapaio-jupyter-kernel, shows plain values as text so that line breaks survive. It also loads Tablesaw, whose
 * first use scans the class path and, if interrupted, fails until the kernel restarts. cnnlab's renderers
 * ({@link RjkDisplay}) are registered by the kernel itself when the jar is added. Elsewhere (IJava, JShell)
 * it does the same minus the kernel options, and prints nothing.
 */
public final class Notebook {
    private Notebook() {
    }

    public static void setup() {
        System.setProperty("java.awt.headless", "true");
        // A class whose start is stopped halfway fails for good: every later use is a NoClassDefFoundError ("Could
        // not initialize class") until the kernel restarts. ND4J's and Tablesaw's starts (Tablesaw scans the class
        // path when its Table class first loads, about 0.5 s) run on a thread of their own, which the stop button
        // does not reach, and this cell waits for them to end either way.
        // (a CompletableFuture's join waits through interrupts, and leaves the flag set: the press still ends the
        // cell, after the setup)
        try {
            CompletableFuture.runAsync(() -> {
                Nd4jRuntime.load();
                Nd4j.create(new float[] {0f}, new long[] {1}, 'c').addi(1); // load the natives now
                tech.tablesaw.api.Table.create("cnnlab");
            }, task -> new Thread(task, "cnnlab-setup").start()).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            } else if (e.getCause() instanceof Error cause) {
                throw cause;
            }
            throw e;
        }
        try {
            Class.forName("org.rapaio.jupyter.kernel.global.Global", false, Notebook.class.getClassLoader());
            RjkOptions.textByDefault();
        } catch (ClassNotFoundException | LinkageError notRapaio) {
            // another kernel or plain JShell: nothing to configure
        }
    }

    /** Kept apart so that the kernel's classes are only touched when they exist. */
    private static final class RjkOptions {
        static void textByDefault() {
            org.rapaio.jupyter.kernel.global.Global.options().display().defaultMime("text/plain");
        }
    }
}
