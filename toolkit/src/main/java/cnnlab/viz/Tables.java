package cnnlab.viz;

import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.numbers.NumberColumnFormatter;

/**
 * Arrays side by side as a Tablesaw table: one column per array, one row per value, e.g. x and f(x) for a few
 * activation functions. Values keep their full precision; they print with at most {@value #DECIMALS} decimals, so a
 * float32 0.01 reads {@code 0.01} and not {@code 0.009999999776482582}.
 * <pre>
 * jshell&gt; var x = Nd4j.create(new float[] {-1, 0, 2}, new long[] {3}, 'c');
 * jshell&gt; Tables.columns("relu", List.of("x", "relu(x)"), x, Cnn.relu(x))
 *   relu
 *   x   |  relu(x)
 *  -1   |        0
 *   0   |        0
 *   2   |        2
 * </pre>
 */
public final class Tables {
    /** Decimals printed at most (trailing zeros are dropped). */
    public static final int DECIMALS = 4;

    private Tables() {
    }

    /**
     * A table named {@code title} whose column {@code names.get(i)} holds the values of {@code values[i]} in
     * row-major order (any shape; a {@code [4]} vector and a {@code [2, 2]} matrix both give 4 rows), as doubles.
     *
     * @param title  the table's name; null or blank gives "values"
     * @param names  one distinct name per array
     * @param values the arrays, all with the same number of values
     * @throws IllegalArgumentException if names or values are null or empty, their counts differ, a name or an
     *                                  array is null, names repeat, or the arrays hold different numbers of values
     */
    public static Table columns(String title, List<String> names, INDArray... values) {
        String op = "Tables.columns";
        if (names == null || values == null || names.isEmpty() || values.length == 0) {
            throw new IllegalArgumentException(op + ": need at least one name and one array (names " + names
                    + ", " + (values == null ? "null" : values.length) + " arrays)");
        }
        if (names.size() != values.length) {
            throw new IllegalArgumentException(op + ": need one name per array but got " + names.size()
                    + " names for " + values.length + " arrays (names " + names + ")");
        }
        if (names.stream().anyMatch(n -> n == null) || names.stream().distinct().count() != names.size()) {
            throw new IllegalArgumentException(op + ": names must be distinct and not null (names " + names + ")");
        }
        Table table = Table.create(title == null || title.isBlank() ? "values" : title);
        long rows = -1;
        for (int i = 0; i < values.length; i++) {
            INDArray a = values[i];
            if (a == null) {
                throw new IllegalArgumentException(op + ": array " + i + " ('" + names.get(i) + "') is null");
            }
            if (rows >= 0 && a.length() != rows) {
                throw new IllegalArgumentException(op + ": every array needs the same number of values but '"
                        + names.get(i) + "' " + KernelGrid.shape(a.shape()) + " has " + a.length() + " and '"
                        + names.get(0) + "' " + KernelGrid.shape(values[0].shape()) + " has " + rows);
            }
            rows = a.length();
            DoubleColumn column = DoubleColumn.create(names.get(i), a.dup('c').data().asDouble());
            // Tablesaw stores a missing double as NaN and prints it blank: here NaN is a value (relu(NaN) is NaN)
            column.setPrintFormatter(new NumberColumnFormatter(new DecimalFormat("0." + "#".repeat(DECIMALS),
                    DecimalFormatSymbols.getInstance(Locale.ROOT)), "NaN"));
            table.addColumns(column);
        }
        return table;
    }
}
