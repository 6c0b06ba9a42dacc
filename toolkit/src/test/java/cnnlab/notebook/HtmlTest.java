package cnnlab.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.shape.Shapes;
import java.awt.image.BufferedImage;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class HtmlTest {

    private static int count(String s, String part) {
        return s.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    @Test
    void aSmallArrayIsATableOfItsValuesRowsTheRightWayRound() {
        INDArray x = Nd4j.create(new float[] {1, 2, 3, 4, 5, 6}, new long[] {1, 1, 2, 3}, 'c');
        String html = Html.array(x);
        assertTrue(html.contains("INDArray [1, 1, 2, 3] float32"), html);
        assertEquals(2, count(html, "<tr>"), "one row per array row");
        assertEquals(6, count(html, "<td"), "one cell per value");
        assertTrue(html.indexOf(">3<") < html.indexOf(">4<"), "row 0 ends before row 1 starts");
        assertFalse(html.contains("[0, 0, :, :]"), "a single plane needs no plane label");
    }

    @Test
    void severalPlanesAreLabelledAndValuesAreReadable() {
        INDArray x = Nd4j.create(new float[] {0.5f, -1.25f, 1e-6f, 12345678f}, new long[] {2, 1, 1, 2}, 'c');
        String html = Html.array(x);
        assertTrue(html.contains("[0, 0, :, :]") && html.contains("[1, 0, :, :]"), html);
        assertTrue(html.contains(">0.5<") && html.contains(">-1.25<"), html);
        assertTrue(html.contains("e-06") && html.contains("e+07"), "tiny and huge values in scientific form: " + html);
        assertTrue(Html.array(Nd4j.createFromArray(new long[] {3, 4})).contains(">3<"), "integers stay integers");
    }

    @Test
    void aLargeArrayIsASummaryNotAWallOfNumbers() {
        INDArray x = Nd4j.linspace(0, 1, 3 * 64 * 64, DataType.FLOAT).reshape(1, 3, 64, 64);
        assertFalse(Html.small(x));
        String html = Html.array(x);
        assertFalse(html.contains("<table"), html);
        assertTrue(html.contains("INDArray [1, 3, 64, 64] float32: min 0, max 1, mean 0.5"), html);
        assertTrue(Html.small(Nd4j.zeros(1, 8, 16, 16)));
        assertFalse(Html.small(Nd4j.zeros(1, 9, 4, 4)), "more planes than are worth printing");
    }

    @Test
    void aTablesawTableIsATableCutInTheMiddle() {
        int[] values = new int[100];
        for (int i = 0; i < values.length; i++) {
            values[i] = i;
        }
        Table t = Table.create("sizes", IntColumn.create("k", values), IntColumn.create("o", values));
        String html = Html.table(t);
        assertTrue(html.contains("<th") && html.contains(">k<") && html.contains("sizes"), html);
        assertEquals(Html.MAX_ROWS + 2, count(html, "<tr>"), "header, shown rows and the cut marker");
        assertTrue(html.contains("… 70 more rows …") && html.contains(">99<") && !html.contains(">50<"), html);
        assertTrue(html.contains("100 rows × 2 columns"), html);
    }

    @Test
    void textColumnsReadFromTheLeftAndShortTextStaysOnOneLine() {
        Table t = Table.create("gradebook", StringColumn.create("student", "José Núñez", "x".repeat(40)),
                IntColumn.create("total", 8, 6));
        String html = Html.table(t);
        assertTrue(html.contains("text-align:left;white-space:nowrap\">José Núñez<"), html);
        assertTrue(html.contains("text-align:left\">" + "x".repeat(40) + "<"), "long text wraps");
        assertTrue(html.contains("text-align:right;white-space:nowrap\">8<"), "numbers on the right: " + html);
        assertTrue(html.contains("text-align:left;background:#f3f3f3\">student<"), html);
    }

    @Test
    void aTablesawTableCanBeShownInFull() {
        int[] values = new int[100];
        for (int i = 0; i < values.length; i++) {
            values[i] = i;
        }
        String html = Html.table(Table.create("all", IntColumn.create("k", values)), Integer.MAX_VALUE);
        assertEquals(101, count(html, "<tr>"), "header and every row");
        assertFalse(html.contains("more rows"), html);
        assertFalse(html.contains("rows ×"), "a table shown whole has no count under it: " + html);
    }

    @Test
    void textKeepsItsLineBreaksAndIsEscaped() {
        String html = Html.pre(Shapes.explain(10, 3, 2, 0).toString() + " <b>");
        assertTrue(html.startsWith("<pre") && html.contains("\nThe division is not exact") && html.contains("&lt;b&gt;"));
    }

    @Test
    void picturesBecomeBase64Png() {
        String png = Png.base64(new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB));
        byte[] bytes = Base64.getDecoder().decode(png);
        assertEquals((byte) 0x89, bytes[0]);
        assertEquals('P', bytes[1]);
    }
}
