package cnnlab.nn;

import static cnnlab.ops.Errors.error;


/** The package's error messages, in the toolkit's one form ({@link Errors}). */
final class Check {
    private Check() {
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
