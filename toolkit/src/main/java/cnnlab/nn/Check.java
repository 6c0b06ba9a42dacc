package cnnlab.nn;

import static cnnlab.ops.Errors.error;

import cnnlab.ops.Errors;

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

    /**
     * A layer's weight {@code [out, in, ...]} must fit in the memory the process may still take: a Linear after
     * the Flatten of large maps ran for half a minute and ended in JavaCPP's "Cannot allocate new LongPointer(2)".
     */
    static void fits(String layer, long... shape) {
        long count = 1;
        for (long size : shape) {
            count = Math.multiplyExact(count, size);
        }
        long bytes = Math.multiplyExact(count, (long) Float.BYTES);
        try {
            cnnlab.ops.OutputMemory.checkRoom(bytes);
        } catch (OutOfMemoryError e) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "%s: its weight %s, %,d values,"
                    + " needs %,d MB, more than the process may still take (it holds %,d MB, its limit is %,d MB)"
                    + "\nhint: a layer this large is most likely a mistake: a Linear after the Flatten of large maps"
                    + " wants more pooling or stride before it; to raise the limit, see the README's \"Memory\"",
                    layer, Errors.shape(shape), count, bytes >> 20, org.bytedeco.javacpp.Pointer.physicalBytes() >> 20,
                    org.bytedeco.javacpp.Pointer.maxPhysicalBytes() >> 20));
        }
    }

    /** For a backward called before any forward. */
    static IllegalStateException noForward(Layer layer) {
        return new IllegalStateException(layer + ": backward called before forward"
                + "\nhint: call forward(x) first; backward uses what it remembered");
    }
}
