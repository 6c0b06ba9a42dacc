package cnnlab.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/** The package's error messages, in the toolkit's form {@code <where>: <what> (<shapes>)} + {@code hint: ...}. */
final class Check {
    private Check() {
    }

    static IllegalArgumentException error(String where, String what, String context) {
        return new IllegalArgumentException(where + ": " + what + " (" + context + ")");
    }

    static IllegalArgumentException error(String where, String what, String context, String hint) {
        return new IllegalArgumentException(where + ": " + what + " (" + context + ")\nhint: " + hint);
    }

    /** {@code [1,3,8,8]}, as in the ops' messages. */
    static String shape(INDArray a) {
        return a == null ? "null" : shape(a.shape());
    }

    static String shape(long[] s) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < s.length; i++) {
            b.append(i == 0 ? "" : ",").append(s[i]);
        }
        return b.append(']').toString();
    }

    static void positive(String where, String what, long value, String context) {
        if (value < 1) {
            throw error(where, what + " must be at least 1 but is " + value, context);
        }
    }

    static void notNull(String where, String what, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(where + ": " + what + " is null");
        }
    }

    /** For a backward called before any forward. */
    static IllegalStateException noForward(Layer layer) {
        return new IllegalStateException(layer + ": backward called before forward"
                + "\nhint: call forward(x) first; backward uses what it remembered");
    }
}
