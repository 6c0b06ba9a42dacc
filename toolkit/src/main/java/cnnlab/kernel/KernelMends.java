package cnnlab.kernel;

import java.lang.reflect.Field;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import org.rapaio.jupyter.kernel.channels.Channels;
import org.rapaio.jupyter.kernel.channels.MessageHandler;
import org.rapaio.jupyter.kernel.core.RapaioKernel;
import org.rapaio.jupyter.kernel.core.format.ErrorFormatter;
import org.rapaio.jupyter.kernel.core.format.ErrorFormatters;
import org.rapaio.jupyter.kernel.core.java.CompilerException;
import org.rapaio.jupyter.kernel.core.java.EvaluationInterruptedException;
import org.rapaio.jupyter.kernel.core.java.JavaEngine;
import org.rapaio.jupyter.kernel.core.java.RapaioExecutionControl;
import org.rapaio.jupyter.kernel.core.java.RapaioExecutionControlProvider;
import org.rapaio.jupyter.kernel.display.text.ANSI;
import org.rapaio.jupyter.kernel.message.ContentType;
import org.rapaio.jupyter.kernel.message.MessageType;
import org.rapaio.jupyter.kernel.message.messages.ControlInterruptReply;
import org.rapaio.jupyter.kernel.message.messages.ControlInterruptRequest;
import org.rapaio.jupyter.kernel.message.messages.ShellExecuteRequest;

/**
 * Mends in rapaio-jupyter-kernel 3.0.1's interrupts and error messages, which students met in ordinary use.
 *
 * <ul>
 *   <li><b>Interrupts.</b> 3.0.1 stops a cell by shutting down the executor that runs every cell, and never makes
 *   a new one: after one press of the stop button every later cell silently did nothing. The interrupt also came
 *   through the control channel, whose handling shares the shell's message id and pending actions, so the
 *   interrupted cell never got its reply and a still-running cell printed into the server's log. Here Jupyter
 *   sends SIGINT instead ({@code "interrupt_mode": "signal"} in kernel.json) and {@link #interruptCell} interrupts
 *   the thread running the cell, again and again while that cell runs: code that heeds interrupts ends with its
 *   own message ({@code Thread.sleep}, {@code Trainer.fit} between two batches, a lab check, cnnlab's parallel
 *   loops). A cell still running {@value #GRACE_MILLIS} ms later is cancelled and its thread stopped, as JShell's
 *   own local execution stops one; the cell says so ("Stopped:"), and the kernel goes on. (Printing while
 *   interrupted used to throw from the notebook's socket: cnnlab's {@code JShellOutputStream} sends with the flag
 *   cleared.)</li>
 *   <li><b>Run All after an error</b> ran every cell queued behind it; they are now answered "aborted", as
 *   IPython answers them ({@link #queuedBeforeAnError}).</li>
 *   <li><b>Compile errors</b> whose positions javac reports out of order (a method reference of the wrong type,
 *   such as {@code Check.lab1.conv2d(MyConv::conv2d)} for a conv2d taking {@code float[][][]}) made 3.0.1's
 *   formatter throw: the cell showed nothing and never finished. They are now shown without the underline. A
 *   cell that cannot find a class because the class's own cell did not compile says so ({@link #notCompiled}).</li>
 *   <li><b>cnnlab's own errors</b> (an exception thrown from a {@code cnnlab.} class: bad shapes, bad arguments),
 *   and ND4J's, are written once, with the cell line that made the call; 3.0.1 wrote the message twice with the
 *   library's stack frames, which say nothing to a student. Other exceptions keep 3.0.1's full form, cut to its
 *   first and last {@value #KEEP} lines (a stack overflow wrote two thousand). Every message names a cell's
 *   variables and classes as the student wrote them, without JShell's wrapper classes
 *   ({@link #withoutWrappers}).</li>
 *   <li><b>{@code %jars}</b> adds without 3.0.1's green line and says how to build a missing toolkit
 *   ({@link Jars}).</li>
 * </ul>
 */
final class KernelMends {
    private KernelMends() {
    }

    private static final Logger LOGGER = Logger.getLogger(KernelMends.class.getName());
    /** The cell's threads, as 3.0.1's {@code RapaioExecutionControl} names them. */
    static final String CELL_THREAD = "Engine-thread-";
    /** How long a cell may take to end by itself after an interrupt before it is stopped. */
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
        Jars.install();
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
            sun.misc.SignalHandler previous = sun.misc.Signal.handle(new sun.misc.Signal("INT"),
                    signal -> action.run());
            if (previous == sun.misc.SignalHandler.SIG_IGN) {
                // the JVM leaves a signal ignored at its start ignored (nohup, a shell's background job), and says
                // nothing: the launcher's kernel.json starts the kernel through `env --default-signal=INT` for that
                LOGGER.warning("cnnlab: SIGINT is ignored in this process (started in the background or with nohup):"
                        + " the stop button cannot reach a cell");
            }
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            LOGGER.warning("cnnlab: cannot handle SIGINT (" + e.getMessage() + "): interrupts will not stop a cell");
        }
    }

    /**
     * Run All after an error. Jupyter sends every cell at once, each with {@code stop_on_error}; a kernel is to
     * answer the ones still queued when a cell fails with "aborted" and run none of them (IPython does). 3.0.1 ran
     * them all, so one error set off a cascade ("cannot find symbol" in every later cell). A request counts as
     * queued when it was sent before the failed cell ended (its header's date) and comes in within
     * {@value #QUEUED_MILLIS} ms of it (or of the last one aborted): one sent after reading the error, or by a
     * script after the error's reply, runs. A date that cannot be read, or a client clock ahead of the kernel's,
     * leaves 3.0.1's behaviour. (nbclient, and so the grader, sends one cell at a time, after the last one's reply.)
     */
    static final long QUEUED_MILLIS = 1000;
    private static final long NO_ERROR = Long.MIN_VALUE;
    /** When the last failed cell (or the last one aborted after it) ended, on the nano clock, or {@link #NO_ERROR}. */
    private static volatile long lastError = NO_ERROR;
    /** When the last failed cell ended, by the wall clock, to compare with a request's date. */
    private static volatile Instant lastErrorAt = Instant.MIN;
    /** Set by every error formatter: the running cell showed an error. */
    private static volatile boolean errorShown;
    /** Set by the compile error formatter: the running cell did not compile. */
    private static volatile boolean compileFailed;
    /** The ✏️ marker of a lab's exercise cell: {@code // ✏️ lab1 ex2}. */
    private static final java.util.regex.Pattern EXERCISE_CELL = java.util.regex.Pattern.compile(
            "(?m)^\\s*//\\s*✏️\\s*(lab\\d+ ex\\d+)\\b");
    /**
     * The system property ({@code + "lab1 ex2"}) that says an exercise's cell did not compile when it last ran: JShell
     * keeps the class of an earlier run, and a check would then have passed code the cell no longer holds (its grade
     * is 0, "did not compile"). cnnlab.check reads it (the kernel's classes and the notebook's are loaded apart).
     */
    static final String NOT_COMPILED = "cnnlab.exercise.notCompiled.";

    static boolean queuedBeforeAnError(String sent) {
        long since = lastError;
        if (since == NO_ERROR || System.nanoTime() - since > TimeUnit.MILLISECONDS.toNanos(QUEUED_MILLIS)) {
            return false;
        }
        try {
            return OffsetDateTime.parse(sent, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().isBefore(lastErrorAt);
        } catch (RuntimeException unreadable) {   // null, or no time zone
            return false;
        }
    }

    /** Answers a queued execute request "aborted", as rapaio answers one it ran: busy, the reply, idle. */
    private static void abort(Channels channels) {
        channels.scheduleAfter(channels::freeMsgId);
        channels.busyThenIdle();
        channels.scheduleAfter(() -> channels.reply(new AbortedReply("aborted")));
        lastError = System.nanoTime();   // the next queued cell is aborted too
    }

    /** An execute reply with status "aborted", which 3.0.1's reply type cannot say. */
    record AbortedReply(String status) implements ContentType<AbortedReply> {
        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public MessageType<AbortedReply> type() {
            return (MessageType) MessageType.SHELL_EXECUTE_REPLY;
        }
    }

    /** Counts the cells the shell has started; {@link #cellRunning} while one runs. */
    private static volatile long cells;
    private static volatile boolean cellRunning;

    /**
     * Wraps the shell's execute handler so that an interrupt knows which cell it is for, that cells queued behind a
     * failed one are aborted ({@link #queuedBeforeAnError}), and that a declaration that uses something not
     * declared yet gets a note under its cell ({@link #unresolved}).
     */
    static MessageHandler<ShellExecuteRequest> tracked(RapaioKernel kernel, Channels channels,
                                                       MessageHandler<ShellExecuteRequest> handler) {
        return message -> {
            if (queuedBeforeAnError(message.header().timestamp())) {
                abort(channels);
                return;
            }
            JShell shell = kernel.javaEngine().getShell();
            long before = shell.snippets().count();
            cells++;
            cellRunning = true;
            errorShown = false;
            compileFailed = false;
            try {
                handler.handle(message);
            } finally {
                cellRunning = false;
                exerciseRan(message.content().code(), compileFailed);
                if (errorShown && message.content().stopOnError()) {
                    lastError = System.nanoTime();
                    lastErrorAt = Instant.now();
                } else {
                    lastError = NO_ERROR;
                }
            }
            try {
                String note = unresolved(shell, before);
                if (!note.isEmpty()) {
                    channels.writeToStdErr(note);
                }
            } catch (RuntimeException e) {
                LOGGER.warning("cnnlab: cannot look for unresolved references: " + e);
            }
        };
    }

    /**
     * A class or method, also one javac could not parse (then JShell's guess at its kind): one that did not compile
     * keeps its earlier form, where a stray statement that did not compile leaves the cell's new class in place.
     */
    static boolean isDeclaration(Snippet snippet) {
        Snippet.Kind kind = snippet instanceof jdk.jshell.ErroneousSnippet erroneous ? erroneous.probableKind()
                : snippet.kind();
        return kind == Snippet.Kind.TYPE_DECL || kind == Snippet.Kind.METHOD;
    }

    /** Notes whether an exercise's ✏️ cell compiled when it last ran ({@link #NOT_COMPILED}). */
    static void exerciseRan(String code, boolean notCompiled) {
        java.util.regex.Matcher m = EXERCISE_CELL.matcher(code == null ? "" : code);
        if (!m.find()) {
            return;
        }
        if (notCompiled) {
            System.setProperty(NOT_COMPILED + m.group(1), "true");
        } else {
            System.clearProperty(NOT_COMPILED + m.group(1));
        }
    }

    /**
     * What the plain {@code jshell} tool says and 3.0.1 did not: a class or method declared in the cell (snippets
     * from {@code before} on) that calls something not declared yet is created but cannot be used. A check of it
     * then failed every case with "SPIResolutionException".
     */
    static String unresolved(JShell shell, long before) {
        StringBuilder note = new StringBuilder();
        shell.snippets().skip(before).filter(s -> s instanceof DeclarationSnippet).map(s -> (DeclarationSnippet) s)
                .filter(s -> shell.status(s) == Snippet.Status.RECOVERABLE_DEFINED
                        || shell.status(s) == Snippet.Status.RECOVERABLE_NOT_DEFINED)
                .forEach(s -> {
                    List<String> missing = shell.unresolvedDependencies(s).toList();
                    if (!missing.isEmpty()) {
                        note.append("note: ").append(s.name()).append(" is declared, but it cannot be used until ")
                                .append(String.join(" and ", missing)).append(missing.size() == 1 ? " is" : " are")
                                .append(" declared (in this cell or another)\n");
                    }
                });
        return note.toString();
    }

    /**
     * Interrupts the thread running the cell, again every {@link #REPEAT_MILLIS} while that cell runs: each of a
     * cell's statements runs as a task of its own, whose pool clears the flag, and one interrupt can be spent
     * before the code looks at it. A cell still running after {@link #GRACE_MILLIS} is cancelled (it ends with
     * "stopped") and its thread stopped ({@link #stopBusyCellThreads}).
     */
    static void interruptCell(RapaioKernel kernel) {
        if (!cellRunning) {
            return;     // nothing runs: an interrupt while idle changes nothing
        }
        long target = cells, deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GRACE_MILLIS);
        ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
        Runnable tick = () -> {
            if (!cellRunning || cells != target) {
                self[0].cancel(false);
            } else if (System.nanoTime() < deadline) {
                interruptBusyCellThreads();
            } else {
                try {
                    RapaioExecutionControl control = control(kernel);
                    if (control != null) {
                        control.interrupt();
                    }
                } catch (ReflectiveOperationException | RuntimeException e) {
                    LOGGER.warning("cnnlab: could not cancel the interrupted cell: " + e);
                }
                stopBusyCellThreads();
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

    /** The threads that run cells and are running one now (an idle one waits in its pool for a task). */
    static List<Thread> busyCellThreads() {
        List<Thread> busy = new ArrayList<>();
        Thread.getAllStackTraces().forEach((t, frames) -> {
            if (t.getName().startsWith(CELL_THREAD) && t.isAlive() && java.util.Arrays.stream(frames).noneMatch(
                    f -> f.getClassName().equals("java.util.concurrent.ThreadPoolExecutor")
                            && f.getMethodName().equals("getTask"))) {
                busy.add(t);
            }
        });
        return busy;
    }

    static void interruptBusyCellThreads() {
        busyCellThreads().forEach(Thread::interrupt);
    }

    /**
     * Stops the threads still running a cell after its grace period, as JShell's own local execution does: on
     * JDK 17 {@code Thread.stop} throws {@code ThreadDeath} into the thread, through its {@code finally} blocks.
     * A thread waiting for cnnlab's parallel loops is left to end by itself.
     * Where the JDK no longer allows it (20 and later) the thread is left running, abandoned.
     */
    @SuppressWarnings({"deprecation", "removal"})
    static void stopBusyCellThreads() {
        Map<Thread, StackTraceElement[]> stacks = Thread.getAllStackTraces();
        for (Thread t : busyCellThreads()) {
            StackTraceElement[] frames = stacks.getOrDefault(t, new StackTraceElement[0]);
            if (java.util.Arrays.stream(frames).anyMatch(f -> f.getClassName().equals("cnnlab.ops.Parallel"))) {
                // waiting for cnnlab's worker threads, which write into the op's arrays: stopped, it would let
                // their memory be reused under them. It ends by itself once they finish (it heeds interrupts)
                continue;
            }
            try {
                t.stop();
            } catch (UnsupportedOperationException notAllowed) {
                LOGGER.warning("cnnlab: this JDK cannot stop a thread; the stopped cell's code goes on running");
                return;
            }
        }
    }

    private static RapaioExecutionControl control(RapaioKernel kernel) throws ReflectiveOperationException {
        JavaEngine engine = kernel.javaEngine();
        RapaioExecutionControlProvider provider = (RapaioExecutionControlProvider) read(engine, "controlProvider");
        return provider.getRegisteredControl((String) read(engine, "executionId"));
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
                    JShell shell = kernel.javaEngine().getShell();
                    Snippet bad = e.badSnippet().snippet();
                    compileFailed |= isDeclaration(bad);
                    List<String> lines;
                    try {
                        lines = compile.format(kernel, e);
                    } catch (RuntimeException broken) {
                        lines = compileError(shell, bad);
                    }
                    String cause = notCompiled(shell, bad);
                    cause = cause != null ? cause : notImported(shell, bad, Jars.toolkitAdded);
                    if (cause == null) {
                        try {
                            cause = misspelled(shell, bad);
                        } catch (RuntimeException guessFailed) {  // a guess never costs javac's own message
                            LOGGER.fine("cnnlab: no guess for a missing name (" + guessFailed + ")");
                        }
                    }
                    if (cause == null) {
                        return lines;
                    }
                    List<String> more = new ArrayList<>(lines);
                    more.addAll(ANSI.errorMessages(cause));
                    return more;
                });
            }
            if (eval != null) {
                map.put(EvalException.class, (ErrorFormatter<EvalException>) (kernel, e) -> isLibraryError(e)
                        ? libraryError(kernel.javaEngine().getShell(), e)
                        : withRestartHint(e, shortened(withoutWrappers(eval.format(kernel, e)))));
            }
            map.put(EvaluationInterruptedException.class, (ErrorFormatter<EvaluationInterruptedException>)
                    (kernel, e) -> stopped(e));
            map.replaceAll((type, formatter) -> noting(formatter));
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOGGER.warning("cnnlab: error messages keep rapaio's form (" + e + ")");
        }
    }

    /**
     * A class whose start was stopped halfway (the stop button during its first use) fails for good, each use a
     * "Could not initialize class": only a restart helps, which the JVM's message does not say.
     */
    static List<String> withRestartHint(EvalException e, List<String> lines) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        // a cell's own class (REPL.$JShell$...) is made again by running its cell: no restart needed
        if (!message.startsWith("Could not initialize class ")
                || message.startsWith("Could not initialize class REPL.")) {
            return lines;
        }
        List<String> more = new ArrayList<>(lines);
        more.addAll(ANSI.errorMessages("hint: " + message.substring("Could not initialize class ".length())
                + " failed to start earlier (stopped halfway, perhaps by the stop button), and it stays so: restart"
                + " the kernel (Kernel > Restart), then run the notebook's cells from the top"));
        return more;
    }

    /** A formatter that also notes that the cell showed an error ({@link #errorShown}). */
    @SuppressWarnings("unchecked")
    private static <E extends Throwable> ErrorFormatter<E> noting(ErrorFormatter<? extends Throwable> formatter) {
        ErrorFormatter<E> f = (ErrorFormatter<E>) formatter;
        return (kernel, e) -> {
            errorShown = true;
            return f.format(kernel, e);
        };
    }

    /**
     * The lines without JShell's wrapper classes: {@code because "REPL.$JShell$10.s" is null} becomes {@code because
     * "s" is null}, the variable as the student declared it, and {@code "REPL.$JShell$11$MyConv.cache"} becomes
     * {@code "MyConv.cache"}.
     */
    static List<String> withoutWrappers(List<String> lines) {
        return lines.stream().map(cnnlab.check.JShellNames::withoutWrappers).toList();
    }

    /** Lines kept at each end of a long error (a stack overflow's thousand frames, each with its cell line). */
    static final int KEEP = 30;

    /** The first and last {@link #KEEP} lines of a long error, with how many were left out between. */
    static List<String> shortened(List<String> lines) {
        if (lines.size() <= 2 * KEEP + 1) {
            return lines;
        }
        List<String> kept = new ArrayList<>(lines.subList(0, KEEP));
        kept.add(ANSI.start().fgRed().text("   ... " + (lines.size() - 2 * KEEP) + " more lines ...").render());
        kept.addAll(lines.subList(lines.size() - KEEP, lines.size()));
        return kept;
    }

    /** A cell ended by the stop button because it did not end by itself ({@link #interruptCell}). */
    static List<String> stopped(EvaluationInterruptedException e) {
        List<String> lines = new ArrayList<>(ANSI.errorTypeHeader("Stopped:"));
        lines.addAll(ANSI.sourceCode(e.getSource()));
        lines.addAll(ANSI.errorMessages("The cell did not end within " + GRACE_MILLIS / 1000 + " s of the stop"
                + " button, so it was stopped in the middle. What it was changing may be half done: run the cells"
                + " that set it up again."));
        return lines;
    }

    /** "cannot find symbol ... variable MySizes": the name javac could not find. */
    private static final java.util.regex.Pattern NOT_FOUND = java.util.regex.Pattern.compile(
            "cannot find symbol\\s+symbol:\\s+(?:variable|class) (\\w+)");

    /**
     * When a cell cannot find a class because the cell that declares it did not compile (the usual case in a lab:
     * the check cell under an exercise with a mistake), says so: javac's own "cannot find symbol" sends a student
     * looking in the wrong cell. Null otherwise.
     */
    static String notCompiled(JShell shell, Snippet snippet) {
        for (var d : shell.diagnostics(snippet).toList()) {
            java.util.regex.Matcher m = NOT_FOUND.matcher(d.getMessage(Locale.ROOT));
            if (!m.find()) {
                continue;
            }
            String name = m.group(1);
            boolean rejected = shell.snippets().anyMatch(s -> s instanceof jdk.jshell.TypeDeclSnippet t
                    && t.name().equals(name) && shell.status(t) == Snippet.Status.REJECTED);
            boolean declared = shell.types().anyMatch(t -> t.name().equals(name));
            if (rejected && !declared) {
                return name + " did not compile: fix the cell that declares it (its error is shown under it), run it,"
                        + " then run this cell again";
            }
        }
        return null;
    }

    /** Where the classes the notebooks use come from: the import a cell that cannot find one needs. */
    static final Map<String, String> TOOLKIT_CLASSES = Map.ofEntries(Map.entry("Cnn", "cnnlab.Cnn"),
            Map.entry("ConvParams", "cnnlab.ops.ConvParams"), Map.entry("PoolParams", "cnnlab.ops.PoolParams"),
            Map.entry("Shapes", "cnnlab.shape.Shapes"), Map.entry("Kernels", "cnnlab.filters.Kernels"),
            Map.entry("Gabor", "cnnlab.filters.Gabor"), Map.entry("Images", "cnnlab.viz.Images"),
            Map.entry("Plots", "cnnlab.viz.Plots"), Map.entry("FeatureMaps", "cnnlab.viz.FeatureMaps"),
            Map.entry("KernelGrid", "cnnlab.viz.KernelGrid"), Map.entry("Check", "cnnlab.check.Check"),
            Map.entry("Nd4j", "org.nd4j.linalg.factory.Nd4j"),
            Map.entry("INDArray", "org.nd4j.linalg.api.ndarray.INDArray"),
            Map.entry("DataType", "org.nd4j.linalg.api.buffer.DataType"));

    private static final java.util.regex.Pattern NO_PACKAGE = java.util.regex.Pattern.compile(
            "package (cnnlab|org\\.nd4j)[.\\w]* does not exist");

    /**
     * When a cell cannot find the toolkit or one of its classes because a cell at the notebook's top has not run:
     * the {@code %jars} cell (then nothing of cnnlab or ND4J is there), or the imports cell. Null otherwise.
     */
    static String notImported(JShell shell, Snippet snippet, boolean toolkitAdded) {
        for (var d : shell.diagnostics(snippet).toList()) {
            String message = d.getMessage(Locale.ROOT);
            java.util.regex.Matcher symbol = NOT_FOUND.matcher(message);
            String name = symbol.find() ? symbol.group(1) : null;
            boolean known = name != null && TOOLKIT_CLASSES.containsKey(name);
            if (!toolkitAdded && (known || NO_PACKAGE.matcher(message).find())) {
                return "The toolkit is not on the class path yet: run the notebook's first cell (%jars"
                        + " ../toolkit/target/cnnlab-toolkit.jar), then its imports cell, then this one";
            }
            if (known && shell.types().noneMatch(t -> t.name().equals(name))) {
                return name + " is not imported: run the notebook's imports cell (near its top), or add import "
                        + TOOLKIT_CLASSES.get(name) + ";";
            }
        }
        return null;
    }

    /** "symbol: method sampleGray(java.lang.String) location: class cnnlab.viz.Images": the name and its owner. */
    private static final java.util.regex.Pattern NO_METHOD = java.util.regex.Pattern.compile(
            "cannot find symbol\\s+symbol:\\s+method (\\w+)\\([^)]*\\)\\s+location:\\s+"
                    + "(?:class |interface |variable \\w+ of type )((?:cnnlab|org\\.nd4j)\\.[\\w.]+)");

    /** American spellings, and the British ones the toolkit's names use. */
    private static final String[][] SPELLINGS = {{"gray", "grey"}, {"center", "centre"}, {"color", "colour"},
        {"normaliz", "normalis"}};

    /**
     * When a cell calls a toolkit method or names a toolkit class that does not exist, but one nearly does
     * ({@code Images.sampleGray}, {@code Images.centerCrop}, {@code Kernel.sobelX()}, {@code x.shapes()}):
     * {@code Images has no method sampleGray: did you mean sampleGrey? (the toolkit spells grey, centre and colour
     * the British way)}. Null otherwise.
     */
    static String misspelled(JShell shell, Snippet snippet) {
        for (var d : shell.diagnostics(snippet).toList()) {
            String message = d.getMessage(Locale.ROOT);
            java.util.regex.Matcher method = NO_METHOD.matcher(message);
            if (method.find()) {
                String owner = method.group(2), name = method.group(1);
                Set<String> members = members(shell, owner);
                String torch = pytorchName(name, members);
                String near = torch != null ? torch : nearest(name, members);
                if (near != null) {
                    String note = torch == null ? spellingNote(name, near) : PYTORCH_NAMES.containsKey(name)
                            ? " (" + name + " is PyTorch's name)" : " (Java's names are camelCase)";
                    return owner.substring(owner.lastIndexOf('.') + 1) + " has no method " + name + ": did you mean "
                            + near + "?" + note;
                }
                continue;
            }
            java.util.regex.Matcher symbol = NOT_FOUND.matcher(message);
            if (symbol.find() && Character.isUpperCase(symbol.group(1).charAt(0))) {
                String name = symbol.group(1);
                Set<String> classes = new TreeSet<>(TOOLKIT_CLASSES.keySet());
                shell.types().forEach(t -> classes.add(t.name()));          // the notebook's own
                String near = nearest(name, classes);
                if (near != null && !near.equals(name)) {
                    return "there is no class " + name + ": did you mean " + near + "?" + spellingNote(name, near);
                }
            }
        }
        return null;
    }

    /** The names of the methods a value of {@code type} (a class's static ones, an object's own) offers. */
    static Set<String> members(JShell shell, String type) {
        Set<String> names = new TreeSet<>();
        for (String prefix : new String[] {type + ".", "((" + type + ") null)."}) {
            shell.sourceCodeAnalysis().completionSuggestions(prefix, prefix.length(), new int[1]).forEach(s -> {
                String c = s.continuation();                          // "sobelX()", or "sample(" with arguments
                int open = c.indexOf('(');
                if (open > 0) {
                    names.add(c.substring(0, open));
                }
            });
        }
        return names;
    }

    /** PyTorch's names for what the toolkit names otherwise (a {@code Sequential}'s, mostly), and the toolkit's. */
    private static final Map<String, String> PYTORCH_NAMES = Map.of("parameters", "params", "named_parameters",
            "stateDict", "numel", "length", "size", "shape");

    /**
     * The toolkit's name for a PyTorch one that {@code names} holds: {@code parameters} is {@code params}, and a
     * snake_case name is its camelCase ({@code state_dict}, {@code max_pool2d}). Null if none.
     */
    static String pytorchName(String typed, Set<String> names) {
        String mapped = PYTORCH_NAMES.get(typed);
        if (mapped != null && names.contains(mapped)) {
            return mapped;
        }
        if (typed.indexOf('_') > 0) {
            StringBuilder camel = new StringBuilder();
            boolean upper = false;
            for (char c : typed.toCharArray()) {
                if (c == '_') {
                    upper = true;
                } else {
                    camel.append(upper ? Character.toUpperCase(c) : c);
                    upper = false;
                }
            }
            for (String n : names) {
                if (n.equalsIgnoreCase(camel.toString())) {
                    return n;
                }
            }
        }
        return null;
    }

    /**
     * The one name among {@code names} that {@code typed} most likely meant: the same in British spelling or but
     * for case, else the only one within one edit (two for names longer than 5 letters). Null if none or a tie.
     */
    static String nearest(String typed, Set<String> names) {
        String british = british(typed).toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = typed.length() > 5 ? 3 : 2;
        boolean tie = false;
        for (String n : names) {
            int distance = editDistance(british, n.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = n;
                bestDistance = distance;
                tie = false;
            } else if (distance == bestDistance && best != null) {
                tie = true;
            }
        }
        return tie ? null : best;
    }

    private static String british(String name) {
        String out = name;
        for (String[] s : SPELLINGS) {
            out = out.replace(s[0], s[1]).replace(Character.toUpperCase(s[0].charAt(0)) + s[0].substring(1),
                    Character.toUpperCase(s[1].charAt(0)) + s[1].substring(1));
        }
        return out;
    }

    private static String spellingNote(String typed, String near) {
        return british(typed).equalsIgnoreCase(near) && !typed.equalsIgnoreCase(near)
                ? " (the toolkit spells grey, centre, colour and normalise the British way)" : "";
    }

    /** Edits (insert, delete, replace, swap two neighbours) from {@code a} to {@code b}. */
    static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            for (int j = 0; j <= b.length(); j++) {
                if (i == 0 || j == 0) {
                    d[i][j] = i + j;
                    continue;
                }
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    /** A compile error's messages under the snippet's source, without positions. */
    static List<String> compileError(JShell shell, Snippet snippet) {
        List<String> lines = new ArrayList<>(ANSI.errorTypeHeader("Compile error:"));
        lines.addAll(ANSI.sourceCode(snippet.source()));
        shell.diagnostics(snippet).forEach(d -> lines.addAll(ANSI.errorMessages(d.getMessage(Locale.getDefault()))));
        return lines;
    }

    /**
     * Thrown by the toolkit itself, with a message written for the student, or by ND4J (a reshape to another
     * length, arrays that do not broadcast), and no cause: their frames inside the library say nothing more than
     * the message and the cell line. An error ({@code ExceptionInInitializerError}, say), one without a message or
     * one with a cause keeps 3.0.1's whole form, where the cause is.
     */
    static boolean isLibraryError(EvalException e) {
        StackTraceElement[] trace = e.getStackTrace();
        String name = e.getExceptionClassName();
        String top = trace.length > 0 ? trace[0].getClassName() : "";
        return (top.startsWith("cnnlab.") || top.startsWith("org.nd4j.")) && e.getCause() == null
                && e.getMessage() != null && !e.getMessage().isBlank() && name != null && !name.endsWith("Error");
    }

    /** The exception's simple name and message, then the cell line that called the library. */
    static List<String> libraryError(JShell shell, EvalException e) {
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
