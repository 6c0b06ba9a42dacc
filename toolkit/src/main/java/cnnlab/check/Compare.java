package cnnlab.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Shape first, then values within {@code |actual − expected| ≤ atol + rtol·|expected|}, as tinygrad's
 * {@code helper_test_op}. Works on nested {@code double} arrays of any rank (and a plain {@code double} or
 * {@code int}). Every mismatch comes in two wordings: with values, for public cases, and without, for hidden ones.
 */
final class Compare {
    /** What is wrong, said twice: {@code shown} for public cases, {@code hidden} never names a value. */
    record Mismatch(String shown, String hidden) {
    }

    private Compare() {
    }

    /** The note under a check's groups: {@code values compared within |actual − expected| ≤ ...}. */
    static String within(double atol, double rtol) {
        return "values compared within " + tolerance(atol, rtol);
    }

    static String tolerance(double atol, double rtol) {
        return "|actual − expected| ≤ " + small(atol) + " + " + small(rtol) + "·|expected|";
    }

    /** {@code 1e-4} for a power of ten, else as {@link #num}. */
    static String small(double d) {
        double e = Math.log10(d);
        return d > 0 && Math.abs(e - Math.rint(e)) < 1e-9 && e < -2 ? "1e" + (long) Math.rint(e) : num(d);
    }

    /** Null when actual matches expected. */
    static Mismatch values(Object expected, Object actual, double atol, double rtol) {
        return values(expected, actual, atol, rtol, null);
    }

    /**
     * Null when actual matches expected; else the first wrong value, placed by {@code place} (flat index to
     * {@code "for x[3] = 0"}; a hidden case's text leaves out what follows " = ", an input's value) or, when it is
     * null, as {@code "at result[0][1][2]"}.
     */
    static Mismatch values(Object expected, Object actual, double atol, double rtol,
            java.util.function.IntFunction<String> place) {
        if (actual == null) {
            return new Mismatch("returned null", "returned null");
        }
        int[] es = shape(expected), as = shape(actual);
        if (as == null) {
            return new Mismatch("returned a ragged array (rows of different lengths or a null row)",
                    "returned a ragged array (rows of different lengths or a null row)");
        }
        if (!Arrays.equals(es, as)) {
            String m = "wrong shape: expected " + Arrays.toString(es) + ", got " + Arrays.toString(as);
            return new Mismatch(m, m);
        }
        double[] e = flat(expected), a = flat(actual);
        for (int i = 0; i < e.length; i++) {
            boolean ok = Double.isNaN(e[i]) ? Double.isNaN(a[i])
                    : Double.isFinite(a[i]) && Math.abs(a[i] - e[i]) <= atol + rtol * Math.abs(e[i]);
            if (!ok) {
                // placed by an input (one number in, one out), a value has no shape of its own to show
                String at = "wrong value " + (place == null ? "at " + index(i, es) : place.apply(i));
                String shape = place == null ? " (shape " + Arrays.toString(es) + ")" : "";
                String hidden = at.contains(" = ") ? at.substring(0, at.indexOf(" = ")) : at;
                return new Mismatch(at + ": expected " + num(e[i]) + ", got " + num(a[i]) + shape, hidden + shape);
            }
        }
        return null;
    }

    /**
     * {@code result[1][0][2]}: the index of flat position i in a C-order array of this shape, written as the
     * student's code indexes its result.
     */
    static String index(int i, int[] shape) {
        return index("result", i, shape);
    }

    /** {@code x[1][0][2]}: flat position i of an array named {@code name} of this shape, indexed as in Java. */
    static String index(String name, int i, int[] shape) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = shape[d] == 0 ? 0 : i % shape[d];
            i = shape[d] == 0 ? 0 : i / shape[d];
        }
        StringBuilder at = new StringBuilder(name);
        for (int d : idx) {
            at.append('[').append(d).append(']');
        }
        return at.toString();
    }

    /** The shape of a rectangular nested array ({@code []} for a scalar), or null if ragged or a row is null. */
    static int[] shape(Object a) {
        if (a == null) {
            return null;
        }
        if (a instanceof Number) {
            return new int[0];
        }
        if (a instanceof double[] d) {
            return new int[] {d.length};
        }
        if (a instanceof int[] d) {
            return new int[] {d.length};
        }
        if (a instanceof float[] d) {
            return new int[] {d.length};
        }
        if (a instanceof Object[] rows) {
            int[] first = null;
            for (Object row : rows) {
                int[] s = shape(row);
                if (s == null || (first != null && !Arrays.equals(first, s))) {
                    return null;
                }
                first = s;
            }
            if (first == null) {
                return new int[] {0};
            }
            int[] s = new int[first.length + 1];
            s[0] = rows.length;
            System.arraycopy(first, 0, s, 1, first.length);
            return s;
        }
        return null;
    }

    static double[] flat(Object a) {
        List<Double> out = new ArrayList<>();
        flatten(a, out);
        double[] d = new double[out.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = out.get(i);
        }
        return d;
    }

    private static void flatten(Object a, List<Double> out) {
        if (a instanceof Number n) {
            out.add(n.doubleValue());
        } else if (a instanceof double[] d) {
            for (double v : d) {
                out.add(v);
            }
        } else if (a instanceof float[] d) {
            for (float v : d) {
                out.add((double) v);
            }
        } else if (a instanceof int[] d) {
            for (int v : d) {
                out.add((double) v);
            }
        } else if (a instanceof Object[] rows) {
            for (Object row : rows) {
                flatten(row, out);
            }
        }
    }

    /** Short, locale-independent: {@code 0.5}, {@code -1.25}, {@code 1.234e-07}. */
    static String num(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e9) {
            return String.valueOf((long) d);
        }
        if (Math.abs(d) >= 1e5 || Math.abs(d) < 1e-3) {
            return String.format(Locale.ROOT, "%.3e", d);
        }
        String s = String.format(Locale.ROOT, "%.6f", d);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    /** A small nested array written out, {@code [[1, 2], [3, 4]]}; a large one as its shape. */
    static String show(Object a) {
        if (a == null) {
            return "null";
        }
        int[] s = shape(a);
        if (s != null && s.length > 0 && Arrays.stream(s).asLongStream().reduce(1, (x, y) -> x * y) > 200) {
            return "array of shape " + Arrays.toString(s);
        }
        return write(a);
    }

    private static String write(Object a) {
        if (a instanceof Number n) {
            return num(n.doubleValue());
        }
        if (a instanceof double[] d) {
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < d.length; i++) {
                b.append(i == 0 ? "" : ", ").append(num(d[i]));
            }
            return b.append("]").toString();
        }
        if (a instanceof int[] d) {
            return Arrays.toString(d);
        }
        if (a instanceof Object[] rows) {
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < rows.length; i++) {
                b.append(i == 0 ? "" : ", ").append(write(rows[i]));
            }
            return b.append("]").toString();
        }
        return String.valueOf(a);
    }
}
