package cnnlab.check;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One call of the student's function, on its own daemon thread, waited for at most the time limit. A call that
 * runs longer is interrupted and, if it has not ended {@value #GRACE_MILLIS} ms later, stopped as JShell stops a
 * cell ({@code Thread.stop}, JDK 17), but only while it runs the student's own code ({@link #stoppable}): stopped
 * inside the toolkit's parallel loops, ND4J or the kernel's output it could crash the JVM or spoil the notebook's
 * messages, so there it is asked again until it leaves them, for up to {@value #STOP_TRIES} tries. A call that
 * cannot be stopped (JDK 20 and later, or one that never leaves such code) is abandoned: it may keep a core busy
 * until the kernel restarts, and as a daemon never keeps the JVM alive. An interrupt of the waiting thread (a
 * notebook's stop button) ends the whole check with a {@link CancellationException} and stops the call.
 */
final class Call {
    /** How long a call past its limit has to end by itself after its interrupt before it is stopped. */
    static final long GRACE_MILLIS = 200;
    /** How many times a call inside code that must not be stopped is looked at again, {@link #GRACE_MILLIS} apart. */
    static final int STOP_TRIES = 10;

    /**
     * How a call ended: a value, a throwable, or still running at the limit; then {@code stillRunning} is null if
     * it was stopped, else why it goes on running (abandoned).
     */
    record Outcome(Object value, Throwable thrown, boolean timedOut, double seconds, String stillRunning) {
        Outcome(Object value, Throwable thrown, double seconds) {
            this(value, thrown, false, seconds, null);
        }

        boolean stopped() {
            return timedOut && stillRunning == null;
        }

        boolean notAttempted() {
            return thrown instanceof UnsupportedOperationException;
        }
    }

    private Call() {
    }

    static Outcome run(Callable<?> call, double limitSeconds) {
        FutureTask<Object> task = new FutureTask<>(call::call);
        Thread thread = new Thread(task, "cnnlab-check-student-call");
        thread.setDaemon(true);
        long start = System.nanoTime();
        thread.start();
        try {
            Object value = task.get((long) Math.ceil(limitSeconds * 1e9), TimeUnit.NANOSECONDS);
            return new Outcome(value, null, (System.nanoTime() - start) / 1e9);
        } catch (TimeoutException e) {
            double seconds = (System.nanoTime() - start) / 1e9;
            task.cancel(true); // interrupts: a loop that heeds interrupts ends here
            try {
                return new Outcome(null, null, true, seconds, end(thread));
            } catch (InterruptedException stopButton) {
                throw stopButton(task, thread);
            }
        } catch (ExecutionException e) {
            return new Outcome(null, e.getCause() == null ? e : e.getCause(), (System.nanoTime() - start) / 1e9);
        } catch (InterruptedException e) {
            throw stopButton(task, thread);
        }
    }

    /** The stop button: the check ends, not just this case, and the student's call with it. */
    private static CancellationException stopButton(FutureTask<?> task, Thread thread) {
        task.cancel(true);
        if (stoppable(thread.getStackTrace())) {
            stop(thread);
        }
        Thread.currentThread().interrupt();
        return new CancellationException("Check: stopped by an interrupt (the stop button) while your function"
                + " ran; nothing was graded\nhint: run the check again once your function ends in time");
    }

    /**
     * Ends a call past its limit, already interrupted: null once it has ended, else why it goes on running.
     *
     * @throws InterruptedException if the waiting thread is interrupted meanwhile (the stop button)
     */
    private static String end(Thread thread) throws InterruptedException {
        thread.join(GRACE_MILLIS);
        for (int i = 0; i < STOP_TRIES && thread.isAlive(); i++) {
            if (stoppable(thread.getStackTrace()) && !stop(thread)) {
                return "this Java cannot stop a running call";
            }
            thread.join(GRACE_MILLIS);
        }
        return thread.isAlive() ? "your loop spends its time in the toolkit's code, which is not stopped halfway"
                : null;
    }

    /** Code a thread must not be stopped in: it would leave shared state half changed. */
    private static final List<String> UNSTOPPABLE = List.of(
            "cnnlab.ops.Parallel",   // waits for worker threads writing into the op's arrays
            "org.nd4j.", "org.bytedeco.",                                    // native memory and its bookkeeping
            "cnnlab.kernel.", "org.rapaio.", "org.zeromq.");                 // a half-sent message to the notebook

    /** Whether a thread with these frames runs only code that may be stopped. */
    static boolean stoppable(StackTraceElement[] frames) {
        for (StackTraceElement f : frames) {
            for (String unsafe : UNSTOPPABLE) {
                if (f.getClassName().startsWith(unsafe)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Stops the student's call, as JShell stops a cell: {@code Thread.stop} throws {@code ThreadDeath} into it
     * (JDK 17). Returns false where the JDK no longer allows it (20 and later), which leaves it running. Only for a
     * thread that is {@link #stoppable}.
     */
    @SuppressWarnings({"deprecation", "removal"})
    private static boolean stop(Thread thread) {
        try {
            thread.stop();
            return true;
        } catch (UnsupportedOperationException notAllowed) {
            return false;
        }
    }

    /**
     * Ends a student's call that was asked to stop (a check's time limit, the stop button) at its next call of the
     * toolkit's helpers: a loop that spends its time in toolkit code, where the call is not stopped from outside
     * ({@link #stoppable}), still ends.
     *
     * @throws CancellationException if the current thread has been interrupted
     */
    static void stopIfAsked() {
        if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException("stopped: the call ran past its time limit, or the stop button was"
                    + " pressed");
        }
    }

    /** {@code NullPointerException: x is null}, or the class name alone when there is no message. */
    static String describe(Throwable t) {
        if (t.getClass().getName().equals("jdk.jshell.spi.SPIResolutionException")) {
            // JShell's way of saying the student's code calls something not declared yet
            return "SPIResolutionException: your code calls a method or class that is not declared yet (see the note"
                    + " under the cell that declared it)";
        }
        String message = t.getMessage();
        return name(t) + (message == null || message.isBlank() ? "" : ": " + firstLine(message)) + where(t);
    }

    /**
     * For a hidden case, whose message may hold its inputs: {@code IllegalStateException (in MyConv.conv2d; message
     * not shown for hidden cases)}.
     */
    static String describeHidden(Throwable t) {
        String where = where(t);
        return name(t) + " (" + (where.isEmpty() ? "" : where.substring(2, where.length() - 1) + "; ")
                + "message not shown for hidden cases)";
    }

    private static String name(Throwable t) {
        return t.getClass().getSimpleName().isEmpty() ? t.getClass().getName() : t.getClass().getSimpleName();
    }

    /** {@code " (in MyConv.conv2d)"}: the student's frame nearest the throw, or "" when there is none. */
    private static String where(Throwable t) {
        for (StackTraceElement e : t.getStackTrace()) {
            if (!e.getClassName().startsWith("java.") && !e.getClassName().startsWith("jdk.")
                    && !e.getClassName().startsWith("cnnlab.check.")) {
                return " (in " + place(e) + ")";
            }
        }
        return "";
    }

    /** JShell's class for a cell's code ({@code REPL.$JShell$16}), and the classes declared in cells within it. */
    private static final String CELL = "REPL.$JShell$";

    /**
     * Where in the student's code: {@code MyConv.conv2d}, {@code conv2d} (a method declared at a cell's top
     * level), {@code a lambda in MyConv.conv2d}, {@code the cell's code}. For code in a notebook cell there is no
     * line number: JShell counts the lines of the class it wraps the cell in, not the cell's own.
     */
    static String place(StackTraceElement e) {
        String method = e.getMethodName(), className = e.getClassName();
        if (!className.startsWith(CELL)) {
            return simple(className) + "." + method + (e.getLineNumber() > 0 ? ", line " + e.getLineNumber() : "");
        }
        String declared = simple(className);
        boolean wrapper = declared.chars().allMatch(Character::isDigit);     // the cell's own class, $JShell$16
        String lambda = "";
        if (method.startsWith("lambda$")) {                                  // lambda$conv2d$0, lambda$do_it$$0
            int from = "lambda$".length();
            method = method.substring(from, Math.max(from, method.indexOf('$', from)));
            lambda = "a lambda in ";
        }
        if (method.startsWith("do_it")) {                                    // JShell's method for a cell's statements
            return "the cell's code";
        }
        return lambda + (wrapper ? method : declared + "." + method);
    }

    private static String simple(String className) {
        String s = className.substring(className.lastIndexOf('.') + 1);
        int dollar = s.lastIndexOf('$');
        return dollar >= 0 && dollar < s.length() - 1 ? s.substring(dollar + 1) : s;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String line = JShellNames.withoutWrappers(nl < 0 ? s : s.substring(0, nl) + " …");
        return line.length() > 300 ? line.substring(0, 300) + " …" : line;
    }
}
