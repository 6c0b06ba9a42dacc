package cnnlab.shape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/** The size table: one row per (w, p, S), its numbers written out by hand from the lecture's formula. */
class SizeTableTest {

    @Test
    void oneRowPerCombinationKernelOutermostStrideInnermost() {
        Table t = SizeTable.of(9, new int[] {3, 5}, new int[] {0, 1}, new int[] {1, 2});
        assertEquals(8, t.rowCount());
        assertEquals(List.of("w", "p", "S", "arithmetic", "o", "same size", "rows never visited"), t.columnNames());
        assertEquals(List.of(3, 3, 3, 3, 5, 5, 5, 5), t.intColumn("w").asList());
        assertEquals(List.of(0, 0, 1, 1, 0, 0, 1, 1), t.intColumn("p").asList());
        assertEquals(List.of(1, 2, 1, 2, 1, 2, 1, 2), t.intColumn("S").asList());
        // (9-3+0)/1+1 = 7, (9-3)/2+1 = 4, (9-3+2)/1+1 = 9, (9-3+2)/2+1 = 5, (9-5)/1+1 = 5, (9-5)/2+1 = 3,
        // (9-5+2)/1+1 = 7, (9-5+2)/2+1 = 4
        assertEquals(List.of(7, 4, 9, 5, 5, 3, 7, 4), t.intColumn("o").asList());
        assertEquals("(9 − 3 + 2·0)/2 + 1 = 4", t.stringColumn("arithmetic").get(1));
        assertEquals(List.of("no", "no", "yes", "no", "no", "no", "no", "no"), t.stringColumn("same size").asList());
    }

    @Test
    void countsTheRowsNoWindowReaches() {
        Table t = SizeTable.of(10, new int[] {3}, new int[] {0}, new int[] {2, 3, 4});
        // 10 - 3 = 7: 7 mod 2 = 1, 7 mod 3 = 1, 7 mod 4 = 3 rows after the last window; with stride 4 the row
        // between the two windows (row 3) is never visited either
        assertEquals(List.of(4, 3, 2), t.intColumn("o").asList());
        assertEquals(List.of(1, 1, 4), t.intColumn("rows never visited").asList());
        assertEquals("(10 − 3 + 2·0)/4 + 1 = ⌊7/4⌋ + 1 = 2", t.stringColumn("arithmetic").get(2));
    }

    @Test
    void aWindowLargerThanTheInputGivesNoOutput() {
        Table t = SizeTable.of(4, new int[] {7}, new int[] {0, 2}, new int[] {1});
        // (4 - 7 + 2*2)/1 + 1 = 2
        assertEquals(List.of(0, 2), t.intColumn("o").asList());
        assertTrue(t.stringColumn("arithmetic").get(0).contains("no output"), t.stringColumn("arithmetic").get(0));
        assertEquals(4, t.intColumn("rows never visited").get(0), "no window: none of the 4 rows is visited");
    }

    @Test
    void rejectsEmptyOrOutOfRangeValues() {
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> SizeTable.of(9, new int[] {}, new int[] {0}, new int[] {1}));
        assertEquals("SizeTable.of: kernels must hold at least one value but is empty (input 9)", empty.getMessage());
        IllegalArgumentException stride = assertThrows(IllegalArgumentException.class,
                () -> SizeTable.of(9, new int[] {3}, new int[] {0}, new int[] {1, 0}));
        assertEquals("SizeTable.of: strides must be at least 1 but are [1, 0] (input 9)", stride.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SizeTable.of(9, new int[] {3}, new int[] {-1}, new int[] {1}));
        assertThrows(IllegalArgumentException.class, () -> SizeTable.of(0, new int[] {3}, new int[] {0}, new int[] {1}));
    }
}
