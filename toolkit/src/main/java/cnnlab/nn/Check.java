package cnnlab.nn;

import static cnnlab.ops.Errors.error;

import cnnlab.ops.Errors;
import java.math.BigInteger;

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
     * A layer's weight {@code [out, in, ...]} and bias, each with its gradient beside it, must fit in the memory
     * the process may still take: a Linear after the Flatten of large maps ran for half a minute and ended in
     * JavaCPP's "Cannot allocate new LongPointer(2)".
     *
     * @param hint what most likely went wrong, for this kind of layer
     */
    static void fits(String layer, String hint, long... weightShape) {
        BigInteger values = BigInteger.ONE;                     // exact: sizes near 2^31 overflow a long's product
        for (long size : weightShape) {
            values = values.multiply(BigInteger.valueOf(size));
        }
        BigInteger needed = values.add(BigInteger.valueOf(weightShape[0]))          // and the bias,
                .multiply(BigInteger.valueOf(2L * Float.BYTES));                     // each with its gradient
        cnnlab.ops.nd4j.Nd4jRuntime.load();         // the toolkit's bound, set before JavaCPP reads its own
        long bound = org.bytedeco.javacpp.Pointer.maxPhysicalBytes();
        try {
            if (bound > 0 && needed.compareTo(BigInteger.valueOf(bound)) > 0) {
                throw new OutOfMemoryError();        // past the bound alone
            }
            cnnlab.ops.OutputMemory.checkRoom(needed.longValueExact());
        } catch (OutOfMemoryError | ArithmeticException e) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "%s: its weight %s, %,d values,"
                    + " needs %,d MB with its bias and their gradients, more than the process may still take (it holds"
                    + " %,d MB, its limit is %,d MB)\nhint: %s; to raise the limit, see the README's \"Memory\"",
                    layer, Errors.shape(weightShape), values, needed.shiftRight(20),
                    org.bytedeco.javacpp.Pointer.physicalBytes() >> 20, bound >> 20, hint));
        }
    }

    /** For a backward called before any forward. */
    static IllegalStateException noForward(Layer layer) {
        return new IllegalStateException(layer + ": backward called before forward"
                + "\nhint: call forward(x) first; backward uses what it remembered");
    }
}
