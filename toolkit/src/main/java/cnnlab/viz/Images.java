package cnnlab.viz;

import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Photos in and out: PNG or JPEG to an INDArray {@code [1, 3, H, W]} (or grey {@code [1, 1, H, W]}) with values in
 * [0, 1], and any plane back to a picture.
 * <pre>
 * jshell&gt; var photo = Images.sample("astronaut");          // [1, 3, 512, 512]
 * jshell&gt; var grey = Images.sampleGrey("camera");          // [1, 1, 512, 512]
 * jshell&gt; Images.toImage(Cnn.conv2d(grey, Kernels.sobelX(), null, ConvParams.same()), Scale.SYMMETRIC)
 * </pre>
 */
public final class Images {
    private Images() {
    }

    // ---------------------------------------------------------------- in

    /**
     * Reads a PNG or JPEG as RGB {@code [1, 3, H, W]} in [0, 1] (a grey file gives three equal channels).
     *
     * @throws IllegalArgumentException if the file is missing or not an image
     */
    public static INDArray load(String path) {
        return fromImage(read(Path.of(notNull("load", "path", path))), false);
    }

    /** {@link #load(String)} of a {@code Path}, as {@code Npy.load} takes one. */
    public static INDArray load(Path path) {
        return fromImage(read(notNull("load", "path", path)), false);
    }

    /** Reads a PNG or JPEG as grey {@code [1, 1, H, W]} in [0, 1], luminance {@code 0.299R + 0.587G + 0.114B}. */
    public static INDArray loadGrey(String path) {
        return fromImage(read(Path.of(notNull("loadGrey", "path", path))), true);
    }

    /** {@link #loadGrey(String)} of a {@code Path}. */
    public static INDArray loadGrey(Path path) {
        return fromImage(read(notNull("loadGrey", "path", path)), true);
    }

    /**
     * One of the CC0 sample photos in {@code datasets/images/} by name: astronaut, brick, camera, chelsea, coffee,
     * rocket. Found by looking upwards from the working directory (so it works from {@code notebooks/}), or under
     * the folder the {@code CNNLAB_HOME} environment variable names.
     *
     * @throws IllegalArgumentException naming the available photos if there is none by that name
     */
    public static INDArray sample(String name) {
        return fromImage(read(samplePath(name)), false);
    }

    /** {@link #sample(String)} as grey {@code [1, 1, H, W]}. */
    public static INDArray sampleGrey(String name) {
        return fromImage(read(samplePath(name)), true);
    }

    /** The sample photos' names. */
    public static List<String> samples() {
        try (Stream<Path> files = Files.list(samplesFolder())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("(?i).*\\.(png|jpe?g)"))
                    .map(n -> n.substring(0, n.lastIndexOf('.'))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path samplesFolder() {
        String home = System.getenv("CNNLAB_HOME");
        if (home != null && Files.isDirectory(Path.of(home, "datasets", "images"))) {
            return Path.of(home, "datasets", "images");
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("datasets").resolve("images");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("Images.sample: no datasets/images folder above "
                + Path.of("").toAbsolutePath() + "\nhint: run from inside the cnnlab folder, or set CNNLAB_HOME to it");
    }

    private static Path samplePath(String name) {
        Path folder = samplesFolder();
        for (String ext : new String[] {".png", ".jpg", ".jpeg"}) {
            Path p = folder.resolve(name + ext);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IllegalArgumentException("Images.sample: there is no photo named '" + name + "'; the samples are "
                + samples());
    }

    private static BufferedImage read(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("Images: no file " + path.toAbsolutePath());
        }
        try {
            BufferedImage image = ImageIO.read(path.toFile());
            if (image == null) {
                throw new IllegalArgumentException("Images: " + path + " is not a PNG or JPEG image");
            }
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException("Images: cannot read " + path, e);
        }
    }

    /**
     * A picture's pixels as {@code [1, 3, H, W]} (or grey {@code [1, 1, H, W]}) in [0, 1], read from the raster's
     * samples so that grey files are not gamma-shifted. Each band is scaled by its own bit depth (5-6-5 bit
     * colour has 32 reds and 64 greens); pictures in other colour spaces, with a palette or premultiplied alpha are
     * read as the sRGB colours Java gives them.
     */
    public static INDArray fromImage(BufferedImage image, boolean grey) {
        notNull("fromImage", "image", image);
        int h = image.getHeight(), w = image.getWidth();
        if ((long) h * w > MAX_PIXELS) {
            throw new IllegalArgumentException("Images.fromImage: the picture is " + w + "x" + h + " pixels, more"
                    + " than " + MAX_PIXELS + "\nhint: scale it down before reading it");
        }
        float[] r = new float[h * w], g = new float[h * w], b = new float[h * w];
        Raster raster = image.getRaster();
        ColorModel model = image.getColorModel();
        int bands = raster.getNumBands();
        int space = model.getColorSpace().getType();
        boolean samples = !(model instanceof IndexColorModel) && !model.isAlphaPremultiplied()
                && (space == ColorSpace.TYPE_GRAY && bands <= 2 || model.getColorSpace().isCS_sRGB() && bands >= 3);
        float[] max = new float[Math.min(bands, 3)];
        for (int band = 0; band < max.length; band++) {
            max[band] = (float) ((1L << model.getComponentSize(band)) - 1);
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                if (!samples) {
                    int rgb = image.getRGB(x, y);
                    r[i] = ((rgb >> 16) & 255) / 255f;
                    g[i] = ((rgb >> 8) & 255) / 255f;
                    b[i] = (rgb & 255) / 255f;
                } else if (bands < 3) {
                    r[i] = g[i] = b[i] = raster.getSample(x, y, 0) / max[0];
                } else {
                    r[i] = raster.getSample(x, y, 0) / max[0];
                    g[i] = raster.getSample(x, y, 1) / max[1];
                    b[i] = raster.getSample(x, y, 2) / max[2];
                }
            }
        }
        if (grey) {
            float[] l = new float[h * w];
            for (int i = 0; i < l.length; i++) {
                l[i] = 0.299f * r[i] + 0.587f * g[i] + 0.114f * b[i];
            }
            return Nd4j.create(l, new long[] {1, 1, h, w}, 'c');
        }
        float[] rgb = new float[3 * h * w];
        System.arraycopy(r, 0, rgb, 0, r.length);
        System.arraycopy(g, 0, rgb, r.length, g.length);
        System.arraycopy(b, 0, rgb, 2 * r.length, b.length);
        return Nd4j.create(rgb, new long[] {1, 3, h, w}, 'c');
    }

    // ---------------------------------------------------------------- geometry

    /**
     * Resizes {@code [N, C, H, W]} to {@code height x width} by bilinear interpolation (pixel centres aligned,
     * as PyTorch's {@code align_corners=False}).
     */
    public static INDArray resize(INDArray x, int height, int width) {
        requireRank4("resize", x);
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("Images.resize: size must be positive but is " + height + "x" + width);
        }
        if (x.size(2) < 1 || x.size(3) < 1) {
            throw new IllegalArgumentException("Images.resize: the images are empty " + Arrays.toString(x.shape()));
        }
        if ((double) x.size(0) * x.size(1) * height * width > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("Images.resize: " + Arrays.toString(x.shape()) + " at " + height + "x"
                    + width + " would hold more values than one array can (" + (Integer.MAX_VALUE - 8) + ")");
        }
        int n = (int) x.size(0), c = (int) x.size(1), h = (int) x.size(2), w = (int) x.size(3);
        float[] in = x.castTo(DataType.FLOAT).dup('c').data().asFloat(), out = new float[n * c * height * width];
        for (int plane = 0; plane < n * c; plane++) {
            for (int oy = 0; oy < height; oy++) {
                double sy = Math.max(0, (oy + 0.5) * h / height - 0.5);
                int y0 = Math.min((int) sy, h - 1), y1 = Math.min(y0 + 1, h - 1);
                double fy = sy - y0;
                for (int ox = 0; ox < width; ox++) {
                    double sx = Math.max(0, (ox + 0.5) * w / width - 0.5);
                    int x0 = Math.min((int) sx, w - 1), x1 = Math.min(x0 + 1, w - 1);
                    double fx = sx - x0;
                    int base = plane * h * w;
                    double top = in[base + y0 * w + x0] * (1 - fx) + in[base + y0 * w + x1] * fx;
                    double bottom = in[base + y1 * w + x0] * (1 - fx) + in[base + y1 * w + x1] * fx;
                    out[(plane * height + oy) * width + ox] = (float) (top * (1 - fy) + bottom * fy);
                }
            }
        }
        return Nd4j.create(out, new long[] {n, c, height, width}, 'c');
    }

    /** The largest centred square of {@code [N, C, H, W]}. */
    public static INDArray centreCrop(INDArray x) {
        requireRank4("centreCrop", x);
        long h = x.size(2), w = x.size(3), side = Math.min(h, w);
        long top = (h - side) / 2, left = (w - side) / 2;
        return x.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(top, top + side),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(left, left + side)).dup('c');
    }

    /** The most pixels {@link #enlarge} makes (a 8192 x 8192 picture, 256 MB). */
    public static final long MAX_PIXELS = 1L << 26;

    private static <T> T notNull(String op, String what, T value) {
        if (value == null) {
            throw new IllegalArgumentException("Images." + op + ": the " + what + " is null");
        }
        return value;
    }

    private static void requireRank4(String op, INDArray x) {
        if (x == null || x.rank() != 4) {
            throw new IllegalArgumentException("Images." + op + ": expected [N, C, H, W] but got "
                    + (x == null ? "null" : Arrays.toString(x.shape())));
        }
    }

    // ---------------------------------------------------------------- out

    /**
     * One plane or colour image as a picture: {@code [H, W]}, {@code [C, H, W]} or {@code [1, C, H, W]} with
     * C = 1 (grey, or the diverging map with {@link Scale#SYMMETRIC} or {@link Scale#SYMMETRIC_CLIPPED}) or C = 3
     * (RGB).
     *
     * @throws IllegalArgumentException for any other shape, saying how to pick a channel
     */
    public static BufferedImage toImage(INDArray x, Scale scale) {
        if (x == null) {
            throw new IllegalArgumentException("Images.toImage: the array is null");
        }
        if (scale == null) {
            throw new IllegalArgumentException("Images.toImage: scale is null (use Scale.MIN_MAX, SYMMETRIC,"
                    + " SYMMETRIC_CLIPPED or FIXED)");
        }
        if (x.rank() >= 2 && (x.size(-1) < 1 || x.size(-2) < 1)) {
            throw new IllegalArgumentException("Images.toImage: the image is empty " + Arrays.toString(x.shape()));
        }
        long[] s = x.shape();
        INDArray chw = switch (x.rank()) {
            case 2 -> x.reshape(1, s[0], s[1]);
            case 3 -> x;
            case 4 -> {
                if (s[0] != 1) {
                    throw new IllegalArgumentException("Images.toImage: a batch of " + s[0] + " images "
                            + Arrays.toString(s) + "\nhint: pick one, e.g. x.slice(0)");
                }
                yield x.reshape(s[1], s[2], s[3]);
            }
            default -> throw new IllegalArgumentException("Images.toImage: expected [H, W], [C, H, W] or [1, C, H, W]"
                    + " but got " + Arrays.toString(s));
        };
        int c = (int) chw.size(0), h = (int) chw.size(1), w = (int) chw.size(2);
        if (c != 1 && c != 3) {
            throw new IllegalArgumentException("Images.toImage: " + c + " channels " + Arrays.toString(s)
                    + " is neither grey nor RGB\nhint: show one channel k, e.g. "
                    + (s.length == 4 ? "x.slice(0).slice(k)" : "x.slice(k)") + ", or all of them with "
                    + (s.length == 4 ? "FeatureMaps.draw(x)"
                            : "FeatureMaps.draw(x.reshape(1, " + c + ", " + h + ", " + w + "))"));
        }
        float[] v = chw.castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[] range = range(v, scale);
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int xx = 0; xx < w; xx++) {
                int i = y * w + xx;
                int rgb;
                if (c == 1) {
                    rgb = colour(v[i], range, scale);
                } else {
                    rgb = rgb(v[i], v[i + h * w], v[i + 2 * h * w], range, scale);
                }
                image.setRGB(xx, y, rgb);
            }
        }
        return image;
    }

    /** {@link #toImage(INDArray, Scale)} with {@link Scale#FIXED} when every value is in [0, 1], else min-max. */
    public static BufferedImage toImage(INDArray x) {
        if (x == null) {
            return toImage(null, Scale.MIN_MAX);   // its error: the image is null
        }
        float[] r = range(x.castTo(DataType.FLOAT).dup('c').data().asFloat());
        return toImage(x, r[0] >= 0 && r[1] <= 1 ? Scale.FIXED : Scale.MIN_MAX);
    }

    /**
     * One value of a single-channel plane as a pixel: grey by {@link #level}, or on the diverging map under
     * {@link Scale#SYMMETRIC}; {@link ColorMaps#NAN} for NaN. Every picture of a plane (Images, KernelGrid,
     * FeatureMaps) colours its values here.
     */
    static int colour(float v, float[] range, Scale scale) {
        if (Float.isNaN(v)) {
            return ColorMaps.NAN;
        }
        if (scale.diverging()) {
            return ColorMaps.diverging(range[2] == 0 ? 0 : v / range[2]);
        }
        int g = level(v, range, scale);
        return g << 16 | g << 8 | g;
    }

    /** One colour pixel; {@link ColorMaps#NAN} if any of its channels is NaN. */
    static int rgb(float r, float g, float b, float[] range, Scale scale) {
        if (Float.isNaN(r) || Float.isNaN(g) || Float.isNaN(b)) {
            return ColorMaps.NAN;
        }
        return level(r, range, scale) << 16 | level(g, range, scale) << 8 | level(b, range, scale);
    }

    /** {min, max, max |v|} over the finite values. */
    static float[] range(float[] v) {
        float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
        for (float f : v) {
            if (Float.isFinite(f)) {
                min = Math.min(min, f);
                max = Math.max(max, f);
            }
        }
        if (min > max) {
            min = max = 0;
        }
        return new float[] {min, max, Math.max(Math.abs(min), Math.abs(max))};
    }

    /** The percentile of |v| that {@link Scale#SYMMETRIC_CLIPPED} shows in full colour. */
    static final double CLIP_PERCENTILE = 99;

    /**
     * {@link #range(float[])} as {@code scale} uses it: under {@link Scale#SYMMETRIC_CLIPPED} the third value is the
     * {@value #CLIP_PERCENTILE}th percentile of the finite |v| (nearest rank), or the largest if that is 0.
     */
    static float[] range(float[] v, Scale scale) {
        float[] range = range(v);
        if (scale == Scale.SYMMETRIC_CLIPPED) {
            float[] magnitudes = new float[v.length];
            int n = 0;
            for (float f : v) {
                if (Float.isFinite(f)) {
                    magnitudes[n++] = Math.abs(f);
                }
            }
            if (n > 0) {
                Arrays.sort(magnitudes, 0, n);
                float clip = magnitudes[(int) Math.ceil(CLIP_PERCENTILE / 100 * n) - 1];
                range[2] = clip > 0 ? clip : range[2];
            }
        }
        return range;
    }

    /** 0..255 for one value; a constant plane under min-max is mid-grey, never a division by zero. */
    static int level(float v, float[] range, Scale scale) {
        return (int) Math.round(unit(v, range, scale) * 255);
    }

    /** {@link #level} before rounding: one value in [0, 1]; 0.5 for a constant plane (min-max) or zero (symmetric). */
    static double unit(float v, float[] range, Scale scale) {
        double t = switch (scale) {
            case FIXED -> v;
            // in double: the span of values near float's largest overflows a float
            case MIN_MAX -> range[1] > range[0] ? ((double) v - range[0]) / ((double) range[1] - range[0]) : 0.5;
            case SYMMETRIC, SYMMETRIC_CLIPPED -> range[2] > 0 ? 0.5 + 0.5 * v / range[2] : 0.5;
        };
        if (Double.isNaN(t)) {
            t = 0;
        }
        return Math.max(0, Math.min(1, t));
    }

    /** Each pixel as a {@code factor x factor} block (nearest neighbour), for looking at small arrays. */
    public static BufferedImage enlarge(BufferedImage image, int factor) {
        notNull("enlarge", "image", image);
        if (factor < 1) {
            throw new IllegalArgumentException("Images.enlarge: factor must be at least 1 but is " + factor);
        }
        if ((double) image.getWidth() * factor * image.getHeight() * factor > MAX_PIXELS) {
            throw new IllegalArgumentException("Images.enlarge: " + image.getWidth() + "x" + image.getHeight()
                    + " enlarged " + factor + " times would be " + (long) image.getWidth() * factor + "x"
                    + (long) image.getHeight() * factor + " pixels, more than " + MAX_PIXELS);
        }
        BufferedImage out = new BufferedImage(image.getWidth() * factor, image.getHeight() * factor,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.drawImage(image, 0, 0, out.getWidth(), out.getHeight(), null);
        g.dispose();
        return out;
    }

    /**
     * Writes the image in the format its file name ends in ({@code .png}, {@code .jpg}/{@code .jpeg}, {@code .bmp},
     * {@code .gif}), creating the folder if needed.
     *
     * @throws IllegalArgumentException if the image or path is null, or the name ends in another format
     */
    public static void save(BufferedImage image, Path path) {
        save(image, path == null ? null : path.toString());
    }

    /** {@link #save(BufferedImage, Path)} to the file named {@code path}. */
    public static void save(BufferedImage image, String path) {
        if (image == null || path == null) {
            throw new IllegalArgumentException("Images.save: the " + (image == null ? "image" : "path") + " is null");
        }
        String name = path.toLowerCase(java.util.Locale.ROOT);
        String format = name.endsWith(".png") ? "png" : name.endsWith(".jpg") || name.endsWith(".jpeg") ? "jpg"
                : name.endsWith(".bmp") ? "bmp" : name.endsWith(".gif") ? "gif" : null;
        if (format == null) {
            throw new IllegalArgumentException("Images.save: " + path + " does not end in .png, .jpg, .jpeg, .bmp or"
                    + " .gif\nhint: e.g. Images.save(image, \"picture.png\")");
        }
        try {
            File file = new File(path);
            if (file.getAbsoluteFile().getParentFile() != null) {
                Files.createDirectories(file.getAbsoluteFile().getParentFile().toPath());
            }
            BufferedImage written = image;
            if (!format.equals("png") && image.getColorModel().hasAlpha()) {     // JPEG and BMP take no alpha
                written = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
                written.createGraphics().drawImage(image, 0, 0, java.awt.Color.WHITE, null);
            }
            if (!ImageIO.write(written, format, file)) {
                throw new IllegalArgumentException("Images.save: this Java has no writer for " + format + " images"
                        + " (" + path + ")\nhint: save it as .png");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Images.save: cannot write " + path, e);
        }
    }
}
