package cnnlab.ops;

import static cnnlab.ops.Errors.error;
import static cnnlab.ops.Errors.shape;

import cnnlab.shape.Shapes;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;

/**
 * The one validation path both engines share. Every check runs before any native code, and every failure is
 * an {@link IllegalArgumentException} shaped {@code <op>: <what is wrong> (<shapes and parameters>)}, with a
 * second line {@code hint: ...} where one helps. Messages for a window that does not fit are built here, once,
 * for both axes. One check runs later by design: whether max-pool backward's indices lie in the input plane is
 * tested in the engines' own pass over them (a pass of its own cost a third of the op), and
 * {@link #indicesWithin} then names the bad index, so both engines still fail with the same message.
 */
final class Validate {
    private Validate() {
    }

    static String pair(int h, int w) {
        return h == w ? String.valueOf(h) : "(" + h + ", " + w + ")";
    }

    /** Not null, exactly 4-D, no empty axis. */
    static void rank4(String op, String name, INDArray a, String layout, String context) {
        if (a == null) {
            throw error(op, name + " is null", context);
        }
        if (a.rank() != 4) {
            boolean input = name.equals("input");
            String hint = input && a.rank() == 2
                    ? "one grey image: " + name + ".reshape(1, 1, " + a.size(0) + ", " + a.size(1) + ")"
                    : "reshape it to " + layout;
            throw error(op, name + " must be 4-D " + layout + (input ? " or 3-D [C, H, W] (one image)" : "")
                    + " but has shape " + shape(a), context, hint);
        }
        for (long d : a.shape()) {
            if (d < 1) {
                throw error(op, name + " has an empty axis: shape " + shape(a), context);
            }
        }
    }

    static void notNull(String op, String name, INDArray a) {
        if (a == null) {
            throw new IllegalArgumentException(op + ": " + name + " is null");
        }
    }

    /**
     * A slope the op multiplies float32 values by must be a float32 itself: PyTorch refuses a finite one past
     * float's range ("value cannot be converted to type float without overflow"); infinity and NaN convert.
     */
    static void fitsFloat(String op, String name, double value, String context) {
        if (Double.isFinite(value) && Math.abs(value) > Float.MAX_VALUE) {
            throw error(op, name + " " + value + " is outside float32's range (largest " + Float.MAX_VALUE
                    + "), as PyTorch also refuses", context);
        }
    }

    static void positive(String op, String name, int h, int w, String context) {
        if (h < 1 || w < 1) {
            throw error(op, name + " must be at least 1 but is " + pair(h, w), context);
        }
    }

    static void nonNegative(String op, String name, int h, int w, String context) {
        if (h < 0 || w < 0) {
            throw error(op, name + " must be non-negative but is " + pair(h, w), context);
        }
    }

    static void sameShape(String op, String name, INDArray a, long[] expected, String context) {
        if (a == null) {
            throw error(op, name + " is null", context);
        }
        if (!Arrays.equals(a.shape(), expected)) {
            throw error(op, name + " has shape " + shape(a) + " but the op's output has shape " + shape(expected)
                    + "; they must match", context);
        }
    }

    /**
     * Fails with the formula in the user's own numbers when a window does not fit an axis:
     * {@code maxPool2d: 3x3 window does not fit input 2x2: H_out = floor((2 + 2*0 - 3)/1) + 1 = 0 (...)}.
     *
     * @param maxPadding the largest padding the op allows (pooling: half the kernel), or -1 for no limit
     */
    static void windowFits(String op, String what, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw,
                           int dh, int dw, int oh, int ow, int maxPaddingH, int maxPaddingW, String context) {
        if (oh >= 1 && ow >= 1) {
            return;
        }
        StringBuilder formulas = new StringBuilder();
        if (oh < 1) {
            formulas.append("H_out = ").append(Shapes.formula(h, kh, sh, ph, dh));
        }
        if (ow < 1) {
            formulas.append(oh < 1 ? ", " : "").append("W_out = ").append(Shapes.formula(w, kw, sw, pw, dw));
        }
        int needH = padNeeded(h, kh, dh, ph), needW = padNeeded(w, kw, dw, pw);
        int fitH = Math.min(kh, (h + 2 * ph - 1) / dh + 1), fitW = Math.min(kw, (w + 2 * pw - 1) / dw + 1);
        boolean padHelps = (maxPaddingH < 0 || needH <= maxPaddingH) && (maxPaddingW < 0 || needW <= maxPaddingW);
        String hint = (padHelps ? "pad by " + pair(needH, needW) + " or " : "") + "use a " + fitH + "x" + fitW
                + " " + what;
        throw error(op, kh + "x" + kw + " " + what + " does not fit input " + h + "x" + w + ": " + formulas,
                context, hint);
    }

    /**
     * The most values one array of an op may hold: the bound of a Java array, which the reference engine's arrays
     * have. Both engines keep to it, so they accept the same sizes.
     */
    static final long MOST_VALUES = Integer.MAX_VALUE - 8;

    /**
     * Fails when an array the op would make (its result, or the padded input or spread kernel it works on) holds
     * more than {@link #MOST_VALUES} values: {@code conv2d: the output [1,1,60003,60003] would hold 3,600,360,009
     * values, more than one array can (2,147,483,639) (...)}. Checked before any memory is taken, so a typo in a
     * padding or stride is an error at once instead of gigabytes filled or a process killed.
     *
     * @param what the array, e.g. "the output", "the padded input"
     */
    static void fitsAnArray(String op, String what, String context, long... shape) {
        double values = 1;
        for (long size : shape) {
            values *= size;
        }
        if (values > MOST_VALUES) {
            throw error(op, what + " " + shape(shape) + " would hold " + String.format(Locale.ROOT, "%,.0f", values)
                    + " values, more than one array can (" + String.format(Locale.ROOT, "%,d", MOST_VALUES) + ")",
                    context,
                    "check the padding, stride and dilation; an array that size would need "
                            + String.format(Locale.ROOT, "%,.0f", values * Float.BYTES / (1L << 30)) + " GB");
        }
    }

    /**
     * Fails when a pooling window reads nothing but padding, which only a dilated window can do, by stepping
     * over a small input: {@code maxPool2d: the window of output column 0 reads columns -1, 1 of a 1-column
     * input: only padding (...)}. Such a window has no maximum, minimum or median (PyTorch returns -inf and an
     * index outside the plane).
     */
    static void windowsReachInput(String op, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw,
                                  int dh, int dw, int oh, int ow, String context) {
        axisReachesInput(op, "row", h, kh, sh, ph, dh, oh, context);
        axisReachesInput(op, "column", w, kw, sw, pw, dw, ow, context);
    }

    private static void axisReachesInput(String op, String unit, int size, int k, int s, int p, int d, int out,
                                         String context) {
        for (int o = 0; o < out; o++) {
            long start = (long) o * s - p;                              // the window's first tap
            long first = start >= 0 ? 0 : (-start + d - 1) / d;        // its first tap at or past row 0
            if (first < k && start + first * d < size) {
                continue;                                               // that tap is an input row
            }
            StringBuilder taps = new StringBuilder();
            for (int i = 0; i < Math.min(k, 4); i++) {
                taps.append(i == 0 ? "" : ", ").append(start + (long) i * d);
            }
            if (k > 4) {
                taps.append(", …, ").append(start + (long) (k - 1) * d);
            }
            throw error(op, "the window of output " + unit + " " + o + " reads " + unit + "s " + taps
                    + " of a " + size + "-" + unit + " input: only padding", context,
                    "use a smaller dilation or padding");
        }
    }

    /** Smallest padding on each side that lets a (dilated) kernel fit, at least the current one. */
    private static int padNeeded(int in, int k, int d, int p) {
        long missing = (long) d * (k - 1) + 1 - in;              // the dilated kernel's extent less the input
        return (int) Math.min(Integer.MAX_VALUE, Math.max(p, (missing + 1) / 2));
    }

    /**
     * Max-pool indices as row-major int64 (a copy only if they were not), each checked to name a cell of an
     * {@code h x w} plane ({@code 0 <= index < h*w}): the indices maxUnpool2d routes values by. One pass over the
     * values where they lie; the first bad index fails with its position. maxPool2dBackward's engines check as
     * they go (a second pass cost a third of the op) and this names the index when they find one.
     *
     * @param plane which plane the indices point into, for the message ("output", "input")
     */
    static INDArray indicesWithin(String op, INDArray indices, int h, int w, String plane, String context,
                                  String hint) {
        INDArray idx = int64Indices(op, indices, context, hint);
        LongBuffer values = idx.data().asNioLong();
        long cells = (long) h * w;
        for (int i = 0, n = Math.toIntExact(idx.length()); i < n; i++) {
            long index = values.get(i);
            if (index < 0 || index >= cells) {
                throw error(op, "index " + index + " at " + shape(Shape.ind2subC(idx.shape(), i)) + " is outside the "
                        + h + "x" + w + " " + plane + " plane (valid: 0 to " + (cells - 1) + ")", context, hint);
            }
        }
        return idx;
    }

    /**
     * Max-pool indices as row-major int64 (a copy only if they were not). Integer types convert as they are; a
     * floating-point index must be a whole number: PyTorch takes int64 indices only, and a cast would cut 3.5 to 3
     * without a word. The first index that is not fails with its position.
     */
    static INDArray int64Indices(String op, INDArray indices, String context, String hint) {
        if (indices.dataType().isFPType()) {
            INDArray values = Buffers.rowMajor(indices, DataType.DOUBLE);
            java.nio.DoubleBuffer v = values.data().asNioDouble();
            for (int i = 0, n = Math.toIntExact(values.length()); i < n; i++) {
                double index = v.get(i);
                if (index != Math.rint(index) || Double.isInfinite(index)) {
                    throw error(op, "index " + index + " at " + shape(Shape.ind2subC(values.shape(), i))
                            + " is not a whole number; indices name cells (they are int64, as maxPool2dWithIndices "
                            + "returns them)", context, hint);
                }
            }
        }
        return Buffers.rowMajor(indices, DataType.LONG);
    }

    /**
     * The array as float32, the one dtype the engines compute in (a copy only if it was not float32). ND4J makes an
     * empty Java array ({@code Nd4j.createFromArray(new float[0])}) an empty array of no axes and no data buffer;
     * it becomes {@code [0]}, as PyTorch's {@code torch.tensor([])}.
     */
    static INDArray float32(INDArray a) {
        if (a != null && a.rank() == 0 && a.isEmpty()) {
            return org.nd4j.linalg.factory.Nd4j.create(DataType.FLOAT, 0);
        }
        return a == null || a.dataType() == DataType.FLOAT ? a : a.castTo(DataType.FLOAT);
    }
}
