package cnnlab.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A streaming reader of the two packages' class files, {@code {"data": [...]}}, with no JSON library: a small
 * tokenizer that only knows brackets, numbers and (skipped) strings, and turns numbers into pixel bytes as they
 * stream past, so a 16 MB file is never held as text.
 */
final class JsonPixels {

    /** How a class file holds its images. */
    enum Layout {
        /**
         * mnist: one flat array of every image's pixels one after another, each the original byte divided by 255
         * and rounded to 3 decimals. {@code round(v * 255)} gives the original byte back exactly (the rounding
         * moves v·255 by at most 0.1275).
         */
        FLAT_UNIT_FLOATS,
        /** fashion-mnist: an array of rows, one per image, of integers 0..255; empty rows are skipped. */
        ROWS_OF_BYTES
    }

    /** What one class file held. */
    record Counts(int images, int emptyRows) {
    }

    private static final double[] POW10 = new double[19];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    private final Layout layout;
    private final int imageSize;
    private final String where;
    private final ByteArrayOutputStream out;

    private final byte[] image;
    private int filled;
    private int images;
    private int emptyRows;
    private int depth;

    // number being read
    private boolean inNumber;
    private boolean negative;
    private int phase; // 0 integer part, 1 fraction, 2 exponent
    private long intPart;
    private long fracPart;
    private int fracDigits;
    private int exp;
    private boolean expNegative;
    private int digits;

    private JsonPixels(Layout layout, int imageSize, String where, ByteArrayOutputStream out) {
        this.layout = layout;
        this.imageSize = imageSize;
        this.where = where;
        this.out = out;
        this.image = new byte[imageSize];
    }

    /**
     * Appends every image of one class file to {@code out}, {@code imageSize} bytes each.
     *
     * @param where names the file in error messages
     * @throws IOException naming the file and image if the file is not what the layout says
     */
    static Counts read(InputStream in, Layout layout, int imageSize, String where, ByteArrayOutputStream out)
            throws IOException {
        JsonPixels reader = new JsonPixels(layout, imageSize, where, out);
        reader.run(in);
        return new Counts(reader.images, reader.emptyRows);
    }

    private void run(InputStream in) throws IOException {
        byte[] buf = new byte[1 << 16];
        boolean inString = false, escaped = false;
        for (int n; (n = in.read(buf)) > 0; ) {
            for (int i = 0; i < n; i++) {
                int c = buf[i];
                if (inString) {
                    if (escaped) {
                        escaped = false;
                    } else if (c == '\\') {
                        escaped = true;
                    } else if (c == '"') {
                        inString = false;
                    }
                    continue;
                }
                if (inNumber && number(c)) {
                    continue;
                }
                if (inNumber) {
                    endNumber();
                }
                switch (c) {
                    case '[' -> open();
                    case ']' -> close();
                    case '"' -> inString = true;
                    case '-' -> startNumber(c);
                    default -> {
                        if (c >= '0' && c <= '9') {
                            startNumber(c);
                        }
                        // braces, colons, commas and white space carry nothing here
                    }
                }
            }
        }
        if (inNumber) {
            endNumber();
        }
        if (inString || depth != 0) {
            throw error("the file is cut short (" + (inString ? "inside a string" : depth + " arrays still open")
                    + ")");
        }
    }

    private void open() throws IOException {
        depth++;
        int max = layout == Layout.FLAT_UNIT_FLOATS ? 1 : 2;
        if (depth > max) {
            throw error("arrays nested " + depth + " deep; expected " + (max == 1 ? "one flat array of pixels"
                    : "an array of rows"));
        }
    }

    private void close() throws IOException {
        if (depth == 0) {
            throw error("']' without '['");
        }
        if (layout == Layout.ROWS_OF_BYTES && depth == 2) {
            if (filled == imageSize) {
                emit();
            } else if (filled == 0) {
                emptyRows++;
            } else {
                throw error("row " + (images + emptyRows) + " has " + filled + " numbers; expected " + imageSize
                        + " (28x28) or none");
            }
        }
        if (layout == Layout.FLAT_UNIT_FLOATS && depth == 1 && filled != 0) {
            throw error("the pixels do not make whole images: " + filled + " left over after " + images
                    + " images of " + imageSize);
        }
        depth--;
    }

    private void startNumber(int c) {
        inNumber = true;
        negative = c == '-';
        phase = 0;
        intPart = negative ? 0 : c - '0';
        fracPart = 0;
        fracDigits = 0;
        exp = 0;
        expNegative = false;
        digits = negative ? 0 : 1;
    }

    /** Consumes one more character of a number; false if it is not part of one. */
    private boolean number(int c) {
        if (c >= '0' && c <= '9') {
            int d = c - '0';
            switch (phase) {
                case 0 -> {
                    if (digits++ < 18) {
                        intPart = intPart * 10 + d;
                    }
                }
                case 1 -> {
                    if (fracDigits < 18) {
                        fracPart = fracPart * 10 + d;
                        fracDigits++;
                    }
                }
                default -> exp = Math.min(exp * 10 + d, 400);
            }
            return true;
        }
        if (c == '.' && phase == 0) {
            phase = 1;
            return true;
        }
        if ((c == 'e' || c == 'E') && phase < 2) {
            phase = 2;
            return true;
        }
        if ((c == '-' || c == '+') && phase == 2 && exp == 0) {
            expNegative = c == '-';
            return true;
        }
        return false;
    }

    private void endNumber() throws IOException {
        inNumber = false;
        double v = intPart + fracPart / POW10[fracDigits];
        if (exp != 0) {
            v *= Math.pow(10, expNegative ? -exp : exp);
        }
        if (negative) {
            v = -v;
        }
        int expected = layout == Layout.FLAT_UNIT_FLOATS ? 1 : 2;
        if (depth != expected) {
            throw error("a number outside the " + (expected == 1 ? "pixel array" : "rows") + ": " + v);
        }
        int pixel;
        if (layout == Layout.FLAT_UNIT_FLOATS) {
            double scaled = v * 255;
            pixel = (int) Math.round(scaled);
            if (pixel < 0 || pixel > 255 || Math.abs(scaled - pixel) > 0.25) {
                throw error("value " + v + " of image " + images + " is not a pixel/255 in [0, 1] rounded to 3"
                        + " decimals");
            }
        } else {
            pixel = (int) v;
            if (pixel != v || pixel < 0 || pixel > 255) {
                throw error("value " + v + " of row " + (images + emptyRows) + " is not an integer 0..255");
            }
        }
        if (filled == imageSize) { // only rows can overflow; flat images are emitted as they fill
            throw error("row " + (images + emptyRows) + " has more than " + imageSize + " numbers");
        }
        image[filled++] = (byte) pixel;
        if (layout == Layout.FLAT_UNIT_FLOATS && filled == imageSize) {
            emit();
        }
    }

    private void emit() {
        out.write(image, 0, imageSize);
        images++;
        filled = 0;
    }

    private IOException error(String what) {
        return new IOException(where + ": " + what);
    }
}
