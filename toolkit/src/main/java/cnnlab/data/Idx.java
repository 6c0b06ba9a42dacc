package cnnlab.data;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The IDX format of the original MNIST files, read and written; a name ending in {@code .gz} is gzipped.
 * <ul>
 *   <li>images: magic {@code 0x00000803} (unsigned bytes, 3 dimensions), then N, rows, cols as big-endian
 *       ints, then N·rows·cols pixels 0..255, row by row;</li>
 *   <li>labels: magic {@code 0x00000801} (unsigned bytes, 1 dimension), then N, then N labels.</li>
 * </ul>
 * <pre>
 * jshell&gt; var images = Idx.readImages(Path.of("datasets/mnist-subset-images-idx3-ubyte.gz"))
 * images ==&gt; 1000 images 28x28 (784,000 bytes)
 * jshell&gt; Idx.readLabels(Path.of("datasets/mnist-subset-labels-idx1-ubyte.gz")).length
 * $2 ==&gt; 1000
 * </pre>
 */
public final class Idx {
    /** Magic number of an IDX file of unsigned-byte images (3 dimensions). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an IDX file of unsigned-byte labels (1 dimension). */
    public static final int LABELS_MAGIC = 0x00000801;

    private static final int BUFFER = 1 << 16;

    private Idx() {
    }

    /**
     * Images as IDX holds them: {@code count} images of {@code rows x cols} unsigned bytes, image after image,
     * row by row (so pixel (y, x) of image i is {@code pixels[(i * rows + y) * cols + x] & 0xff}).
     */
    public record Images(byte[] pixels, int count, int rows, int cols) {
        /**
         * @throws IllegalArgumentException if a size is not positive (count may be 0) or the pixel array's length
         *                                  is not count·rows·cols
         */
        public Images {
            if (count < 0 || rows < 1 || cols < 1) {
                throw new IllegalArgumentException("Idx.Images: sizes must be positive (count " + count + ", rows "
                        + rows + ", cols " + cols + ")");
            }
            if (pixels == null || pixels.length != (long) count * rows * cols) {
                throw new IllegalArgumentException("Idx.Images: " + count + " images of " + rows + "x" + cols
                        + " need " + (long) count * rows * cols + " bytes but there are "
                        + (pixels == null ? "none" : pixels.length));
            }
        }

        /** Bytes per image, rows·cols. */
        public int imageSize() {
            return rows * cols;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%,d images %dx%d (%,d bytes)", count, rows, cols, pixels.length);
        }
    }

    /**
     * Reads an IDX image file ({@code .gz} or not).
     *
     * @throws DataUnavailableException if the file is missing, is not an IDX image file, or is cut short
     */
    public static Images readImages(Path path) {
        return readImages(path, (count, rows, cols, in) -> {
            byte[] pixels = new byte[count * rows * cols];
            in.readFully(pixels);
            return new Images(pixels, count, rows, cols);
        });
    }

    /** Reads the pixels of an IDX image file whose header {@link #readImages(Path, PixelReader)} has read. */
    interface PixelReader<T> {
        /** {@code in} is at the first pixel; count·rows·cols bytes follow. */
        T read(int count, int rows, int cols, DataInputStream in) throws IOException;
    }

    /** Checks an IDX image file's header, then lets {@code reader} read its pixels, with this class's errors. */
    static <T> T readImages(Path path, PixelReader<T> reader) {
        try (DataInputStream in = open(path)) {
            int magic = in.readInt();
            if (magic != IMAGES_MAGIC) {
                throw notIdx(path, magic, IMAGES_MAGIC);
            }
            int count = in.readInt(), rows = in.readInt(), cols = in.readInt();
            if (count < 0 || rows < 1 || cols < 1 || (long) count * rows * cols > Integer.MAX_VALUE - 8) {
                throw new DataUnavailableException("Idx.readImages: " + path + " has impossible sizes " + count
                        + " x " + rows + " x " + cols);
            }
            return reader.read(count, rows, cols, in);
        } catch (EOFException e) {
            throw cutShort(path, e);
        } catch (IOException e) {
            throw unreadable(path, e);
        }
    }

    /**
     * Reads an IDX label file ({@code .gz} or not): one unsigned byte per example.
     *
     * @throws DataUnavailableException if the file is missing, is not an IDX label file, or is cut short
     */
    public static byte[] readLabels(Path path) {
        try (DataInputStream in = open(path)) {
            int magic = in.readInt();
            if (magic != LABELS_MAGIC) {
                throw notIdx(path, magic, LABELS_MAGIC);
            }
            int count = in.readInt();
            if (count < 0) {
                throw new DataUnavailableException("Idx.readLabels: " + path + " has a negative count " + count);
            }
            byte[] labels = new byte[count];
            in.readFully(labels);
            return labels;
        } catch (EOFException e) {
            throw cutShort(path, e);
        } catch (IOException e) {
            throw unreadable(path, e);
        }
    }

    /**
     * Writes an IDX image file, gzipped (default level) if the name ends in {@code .gz}, creating the folder if
     * needed. The file appears whole or not at all (written to a temporary file, then moved).
     */
    public static void writeImages(Path path, Images images) {
        writeImages(path, images, Deflater.DEFAULT_COMPRESSION);
    }

    /** {@link #writeImages(Path, Images)} with a gzip level, 1 (fast) to 9 (small). */
    static void writeImages(Path path, Images images, int level) {
        write(path, level, out -> {
            out.writeInt(IMAGES_MAGIC);
            out.writeInt(images.count());
            out.writeInt(images.rows());
            out.writeInt(images.cols());
            out.write(images.pixels());
        });
    }

    /** Writes an IDX label file, as {@link #writeImages}. */
    public static void writeLabels(Path path, byte[] labels) {
        writeLabels(path, labels, Deflater.DEFAULT_COMPRESSION);
    }

    /** {@link #writeLabels(Path, byte[])} with a gzip level, 1 (fast) to 9 (small). */
    static void writeLabels(Path path, byte[] labels, int level) {
        write(path, level, out -> {
            out.writeInt(LABELS_MAGIC);
            out.writeInt(labels.length);
            out.write(labels);
        });
    }

    private interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    private static void write(Path path, int level, Body body) {
        Path target = path.toAbsolutePath();
        Path tmp = null;
        try {
            Files.createDirectories(target.getParent());
            // not Files.createTempFile, whose owner-only permissions the moved file would keep
            tmp = target.resolveSibling(target.getFileName() + "." + ProcessHandle.current().pid() + "."
                    + System.nanoTime() + ".part");
            OutputStream raw = new BufferedOutputStream(Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), BUFFER);
            if (gzipped(target)) {
                raw = new GZIPOutputStream(raw, BUFFER) {
                    {
                        def.setLevel(level);
                    }
                };
            }
            try (DataOutputStream out = new DataOutputStream(raw)) {
                body.write(out);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Idx: cannot write " + target, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the temporary file is in the same folder; nothing else to do
                }
            }
        }
    }

    private static DataInputStream open(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new DataUnavailableException("Idx: no file " + path.toAbsolutePath());
        }
        InputStream in = new BufferedInputStream(Files.newInputStream(path), BUFFER);
        return new DataInputStream(gzipped(path) ? new GZIPInputStream(in, BUFFER) : in);
    }

    private static boolean gzipped(Path path) {
        return path.getFileName().toString().endsWith(".gz");
    }

    private static DataUnavailableException notIdx(Path path, int magic, int expected) {
        return new DataUnavailableException(String.format(Locale.ROOT, "Idx: %s is not an IDX %s file: magic number"
                + " 0x%08x, expected 0x%08x", path, expected == IMAGES_MAGIC ? "image" : "label", magic, expected));
    }

    private static DataUnavailableException cutShort(Path path, EOFException e) {
        return new DataUnavailableException("Idx: " + path + " is cut short (fewer bytes than its header says)"
                + damagedHint(path), e);
    }

    private static DataUnavailableException unreadable(Path path, IOException e) {
        if (e instanceof java.io.InterruptedIOException || e instanceof java.nio.channels.ClosedByInterruptException) {
            // the stop button while a file was read: nothing is wrong with the file
            return new DataUnavailableException("Idx: reading " + path + " was stopped (an interrupt, the stop"
                    + " button)\nhint: the file is fine; run the cell again", e);
        }
        return new DataUnavailableException("Idx: cannot read " + path + ": " + e.getMessage() + damagedHint(path),
                e);
    }

    /** What to do with a damaged file, by where it lies in the project's data folders (if they are found). */
    private static String damagedHint(Path path) {
        Path datasets;
        try {
            datasets = DataPaths.datasets();
        } catch (DataUnavailableException noProject) {
            datasets = null;
        }
        return damagedHint(path, datasets);
    }

    /**
     * A file in the cache ({@code datasets/cache/}) is made again on the next load once deleted; one of the
     * committed subsets in {@code datasets/} (which work offline) is made by nothing; another file is the user's
     * own, to make again as they made it.
     */
    static String damagedHint(Path path, Path datasets) {
        String elsewhere = "\nhint: the file is damaged: make it again where it came from";
        if (datasets == null) {
            return elsewhere;
        }
        Path file = path.toAbsolutePath().normalize(), home = datasets.toAbsolutePath().normalize();
        if (file.startsWith(home.resolve("cache"))) {
            return "\nhint: delete it; a data set's cache file is made again on the next load";
        }
        if (file.startsWith(home)) {
            return "\nhint: it is one of the data sets' own files, and nothing makes it again: do not delete it;"
                    + " restore it from the cnnlab folder you were given (in a git checkout: git checkout --"
                    + " datasets/)";
        }
        return elsewhere;
    }
}
