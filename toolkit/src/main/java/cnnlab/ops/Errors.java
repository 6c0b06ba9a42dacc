package cnnlab.ops;

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
