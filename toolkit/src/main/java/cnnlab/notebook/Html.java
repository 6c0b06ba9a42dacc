package cnnlab.notebook;

import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Arrays;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;

/**
 * How values look in a notebook, as HTML: small arrays as tables of their values (like the lecture's slides),
 * large ones as a one-line summary, Tablesaw tables as real tables, text with its line breaks. Plain Java, so
 * it is tested without a kernel.
 */
public final class Html {
    /** Planes up to this many rows and columns are written out in full. */
    public static final int MAX_SIDE = 16;
    /** At most this many planes of a small array are written out. */
    public static final int MAX_PLANES = 8;
    /** Rows of a Tablesaw table shown before it is cut in the middle. */
    public static final int MAX_ROWS = 30;

    private static final String BORDER = "border:1px solid #ccc;padding:2px 6px";
    private static final String CELL = BORDER + ";text-align:right";
    private static final String CAPTION = "font:12px monospace;color:#555;margin:4px 0";

    private Html() {
    }

    public static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Text that keeps its line breaks. */
    public static String pre(String text) {
        return "<pre style=\"margin:0\">" + escape(text) + "</pre>";
    }

    /** {@code INDArray [1, 1, 6, 6] float32}. */
    public static String header(INDArray a) {
        return "INDArray " + Arrays.toString(a.shape()) + " " + dtype(a);
    }

    private static String dtype(INDArray a) {
        return switch (a.dataType()) {
            case FLOAT -> "float32";
            case DOUBLE -> "float64";
            case LONG -> "int64";
            case INT -> "int32";
            default -> a.dataType().toString().toLowerCase(Locale.ROOT);
        };
    }

    /** True when {@link #array} writes every value rather than a summary. */
    public static boolean small(INDArray a) {
        long rows = a.rank() >= 2 ? a.size(a.rank() - 2) : 1, cols = a.rank() >= 1 ? a.size(a.rank() - 1) : 1;
        long planes = a.rank() > 2 ? a.length() / (rows * cols) : 1;
        return a.length() > 0 && rows <= MAX_SIDE && cols <= MAX_SIDE && planes <= MAX_PLANES;
    }

    /** A small array as value tables, one per {@code [H, W]} plane; a large one as shape, min, max and mean. */
    public static String array(INDArray a) {
        if (!small(a)) {
            return "<div style=\"" + CAPTION + "\">" + escape(summary(a)) + "</div>";
        }
        boolean integral = a.dataType().isIntType() || allIntegral(a);
        double[] v = a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        int rows = a.rank() >= 2 ? (int) a.size(a.rank() - 2) : 1, cols = a.rank() >= 1 ? (int) a.size(a.rank() - 1) : 1;
        int planes = v.length / (rows * cols);
        StringBuilder html = new StringBuilder("<div><div style=\"" + CAPTION + "\">" + header(a) + "</div>");
        for (int p = 0; p < planes; p++) {
            if (planes > 1) {
                long[] lead = org.nd4j.linalg.api.shape.Shape.ind2subC(Arrays.copyOf(a.shape(), a.rank() - 2), p);
                html.append("<div style=\"").append(CAPTION).append("\">")
                        .append(Arrays.toString(lead).replace("]", ", :, :]")).append("</div>");
            }
            html.append("<table style=\"border-collapse:collapse;font-family:monospace;margin-bottom:6px\">");
            for (int i = 0; i < rows; i++) {
                html.append("<tr>");
                for (int j = 0; j < cols; j++) {
                    html.append("<td style=\"").append(CELL).append("\">")
                            .append(number(v[(p * rows + i) * cols + j], integral)).append("</td>");
                }
                html.append("</tr>");
            }
            html.append("</table>");
        }
        return html.append("</div>").toString();
    }

    /** {@code INDArray [1, 3, 512, 512] float32: min 0, max 1, mean 0.4387}. */
    public static String summary(INDArray a) {
        if (a.length() == 0) {
            return header(a) + ": empty";
        }
        INDArray d = a.castTo(DataType.DOUBLE);
        return header(a) + ": min " + number(d.minNumber().doubleValue(), false) + ", max "
                + number(d.maxNumber().doubleValue(), false) + ", mean " + number(d.meanNumber().doubleValue(), false);
    }

    private static boolean allIntegral(INDArray a) {
        for (double d : a.castTo(DataType.DOUBLE).dup('c').data().asDouble()) {
            if (Double.isFinite(d) && (d != Math.rint(d) || Math.abs(d) > 1e9)) {
                return false;
            }
        }
        return true;
    }

    static String number(double d, boolean integral) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "∞" : "−∞";
        }
        if (d == 0) {
            return "0";
        }
        if (integral) {
            return String.valueOf((long) d);
        }
        if (Math.abs(d) >= 1e5 || Math.abs(d) < 1e-4) {
            return String.format(Locale.ROOT, "%.3e", d);
        }
        return new DecimalFormat("0.####", DecimalFormatSymbols.getInstance(Locale.ROOT)).format(d);
    }

    /**
     * A Tablesaw table as an HTML table with its name, cut in the middle past {@link #MAX_ROWS} rows (and then
     * saying how many rows it has).
     */
    public static String table(Table t) {
        return table(t, MAX_ROWS);
    }

    /** Cells of up to this many characters are kept on one line (a name, a status), longer text wraps. */
    static final int SHORT_TEXT = 32;

    /** Text columns read from the left, numbers line up on the right. */
    private static String align(Table t, int column) {
        ColumnType type = t.column(column).type();
        return type == ColumnType.STRING || type == ColumnType.TEXT ? ";text-align:left" : ";text-align:right";
    }

    /**
     * A Tablesaw table as an HTML table with its name, cut in the middle past {@code maxRows} rows; text columns
     * are aligned left, the others right.
     */
    public static String table(Table t, int maxRows) {
        StringBuilder html = new StringBuilder("<div>");
        if (t.name() != null && !t.name().isBlank()) {
            html.append("<div style=\"").append(CAPTION).append("\">").append(escape(t.name())).append("</div>");
        }
        html.append("<table style=\"border-collapse:collapse;font-family:sans-serif;font-size:13px\"><tr>");
        for (int c = 0; c < t.columnCount(); c++) {
            html.append("<th style=\"").append(BORDER).append(align(t, c)).append(";background:#f3f3f3\">")
                    .append(escape(t.column(c).name())).append("</th>");
        }
        html.append("</tr>");
        int n = t.rowCount(), half = maxRows / 2;
        for (int r = 0; r < n; r++) {
            if (n > maxRows && r == half) {
                html.append("<tr><td colspan=\"").append(t.columnCount()).append("\" style=\"").append(CELL)
                        .append(";text-align:center\">… ").append(n - maxRows).append(" more rows …</td></tr>");
                r = n - half;
            }
            html.append("<tr>");
            for (int c = 0; c < t.columnCount(); c++) {
                String text = t.getString(r, c);
                html.append("<td style=\"").append(BORDER).append(align(t, c))
                        .append(text.length() <= SHORT_TEXT ? ";white-space:nowrap" : "").append("\">")
                        .append(escape(text)).append("</td>");
            }
            html.append("</tr>");
        }
        html.append("</table>");
        if (n > maxRows) {      // a table shown whole needs no count under it
            html.append("<div style=\"").append(CAPTION).append("\">").append(n).append(" rows × ")
                    .append(t.columnCount()).append(" columns</div>");
        }
        return html.append("</div>").toString();
    }
}
