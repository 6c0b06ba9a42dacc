package cnnlab.shape;

import java.util.Arrays;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Output sizes over a grid of kernel sizes, paddings and strides, as a Tablesaw table: one row per
 * {@code (w, p, S)}, with the lecture's arithmetic {@code (M − w + 2p)/S + 1} filled in, the output size, whether
 * the size is kept, and how many input rows no window reaches. Every number comes from {@link Shapes}.
 * <pre>
 * jshell&gt; var t = SizeTable.of(9, new int[] {3, 5}, new int[] {0, 1}, new int[] {1, 2});
 * jshell&gt; t.rowCount()
 * $2 ==&gt; 8
 * jshell&gt; t.stringColumn("arithmetic").get(1)
 * $3 ==&gt; "(9 − 3 + 2·0)/2 + 1 = 4"
 * </pre>
 */
public final class SizeTable {
    private SizeTable() {
    }

    /**
     * The table for an input of {@code input} rows, over every combination of the given kernel sizes, paddings
     * and strides (in that nesting order: kernel outermost, stride innermost). Columns: {@code w}, {@code p},
     * {@code S}, {@code arithmetic}, {@code o} (0 where the window does not fit), {@code same size},
     * {@code rows never visited} (real input rows, as {@link Shapes#explain}).
     *
     * @throws IllegalArgumentException if an array is null or empty, the input, a kernel size or a stride is below
     *                                  1, or a padding is negative
     */
    public static Table of(int input, int[] kernels, int[] paddings, int[] strides) {
        require(kernels, "kernels", 1, input);
        require(paddings, "paddings", 0, input);
        require(strides, "strides", 1, input);
        if (input < 1) {
            throw new IllegalArgumentException("SizeTable.of: the input size must be at least 1 but is " + input);
        }
        IntColumn w = IntColumn.create("w"), p = IntColumn.create("p"), s = IntColumn.create("S"),
                o = IntColumn.create("o"), never = IntColumn.create("rows never visited");
        StringColumn arithmetic = StringColumn.create("arithmetic"), same = StringColumn.create("same size");
        for (int k : kernels) {
            for (int pad : paddings) {
                for (int stride : strides) {
                    Explanation e = Shapes.explain(input, k, stride, pad);
                    w.append(k);
                    p.append(pad);
                    s.append(stride);
                    arithmetic.append(e.text().lines().findFirst().orElse(""));
                    o.append(Math.max(0, e.output()));
                    same.append(e.output() == input ? "yes" : "no");
                    never.append(e.output() < 1 ? input : e.unvisited());   // no window at all: every row
                }
            }
        }
        return Table.create("output size of a " + input + "-row input", w, p, s, arithmetic, o, same, never);
    }

    private static void require(int[] values, String name, int min, int input) {
        if (values == null || values.length == 0) {
            throw new IllegalArgumentException("SizeTable.of: " + name + " must hold at least one value but is "
                    + (values == null ? "null" : "empty") + " (input " + input + ")");
        }
        for (int v : values) {
            if (v < min) {
                throw new IllegalArgumentException("SizeTable.of: " + name + " must be at least " + min + " but are "
                        + Arrays.toString(values) + " (input " + input + ")");
            }
        }
    }
}
