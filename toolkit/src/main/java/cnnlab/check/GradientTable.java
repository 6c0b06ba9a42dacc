package cnnlab.check;

import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.numbers.NumberColumnFormatter;

/**
 * A gradient check as a table: analytic and numeric gradients side by side with their absolute and relative
 * differences, so a student sees where a backward pass disagrees with centred differences (and that it does at a
 * kink). The relative error is CS231n's {@code |a − n| / max(|a|, |n|)} (0 when both are 0); below about 1e-6 the
 * two agree to float precision, above 1e-2 something is wrong.
 * <pre>
 * jshell&gt; GradientTable.of("leaky ReLU", x, analytic, MyGradCheck.numericGradient(loss, x.clone(), 0.01))
 * $1 ==&gt; (a Tablesaw table: x, analytic, numeric, |difference|, relative error)
 * </pre>
 */
public final class GradientTable {
    private GradientTable() {
    }

    /**
     * One row per coordinate.
     *
     * @param title    the table's name
     * @param x        where the gradient was taken, one value per row (or null: rows are numbered instead)
     * @param analytic the gradient from a backward pass
     * @param numeric  the gradient from differences
     * @throws IllegalArgumentException if analytic or numeric is null, or the arrays differ in length
     */
    public static Table of(String title, double[] x, double[] analytic, double[] numeric) {
        if (analytic == null || numeric == null) {
            throw new IllegalArgumentException("GradientTable.of: the " + (analytic == null ? "analytic" : "numeric")
                    + " gradient is null");
        }
        if (analytic.length != numeric.length || (x != null && x.length != analytic.length)) {
            throw new IllegalArgumentException("GradientTable.of: lengths differ (x " + (x == null ? "null" : x.length)
                    + ", analytic " + analytic.length + ", numeric " + numeric.length + ")");
        }
        int n = analytic.length;
        double[] diff = new double[n], rel = new double[n], at = new double[n];
        for (int i = 0; i < n; i++) {
            at[i] = x == null ? i : x[i];
            diff[i] = Math.abs(analytic[i] - numeric[i]);
            double scale = Math.max(Math.abs(analytic[i]), Math.abs(numeric[i]));
            rel[i] = scale == 0 ? 0 : diff[i] / scale;
        }
        Table t = Table.create(title == null ? "gradient check" : title);
        t.addColumns(format(DoubleColumn.create(x == null ? "i" : "x", at), "0.######"),
                format(DoubleColumn.create("analytic", analytic), "0.######"),
                format(DoubleColumn.create("numeric", numeric), "0.######"),
                small(DoubleColumn.create("|difference|", diff)),
                small(DoubleColumn.create("relative error", rel)));
        return t;
    }

    private static DoubleColumn format(DoubleColumn c, String pattern) {
        c.setPrintFormatter(new NumberColumnFormatter(decimal(pattern)));
        return c;
    }

    /** Errors: {@code 0.45} or {@code 1.74} as they are, a power of ten only below 0.001 ({@code 2.5E-11}). */
    private static DoubleColumn small(DoubleColumn c) {
        DecimalFormat plain = decimal("0.####"), tiny = decimal("0.##E0");
        c.setPrintFormatter(new NumberColumnFormatter(plain) {
            @Override
            public String format(double value) {
                boolean readable = value == 0 || Math.abs(value) >= 1e-3;
                return Double.isNaN(value) ? "NaN" : (readable ? plain : tiny).format(value);
            }
        });
        return c;
    }

    private static DecimalFormat decimal(String pattern) {
        return new DecimalFormat(pattern, DecimalFormatSymbols.getInstance(Locale.ROOT));
    }
}
