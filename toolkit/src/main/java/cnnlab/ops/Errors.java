package cnnlab.ops;

import java.util.Locale;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The toolkit's error form, in one place for every package: {@code <where>: <what is wrong> (<shapes and
 * parameters>)}, with a second line {@code hint: ...} where one helps, and shapes written {@code [1,3,8,8]}.
 */
public final class Errors {
    private Errors() {
    }

    public static IllegalArgumentException error(String where, String what, String context) {
        return new IllegalArgumentException(where + ": " + what + " (" + context + ")");
    }

    public static IllegalArgumentException error(String where, String what, String context, String hint) {
        return new IllegalArgumentException(where + ": " + what + " (" + context + ")\nhint: " + hint);
    }

    /**
     * JavaCPP's refusal of more memory for arrays (the process is past {@code maxPhysicalBytes}, which
     * {@code Nd4jRuntime} sets) as an error that names the op, the numbers and what to do. JavaCPP's own says
     * "Cannot allocate new LongPointer(4)". The Java heap's ("Java heap space", the reference engine's arrays) gets
     * a message of the same form; any other {@code OutOfMemoryError} comes back as it was.
     */
    public static OutOfMemoryError outOfMemory(String where, OutOfMemoryError e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("maxPhysicalBytes")) {
                String array = t instanceof OutputMemory.NoRoom room ? "an array of "
                        + String.format(Locale.ROOT, "%,d", room.bytes >> 20) + " MB does not fit: " : "";
                OutOfMemoryError clear = new OutOfMemoryError(where + ": out of memory for arrays (" + array
                        + "the process holds "
                        + (Pointer.physicalBytes() >> 20) + " MB, its limit is " + (Pointer.maxPhysicalBytes() >> 20)
                        + " MB)\nhint: let go of arrays you no longer need (clear a list, reassign a variable) and "
                        + "run the cell again; to raise the limit, start Java with "
                        + "-Dorg.bytedeco.javacpp.maxphysicalbytes=8g (README, \"Memory\")");
                clear.initCause(e);
                return clear;
            }
        }
        if (e.getMessage() != null && (e.getMessage().contains("Java heap space")
                || e.getMessage().contains("array length") || e.getMessage().contains("array size"))) {
            Runtime runtime = Runtime.getRuntime();
            OutOfMemoryError clear = new OutOfMemoryError(where + ": out of Java heap for arrays (the heap holds "
                    + ((runtime.totalMemory() - runtime.freeMemory()) >> 20) + " MB, its limit is "
                    + (runtime.maxMemory() >> 20) + " MB)\nhint: let go of arrays you no longer need, or use smaller"
                    + " inputs; the reference engine keeps its arrays on the heap, the fast engine outside it");
            clear.initCause(e);
            return clear;
        }
        return e;
    }

    /** {@code [1,3,8,8]}, or {@code null}. */
    public static String shape(INDArray a) {
        return a == null ? "null" : shape(a.shape());
    }

    public static String shape(long[] s) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < s.length; i++) {
            b.append(i == 0 ? "" : ",").append(s[i]);
        }
        return b.append(']').toString();
    }
}
