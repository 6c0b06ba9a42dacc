package cnnlab.kernel;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import org.rapaio.jupyter.kernel.channels.Channels;
import org.rapaio.jupyter.kernel.channels.MessageHandler;
import org.rapaio.jupyter.kernel.core.RapaioKernel;
import org.rapaio.jupyter.kernel.core.format.ErrorFormatter;
import org.rapaio.jupyter.kernel.core.format.ErrorFormatters;
import org.rapaio.jupyter.kernel.core.java.CompilerException;
import org.rapaio.jupyter.kernel.core.java.JavaEngine;
import org.rapaio.jupyter.kernel.core.java.RapaioExecutionControl;
import org.rapaio.jupyter.kernel.core.java.RapaioExecutionControlProvider;
import org.rapaio.jupyter.kernel.display.text.ANSI;
import org.rapaio.jupyter.kernel.message.messages.ControlInterruptReply;
import org.rapaio.jupyter.kernel.message.messages.ControlInterruptRequest;

/**
 * Mends in rapaio-jupyter-kernel 3.0.1's interrupts and error messages, which students met in ordinary use.
 *
 * <ul>
 *   <li><b>Interrupts.</b> 3.0.1 stops a cell by shutting down the executor that runs every cell, and never makes
 *   a new one: after one press of the stop button every later cell silently did nothing. The interrupt also came
 *   through the control channel, whose handling shares the shell's message id and pending actions, so the
 *   interrupted cell never got its reply and a still-running cell printed into the server's log. Here Jupyter
 *   sends SIGINT instead ({@code "interrupt_mode": "signal"} in kernel.json) and {@link #interruptCell} interrupts
 *   the thread running the cell: code that heeds interrupts ends with its own message ({@code Thread.sleep},
 *   {@code Trainer.fit} between two batches, cnnlab's parallel loops). A cell still running a few seconds later
 *   is abandoned as 3.0.1 would: it ends with "interrupted", and the kernel goes on.</li>
 *   <li><b>Compile errors</b> whose positions javac reports out of order (a method reference of the wrong type,
 *   such as {@code Check.lab1.conv2d(MyConv::conv2d)} for a conv2d taking {@code float[][][]}) made 3.0.1's
 *   formatter throw: the cell showed nothing and never finished. They are now shown without the underline.</li>
 *   <li><b>cnnlab's own errors</b> (an exception thrown from a {@code cnnlab.} class: bad shapes, bad arguments)
 *   are written once, with the cell line that made the call; 3.0.1 wrote the message twice with the toolkit's
 *   stack frames, which say nothing to a student. Other exceptions keep 3.0.1's full form.</li>
 * </ul>
 */
final class KernelMends {
    private KernelMends() {
    }

    private static final Logger LOGGER = Logger.getLogger(KernelMends.class.getName());
    /** The cell's threads, as 3.0.1's {@code RapaioExecutionControl} names them. */
    static final String CELL_THREAD = "Engine-thread-";
    /** How long a cell may take to end by itself after an interrupt before it is abandoned. */
    static final long GRACE_MILLIS = 3000;
    /** How often the cell's threads are interrupted again meanwhile. */
    static final long REPEAT_MILLIS = 100;

    private static final ScheduledExecutorService LATER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cnnlab-interrupt");
        t.setDaemon(true);
        return t;
    });

    /** Everything at once, before the kernel answers its first request. */
    static void install(RapaioKernel kernel) {
        onSigint(() -> interruptCell(kernel));
        mendFormatters();
    }

    /** A handler for interrupt requests that come as messages: the same interrupt, and the reply 3.0.1 sends. */
    static MessageHandler<ControlInterruptRequest> interruptHandler(RapaioKernel kernel, Channels channels) {
        return message -> {
            channels.reply(new ControlInterruptReply());
            interruptCell(kernel);
        };
    }

    @SuppressWarnings("restriction")
    private static void onSigint(Runnable action) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> action.run());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            LOGGER.warning("cnnlab: cannot handle SIGINT (" + e.getMessage() + "): interrupts will not stop a cell");
        }
    }

    /**
     * Interrupts the threads that run cells (idle ones ignore it), again every {@link #REPEAT_MILLIS} while the
     * cell runs: printing to the notebook goes through a socket library that clears a thread's interrupt flag, so
     * one interrupt can be lost before the cell's code looks at it. If the cell is still running after
     * {@link #GRACE_MILLIS}, it is cancelled as 3.0.1 does, without shutting its executor down.
     */
    static void interruptCell(RapaioKernel kernel) {
        RapaioExecutionControl control;
        Set<Object> cells;
        try {
            control = control(kernel);
            cells = control == null ? Set.of() : new HashSet<>(running(control).keySet());
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOGGER.warning("cnnlab: cannot find the running cell: " + e);
            return;
        }
        if (cells.isEmpty()) {
            return;     // nothing runs: an interrupt while idle changes nothing
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GRACE_MILLIS);
        ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
        Runnable tick = () -> {
            try {
                // the interrupted cell's key leaves the map before the shell thread can start another cell
                if (Collections.disjoint(running(control).keySet(), cells)) {
                    self[0].cancel(false);
                } else if (System.nanoTime() > deadline) {
                    control.interrupt();
                    self[0].cancel(false);
                } else {
                    interruptThreadsNamed(CELL_THREAD);
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOGGER.warning("cnnlab: could not interrupt the cell: " + e);
                self[0].cancel(false);
            }
        };
        synchronized (self) {
            self[0] = LATER.scheduleAtFixedRate(() -> {
                synchronized (self) {
                    tick.run();
                }
            }, 0, REPEAT_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** Interrupts every live thread whose name starts with {@code prefix}; returns how many. */
    static int interruptThreadsNamed(String prefix) {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(prefix) && t.isAlive()) {
                t.interrupt();
                n++;
            }
        }
        return n;
    }

    private static RapaioExecutionControl control(RapaioKernel kernel) throws ReflectiveOperationException {
        JavaEngine engine = kernel.javaEngine();
        RapaioExecutionControlProvider provider = (RapaioExecutionControlProvider) read(engine, "controlProvider");
        return provider.getRegisteredControl((String) read(engine, "executionId"));
    }

    private static Map<?, ?> running(RapaioExecutionControl control) throws ReflectiveOperationException {
        return (Map<?, ?>) read(control, "running");
    }

    // ---------------------------------------------------------------- error messages

    @SuppressWarnings("unchecked")
    private static void mendFormatters() {
        try {
            Field f = ErrorFormatters.class.getDeclaredField("map");
            f.setAccessible(true);
            Map<Class<? extends Throwable>, ErrorFormatter<? extends Throwable>> map =
                    (Map<Class<? extends Throwable>, ErrorFormatter<? extends Throwable>>) f.get(null);
            ErrorFormatter<CompilerException> compile = (ErrorFormatter<CompilerException>) map.get(
                    CompilerException.class);
            ErrorFormatter<EvalException> eval = (ErrorFormatter<EvalException>) map.get(EvalException.class);
            if (compile != null) {
                map.put(CompilerException.class, (ErrorFormatter<CompilerException>) (kernel, e) -> {
                    try {
                        return compile.format(kernel, e);
                    } catch (RuntimeException broken) {
                        return compileError(kernel.javaEngine().getShell(), e.badSnippet().snippet());
                    }
                });
            }
            if (eval != null) {
                map.put(EvalException.class, (ErrorFormatter<EvalException>) (kernel, e) -> isCnnlabError(e)
                        ? cnnlabError(kernel.javaEngine().getShell(), e) : eval.format(kernel, e));
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOGGER.warning("cnnlab: error messages keep rapaio's form (" + e + ")");
        }
    }

    /** A compile error's messages under the snippet's source, without positions. */
    static List<String> compileError(JShell shell, Snippet snippet) {
        List<String> lines = new ArrayList<>(ANSI.errorTypeHeader("Compile error:"));
        lines.addAll(ANSI.sourceCode(snippet.source()));
        shell.diagnostics(snippet).forEach(d -> lines.addAll(ANSI.errorMessages(d.getMessage(Locale.getDefault()))));
        return lines;
    }

    /** Thrown by the toolkit itself: its message is written for the student, its frames are not. */
    static boolean isCnnlabError(EvalException e) {
        StackTraceElement[] trace = e.getStackTrace();
        return trace.length > 0 && trace[0].getClassName().startsWith("cnnlab.");
    }

    /** The exception's simple name and message, then the cell line that called the toolkit. */
    static List<String> cnnlabError(JShell shell, EvalException e) {
        String name = e.getExceptionClassName();
        List<String> lines = new ArrayList<>();
        lines.add(ANSI.start().bold().fgRed().text(name.substring(name.lastIndexOf('.') + 1) + ": " + e.getMessage()
                + "\n").render());
        for (StackTraceElement frame : e.getStackTrace()) {
            String file = frame.getFileName();
            if (file != null && file.startsWith("#")) {             // a cell's snippet: JShell names it #id
                String id = file.substring(1);
                // the newest snippet of that id: a cell that declares a variable again takes its id over
                shell.snippets().filter(s -> s.id().equals(id)).reduce((older, newer) -> newer)
                        .ifPresent(s -> lines.addAll(ANSI.sourceCode(s.source(), frame.getLineNumber())));
                break;
            }
        }
        return lines;
    }

    private static Object read(Object owner, String name) throws ReflectiveOperationException {
        Field f = owner.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return f.get(owner);
    }
}
