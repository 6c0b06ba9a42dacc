package cnnlab.viz;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Point;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Kernel mosaics: a filter bank {@code [K, C, kH, kW]} (conv weights, PyTorch layout) as a grid of enlarged
 * tiles, one per filter, as in the lecture's figure of AlexNet's first-layer filters.
 * <ul>
 *   <li>{@code C = 3}: each filter in colour, input channel 0 red, 1 green, 2 blue;</li>
 *   <li>{@code C = 1}: grey, or blue–white–red with {@link Scale#SYMMETRIC} (zero white);</li>
 *   <li>any other {@code C}: one row of tiles per input channel (row {@code c}, column {@code k} is channel
 *       {@code c} of filter {@code k}), or only the channel {@link Options#withChannel chosen}.</li>
 * </ul>
 * Each kernel pixel becomes a {@code zoom x zoom} block (nearest neighbour); tiles are framed by a
 * {@code separator}-pixel border in a neutral colour; labels (the filter index, or a caption per tile) go under
 * the tiles. {@link #layout} and {@link #normalised} return the data behind the picture.
 *
 * <p>Defaults ({@link Options#DEFAULT}): zoom chosen so a tile is at least 48 px, near-square columns,
 * 1 px separator, per-filter min-max ({@link Scale#MIN_MAX}), every channel, C = 3 in colour, no labels.
 * <pre>
 * jshell&gt; var w = Nd4j.randn(DataType.FLOAT, 96, 3, 11, 11);
 * jshell&gt; KernelGrid.layout(w, KernelGrid.Options.of(3, 12).withSeparator(1))
 * $2 ==&gt; 96 tiles (RGB) in 8 rows x 12 columns, tiles 33x33 px (zoom 3), image 409x273 px
 * jshell&gt; KernelGrid.draw(w, KernelGrid.Options.DEFAULT.withZoom(4).withColumns(8).withLabels(true))
 * jshell&gt; KernelGrid.draw(Kernels.sobelX(), KernelGrid.Options.diverging())
 * </pre>
 */
public final class KernelGrid {
    /** For {@link Options#zoom()} and {@link Options#columns()}: let the grid choose. */
    public static final int AUTO = 0;
    /** For {@link Options#channel()}: draw every input channel. */
    public static final int ALL_CHANNELS = -1;

    /**
     * The colour of separators, margins and label strips: a dark slate, bluish enough that no grey tile (nor
     * any colour of the diverging map) matches it, so tiles stay apart even where their edges are dark.
     */
    public static final Color NEUTRAL = new Color(0x26, 0x30, 0x3e);

    /** Automatic zoom makes a kernel tile at least this many pixels tall and wide. */
    static final int AUTO_KERNEL_TILE = 48;
    /** Larger pictures are refused rather than run the JVM out of memory (4 bytes a pixel). */
    static final long MAX_PIXELS = 1L << 26;
    static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    static final Font BOLD = new Font(Font.SANS_SERIF, Font.BOLD, 13);
    static final Color TEXT = new Color(0xf0, 0xf0, 0xf0);
    static final Color DIM_TEXT = new Color(0xc0, 0xc0, 0xc0);
    /** Height of the strip under a row of tiles that holds their labels. */
    static final int LABEL_HEIGHT = 16;

    private KernelGrid() {
    }

    /** What each tile shows. */
    public enum Mode {
        /** One plane per filter (C = 1, or a chosen channel): grey, or the diverging map. */
        PLANE,
        /** C = 3 in colour: channel 0 red, 1 green, 2 blue. */
        RGB,
        /** One row per input channel, one column per filter. */
        CHANNEL_ROWS
    }

    /**
     * How to draw a bank. Every field has a {@code withX} copy; start from {@link #DEFAULT}.
     *
     * @param zoom       each kernel pixel becomes {@code zoom x zoom} pixels; {@link #AUTO} (default) makes tiles
     *                   at least 48 px
     * @param columns    tiles per row; {@link #AUTO} (default) is near-square, preferring a count that fills the
     *                   last row. More columns than filters is the number of filters. Ignored for
     *                   {@link Mode#CHANNEL_ROWS}, which has one column per filter
     * @param separator  pixels of {@link #background} between and around tiles (default 1; 0 to 16)
     * @param perFilter  true (default): each filter is scaled on its own (over all the channels drawn of it, so
     *                   an RGB filter keeps its hue); false: one scale for the whole bank, so tiles compare in
     *                   strength
     * @param scale      how values become colours (default {@link Scale#MIN_MAX}); {@link Scale#SYMMETRIC} puts
     *                   zero at white on the diverging map (one plane) or at mid-grey (RGB)
     * @param channel    {@link #ALL_CHANNELS} (default), or the one input channel to draw as a plane
     * @param rgb        true (default): a bank with C = 3 is drawn in colour; false: one row per channel
     * @param labels     label each tile with its filter index or caption (default false)
     * @param captions   null (default, filter indices), or one caption per filter
     * @param background separator and label-strip colour (default {@link #NEUTRAL})
     */
    public record Options(int zoom, int columns, int separator, boolean perFilter, Scale scale, int channel,
                          boolean rgb, boolean labels, List<String> captions, Color background) {

        /** Automatic zoom and columns, 1 px separator, per-filter min-max, all channels, colour, no labels. */
        public static final Options DEFAULT = new Options(AUTO, AUTO, 1, true, Scale.MIN_MAX, ALL_CHANNELS, true,
                false, null, NEUTRAL);

        public Options {
            if (zoom < 0) {
                throw new IllegalArgumentException("KernelGrid: zoom must be at least 1, or AUTO = 0 (zoom " + zoom
                        + ")");
            }
            if (columns < 0) {
                throw new IllegalArgumentException("KernelGrid: columns must be at least 1, or AUTO = 0 (columns "
                        + columns + ")");
            }
            if (separator < 0 || separator > 16) {
                throw new IllegalArgumentException("KernelGrid: separator must be 0 to 16 pixels (separator "
                        + separator + ")");
            }
            if (channel < ALL_CHANNELS) {
                throw new IllegalArgumentException("KernelGrid: channel must be at least 0, or ALL_CHANNELS = -1"
                        + " (channel " + channel + ")");
            }
            if (scale == null) {
                scale = Scale.MIN_MAX;
            }
            if (background == null) {
                background = NEUTRAL;
            }
            if (captions != null) {
                List<String> copy = new ArrayList<>(captions);
                for (int i = 0; i < copy.size(); i++) {
                    if (copy.get(i) == null) {
                        throw new IllegalArgumentException("KernelGrid: caption " + i + " is null (" + copy.size()
                                + " captions)");
                    }
                }
                captions = List.copyOf(copy);
            }
        }

        /** {@link #DEFAULT} with this zoom and number of columns, either of them {@link #AUTO}. */
        public static Options of(int zoom, int columns) {
            Options zoomed = zoom == AUTO ? DEFAULT.withAutoZoom() : DEFAULT.withZoom(zoom);
            return columns == AUTO ? zoomed.withAutoColumns() : zoomed.withColumns(columns);
        }

        /** {@link #DEFAULT} on the diverging blue–white–red map, zero white: for signed single-channel filters. */
        public static Options diverging() {
            return DEFAULT.withScale(Scale.SYMMETRIC);
        }

        /** @throws IllegalArgumentException if zoom &lt; 1 (use {@link #withAutoZoom()} to let the grid choose) */
        public Options withZoom(int zoom) {
            if (zoom < 1) {
                throw new IllegalArgumentException("KernelGrid: zoom must be at least 1 (zoom " + zoom + ")"
                        + "\nhint: withAutoZoom() lets the grid choose");
            }
            return new Options(zoom, columns, separator, perFilter, scale, channel, rgb, labels, captions,
                    background);
        }

        public Options withAutoZoom() {
            return new Options(AUTO, columns, separator, perFilter, scale, channel, rgb, labels, captions,
                    background);
        }

        /** @throws IllegalArgumentException if columns &lt; 1 (use {@link #withAutoColumns()} to let the grid choose) */
        public Options withColumns(int columns) {
            if (columns < 1) {
                throw new IllegalArgumentException("KernelGrid: columns must be at least 1 (columns " + columns
                        + ")\nhint: withAutoColumns() lets the grid choose");
            }
            return new Options(zoom, columns, separator, perFilter, scale, channel, rgb, labels, captions,
                    background);
        }

        public Options withAutoColumns() {
            return new Options(zoom, AUTO, separator, perFilter, scale, channel, rgb, labels, captions, background);
        }

        public Options withSeparator(int separator) {
            return new Options(zoom, columns, separator, perFilter, scale, channel, rgb, labels, captions,
                    background);
        }

        /** True: each filter scaled on its own; false: one scale for the whole bank. */
        public Options withPerFilter(boolean perFilter) {
            return new Options(zoom, columns, separator, perFilter, scale, channel, rgb, labels, captions,
                    background);
        }

        public Options withScale(Scale scale) {
            return new Options(zoom, columns, separator, perFilter, scale, channel, rgb, labels, captions,
                    background);
        }

        /** Draw only this input channel, as a plane (grey or diverging). */
        public Options withChannel(int channel) {
            if (channel < 0) {
                throw new IllegalArgumentException("KernelGrid: channel must be at least 0 (channel " + channel
                        + ")\nhint: withAllChannels() draws every channel");
            }
            return new Options(zoom, columns, separator, perFilter, scale, channel, rgb, labels, captions,
                    background);
        }

        public Options withAllChannels() {
            return new Options(zoom, columns, separator, perFilter, scale, ALL_CHANNELS, rgb, labels, captions,
                    background);
        }

        /** False draws a C = 3 bank as one row per channel instead of in colour. */
        public Options withRgb(boolean rgb) {
            return new Options(zoom, columns, separator, perFilter, scale, channel, rgb, labels, captions,
                    background);
        }

        public Options withLabels(boolean labels) {
            return new Options(zoom, columns, separator, perFilter, scale, channel, rgb, labels, captions,
                    background);
        }

        /** One caption per filter, in filter order; turns labels on. */
        public Options withCaptions(List<String> captions) {
            return new Options(zoom, columns, separator, perFilter, scale, channel, rgb, true, captions,
                    background);
        }

        public Options withBackground(Color background) {
            return new Options(zoom, columns, separator, perFilter, scale, channel, rgb, labels, captions,
                    background);
        }

        @Override
        public String toString() {
            return "zoom " + (zoom == AUTO ? "auto" : zoom) + ", columns " + (columns == AUTO ? "auto" : columns)
                    + ", separator " + separator + ", " + (perFilter ? "per filter" : "whole bank") + " "
                    + scale.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                    + (channel == ALL_CHANNELS ? "" : ", channel " + channel) + (rgb ? "" : ", no colour")
                    + (captions != null ? ", " + captions.size() + " captions" : labels ? ", labels" : "");
        }
    }

    /**
     * Where the tiles are. Tiles sit in {@code rows x columns} cells; a cell is {@code cellWidth} wide (the tile,
     * or its label if wider, with the tile centred) and {@code tileHeight + labelHeight} tall; cells are
     * {@code separator} pixels apart and from the edges; a {@code headerWidth} margin on the left holds row
     * labels ({@link Mode#CHANNEL_ROWS} with labels only).
     * <pre>
     * x(column) = headerWidth + separator + column·(cellWidth + separator) + (cellWidth − tileWidth)/2
     * y(row)    = separator + row·(tileHeight + labelHeight + separator)
     * width     = headerWidth + separator + columns·(cellWidth + separator)
     * height    = separator + rows·(tileHeight + labelHeight + separator)
     * </pre>
     * In {@link Mode#CHANNEL_ROWS} every row has the same filters in the same columns, so their numbers are
     * written once, under the last row: there {@code labelHeight} counts once, not per row.
     * <pre>
     * y(row)    = separator + row·(tileHeight + separator)
     * height    = separator + rows·(tileHeight + separator) + labelHeight
     * </pre>
     *
     * @param count the number of tiles drawn (K, or C·K for {@link Mode#CHANNEL_ROWS}); tile {@code i} is in
     *              row {@code i / columns}, column {@code i % columns}
     */
    public record Layout(Mode mode, int count, int rows, int columns, int tileWidth, int tileHeight, int zoom,
                         int cellWidth, int labelHeight, int headerWidth, int separator, int width, int height) {

        /** The left edge of the tiles in this column. */
        public int x(int column) {
            return headerWidth + separator + column * (cellWidth + separator) + (cellWidth - tileWidth) / 2;
        }

        /** The top edge of the tiles in this row. */
        public int y(int row) {
            return separator + row * (tileHeight + (labelsOnce() ? 0 : labelHeight) + separator);
        }

        /** Whether the labels are written once, under the last row ({@link Mode#CHANNEL_ROWS}). */
        boolean labelsOnce() {
            return mode == Mode.CHANNEL_ROWS;
        }

        /** The top-left pixel of the tile in this row and column. */
        public Point topLeft(int row, int column) {
            if (row < 0 || row >= rows || column < 0 || column >= columns) {
                throw new IndexOutOfBoundsException("KernelGrid: no tile at row " + row + ", column " + column
                        + " (" + rows + " rows x " + columns + " columns)");
            }
            return new Point(x(column), y(row));
        }

        /** The top-left pixel of tile {@code i} (filter {@code i} unless {@link Mode#CHANNEL_ROWS}). */
        public Point topLeft(int i) {
            checkTile(i);
            return topLeft(i / columns, i % columns);
        }

        /** Tile {@code i}'s pixels. */
        public Rectangle tile(int i) {
            Point p = topLeft(i);
            return new Rectangle(p.x, p.y, tileWidth, tileHeight);
        }

        private void checkTile(int i) {
            if (i < 0 || i >= count) {
                throw new IndexOutOfBoundsException("KernelGrid: tile " + i + " is out of range 0.." + (count - 1));
            }
        }

        @Override
        public String toString() {
            return count + " tiles (" + mode + ") in " + rows + " rows x " + columns + " columns, tiles " + tileWidth
                    + "x" + tileHeight + " px (zoom " + zoom + "), image " + width + "x" + height + " px";
        }
    }

    // ---------------------------------------------------------------- API

    /** {@link #draw(INDArray, Options)} with {@link Options#DEFAULT}. */
    public static BufferedImage draw(INDArray bank) {
        return draw(bank, Options.DEFAULT);
    }

    /**
     * The filter bank as a mosaic.
     *
     * @param bank    {@code [K, C, kH, kW]}; not changed
     * @param options null means {@link Options#DEFAULT}
     * @throws IllegalArgumentException if the bank is null, not 4-D or has an empty axis; if the chosen channel
     *                                  is not one of its C; if there are captions but not K of them; if the
     *                                  picture would exceed 2^26 pixels
     */
    public static BufferedImage draw(INDArray bank, Options options) {
        Plan plan = plan(bank, options);
        Layout l = plan.layout;
        BufferedImage image = canvas(l.width(), l.height(), plan.options.background());
        int plane = plan.kh * plan.kw;
        for (int k = 0; k < plan.k; k++) {
            float[] range = plan.ranges[k];
            switch (l.mode()) {
                case PLANE -> {
                    int[] rgb = new int[plane];
                    int base = (k * plan.c + plan.channels[0]) * plane;
                    for (int i = 0; i < plane; i++) {
                        rgb[i] = Images.colour(plan.values[base + i], range, plan.options.scale());
                    }
                    Point p = l.topLeft(k);
                    blit(image, rgb, plan.kh, plan.kw, l.zoom(), p.x, p.y);
                }
                case RGB -> {
                    int[] rgb = new int[plane];
                    int base = k * 3 * plane;
                    Scale s = plan.options.scale();
                    for (int i = 0; i < plane; i++) {
                        rgb[i] = Images.rgb(plan.values[base + i], plan.values[base + plane + i],
                                plan.values[base + 2 * plane + i], range, s);
                    }
                    Point p = l.topLeft(k);
                    blit(image, rgb, plan.kh, plan.kw, l.zoom(), p.x, p.y);
                }
                case CHANNEL_ROWS -> {
                    for (int c = 0; c < plan.c; c++) {
                        int[] rgb = new int[plane];
                        int base = (k * plan.c + c) * plane;
                        for (int i = 0; i < plane; i++) {
                            rgb[i] = Images.colour(plan.values[base + i], range, plan.options.scale());
                        }
                        Point p = l.topLeft(c, k);
                        blit(image, rgb, plan.kh, plan.kw, l.zoom(), p.x, p.y);
                    }
                }
                default -> throw new IllegalStateException(l.mode().toString());
            }
        }
        if (plan.labels != null) {
            Graphics2D g = graphics(image);
            for (int i = l.labelsOnce() ? l.count() - l.columns() : 0; i < l.count(); i++) {
                int row = i / l.columns(), column = i % l.columns();
                labelUnder(g, plan.labels.get(l.mode() == Mode.CHANNEL_ROWS ? column : i), l, row, column);
            }
            if (plan.headers != null) {
                for (int row = 0; row < l.rows(); row++) {
                    rowHeader(g, plan.headers.get(row), l, row);
                }
            }
            g.dispose();
        }
        return image;
    }

    /** {@link #layout(INDArray, Options)} with {@link Options#DEFAULT}. */
    public static Layout layout(INDArray bank) {
        return layout(bank, Options.DEFAULT);
    }

    /**
     * Where {@link #draw(INDArray, Options)} puts each tile, and the picture's size.
     *
     * @throws IllegalArgumentException as {@link #draw(INDArray, Options)}
     */
    public static Layout layout(INDArray bank, Options options) {
        return plan(bank, options).layout;
    }

    /**
     * The values each tile shows, in [0, 1] before they become colours: {@code [K, C', kH, kW]} with C' = 1 for
     * a plane ({@code C = 1} or a chosen channel), else C. Under min-max 0 is the smallest value of the filter
     * (or the bank) and 1 the largest, and a constant filter is 0.5 (mid-grey); under symmetric 0.5 is zero
     * (white on the diverging map), 0 is {@code -m} and 1 is {@code +m}, with m the largest magnitude. A
     * non-finite value is 0.
     *
     * @throws IllegalArgumentException as {@link #draw(INDArray, Options)}
     */
    public static INDArray normalised(INDArray bank, Options options) {
        Plan plan = plan(bank, options);
        int plane = plan.kh * plan.kw, cs = plan.channels.length;
        float[] out = new float[plan.k * cs * plane];
        for (int k = 0; k < plan.k; k++) {
            for (int j = 0; j < cs; j++) {
                int from = (k * plan.c + plan.channels[j]) * plane, to = (k * cs + j) * plane;
                for (int i = 0; i < plane; i++) {
                    out[to + i] = (float) Images.unit(plan.values[from + i], plan.ranges[k], plan.options.scale());
                }
            }
        }
        return Nd4j.create(out, new long[] {plan.k, cs, plan.kh, plan.kw}, 'c');
    }

    // ---------------------------------------------------------------- planning

    /** A validated bank and everything drawing needs. */
    private record Plan(Options options, int k, int c, int kh, int kw, int[] channels, float[] values,
                        float[][] ranges, List<String> labels, List<String> headers, Layout layout) {
    }

    private static Plan plan(INDArray bank, Options options) {
        Options o = options == null ? Options.DEFAULT : options;
        if (bank == null) {
            throw new IllegalArgumentException("KernelGrid: the filter bank is null");
        }
        String shape = shape(bank.shape());
        if (bank.rank() != 4) {
            String hint = bank.rank() == 2 ? "\nhint: one kernel [kH, kW] is a bank of one with w.reshape(1, 1, "
                    + bank.size(0) + ", " + bank.size(1) + "); a Linear's weight [out, in] after the Flatten of"
                    + " [C, H, W] maps is a bank with w.reshape(" + bank.size(0) + ", C, H, W), C*H*W = " + bank.size(1)
                    + " (LeNet-5's fc1: reshape(120, 16, 5, 5))"
                    : bank.rank() == 3 ? "\nhint: kernels [K, kH, kW] are a grey bank with w.reshape("
                    + bank.size(0) + ", 1, " + bank.size(1) + ", " + bank.size(2) + ")" : "";
            throw new IllegalArgumentException("KernelGrid: the filter bank must be 4-D [K, C, kH, kW] but is "
                    + bank.rank() + "-D (" + shape + ")" + hint);
        }
        if (bank.length() == 0) {
            throw new IllegalArgumentException("KernelGrid: the filter bank is empty (" + shape + ")");
        }
        int k = Math.toIntExact(bank.size(0)), c = Math.toIntExact(bank.size(1));
        int kh = Math.toIntExact(bank.size(2)), kw = Math.toIntExact(bank.size(3));
        if (o.channel() >= c) {
            throw new IllegalArgumentException("KernelGrid: channel " + o.channel() + " is out of range for a bank"
                    + " with " + c + " input channel" + (c == 1 ? "" : "s") + " (" + shape + ")\nhint: channels are 0.."
                    + (c - 1) + ", or ALL_CHANNELS");
        }
        if (o.captions() != null && o.captions().size() != k) {
            throw new IllegalArgumentException("KernelGrid: " + o.captions().size() + " captions for " + k
                    + " filters (" + shape + ")\nhint: give one caption per filter, in filter order");
        }
        Mode mode = o.channel() != ALL_CHANNELS || c == 1 ? Mode.PLANE
                : c == 3 && o.rgb() ? Mode.RGB : Mode.CHANNEL_ROWS;
        int[] channels = mode == Mode.PLANE ? new int[] {Math.max(o.channel(), 0)} : range(c);

        float[] values = bank.castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[][] ranges = new float[k][];
        int plane = kh * kw;
        if (o.perFilter()) {
            for (int f = 0; f < k; f++) {
                ranges[f] = Images.range(drawn(values, f, c, plane, channels), o.scale());
            }
        } else {
            float[] all = new float[k * channels.length * plane];
            for (int f = 0; f < k; f++) {
                float[] v = drawn(values, f, c, plane, channels);
                System.arraycopy(v, 0, all, f * v.length, v.length);
            }
            Arrays.fill(ranges, Images.range(all, o.scale()));
        }

        int zoom = o.zoom() == AUTO ? Math.max(1, ceilDiv(AUTO_KERNEL_TILE, Math.max(kh, kw))) : o.zoom();
        int rows, columns;
        if (mode == Mode.CHANNEL_ROWS) {
            rows = c;
            columns = k;
        } else {
            columns = o.columns() == AUTO ? nearSquareColumns(k) : Math.min(o.columns(), k);
            rows = ceilDiv(k, columns);
        }
        List<String> labels = null, headers = null;
        if (o.labels()) {
            labels = o.captions() != null ? o.captions() : indices(k, "");
            if (mode == Mode.CHANNEL_ROWS) {
                headers = indices(c, "ch ");
            }
        }
        Layout layout = grid("KernelGrid", shape, mode, mode == Mode.CHANNEL_ROWS ? c * k : k, rows, columns,
                (long) kw * zoom, (long) kh * zoom, zoom, o.separator(), labels, headers);
        return new Plan(o, k, c, kh, kw, channels, values, ranges, labels, headers, layout);
    }

    /** The values of filter f's drawn channels. */
    private static float[] drawn(float[] values, int f, int c, int plane, int[] channels) {
        float[] v = new float[channels.length * plane];
        for (int j = 0; j < channels.length; j++) {
            System.arraycopy(values, (f * c + channels[j]) * plane, v, j * plane, plane);
        }
        return v;
    }

    // ---------------------------------------------------------------- shared with FeatureMaps

    /**
     * Near-square: the fewest columns, at least ⌈√n⌉, that fill the last row without having more than twice as
     * many columns as rows; else ⌈√n⌉. Up to three tiles go in one row. 96 → 12 (8 rows), 64 → 8, 27 → 6, 8 → 4,
     * 7 → 3.
     */
    static int nearSquareColumns(int n) {
        if (n <= 3) {
            return Math.max(n, 1);
        }
        int square = (int) Math.ceil(Math.sqrt(n));
        for (int columns = square; (long) columns * columns <= 2L * n; columns++) {
            if (n % columns == 0) {
                return columns;
            }
        }
        return square;
    }

    /**
     * The grid's geometry: cells wide enough for their labels, a left margin wide enough for the row headers.
     *
     * @throws IllegalArgumentException if the picture would be larger than {@link #MAX_PIXELS}
     */
    static Layout grid(String op, String context, Mode mode, int count, int rows, int columns, long tileWidth,
                       long tileHeight, int zoom, int separator, List<String> labels, List<String> headers) {
        long cellWidth = tileWidth;
        int labelHeight = 0, headerWidth = 0;
        if (labels != null) {
            FontMetrics fm = metrics(FONT);
            for (String s : labels) {
                cellWidth = Math.max(cellWidth, fm.stringWidth(s) + 4);
            }
            labelHeight = LABEL_HEIGHT;
        }
        if (headers != null) {
            FontMetrics fm = metrics(FONT);
            for (String s : headers) {
                headerWidth = Math.max(headerWidth, fm.stringWidth(s) + 8);
            }
        }
        long width = headerWidth + separator + saturated(columns, cellWidth + separator);
        long height = mode == Mode.CHANNEL_ROWS ? separator + saturated(rows, tileHeight + separator) + labelHeight
                : separator + saturated(rows, tileHeight + labelHeight + separator);
        checkSize(op, context, width, height, "a smaller zoom");
        return new Layout(mode, count, rows, columns, (int) tileWidth, (int) tileHeight, zoom, (int) cellWidth,
                labelHeight, headerWidth, separator, (int) width, (int) height);
    }

    /** {@code a * b}, or a number past every limit here where the product would overflow. */
    private static long saturated(long a, long b) {
        return Math.multiplyHigh(a, b) == 0 && a * b >= 0 ? a * b : Long.MAX_VALUE / 4;
    }

    static void checkSize(String op, String context, long width, long height, String remedy) {
        if (saturated(width, height) > MAX_PIXELS || width > Integer.MAX_VALUE / 2 || height > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException(op + ": the picture would be " + width + "x" + height
                    + " pixels, more than " + MAX_PIXELS + " (" + context + ")\nhint: use " + remedy);
        }
    }

    static BufferedImage canvas(int width, int height, Color background) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Arrays.fill(pixels(image), background.getRGB() & 0xffffff);
        return image;
    }

    /** Copies an {@code h x w} tile of RGB values into the image at (x0, y0), each value a zoom x zoom block. */
    static void blit(BufferedImage image, int[] rgb, int h, int w, int zoom, int x0, int y0) {
        int[] px = pixels(image);
        int stride = image.getWidth();
        for (int y = 0; y < h * zoom; y++) {
            int row = (y0 + y) * stride + x0, src = (y / zoom) * w;
            for (int x = 0; x < w * zoom; x++) {
                px[row + x] = rgb[src + x / zoom];
            }
        }
    }

    private static int[] pixels(BufferedImage image) {
        return ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
    }

    static Graphics2D graphics(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(FONT);
        return g;
    }

    static FontMetrics metrics(Font font) {
        Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        try {
            return g.getFontMetrics(font);
        } finally {
            g.dispose();
        }
    }

    /** A label centred in the strip under the tile in this row and column. */
    static void labelUnder(Graphics2D g, String text, Layout l, int row, int column) {
        g.setFont(FONT);
        g.setColor(TEXT);
        FontMetrics fm = g.getFontMetrics();
        int cellLeft = l.headerWidth() + l.separator() + column * (l.cellWidth() + l.separator());
        int top = l.y(row) + l.tileHeight();
        int x = cellLeft + (l.cellWidth() - fm.stringWidth(text)) / 2;
        int y = top + (l.labelHeight() + fm.getAscent() - fm.getDescent()) / 2;
        g.drawString(text, x, y);
    }

    /** A row header, right-aligned in the left margin, level with the middle of the row's tiles. */
    private static void rowHeader(Graphics2D g, String text, Layout l, int row) {
        g.setFont(FONT);
        g.setColor(TEXT);
        FontMetrics fm = g.getFontMetrics();
        int x = l.headerWidth() - 4 - fm.stringWidth(text);
        int y = l.y(row) + (l.tileHeight() + fm.getAscent() - fm.getDescent()) / 2;
        g.drawString(text, x, y);
    }

    static List<String> indices(int n, String prefix) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(prefix + i);
        }
        return out;
    }

    /** {@code [96,3,11,11]}, as the ops' messages write shapes. */
    static String shape(long[] s) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < s.length; i++) {
            b.append(i == 0 ? "" : ",").append(s[i]);
        }
        return b.append(']').toString();
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
