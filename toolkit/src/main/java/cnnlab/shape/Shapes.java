package cnnlab.shape;

import java.util.BitSet;
import java.util.stream.IntStream;

/**
 * Output-size arithmetic of convolution, pooling and their transposes: the only copy of these formulas.
 *
 * <p>Along one axis, with input size {@code i}, kernel {@code k}, stride {@code s}, padding {@code p}
 * on each side and dilation {@code d}:
 * <pre>
 *   conv, pool:      o = floor((i + 2p - d(k-1) - 1) / s) + 1
 *   pool, ceil mode: o = ceil ((i + 2p - d(k-1) - 1) / s) + 1, minus one if the last window would start in the right padding
 *   transposed:      o = (i - 1)s - 2p + d(k-1) + output_padding + 1
 * </pre>
 * With {@code d = 1} the first line is the lecture's {@code o = (M - w + 2p)/S + 1}.
 *
 * <pre>
 * jshell&gt; Shapes.convOutput(9, 3, 2, 0, 1)
 * $1 ==&gt; 4
 * jshell&gt; Shapes.explain(10, 3, 2, 0)
 * $2 ==&gt; (10 − 3 + 2·0)/2 + 1 = ⌊7/2⌋ + 1 = 4
 *        The division is not exact: the window never reaches the last 1 row of the input.
 * </pre>
 */
public final class Shapes {
    private Shapes() {
    }

    /**
     * Output size of a convolution along one axis: {@code floor((i + 2p - d(k-1) - 1)/s) + 1}.
     * May be zero or negative when the window does not fit; callers validate.
     */
    public static int convOutput(int input, int kernel, int stride, int padding, int dilation) {
        requireSizes("Shapes.convOutput", input, kernel, stride, dilation, padding, padding);
        return outputSize(input, padding, padding, kernel, stride, dilation, false);
    }

    /** Output size of a pooling window along one axis, with PyTorch's {@code ceil_mode} rule. */
    public static int poolOutput(int input, int kernel, int stride, int padding, int dilation, boolean ceilMode) {
        requireSizes("Shapes.poolOutput", input, kernel, stride, dilation, padding, padding);
        return outputSize(input, padding, padding, kernel, stride, dilation, ceilMode);
    }

    /**
     * The general form, with padding {@code before} and {@code after} the input (asymmetric for padding "same"
     * with an even kernel). In ceil mode the last window must start inside the input or the leading padding,
     * as in PyTorch's {@code pooling_output_shape}.
     */
    public static int outputSize(int input, int padBefore, int padAfter, int kernel, int stride, int dilation,
                                 boolean ceilMode) {
        requireSizes("Shapes.outputSize", input, kernel, stride, dilation, padBefore, padAfter);
        long span = (long) input + padBefore + padAfter - (long) dilation * (kernel - 1) - 1;
        long o = Math.floorDiv(span + (ceilMode ? stride - 1 : 0), (long) stride) + 1;
        if (ceilMode && o > 0 && (o - 1) * stride >= (long) input + padBefore) {
            o--;
        }
        return fits(o, "the output size", () -> "input " + input + ", padding " + padBefore + "+" + padAfter
                + ", kernel "
                + kernel + ", stride " + stride + ", dilation " + dilation);
    }

    /** Output size of a transposed convolution along one axis: {@code (i-1)s - 2p + d(k-1) + output_padding + 1}. */
    public static int convTransposeOutput(int input, int kernel, int stride, int padding, int outputPadding,
                                          int dilation) {
        requireSizes("Shapes.convTransposeOutput", input, kernel, stride, dilation, padding, outputPadding);
        if (outputPadding >= Math.max(stride, dilation)) {
            throw new IllegalArgumentException("Shapes.convTransposeOutput: output padding " + outputPadding
                    + " must be smaller than the stride (" + stride + ") or the dilation (" + dilation + "), as in"
                    + " PyTorch: a larger one would add rows no input reaches");
        }
        return fits((long) (input - 1) * stride - 2L * padding + (long) dilation * (kernel - 1) + outputPadding + 1,
                "the transposed output size", () -> "input " + input + ", kernel " + kernel + ", stride " + stride
                        + ", padding " + padding + ", output padding " + outputPadding + ", dilation " + dilation);
    }

    /** The extent a dilated kernel covers: {@code d(k-1) + 1}. */
    public static int effectiveKernel(int kernel, int dilation) {
        return fits((long) dilation * (kernel - 1) + 1, "the dilated kernel's extent",
                () -> "kernel " + kernel + ", dilation " + dilation);
    }

    /**
     * The arguments of a size formula in their ranges: kernel, stride and dilation at least 1, input and paddings
     * at least 0. A stride of 0 used to end in "/ by zero" from inside this class.
     */
    private static void requireSizes(String method, int input, int kernel, int stride, int dilation,
                                     int... paddings) {
        boolean padded = true;
        for (int p : paddings) {
            padded &= p >= 0;
        }
        if (input < 0 || kernel < 1 || stride < 1 || dilation < 1 || !padded) {
            throw new IllegalArgumentException(method + ": kernel, stride and dilation must be at least 1, input and"
                    + " padding at least 0 (input " + input + ", kernel " + kernel + ", stride " + stride
                    + ", dilation " + dilation + ", padding " + java.util.Arrays.toString(paddings).replaceAll("[\\[\\]]", "") + ")");
        }
    }

    /**
     * {@code value} as an int, or an {@link IllegalArgumentException} saying which size is too large and from what:
     * only absurd arguments get there (a dilation of 2^30, say), and they deserve a clear error, not an overflow.
     */
    private static int fits(long value, String what, java.util.function.Supplier<String> from) {
        if (value != (int) value) {   // the arguments are worded only then: every op's call comes through here
            throw new IllegalArgumentException(what + " would be " + value + ", more than an int holds ("
                    + from.get() + ")");
        }
        return (int) value;
    }

    /**
     * Padding on each side that keeps the size at stride 1 ("same"): total {@code d(k-1)}, the odd one
     * going after the input, as PyTorch does. Returns {@code {before, after}}.
     */
    public static int[] samePadding(int kernel, int dilation) {
        int total = effectiveKernel(kernel, dilation) - 1;
        return new int[] {total / 2, total - total / 2};
    }

    /**
     * How many rows (or columns) at the end of the padded input no window reaches, in floor mode:
     * {@code (i + 2p - d(k-1) - 1) mod s}.
     */
    public static int unvisited(int input, int kernel, int stride, int padding, int dilation) {
        long span = (long) input + 2L * padding - (long) dilation * (kernel - 1) - 1;
        return span < 0 ? 0 : Math.toIntExact(span % stride);
    }

    /**
     * The formula with the caller's numbers, in plain ASCII, for error messages:
     * {@code floor((2 + 2*0 - 3)/1) + 1 = 0}.
     */
    public static String formula(int input, int kernel, int stride, int padding, int dilation) {
        String window = dilation == 1 ? String.valueOf(kernel) : dilation + "*(" + kernel + "-1) - 1";
        return "floor((" + input + " + 2*" + padding + " - " + window + ")/" + stride + ") + 1 = "
                + convOutput(input, kernel, stride, padding, dilation);
    }

    /** {@link #explain(int, int, int, int, int, String)} with dilation 1, along rows. */
    public static Explanation explain(int input, int kernel, int stride, int padding) {
        return explain(input, kernel, stride, padding, 1, "row");
    }

    /** {@link #explain(int, int, int, int, int, String)} along rows. */
    public static Explanation explain(int input, int kernel, int stride, int padding, int dilation) {
        return explain(input, kernel, stride, padding, dilation, "row");
    }

    /**
     * The lecture's worked arithmetic for one axis, e.g. {@code (9 − 3 + 2·0)/2 + 1 = 4}. When the division
     * is not exact, the explanation says how many input rows (or columns: {@code unit = "column"}) the window
     * never reaches; when rows between windows go unread too (a stride longer than the window, or dilation), it
     * lists every row no window reads.
     *
     * @throws IllegalArgumentException if a size is not positive or padding is negative
     */
    public static Explanation explain(int input, int kernel, int stride, int padding, int dilation, String unit) {
        if (input < 1 || kernel < 1 || stride < 1 || dilation < 1 || padding < 0) {
            throw new IllegalArgumentException("Shapes.explain: sizes must be positive and padding non-negative"
                    + " (input " + input + ", kernel " + kernel + ", stride " + stride + ", padding " + padding
                    + ", dilation " + dilation + ")");
        }
        long numerator = (long) input + 2L * padding - (long) dilation * (kernel - 1) - 1;
        String top = dilation == 1
                ? "(" + input + " − " + kernel + " + 2·" + padding + ")"
                : "(" + input + " + 2·" + padding + " − " + dilation + "·(" + kernel + " − 1) − 1)";
        if (dilation == 1) {
            numerator = (long) input - kernel + 2L * padding; // the lecture's M − w + 2p, the same number
        }
        int output = convOutput(input, kernel, stride, padding, dilation);
        StringBuilder text = new StringBuilder(top).append('/').append(stride).append(" + 1");
        if (numerator < 0) {
            text.append(" < 1: no output, the ").append(Shapes.effectiveKernel(kernel, dilation)).append('-')
                    .append(unit).append(" window is larger than the ")
                    .append(padding == 0 ? "input's " : "padded input's ").append(plural(input + 2 * padding, unit));
            return new Explanation(text.toString(), output, 0);
        }
        int left = unvisited(input, kernel, stride, padding, dilation);
        int realRows = Math.max(0, left - padding);
        int[] never = neverRead(input, kernel, stride, padding, dilation);
        boolean gaps = never.length > realRows;     // rows between windows go unread too
        if (left == 0) {
            text.append(" = ").append(output); // exact: the lecture writes no floor step
        } else {
            text.append(" = ⌊").append(numerator).append('/').append(stride).append("⌋ + 1 = ").append(output);
            text.append("\nThe division is not exact: the window never reaches the last ");
            if (padding == 0) {
                text.append(plural(left, unit)).append(" of the input.");
            } else {
                text.append(plural(left, unit)).append(" of the padded input (")
                        .append(plural(realRows, "real " + unit)).append(", ")
                        .append(plural(left - realRows, "padding " + unit)).append(").");
            }
        }
        return gaps ? withGaps(text, input, kernel, stride, dilation, unit, output, never)
                : new Explanation(text.toString(), output, realRows);
    }

    /**
     * The explanation when rows between windows are skipped too: a stride longer than the window, or a dilated
     * window whose gaps no other window fills. Ends by listing every real row no window reads.
     */
    private static Explanation withGaps(StringBuilder text, int input, int kernel, int stride, int dilation,
                                        String unit, int output, int[] never) {
        if (dilation == 1) {
            text.append("\nThe stride (").append(stride).append(") is longer than the window (").append(kernel)
                    .append("), so the ").append(plural(stride - kernel, unit))
                    .append(" between two windows ").append(stride - kernel == 1 ? "is" : "are").append(" never read.");
        } else {
            text.append("\nWith dilation ").append(dilation).append(" a window reads every ").append(ordinal(dilation))
                    .append(' ').append(unit).append(" only, and with stride ").append(stride)
                    .append(" the other windows do not fill the gaps.");
        }
        text.append("\n").append(capitalised(unit)).append("s never read, counting from 0: ").append(list(never))
                .append(" (").append(never.length).append(" of the input's ").append(plural(input, unit)).append(").");
        return new Explanation(text.toString(), output, never.length);
    }

    /** The most rows {@link #neverRead} marks one by one (a 16 Mbit set). */
    private static final int MOST_ROWS_MARKED = 1 << 24;

    /**
     * The real input rows (0 to {@code input - 1}) that no window reads, in order: the windows start every
     * {@code stride} rows of the padded input, and each reads {@code kernel} rows {@code dilation} apart.
     *
     * @throws IllegalArgumentException if rows between windows may go unread and the padded input has more than
     *                                  {@value #MOST_ROWS_MARKED} rows, or the windows as many taps in all (the
     *                                  rows are marked one by one)
     */
    public static int[] neverRead(int input, int kernel, int stride, int padding, int dilation) {
        int output = convOutput(input, kernel, stride, padding, dilation);
        if (output < 1) {
            return IntStream.range(0, input).toArray();
        }
        long padded = (long) input + 2L * padding;
        if (dilation == 1 && stride <= kernel) {    // the windows overlap or touch: only the tail is unread
            int tail = (int) Math.max(0, unvisited(input, kernel, stride, padding, dilation) - padding);
            return IntStream.range(input - tail, input).toArray();
        }
        if (padded > MOST_ROWS_MARKED || (long) output * kernel > MOST_ROWS_MARKED) {
            throw new IllegalArgumentException("Shapes.neverRead: too many rows to mark one by one (input " + input
                    + ", kernel " + kernel + ", stride " + stride + ", padding " + padding + ", dilation " + dilation
                    + "; at most " + MOST_ROWS_MARKED + " rows and as many taps)");
        }
        BitSet read = new BitSet((int) padded);
        for (long start = 0; start < (long) output * stride; start += stride) {
            for (long tap = 0; tap < kernel; tap++) {
                read.set((int) (start + tap * dilation));
            }
        }
        return IntStream.range(0, input).filter(r -> !read.get(r + padding)).toArray();
    }

    /** {@code 3}, {@code 3 and 7}, {@code 3, 7 and 8}; past eight, the first six, an ellipsis and the last. */
    private static String list(int[] rows) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < rows.length; i++) {
            if (rows.length > 8 && i == 6) {
                return b.append(", …, ").append(rows[rows.length - 1]).toString();
            }
            b.append(i == 0 ? "" : i == rows.length - 1 ? " and " : ", ").append(rows[i]);
        }
        return b.toString();
    }

    private static String ordinal(int n) {
        int lastTwo = n % 100, last = n % 10;
        String suffix = lastTwo >= 11 && lastTwo <= 13 ? "th" : last == 1 ? "st" : last == 2 ? "nd" : last == 3 ? "rd"
                : "th";
        return n + suffix;
    }

    private static String capitalised(String unit) {
        return Character.toUpperCase(unit.charAt(0)) + unit.substring(1);
    }

    private static String plural(int count, String unit) {
        return count + " " + unit + (count == 1 ? "" : "s");
    }
}
