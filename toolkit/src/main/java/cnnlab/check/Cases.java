package cnnlab.check;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Small builders shared by the labs' checks. */
final class Cases {
    private Cases() {
    }

    /**
     * A case whose result must equal {@code expected} (a nested double array) within the tolerance. The call takes
     * its arrays from {@link Given}, so that a wrong result also says when the student's function changed one.
     */
    static Case values(String label, String inputs, java.util.function.Function<Given, Object> call, Object expected,
            double atol, double rtol) {
        return values(label, inputs, call, expected, atol, rtol, (m, v) -> m);
    }

    /**
     * {@link #values} with {@code more} adding to a mismatch (a hint), given the student's result, before the note
     * on changed inputs.
     */
    static Case values(String label, String inputs, java.util.function.Function<Given, Object> call, Object expected,
            double atol, double rtol, java.util.function.BiFunction<Compare.Mismatch, Object, Compare.Mismatch> more) {
        Given given = new Given();
        return new Case(label, inputs, () -> call.apply(given),
                v -> given.noted(more.apply(Compare.values(expected, v, atol, rtol), v)));
    }

    /**
     * {@code stride 2, padding 1}, or by axis as the student's code reads them when they differ: {@code strideH 2,
     * strideW 1, paddingH 0, paddingW 1}. Dilation is always 1 in the labs, so it is left out.
     */
    static String described(cnnlab.ops.ConvParams p) {
        return p.strideH() == p.strideW() && p.paddingH() == p.paddingW()
                ? "stride " + p.strideH() + ", padding " + p.paddingH()
                : "strideH " + p.strideH() + ", strideW " + p.strideW() + ", paddingH " + p.paddingH() + ", paddingW "
                        + p.paddingW();
    }

    /** The hidden random source of an exercise, or null when hidden cases do not run. */
    static Random hidden(CheckConfig config, String exercise) {
        return config.grading() ? Inputs.hidden(config, exercise) : null;
    }

    /** {@code count} hidden cases from {@code make}, none when {@code r} is null. */
    static List<Case> hidden(Random r, int count, java.util.function.Function<Random, Case> make) {
        if (r == null) {
            return List.of();
        }
        Case[] cases = new Case[count];
        for (int i = 0; i < count; i++) {
            cases[i] = make.apply(r);
        }
        return Arrays.asList(cases);
    }

    /** A volume {@code [C][H][W]} whose values in each plane are 0..H·W−1 shuffled: no ties anywhere. */
    static double[][][] distinct(Random r, int c, int h, int w, boolean integers) {
        double[][][] x = new double[c][h][w];
        for (int k = 0; k < c; k++) {
            int[] order = new int[h * w];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            for (int i = order.length - 1; i > 0; i--) {
                int j = r.nextInt(i + 1), t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int i = 0; i < order.length; i++) {
                x[k][i / w][i % w] = integers ? order[i] : (double) (float) (order[i] / (double) order.length - 0.5);
            }
        }
        return x;
    }

    /**
     * An input written out for feedback: a number or vector on one line, a plane one row a line ({@link #plane}),
     * and each plane of a higher rank on its own ({@code x[1] = [[...]]}, {@code w[0][1] = [[...]]}), so that
     * channels and kernels read apart.
     */
    static String show(String name, Object a) {
        int[] s = Compare.shape(a);
        if (s != null && s.length == 2 && s[0] > 1 && s[1] > 0 && a instanceof Object[] rows
                && Compare.show(a).startsWith("[[")) {
            return plane(name, rows);
        }
        if (s == null || s.length <= 2 || !(a instanceof Object[] parts)) {
            return name + " = " + Compare.show(a);
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            b.append(i == 0 ? "" : "\n").append(show(name + "[" + i + "]", parts[i]));
        }
        return b.toString();
    }

    /**
     * A plane one row a line, each column's numbers right-aligned, as a matrix is written on a slide:
     * <pre>
     * x[0] = [[ 3, -1,  0],
     *         [-2,  4, 10]]
     * </pre>
     */
    private static String plane(String name, Object[] rows) {
        String[][] cells = new String[rows.length][];
        int[] width = new int[0];
        for (int r = 0; r < rows.length; r++) {
            String row = Compare.show(rows[r]);
            cells[r] = row.substring(1, row.length() - 1).split(", ", -1);
            width = java.util.Arrays.copyOf(width, Math.max(width.length, cells[r].length));
            for (int c = 0; c < cells[r].length; c++) {
                width[c] = Math.max(width[c], cells[r][c].length());
            }
        }
        String indent = " ".repeat(name.length() + 4);
        StringBuilder b = new StringBuilder(name).append(" = [");
        for (int r = 0; r < rows.length; r++) {
            b.append(r == 0 ? "" : ",\n" + indent).append('[');
            for (int c = 0; c < cells[r].length; c++) {
                b.append(c == 0 ? "" : ", ").append(" ".repeat(width[c] - cells[r][c].length())).append(cells[r][c]);
            }
            b.append(']');
        }
        return b.append(']').toString();
    }

    /** Several inputs, one {@link #show(String, Object)} each, on their own lines. */
    static String show(Object... namesAndValues) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            b.append(i == 0 ? "" : "\n").append(show((String) namesAndValues[i], namesAndValues[i + 1]));
        }
        return b.toString();
    }
}
