package cnnlab.viz;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Several labelled pictures (or charts) in one picture, so that a notebook cell can show them side by side: each
 * panel's label is written above it, centred; panels are laid out left to right in rows of a given number of
 * columns, each at its own size, centred in its column and top-aligned in its row, on white.
 * <pre>
 * jshell&gt; var grey = Images.sampleGrey("camera");
 * jshell&gt; SideBySide.row(SideBySide.Panel.of("photo", Images.toImage(grey)),
 *    ...&gt;     SideBySide.Panel.of("Sobel x", Images.toImage(Cnn.conv2d(grey, Kernels.sobelX()), Scale.SYMMETRIC)))
 * jshell&gt; SideBySide.grid(2, SideBySide.Panel.of("max", Plots.heatMap(a)), ...)   // charts too, two per row
 * </pre>
 */
public final class SideBySide {
    private SideBySide() {
    }

    /** Pixels between panels and around the whole picture. */
    public static final int GAP = 12;
    /** Height of the label line above each panel. */
    public static final int LABEL_HEIGHT = 22;

    private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 14);

    /**
     * One labelled picture.
     *
     * @throws IllegalArgumentException if the image is null
     */
    public record Panel(String label, BufferedImage image) {
        public Panel {
            if (image == null) {
                throw new IllegalArgumentException("SideBySide.Panel: the picture for '" + label + "' is null");
            }
            label = label == null ? "" : label;
        }

        public static Panel of(String label, BufferedImage image) {
            return new Panel(label, image);
        }

        /** A chart (e.g. {@link Plots#heatMap}) rendered at its own size. */
        public static Panel of(String label, Chart<?, ?> chart) {
            if (chart == null) {
                throw new IllegalArgumentException("SideBySide.Panel: the chart for '" + label + "' is null");
            }
            return new Panel(label, BitmapEncoder.getBufferedImage(chart));
        }
    }

    /**
     * Where each panel goes: its picture's top-left corner {@code x[i], y[i]} (centred in its column), the label's
     * baseline row {@code labelY[i]}, and the whole picture's size.
     */
    public record Layout(int[] x, int[] y, int[] labelY, int width, int height) {
    }

    /** All panels in one row. */
    public static BufferedImage row(Panel... panels) {
        return grid(panels == null ? 1 : Math.max(1, panels.length), panels);
    }

    /** {@link #row(Panel...)} from a list. */
    public static BufferedImage row(List<Panel> panels) {
        return row(panels == null ? null : panels.toArray(new Panel[0]));
    }

    /**
     * Panels in rows of {@code columns}; each column is as wide as its widest panel (or label), each row as tall as
     * its tallest panel.
     *
     * @throws IllegalArgumentException if there are no panels, one is null, columns &lt; 1, or the picture would
     *                                  exceed 2^26 pixels
     */
    public static BufferedImage grid(int columns, Panel... panels) {
        Layout layout = layout(columns, panels);
        BufferedImage out = new BufferedImage(layout.width(), layout.height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, layout.width(), layout.height());
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(FONT);
        g.setColor(Color.BLACK);
        FontMetrics fm = g.getFontMetrics();
        for (int i = 0; i < panels.length; i++) {
            BufferedImage image = panels[i].image();
            g.drawImage(image, layout.x()[i], layout.y()[i], null);
            int textX = layout.x()[i] + (image.getWidth() - fm.stringWidth(panels[i].label())) / 2;
            g.drawString(panels[i].label(), textX, layout.labelY()[i]);
        }
        g.dispose();
        return out;
    }

    /**
     * The placement {@link #grid} uses, computed without drawing.
     *
     * @throws IllegalArgumentException as {@link #grid}
     */
    public static Layout layout(int columns, Panel... panels) {
        if (panels == null || panels.length == 0) {
            throw new IllegalArgumentException("SideBySide: no panels to show\nhint: pass at least one "
                    + "SideBySide.Panel.of(label, picture)");
        }
        if (columns < 1) {
            throw new IllegalArgumentException("SideBySide: columns must be at least 1 but is " + columns
                    + " (" + panels.length + " panels)");
        }
        for (int i = 0; i < panels.length; i++) {
            if (panels[i] == null) {
                throw new IllegalArgumentException("SideBySide: panel " + i + " of " + panels.length + " is null");
            }
        }
        int cols = Math.min(columns, panels.length), rows = (panels.length + cols - 1) / cols;
        int[] colWidth = new int[cols], rowHeight = new int[rows];
        for (int i = 0; i < panels.length; i++) {
            BufferedImage im = panels[i].image();
            colWidth[i % cols] = Math.max(colWidth[i % cols], Math.max(im.getWidth(), labelWidth(panels[i].label())));
            rowHeight[i / cols] = Math.max(rowHeight[i / cols], im.getHeight());
        }
        int[] colX = new int[cols], rowY = new int[rows];
        long width = GAP, height = GAP;
        for (int c = 0; c < cols; c++) {
            width += colWidth[c] + GAP;
        }
        for (int r = 0; r < rows; r++) {
            height += LABEL_HEIGHT + rowHeight[r] + GAP;
        }
        KernelGrid.checkSize("SideBySide", panels.length + " panels in " + rows + " rows of " + cols, width, height,
                "smaller pictures (Images.resize) or another number of columns");
        width = GAP;
        height = GAP;
        for (int c = 0; c < cols; c++) {
            colX[c] = (int) width;
            width += colWidth[c] + GAP;
        }
        for (int r = 0; r < rows; r++) {
            rowY[r] = (int) height + LABEL_HEIGHT;
            height += LABEL_HEIGHT + rowHeight[r] + GAP;
        }
        int[] x = new int[panels.length], y = new int[panels.length], labelY = new int[panels.length];
        for (int i = 0; i < panels.length; i++) {
            x[i] = colX[i % cols] + (colWidth[i % cols] - panels[i].image().getWidth()) / 2;
            y[i] = rowY[i / cols];
            labelY[i] = y[i] - 6;
        }
        return new Layout(x, y, labelY, (int) width, (int) height);
    }

    /** The label's width in pixels at the label font (measured on a scratch image, so it needs no window). */
    static int labelWidth(String label) {
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scratch.createGraphics();
        try {
            return g.getFontMetrics(FONT).stringWidth(label);
        } finally {
            g.dispose();
        }
    }
}
