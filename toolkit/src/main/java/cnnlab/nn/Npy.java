package cnnlab.nn;

import cnnlab.ops.Errors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * NumPy's {@code .npy} format for float32 arrays, so that weights move between this toolkit and
 * NumPy/PyTorch ({@code np.save("conv1.weight.npy", model.conv1.weight.detach().numpy())}).
 *
 * <p>The layout, as {@code numpy.save} writes it (format version 1.0):
 * <pre>
 *   \x93NUMPY  1 0  HEADER_LEN (uint16, little-endian)
 *   {'descr': '&lt;f4', 'fortran_order': False, 'shape': (2, 3), }   then spaces and '\n', so that the data
 *                                                                    starts at a multiple of 64 bytes
 *   the values, float32 little-endian, row-major
 * </pre>
 * Shapes are written as Python tuples: {@code ()} for a scalar, {@code (5,)} for a vector. {@link #save} writes
 * exactly the bytes NumPy 2 writes (including the spare spaces NumPy leaves for the first axis to grow).
 * {@link #load} reads versions 1.0, 2.0 and 3.0, C or Fortran order. Besides float32 it reads what NumPy makes
 * by default, float64 ({@code np.random.rand}), integers ({@code np.arange}, uint8 pictures) and bools, in either
 * byte order, and converts the values to float32, as the ops convert other dtypes (the nearest float, as
 * {@code a.astype(np.float32)} gives).
 * <pre>
 * jshell&gt; Npy.save(Nd4j.create(new float[][] {{1, 2, 3}, {4, 5, 6}}), Path.of("a.npy"));
 * jshell&gt; Npy.load(Path.of("a.npy")).shape()
 * $2 ==&gt; long[2] { 2, 3 }
 * </pre>
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGN = 64;
    /** NumPy pads the header with room for a first axis of up to this many digits. */
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /**
     * Writes {@code a} as float32 (converted if needed), row-major, to {@code file}, replacing it.
     *
     * @throws UncheckedIOException if the file cannot be written
     */
    public static void save(INDArray a, Path file) {
        Check.notNull("Npy.save", "array", a);
        Check.notNull("Npy.save", "file", file);
        try {
            Files.write(file, toBytes(a));
        } catch (IOException e) {
            throw new UncheckedIOException("Npy.save: cannot write " + file, e);
        }
    }

    /**
     * Reads a {@code .npy} file into a row-major float32 array of its shape.
     *
     * @throws IllegalArgumentException if the file is not a {@code .npy} file, is truncated, or holds a dtype
     *                                  other than float32, float64, (unsigned) integers up to 32 bits, int64 or
     *                                  bool (complex numbers, strings and Python objects, say)
     * @throws UncheckedIOException     if the file cannot be read
     */
    public static INDArray load(Path file) {
        Check.notNull("Npy.load", "file", file);
        try {
            return fromBytes(Files.readAllBytes(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Npy.load: cannot read " + file, e);
        }
    }

    /** {@link #save(INDArray, Path)} to the file named {@code file}, as {@code Images.save} takes one. */
    public static void save(INDArray a, String file) {
        Check.notNull("Npy.save", "file", file);
        save(a, Path.of(file));
    }

    /** {@link #load(Path)} of the file named {@code file}. */
    public static INDArray load(String file) {
        Check.notNull("Npy.load", "file", file);
        return load(Path.of(file));
    }

    /** The whole {@code .npy} file for {@code a}, version 1.0. */
    public static byte[] toBytes(INDArray a) {
        long[] shape = a.shape();
        byte[] header = header(shape).getBytes(StandardCharsets.ISO_8859_1);
        float[] values = a.castTo(DataType.FLOAT).dup('c').data().asFloat();
        ByteBuffer out = ByteBuffer.allocate(header.length + 4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(header);
        out.asFloatBuffer().put(values);
        return out.array();
    }

    /** Magic, version 1.0, header length and the padded header, as NumPy's {@code _wrap_header}. */
    static String header(long[] shape) {
        StringBuilder dict = new StringBuilder("{'descr': '<f4', 'fortran_order': False, 'shape': (");
        for (int i = 0; i < shape.length; i++) {
            dict.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        dict.append(shape.length == 1 ? ",), }" : "), }");
        if (shape.length > 0) {
            dict.append(" ".repeat(GROWTH_AXIS_MAX_DIGITS - String.valueOf(shape[0]).length()));
        }
        int withNewline = dict.length() + 1;
        int pad = ALIGN - (MAGIC.length + 2 + 2 + withNewline) % ALIGN;   // NumPy pads a full 64 when aligned
        int headerLength = withNewline + pad;
        return new String(MAGIC, StandardCharsets.ISO_8859_1) + (char) 1 + (char) 0
                + (char) (headerLength & 0xff) + (char) (headerLength >> 8)
                + dict + " ".repeat(pad) + "\n";
    }

    /** Parses a whole {@code .npy} file; {@code source} names it in messages. */
    public static INDArray fromBytes(byte[] bytes, String source) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes.length <= i || bytes[i] != MAGIC[i]) {
                throw Errors.error("Npy.load", "not a .npy file: it does not start with \\x93NUMPY",
                        source + ", " + bytes.length + " bytes");
            }
        }
        if (bytes.length < 10) {
            throw Errors.error("Npy.load", "truncated header", source + ", " + bytes.length + " bytes");
        }
        int major = bytes[6];
        int headerStart, headerLength;
        if (major == 1) {
            headerLength = Short.toUnsignedInt(in.getShort(8));
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            headerLength = bytes.length < 12 ? Integer.MAX_VALUE : in.getInt(8);
            headerStart = 12;
        } else {
            throw Errors.error("Npy.load", "format version " + major + "." + bytes[7] + " is not 1.0, 2.0 or 3.0",
                    source);
        }
        if (headerLength < 0 || (long) headerStart + headerLength > bytes.length) {
            throw Errors.error("Npy.load", "truncated header: it claims " + Integer.toUnsignedString(headerLength)
                    + " bytes", source + ", " + bytes.length + " bytes");
        }
        String header = new String(bytes, headerStart, headerLength,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = find(DESCR, header, "descr", source);
        Dtype dtype = Dtype.of(descr);
        if (dtype == null) {
            throw Errors.error("Npy.load", "dtype '" + descr + "' is not one Npy reads (float32 or float64, "
                    + "integers, bool)", source + ", header " + header.trim(),
                    "save it as float32: np.save(path, a.astype(np.float32))");
        }
        boolean fortran = find(ORDER, header, "fortran_order", source).equals("True");
        long[] shape = parseShape(find(SHAPE, header, "shape", source), source);
        long count = 1;
        for (long d : shape) {
            count *= d;
        }
        int dataStart = headerStart + headerLength;
        if (bytes.length - dataStart != dtype.size() * count) {
            throw Errors.error("Npy.load", "shape " + Errors.shape(shape) + " of '" + descr + "' needs "
                    + dtype.size() * count + " bytes of data but the file has " + (bytes.length - dataStart), source);
        }
        float[] values = new float[Math.toIntExact(count)];
        ByteBuffer data = in.position(dataStart).slice().order(dtype.order());
        if (dtype.kind() == 'f' && dtype.size() == 4) {
            data.asFloatBuffer().get(values);
        } else {
            for (int i = 0; i < values.length; i++) {
                values[i] = dtype.read(data, i);
            }
        }
        if (shape.length == 0) {
            return Nd4j.scalar(values[0]);
        }
        INDArray a = Nd4j.create(values, shape, fortran ? 'f' : 'c');
        return fortran ? a.dup('c') : a;
    }

    /**
     * A dtype as NumPy's descr writes it: byte order ({@code <} little-endian, {@code >} big-endian, {@code |} one
     * byte), kind ({@code f} float, {@code i} signed, {@code u} unsigned integer, {@code b} bool) and bytes a value.
     */
    private record Dtype(ByteOrder order, char kind, int size) {
        private static final Pattern FORM = Pattern.compile("([<>|=])([fiub])([1248])");

        /** The dtype {@code descr} names, or null if Npy does not read it. */
        static Dtype of(String descr) {
            Matcher m = FORM.matcher(descr);
            if (!m.matches()) {
                return null;
            }
            char kind = m.group(2).charAt(0);
            int size = Integer.parseInt(m.group(3));
            boolean known = switch (kind) {
                case 'f' -> size == 4 || size == 8;
                case 'b' -> size == 1;
                case 'u' -> size <= 4;                       // uint64 has no exact Java type to go through
                default -> true;
            };
            ByteOrder order = m.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            return known ? new Dtype(order, kind, size) : null;
        }

        /** The {@code i}-th value, to the nearest float. */
        float read(ByteBuffer data, int i) {
            int at = i * size;
            return switch (kind) {
                case 'f' -> size == 4 ? data.getFloat(at) : (float) data.getDouble(at);
                case 'b' -> data.get(at) != 0 ? 1 : 0;
                case 'u' -> switch (size) {
                    case 1 -> Byte.toUnsignedInt(data.get(at));
                    case 2 -> Short.toUnsignedInt(data.getShort(at));
                    default -> Integer.toUnsignedLong(data.getInt(at));
                };
                default -> switch (size) {
                    case 1 -> data.get(at);
                    case 2 -> data.getShort(at);
                    case 4 -> data.getInt(at);
                    default -> data.getLong(at);
                };
            };
        }
    }

    private static String find(Pattern pattern, String header, String key, String source) {
        Matcher m = pattern.matcher(header);
        if (!m.find()) {
            throw Errors.error("Npy.load", "the header has no '" + key + "'", source + ", header " + header.trim());
        }
        return m.group(1);
    }

    private static long[] parseShape(String tuple, String source) {
        String[] parts = tuple.split(",");
        int n = 0;
        long[] shape = new long[parts.length];
        for (String part : parts) {
            if (!part.isBlank()) {
                try {
                    shape[n] = Long.parseLong(part.strip().replace("L", ""));
                } catch (NumberFormatException e) {
                    throw Errors.error("Npy.load", "cannot read the shape (" + tuple + ")", source);
                }
                if (shape[n] < 0) {
                    throw Errors.error("Npy.load", "negative size in shape (" + tuple + ")", source);
                }
                n++;
            }
        }
        return java.util.Arrays.copyOf(shape, n);
    }
}
