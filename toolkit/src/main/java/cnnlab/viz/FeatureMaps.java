package cnnlab.viz;

import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Point;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Feature maps: the C channels of one activation {@code [N, C, H, W]} as a grid of labelled tiles
 * ({@link #draw}), and one image's path through a stack of layers as rows of maps, one row per stage
 * ({@link #path}), as in the lecture's figure of AlexNet's responses.
 * <ul>
 *   <li>Only the {@code topK} channels with the most energy (sum of squares) can be shown, strongest first
 *       ({@link #channels}).</li>
 *   <li>The maps of an activation share one scale (default), so a weak or dead map looks weak, or each map
 *       gets its own.</li>
 *   <li>Each tile is labelled with its channel index ({@code ch 5}).</li>
 * </ul>
 * {@link #layout} and {@link #pathLayout} return the data behind the pictures.
 *
 * <p>Defaults ({@link Options#DEFAULT}): the activation must hold one image (N = 1) unless a batch element is
 * chosen; every channel in order; shared scale; min-max grey ({@link Scale#SYMMETRIC} gives the diverging map,
 * zero white); labels on; near-square columns; zoom so a map is about 96 px; path rows 96 px tall; 2 px
 * separators.
 * <pre>
 * jshell&gt; var x = Images.sampleGrey("chelsea");                                   // [1, 1, 300, 451]
 * jshell&gt; var conv = Cnn.conv2d(x, Nd4j.randn(DataType.FLOAT, 8, 1, 5, 5));     // [1, 8, 296, 447]
 * jshell&gt; FeatureMaps.draw(conv, FeatureMaps.Options.top(4))
 * jshell&gt; FeatureMaps.topChannels(conv, 3)                       // the 3 strongest channels, strongest first
 * jshell&gt; var relu = Cnn.relu(conv);
 * jshell&gt; FeatureMaps.path(List.of(Stage.picture("input", x), Stage.of("conv", conv), Stage.of("ReLU", relu),
 *    ...&gt;     Stage.of("max pool", Cnn.maxPool2d(relu, PoolParams.of(2)))))
 * </pre>
 */
public final class FeatureMaps {
    /** For {@link Options#batch()}: the activation holds exactly one image. */
    public static final int ONLY = -1;
    /** For {@link Options#topK()}: every channel, in channel order. */
    public static final int ALL = 0;

    /** Automatic zoom makes a map tile at most this many pixels (and at least its own size). */
    static final int AUTO_MAP_TILE = 96;
    /** Two lines of header text: the stage's label and its shape. */
    static final int HEADER_HEIGHT = 36;
    /** Under a maps stage's header, its colour scale: a bar, then the values at its two ends. */
    private static final int LEGEND_HEIGHT = 32, LEGEND_BAR = 8, LEGEND_MIN_WIDTH = 72;

    private FeatureMaps() {
    }

    /**
     * How to draw maps. Every field has a {@code withX} copy; start from {@link #DEFAULT} or {@link #top(int)}.
     *
     * @param batch       {@link #ONLY} (default: N must be 1), or the batch element to draw
     * @param topK        {@link #ALL} (default), or show only this many channels, highest energy first (fewer if
     *                    there are fewer channels)
     * @param sharedScale true (default): one scale for all the maps of an activation (a path stage), so a dead
     *                    ReLU map is black; false: each map scaled on its own, and a constant map (a dead one
     *                    too) is mid-grey
     * @param scale       how values become colours (default {@link Scale#MIN_MAX}, grey); {@link Scale#SYMMETRIC}
     *                    for the diverging map, zero white
     * @param labels      label each tile with its channel index (default true)
     * @param columns     {@link #draw} only: tiles per row, {@link KernelGrid#AUTO} (default) near-square
     * @param zoom        {@link #draw} only: each value becomes {@code zoom x zoom} pixels; {@link KernelGrid#AUTO}
     *                    (default) the largest that keeps a map within 96 px, at least 1
     * @param rowHeight   {@link #path} only: the target tile height in pixels (default 96). A stage shorter than
     *                    this is enlarged by the whole factor {@code round(rowHeight / H)} (nearest neighbour); a
     *                    taller one is resized (bilinear) to {@code rowHeight}, or to the tallest enlarged stage's
     *                    height if that is more, so that an input is never drawn smaller than its maps
     * @param separator   pixels of {@link #background} between and around tiles (default 2; 0 to 16)
     * @param background  separator, label and header colour (default {@link KernelGrid#NEUTRAL})
     */
    public record Options(int batch, int topK, boolean sharedScale, Scale scale, boolean labels, int columns,
                          int zoom, int rowHeight, int separator, Color background) {

        /** One image, every channel, shared min-max grey scale, labels, automatic sizes, 96 px path rows. */
        public static final Options DEFAULT = new Options(ONLY, ALL, true, Scale.MIN_MAX, true, KernelGrid.AUTO,
                KernelGrid.AUTO, AUTO_MAP_TILE, 2, KernelGrid.NEUTRAL);

        public Options {
            if (batch < ONLY) {
                throw new IllegalArgumentException("FeatureMaps: batch must be at least 0, or ONLY = -1 (batch "
                        + batch + ")");
            }
            if (topK < 0) {
                throw new IllegalArgumentException("FeatureMaps: topK must be at least 1, or ALL = 0 (topK " + topK
                        + ")");
            }
            if (columns < 0 || zoom < 0) {
                throw new IllegalArgumentException("FeatureMaps: columns and zoom must be at least 1, or AUTO = 0"
                        + " (columns " + columns + ", zoom " + zoom + ")");
            }
            if (rowHeight < 8 || rowHeight > 4096) {
                throw new IllegalArgumentException("FeatureMaps: rowHeight must be 8 to 4096 pixels (rowHeight "
                        + rowHeight + ")");
            }
            if (separator < 0 || separator > 16) {
                throw new IllegalArgumentException("FeatureMaps: separator must be 0 to 16 pixels (separator "
                        + separator + ")");
            }
            if (scale == null) {
                scale = Scale.MIN_MAX;
            }
            if (background == null) {
                background = KernelGrid.NEUTRAL;
            }
        }

        /** {@link #DEFAULT} showing the k strongest channels. */
        public static Options top(int k) {
            return DEFAULT.withTopK(k);
        }

        /** Draw batch element {@code batch} of an {@code [N, C, H, W]} activation. */
        public Options withBatch(int batch) {
            if (batch < 0) {
                throw new IllegalArgumentException("FeatureMaps: batch must be at least 0 (batch " + batch + ")");
            }
            return new Options(batch, topK, sharedScale, scale, labels, columns, zoom, rowHeight, separator,
                    background);
        }

        /** Only the k channels with the most energy, strongest first. */
        public Options withTopK(int k) {
            if (k < 1) {
                throw new IllegalArgumentException("FeatureMaps: topK must be at least 1 (topK " + k + ")"
                        + "\nhint: withAllChannels() shows every channel");
            }
            return new Options(batch, k, sharedScale, scale, labels, columns, zoom, rowHeight, separator,
                    background);
        }

        /** Every channel, in channel order. */
        public Options withAllChannels() {
            return new Options(batch, ALL, sharedScale, scale, labels, columns, zoom, rowHeight, separator,
                    background);
        }

        public Options withSharedScale(boolean sharedScale) {
            return new Options(batch, topK, sharedScale, scale, labels, columns, zoom, rowHeight, separator,
                    background);
        }

        public Options withScale(Scale scale) {
            return new Options(batch, topK, sharedScale, scale, labels, columns, zoom, rowHeight, separator,
                    background);
        }

        public Options withLabels(boolean labels) {
            return new Options(batch, topK, sharedScale, scale, labels, columns, zoom, rowHeight, separator,
                    background);
        }

        public Options withColumns(int columns) {
            if (columns < 1) {
                throw new IllegalArgumentException("FeatureMaps: columns must be at least 1 (columns " + columns
                        + ")\nhint: the default chooses near-square columns");
            }
            return new Options(batch, topK, sharedScale, scale, labels, columns, zoom, rowHeight, separator,
                    background);
        }

        public Options withZoom(int zoom) {
            if (zoom < 1) {
                throw new IllegalArgumentException("FeatureMaps: zoom must be at least 1 (zoom " + zoom + ")"
                        + "\nhint: the default chooses a zoom");
            }
            return new Options(batch, topK, sharedScale, scale, labels, columns, zoom, rowHeight, separator,
                    background);
        }

        public Options withRowHeight(int rowHeight) {
            return new Options(batch, topK, sharedScale, scale, labels, columns, zoom, rowHeight, separator,
                    background);
        }

        public Options withSeparator(int separator) {
            return new Options(batch, topK, sharedScale, scale, labels, columns, zoom, rowHeight, separator,
                    background);
        }

        public Options withBackground(Color background) {
            return new Options(batch, topK, sharedScale, scale, labels, columns, zoom, rowHeight, separator,
                    background);
        }

        @Override
        public String toString() {
            return (batch == ONLY ? "" : "batch element " + batch + ", ")
                    + (topK == ALL ? "all channels" : "top " + topK + " channels") + ", "
                    + (sharedScale ? "shared " : "per-map ")
                    + scale.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                    + (labels ? ", labels" : "") + ", row height " + rowHeight + ", separator " + separator;
        }
    }

    /**
     * One row of a {@link #path}: a label and an activation, drawn either as feature maps or, for the input, as
     * one picture.
     *
     * @param picture true: drawn as one image, grey ({@code C = 1}) or colour ({@code C = 3}), with
     *                {@link Scale#FIXED} when its values are in [0, 1] (as {@link Images#toImage(INDArray)});
     *                false: one tile per channel
     */
    public record Stage(String label, INDArray activation, boolean picture) {
        public Stage {
            if (label == null) {
                throw new IllegalArgumentException("FeatureMaps: a stage's label is null");
            }
        }

        /** A stage drawn as feature maps, one tile per channel. */
        public static Stage of(String label, INDArray activation) {
            return new Stage(label, activation, false);
        }

        /**
         * A stage drawn as one picture, grey {@code [1, 1, H, W]} or colour {@code [1, 3, H, W]} (or without the
         * batch axis): the input.
         */
        public static Stage picture(String label, INDArray image) {
            return new Stage(label, image, true);
        }

        /**
         * Stages in the map's order. The first entry is a {@link #picture} when it has 1 or 3 channels (the
         * input image); every other entry is feature maps.
         */
        public static List<Stage> fromMap(LinkedHashMap<String, INDArray> stages) {
            if (stages == null) {
                throw new IllegalArgumentException("FeatureMaps: the stages are null");
            }
            List<Stage> out = new ArrayList<>();
            for (Map.Entry<String, INDArray> e : stages.entrySet()) {
                INDArray x = e.getValue();
                long channels = x == null || x.rank() < 3 || x.rank() > 4 ? 0 : x.size(x.rank() - 3);
                boolean picture = out.isEmpty() && (channels == 1 || channels == 3);
                out.add(new Stage(e.getKey(), x, picture));
            }
            return out;
        }

        @Override
        public String toString() {
            return label + " " + (activation == null ? "null" : KernelGrid.shape(activation.shape()))
                    + (picture ? " (picture)" : "");
        }
    }

    /**
     * Where {@link #path} puts each tile. Rows are stages, top to bottom; every row's tiles sit in cells of the
     * same {@code cellWidth}, so channel {@code j}'s tile is in the same column in every row; a tile is centred
     * in its cell, at the top of its row, with its label under it.
     * <pre>
     * x(row, t) = headerWidth + separator + t·(cellWidth + separator) + (cellWidth − row.tileWidth)/2
     * y(row)    = separator + Σ over the rows above of (height + separator)
     * </pre>
     *
     * @param headerWidth the left margin holding each stage's label and shape
     */
    public record PathLayout(List<Row> rows, int headerWidth, int cellWidth, int separator, int width,
                             int height) {

        /**
         * One stage.
         *
         * @param shape       the stage's activation shape, e.g. {@code [1,8,148,223]}
         * @param channels    the channels shown, left to right (empty for a picture)
         * @param y           the top of the row's tiles
         * @param height      the row's height: its tiles and labels, or its header if taller
         * @param zoom        the whole-number enlargement of the stage's maps, or 0 when they were resized
         * @param labelHeight the strip under the tiles for their labels (0 without labels, or for a picture)
         */
        public record Row(String label, String shape, boolean picture, int[] channels, int y, int height,
                          int tileWidth, int tileHeight, int zoom, int labelHeight) {
            /** The channels shown, left to right (a copy). */
            @Override
            public int[] channels() {
                return channels.clone();
            }

            /** How many tiles the row has: 1 for a picture, else one per channel shown. */
            public int tiles() {
                return picture ? 1 : channels.length;
            }

            @Override
            public String toString() {
                return label + " " + shape + ": " + (picture ? "picture" : "channels " + Arrays.toString(channels))
                        + ", tiles " + tileWidth + "x" + tileHeight + " at y " + y;
            }
        }

        /** The top-left pixel of tile {@code t} of row {@code row}. */
        public Point topLeft(int row, int t) {
            if (row < 0 || row >= rows.size() || t < 0 || t >= rows.get(row).tiles()) {
                throw new IndexOutOfBoundsException("FeatureMaps.path: no tile " + t + " in row " + row + " ("
                        + rows.size() + " rows)");
            }
            Row r = rows.get(row);
            return new Point(headerWidth + separator + t * (cellWidth + separator) + (cellWidth - r.tileWidth()) / 2,
                    r.y());
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder(rows.size() + " rows, image " + width + "x" + height + " px");
            for (Row r : rows) {
                b.append("\n  ").append(r);
            }
            return b.toString();
        }
    }

    // ---------------------------------------------------------------- one activation

    /** {@link #draw(INDArray, Options)} with {@link Options#DEFAULT}. */
    public static BufferedImage draw(INDArray activation) {
        return draw(activation, Options.DEFAULT);
    }

    /**
     * The channels of one activation as a grid of labelled tiles.
     *
     * @param activation {@code [N, C, H, W]}, or {@code [C, H, W]} for one image; not changed
     * @param options    null means {@link Options#DEFAULT}
     * @throws IllegalArgumentException if the activation is null, neither 4-D nor 3-D, or has an empty axis; if
     *                                  N &gt; 1 and
     *                                  no batch element is chosen, or the one chosen is not in 0..N-1; if the
     *                                  picture would exceed 2^26 pixels
     */
    public static BufferedImage draw(INDArray activation, Options options) {
        Options o = options == null ? Options.DEFAULT : options;
        Element e = element("FeatureMaps", "the activation", activation, o);
        int[] channels = choose(e, o);
        KernelGrid.Layout l = layout(e, channels, o);
        BufferedImage image = KernelGrid.canvas(l.width(), l.height(), o.background());
        float[] shared = o.sharedScale() ? Images.range(e.values, o.scale()) : null;
        for (int t = 0; t < channels.length; t++) {
            float[] map = e.map(channels[t]);
            float[] range = o.sharedScale() ? shared : Images.range(map, o.scale());
            Point p = l.topLeft(t);
            KernelGrid.blit(image, colours(map, range, o.scale()), e.h, e.w, l.zoom(), p.x, p.y);
        }
        if (o.labels()) {
            Graphics2D g = KernelGrid.graphics(image);
            for (int t = 0; t < channels.length; t++) {
                KernelGrid.labelUnder(g, "ch " + channels[t], l, t / l.columns(), t % l.columns());
            }
            g.dispose();
        }
        return image;
    }

    /**
     * Where {@link #draw(INDArray, Options)} puts each tile: tile {@code t} shows channel
     * {@code channels(activation, options)[t]}.
     *
     * @throws IllegalArgumentException as {@link #draw(INDArray, Options)}
     */
    public static KernelGrid.Layout layout(INDArray activation, Options options) {
        Options o = options == null ? Options.DEFAULT : options;
        Element e = element("FeatureMaps", "the activation", activation, o);
        return layout(e, choose(e, o), o);
    }

    /**
     * The channels {@link #draw(INDArray, Options)} shows, in order: all of them in channel order, or with
     * {@code topK} the k with the most energy, highest first (ties in channel order).
     *
     * @throws IllegalArgumentException as {@link #draw(INDArray, Options)}
     */
    public static int[] channels(INDArray activation, Options options) {
        Options o = options == null ? Options.DEFAULT : options;
        return choose(element("FeatureMaps", "the activation", activation, o), o);
    }

    /**
     * The k channels of a one-image activation {@code [1, C, H, W]} with the most energy, highest first; k larger
     * than C gives all C, ranked.
     *
     * @throws IllegalArgumentException if k &lt; 1, or as {@link #draw(INDArray, Options)}
     */
    public static int[] topChannels(INDArray activation, int k) {
        return channels(activation, Options.DEFAULT.withTopK(k));
    }

    /**
     * Each channel's energy: the sum of the squares of its finite values, for the batch element the options
     * choose.
     *
     * @throws IllegalArgumentException as {@link #draw(INDArray, Options)}
     */
    public static double[] energies(INDArray activation, Options options) {
        Options o = options == null ? Options.DEFAULT : options;
        return energies(element("FeatureMaps", "the activation", activation, o));
    }

    // ---------------------------------------------------------------- a path through a stack

    /** {@link #path(List, Options)} with {@link Options#DEFAULT}. */
    public static BufferedImage path(List<Stage> stages) {
        return path(stages, Options.DEFAULT);
    }

    /**
     * {@link #path(List, Options)} of {@link Stage#fromMap}: the first entry is the input picture if it has 1 or 3
     * channels.
     */
    public static BufferedImage path(LinkedHashMap<String, INDArray> stages) {
        return path(Stage.fromMap(stages), Options.DEFAULT);
    }

    /**
     * One image's path through a stack: one labelled row per stage, top to bottom, each tile scaled to about
     * {@code rowHeight} pixels tall so small late maps stay legible. With {@code topK}, a stage picks its
     * strongest channels, and a stage with as many channels as the stage right above it shows the same
     * channels in the same order (conv → ReLU → pool), so one map can be followed down its column. Under each
     * maps stage's label is its colour scale: a bar from one end to the other with the two values (with
     * {@code sharedScale} off, a note that each map has its own).
     *
     * @param stages  at least one; each stage's activation {@code [N, C, H, W]} or {@code [C, H, W]} (batch
     *                element chosen by the options)
     * @param options null means {@link Options#DEFAULT}
     * @throws IllegalArgumentException if there are no stages; if a stage's activation is null, neither 4-D nor
     *                                  3-D, has an empty axis, or its batch element cannot be chosen; if a picture
     *                                  stage has
     *                                  neither 1 nor 3 channels; if the picture would exceed 2^26 pixels
     */
    public static BufferedImage path(List<Stage> stages, Options options) {
        Options o = options == null ? Options.DEFAULT : options;
        List<Element> elements = elements(stages, o);
        List<Legend> legends = legends(stages, elements, o);
        PathLayout l = pathLayout(stages, elements, legends, o);
        BufferedImage image = KernelGrid.canvas(l.width(), l.height(), o.background());
        Graphics2D g = KernelGrid.graphics(image);
        for (int r = 0; r < l.rows().size(); r++) {
            PathLayout.Row row = l.rows().get(r);
            Element e = elements.get(r);
            if (row.picture()) {
                INDArray x = e.array;
                if (row.zoom() == 0) {
                    x = Images.resize(x, row.tileHeight(), row.tileWidth());
                }
                BufferedImage picture = Images.toImage(x);
                int[] rgb = picture.getRGB(0, 0, picture.getWidth(), picture.getHeight(), null, 0,
                        picture.getWidth());
                Point p = l.topLeft(r, 0);
                KernelGrid.blit(image, rgb, picture.getHeight(), picture.getWidth(), Math.max(row.zoom(), 1), p.x,
                        p.y);
            } else {
                float[] shared = o.sharedScale() ? Images.range(e.values, o.scale()) : null;
                int h = row.zoom() == 0 ? row.tileHeight() : e.h, w = row.zoom() == 0 ? row.tileWidth() : e.w;
                for (int t = 0; t < row.tiles(); t++) {
                    float[] map = e.map(row.channels()[t]);
                    float[] range = o.sharedScale() ? shared : Images.range(map, o.scale());
                    if (row.zoom() == 0) {
                        INDArray m = Nd4j.create(map, new long[] {1, 1, e.h, e.w}, 'c');
                        map = Images.resize(m, h, w).data().asFloat();
                    }
                    Point p = l.topLeft(r, t);
                    KernelGrid.blit(image, colours(map, range, o.scale()), h, w, Math.max(row.zoom(), 1), p.x, p.y);
                    if (row.labelHeight() > 0) {
                        drawCentred(g, "ch " + row.channels()[t], p.x + row.tileWidth() / 2,
                                p.y + row.tileHeight(), row.labelHeight());
                    }
                }
            }
            header(g, row);
            if (!row.picture()) {
                legend(g, row, legends.get(r), o.scale(), l.headerWidth());
            }
        }
        g.dispose();
        return image;
    }

    /**
     * Where {@link #path(List, Options)} puts each row and tile, and which channels each row shows.
     *
     * @throws IllegalArgumentException as {@link #path(List, Options)}
     */
    public static PathLayout pathLayout(List<Stage> stages, Options options) {
        Options o = options == null ? Options.DEFAULT : options;
        List<Element> elements = elements(stages, o);
        return pathLayout(stages, elements, legends(stages, elements, o), o);
    }

    // ---------------------------------------------------------------- internals

    /** One validated batch element: {@code [C, H, W]} values, plus the 4-D array it came from. */
    private record Element(String shape, int c, int h, int w, float[] values, INDArray array) {
        float[] map(int channel) {
            return Arrays.copyOfRange(values, channel * h * w, (channel + 1) * h * w);
        }
    }

    private static Element element(String op, String name, INDArray x, Options o) {
        if (x == null) {
            throw new IllegalArgumentException(op + ": " + name + " is null");
        }
        String shape = KernelGrid.shape(x.shape());
        if (x.rank() != 4 && x.rank() != 3) {
            throw new IllegalArgumentException(op + ": " + name + " must be 4-D [N, C, H, W] or 3-D [C, H, W] (one"
                    + " image, as the ops take it) but is " + x.rank() + "-D (" + shape + ")");
        }
        if (x.length() == 0) {
            throw new IllegalArgumentException(op + ": " + name + " has an empty axis (" + shape + ")");
        }
        if (x.rank() == 3) {
            x = x.reshape('c', 1, x.size(0), x.size(1), x.size(2));    // a new view or copy: x itself is unchanged
        }
        long n = x.size(0);
        if (o.batch() == ONLY && n != 1) {
            throw new IllegalArgumentException(op + ": " + name + " is a batch of " + n + " but a picture shows one"
                    + " (" + shape + ")\nhint: choose one with Options.DEFAULT.withBatch(0)");
        }
        if (o.batch() >= n) {
            throw new IllegalArgumentException(op + ": batch element " + o.batch() + " is out of range 0.."
                    + (n - 1) + " for " + name + " (" + shape + ")");
        }
        int b = Math.max(o.batch(), 0);
        INDArray one = x.get(NDArrayIndex.interval(b, b + 1), NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.all()).castTo(DataType.FLOAT).dup('c');
        return new Element(shape, Math.toIntExact(x.size(1)), Math.toIntExact(x.size(2)),
                Math.toIntExact(x.size(3)), one.data().asFloat(), one);
    }

    private static List<Element> elements(List<Stage> stages, Options o) {
        if (stages == null || stages.isEmpty()) {
            throw new IllegalArgumentException("FeatureMaps.path: there are no stages (" + stages + ")"
                    + "\nhint: give at least one, e.g. List.of(Stage.picture(\"input\", x), Stage.of(\"conv\", y))");
        }
        List<Element> out = new ArrayList<>();
        for (Stage s : stages) {
            if (s == null) {
                throw new IllegalArgumentException("FeatureMaps.path: stage " + out.size() + " is null");
            }
            Element e = element("FeatureMaps.path", "stage '" + s.label() + "'", s.activation(), o);
            if (s.picture() && e.c != 1 && e.c != 3) {
                throw new IllegalArgumentException("FeatureMaps.path: stage '" + s.label() + "' is a picture but"
                        + " has " + e.c + " channels, neither grey (1) nor RGB (3) (" + e.shape + ")"
                        + "\nhint: draw it as maps with Stage.of(\"" + s.label() + "\", x)");
            }
            out.add(e);
        }
        return out;
    }

    private static double[] energies(Element e) {
        double[] energy = new double[e.c];
        int plane = e.h * e.w;
        for (int c = 0; c < e.c; c++) {
            double sum = 0;
            for (int i = c * plane; i < (c + 1) * plane; i++) {
                float v = e.values[i];
                if (Float.isFinite(v)) {
                    sum += (double) v * v;
                }
            }
            energy[c] = sum;
        }
        return energy;
    }

    private static int[] choose(Element e, Options o) {
        if (o.topK() == ALL) {
            int[] all = new int[e.c];
            Arrays.setAll(all, i -> i);
            return all;
        }
        double[] energy = energies(e);
        return java.util.stream.IntStream.range(0, e.c).boxed()
                .sorted((a, b) -> Double.compare(energy[b], energy[a]))
                .limit(Math.min(o.topK(), e.c)).mapToInt(Integer::intValue).toArray();
    }

    private static KernelGrid.Layout layout(Element e, int[] channels, Options o) {
        int zoom = o.zoom() == KernelGrid.AUTO ? Math.max(1, AUTO_MAP_TILE / Math.max(e.h, e.w)) : o.zoom();
        int columns = o.columns() == KernelGrid.AUTO ? KernelGrid.nearSquareColumns(channels.length)
                : Math.min(o.columns(), channels.length);
        List<String> labels = null;
        if (o.labels()) {
            labels = new ArrayList<>();
            for (int c : channels) {
                labels.add("ch " + c);
            }
        }
        return KernelGrid.grid("FeatureMaps", e.shape, KernelGrid.Mode.PLANE, channels.length,
                (channels.length + columns - 1) / columns, columns, (long) e.w * zoom, (long) e.h * zoom, zoom,
                o.separator(), labels, null);
    }

    private static PathLayout pathLayout(List<Stage> stages, List<Element> elements, List<Legend> legends,
                                         Options o) {
        FontMetrics plain = KernelGrid.metrics(KernelGrid.FONT), bold = KernelGrid.metrics(KernelGrid.BOLD);
        int headerWidth = 0, cellWidth = 1, maxTiles = 1;
        int resizedHeight = o.rowHeight();   // a stage taller than rowHeight: as tall as the tallest enlarged one
        for (Element e : elements) {
            if (e.h <= o.rowHeight()) {
                int zoom = Math.max(1, (int) Math.round((double) o.rowHeight() / e.h));
                resizedHeight = Math.max(resizedHeight, e.h * zoom);
            }
        }
        int[][] chosen = new int[stages.size()][];
        int[][] sizes = new int[stages.size()][];
        for (int r = 0; r < stages.size(); r++) {
            Stage s = stages.get(r);
            Element e = elements.get(r);
            headerWidth = Math.max(headerWidth, Math.max(bold.stringWidth(s.label()), plain.stringWidth(e.shape))
                    + 16);
            if (!s.picture()) {
                headerWidth = Math.max(headerWidth, legendWidth(legends.get(r), plain) + 16);
            }
            if (s.picture()) {
                chosen[r] = new int[0];
            } else if (r > 0 && !stages.get(r - 1).picture() && elements.get(r - 1).c == e.c) {
                chosen[r] = chosen[r - 1];
            } else {
                chosen[r] = choose(e, o);
            }
            int zoom, th, tw;
            if (e.h <= o.rowHeight()) {
                zoom = Math.max(1, (int) Math.round((double) o.rowHeight() / e.h));
                th = e.h * zoom;
                tw = e.w * zoom;
            } else {
                zoom = 0;
                th = Math.min(resizedHeight, e.h);
                tw = Math.max(1, (int) Math.round((double) e.w * th / e.h));
            }
            sizes[r] = new int[] {zoom, th, tw};
            cellWidth = Math.max(cellWidth, tw);
            if (o.labels() && !s.picture()) {
                for (int c : chosen[r]) {
                    cellWidth = Math.max(cellWidth, plain.stringWidth("ch " + c) + 4);
                }
            }
            maxTiles = Math.max(maxTiles, s.picture() ? 1 : chosen[r].length);
        }
        List<PathLayout.Row> rows = new ArrayList<>();
        long y = o.separator();
        for (int r = 0; r < stages.size(); r++) {
            Stage s = stages.get(r);
            int labelHeight = o.labels() && !s.picture() ? KernelGrid.LABEL_HEIGHT : 0;
            int height = Math.max(sizes[r][1] + labelHeight, HEADER_HEIGHT + (s.picture() ? 0 : LEGEND_HEIGHT));
            rows.add(new PathLayout.Row(s.label(), elements.get(r).shape, s.picture(), chosen[r].clone(),
                    Math.toIntExact(Math.min(y, Integer.MAX_VALUE)), height, sizes[r][2], sizes[r][1],
                    sizes[r][0], labelHeight));
            y += height + o.separator();
        }
        long width = headerWidth + o.separator() + (long) maxTiles * (cellWidth + o.separator());
        KernelGrid.checkSize("FeatureMaps.path", stages.size() + " stages, up to " + maxTiles + " tiles a row",
                width, y, "fewer channels, e.g. Options.top(8), or a smaller rowHeight");
        return new PathLayout(List.copyOf(rows), headerWidth, cellWidth, o.separator(), (int) width, (int) y);
    }

    private static int[] colours(float[] map, float[] range, Scale scale) {
        int[] rgb = new int[map.length];
        for (int i = 0; i < map.length; i++) {
            rgb[i] = Images.colour(map[i], range, scale);
        }
        return rgb;
    }

    private static void drawCentred(Graphics2D g, String text, int centreX, int top, int height) {
        g.setFont(KernelGrid.FONT);
        g.setColor(KernelGrid.TEXT);
        FontMetrics fm = g.getFontMetrics();
        g.drawString(text, centreX - fm.stringWidth(text) / 2, top + (height + fm.getAscent() - fm.getDescent()) / 2);
    }

    /**
     * A maps stage's colour scale as its legend shows it: the two ends its tiles use, and their texts. The ends are
     * the smallest and largest value under min-max, 0 and 1 fixed, -m and m on the diverging scales (m the largest
     * |value|, or its 99th percentile when clipped); an end beyond which clipping paints some values its colour reads
     * "≤ -m" or "≥ m". NaN ends when no value is finite.
     */
    record Legend(float lo, float hi, String low, String high) {
        static final Legend NO_FINITE = new Legend(Float.NaN, Float.NaN, "no finite values", "");

        boolean finite() {
            return !Float.isNaN(lo);
        }
    }

    /** Each stage's legend, worked out once for the layout and the drawing: null for a picture or own scales. */
    private static List<Legend> legends(List<Stage> stages, List<Element> elements, Options o) {
        List<Legend> legends = new ArrayList<>();
        for (int r = 0; r < stages.size(); r++) {
            legends.add(stages.get(r).picture() ? null : legend(elements.get(r).values, o));
        }
        return legends;
    }

    /** The {@link Legend} of a maps stage holding {@code values}; null when each map has a scale of its own. */
    static Legend legend(float[] values, Options o) {
        if (!o.sharedScale()) {
            return null;
        }
        boolean finite = false;
        for (float v : values) {
            finite |= Float.isFinite(v);
        }
        if (!finite) {
            return Legend.NO_FINITE;
        }
        float[] range = Images.range(values, o.scale());
        return switch (o.scale()) {
            case MIN_MAX -> new Legend(range[0], range[1], legendValue(range[0]), legendValue(range[1]));
            case FIXED -> new Legend(0, 1, "0", "1");
            case SYMMETRIC -> new Legend(-range[2], range[2], legendValue(-range[2]), legendValue(range[2]));
            case SYMMETRIC_CLIPPED -> new Legend(-range[2], range[2],
                    (range[0] < -range[2] ? AT_MOST : "") + legendValue(-range[2]),
                    (range[1] > range[2] ? AT_LEAST : "") + legendValue(range[2]));
        };
    }

    /** A scale's end as the legend writes it: 3 significant digits, no trailing zeros, '-' for a negative. */
    static String legendValue(float v) {
        String s = String.format(java.util.Locale.ROOT, "%.3g", v);
        // 0.500 → 0.5, 1.00e+03 → 1e+03
        s = s.replaceAll("(\\.\\d*?)0+(e|$)", "$1$2").replaceAll("\\.(e|$)", "$1");
        return s.equals("-0") ? "0" : s;
    }

    private static final String OWN_SCALES = "each map scaled alone";
    /** "≤ " and "≥ ", or "<= " and ">= " where the system's fonts lack the signs. */
    static final String AT_MOST = KernelGrid.FONT.canDisplay('≤') ? "≤ " : "<= ",
            AT_LEAST = KernelGrid.FONT.canDisplay('≥') ? "≥ " : ">= ";

    private static int legendWidth(Legend legend, FontMetrics plain) {
        return legend == null ? plain.stringWidth(OWN_SCALES) : !legend.finite() ? plain.stringWidth(legend.low())
                : Math.max(LEGEND_MIN_WIDTH, plain.stringWidth(legend.low()) + plain.stringWidth(legend.high()) + 12);
    }

    /** Under the header: the colour bar from one end of the stage's scale to the other, each end's value under it. */
    private static void legend(Graphics2D g, PathLayout.Row row, Legend legend, Scale scale, int headerWidth) {
        g.setFont(KernelGrid.FONT);
        g.setColor(KernelGrid.DIM_TEXT);
        int top = row.y() + HEADER_HEIGHT + 4, ascent = g.getFontMetrics().getAscent();
        if (legend == null || !legend.finite()) {
            g.drawString(legend == null ? OWN_SCALES : legend.low(), 8, top + ascent);
            return;
        }
        int width = headerWidth - 16;
        float[] range = {legend.lo(), legend.hi(), Math.max(Math.abs(legend.lo()), Math.abs(legend.hi()))};
        for (int i = 0; i < width; i++) {        // in double: ends near float's largest would overflow
            float v = (float) (legend.lo() + ((double) legend.hi() - legend.lo()) * i / Math.max(1, width - 1));
            g.setColor(new Color(Images.colour(v, range, scale)));
            g.drawLine(8 + i, top, 8 + i, top + LEGEND_BAR - 1);
        }
        g.setColor(KernelGrid.DIM_TEXT);
        int baseline = top + LEGEND_BAR + 2 + ascent;
        g.drawString(legend.low(), 8, baseline);
        g.drawString(legend.high(), 8 + width - g.getFontMetrics().stringWidth(legend.high()), baseline);
    }

    /** The stage's label (bold) over its shape, in the left margin. */
    private static void header(Graphics2D g, PathLayout.Row row) {
        g.setFont(KernelGrid.BOLD);
        g.setColor(KernelGrid.TEXT);
        int ascent = g.getFontMetrics().getAscent();
        g.drawString(row.label(), 8, row.y() + ascent + 2);
        g.setFont(KernelGrid.FONT);
        g.setColor(KernelGrid.DIM_TEXT);
        g.drawString(row.shape(), 8, row.y() + ascent + 4 + g.getFontMetrics().getAscent() + 2);
    }
}
