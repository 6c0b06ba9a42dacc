package cnnlab.viz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Panel placement, checked on the layout and on where each panel's pixels land (not on PNG bytes). */
class SideBySideTest {

    private static BufferedImage filled(int w, int h, Color colour) {
        BufferedImage im = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                im.setRGB(x, y, colour.getRGB());
            }
        }
        return im;
    }

    @Test
    void aRowPlacesPanelsLeftToRightTopAligned() {
        var a = SideBySide.Panel.of("a", filled(100, 50, Color.RED));
        var b = SideBySide.Panel.of("b", filled(40, 80, Color.BLUE));
        SideBySide.Layout l = SideBySide.layout(2, a, b);
        int g = SideBySide.GAP, top = g + SideBySide.LABEL_HEIGHT;
        assertArrayEquals(new int[] {g, g + 100 + g}, l.x());
        assertArrayEquals(new int[] {top, top}, l.y());
        assertEquals(g + 100 + g + 40 + g, l.width());
        assertEquals(top + 80 + g, l.height());

        BufferedImage out = SideBySide.row(a, b);
        assertEquals(l.width(), out.getWidth());
        assertEquals(l.height(), out.getHeight());
        assertEquals(Color.RED.getRGB(), out.getRGB(g + 50, top + 25));
        assertEquals(Color.BLUE.getRGB(), out.getRGB(g + 100 + g + 20, top + 79));
        assertEquals(Color.WHITE.getRGB(), out.getRGB(g + 50, top + 60), "below the shorter panel is background");
    }

    @Test
    void aGridWrapsIntoRowsAndSizesColumnsByTheirWidestPanel() {
        var p = new SideBySide.Panel[] {SideBySide.Panel.of("", filled(30, 20, Color.RED)),
                SideBySide.Panel.of("", filled(10, 10, Color.RED)), SideBySide.Panel.of("", filled(50, 40, Color.RED))};
        SideBySide.Layout l = SideBySide.layout(2, p);
        int g = SideBySide.GAP, lh = SideBySide.LABEL_HEIGHT;
        // column 0 is as wide as its widest panel (50); the 30-wide panel is centred in it
        assertArrayEquals(new int[] {g + 10, g + 50 + g, g}, l.x());
        assertArrayEquals(new int[] {g + lh, g + lh, g + lh + 20 + g + lh}, l.y());
        assertEquals(g + 50 + g + 10 + g, l.width());
        assertEquals(g + lh + 20 + g + lh + 40 + g, l.height());
    }

    @Test
    void aLongLabelWidensItsColumn() {
        String label = "a label much wider than its tiny picture";
        SideBySide.Layout l = SideBySide.layout(2, SideBySide.Panel.of(label, filled(5, 5, Color.RED)),
                SideBySide.Panel.of("", filled(5, 5, Color.RED)));
        int first = SideBySide.labelWidth(label);
        assertEquals(SideBySide.GAP + (first - 5) / 2, l.x()[0], "the tiny picture is centred under its label");
        assertEquals(SideBySide.GAP + first + SideBySide.GAP, l.x()[1], "the second column starts after the label");
        assertTrue(SideBySide.labelWidth(label) > 100);
    }

    @Test
    void chartsBecomePanelsAtTheirOwnSize() {
        var chart = Plots.heatMap(Nd4j.ones(DataType.FLOAT, 2, 2), "ones");
        var panel = SideBySide.Panel.of("chart", chart);
        assertEquals(chart.getWidth(), panel.image().getWidth());
        assertEquals(chart.getHeight(), panel.image().getHeight());
    }

    @Test
    void rejectsMissingPanelsAndBadColumnCounts() {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, SideBySide::row);
        assertTrue(none.getMessage().startsWith("SideBySide: no panels to show"), none.getMessage());
        var one = SideBySide.Panel.of("x", filled(2, 2, Color.RED));
        IllegalArgumentException cols = assertThrows(IllegalArgumentException.class, () -> SideBySide.grid(0, one));
        assertEquals("SideBySide: columns must be at least 1 but is 0 (1 panels)", cols.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SideBySide.row(one, null));
        assertThrows(IllegalArgumentException.class, () -> SideBySide.Panel.of("x", (BufferedImage) null));
    }

    @Test
    void refusesAPictureTooLargeToDraw() {
        // a 9000x1 strip, 20,000 times in one row: 8.5 billion pixels
        var strip = SideBySide.Panel.of("s", new BufferedImage(9000, 1, BufferedImage.TYPE_BYTE_BINARY));
        SideBySide.Panel[] many = new SideBySide.Panel[20_000];
        java.util.Arrays.fill(many, strip);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SideBySide.row(many));
        assertTrue(e.getMessage().startsWith("SideBySide: the picture would be 180240012x47 pixels"), e.getMessage());
        assertTrue(e.getMessage().contains("(20000 panels in 1 rows of 20000)"), e.getMessage());
        assertTrue(e.getMessage().contains("hint: use smaller pictures"), e.getMessage());
    }
}
