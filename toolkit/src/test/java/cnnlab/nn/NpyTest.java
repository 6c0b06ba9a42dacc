package cnnlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@code .npy} files byte for byte as NumPy writes them, and a network's weights through a folder of them. */
class NpyTest {
    @TempDir
    Path dir;

    /** The header NumPy 2 writes for a float32 array of shape (2, 3), padded by hand. */
    private static byte[] numpyFile2x3(float[] values, String descr, String order) {
        ByteBuffer data = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        data.asFloatBuffer().put(values);
        return numpyFile2x3(data.array(), descr, order);
    }

    /** The same header before the data given. */
    private static byte[] numpyFile2x3(byte[] data, String descr, String order) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': " + order + ", 'shape': (2, 3), }";
        // magic (6) + version (2) + length (2) + header, the header ending in '\n' at a multiple of 64 bytes:
        // 10 + 118 = 128
        String header = dict + " ".repeat(118 - dict.length() - 1) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x93);
        out.writeBytes("NUMPY".getBytes(StandardCharsets.US_ASCII));
        out.write(1);
        out.write(0);
        out.write(118);                          // header length, uint16 little-endian
        out.write(0);
        out.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(data);
        return out.toByteArray();
    }

    @Test
    void handMadeFileLoads() throws Exception {
        Path file = dir.resolve("a.npy");
        Files.write(file, numpyFile2x3(new float[] {0, 1, 2, 3, 4.5f, -5}, "<f4", "False"));
        INDArray a = Npy.load(file);
        assertEquals(DataType.FLOAT, a.dataType());
        assertArrayEquals(new long[] {2, 3}, a.shape());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4.5f, -5}, a.dup('c').data().asFloat());
        assertEquals(4.5f, a.getFloat(1, 1));
    }

    @Test
    void saveWritesTheBytesNumpyWrites() throws Exception {
        Path file = dir.resolve("b.npy");
        float[] values = {0, 1, 2, 3, 4.5f, -5};
        Npy.save(Nd4j.create(values, new long[] {2, 3}, 'c'), file);
        byte[] written = Files.readAllBytes(file);
        assertArrayEquals(numpyFile2x3(values, "<f4", "False"), written);
        assertEquals(0, (written.length - 4 * values.length) % 64, "data starts at a multiple of 64");
    }

    /** Column-major data: the file holds the values column by column. */
    @Test
    void fortranOrderIsRead() throws Exception {
        Path file = dir.resolve("f.npy");
        Files.write(file, numpyFile2x3(new float[] {0, 3, 1, 4, 2, 5}, "<f4", "True"));
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, Npy.load(file).dup('c').data().asFloat());
    }

    @Test
    void roundTripsEveryRank() {
        Random random = new Random(1);
        for (long[] shape : List.of(new long[] {6, 1, 5, 5}, new long[] {120, 400}, new long[] {5}, new long[] {1},
                new long[] {2, 3, 4})) {
            INDArray a = Nd4j.randn(DataType.FLOAT, shape).muli(random.nextInt(100) + 1);
            Path file = dir.resolve("r.npy");
            Npy.save(a, file);
            INDArray back = Npy.load(file);
            assertArrayEquals(shape, back.shape());
            assertArrayEquals(a.dup('c').data().asFloat(), back.dup('c').data().asFloat());
        }
        Path file = dir.resolve("scalar.npy");
        Npy.save(Nd4j.scalar(2.5f), file);
        assertEquals(0, Npy.load(file).rank());
        assertEquals(2.5f, Npy.load(file).getFloat(0));
    }

    /** A file's name as a String works as its Path does, as in Images.load and save. */
    @Test
    void namesWorkAsPaths() {
        INDArray a = Nd4j.create(new float[] {1, 2, 3}, new long[] {3}, 'c');
        String file = dir.resolve("s.npy").toString();
        Npy.save(a, file);
        assertEquals(a, Npy.load(file));
        assertEquals(a, Npy.load(Path.of(file)));
        for (var call : List.<org.junit.jupiter.api.function.Executable>of(() -> Npy.load((String) null),
                () -> Npy.load((Path) null), () -> Npy.save(a, (String) null), () -> Npy.save(a, (Path) null))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
            assertTrue(e.getMessage().startsWith("Npy."), e.getMessage());
        }
    }

    @Test
    void shapeTuplesAsPython() {
        assertTrue(Npy.header(new long[] {5}).contains("'shape': (5,), }"));
        assertTrue(Npy.header(new long[] {}).contains("'shape': (), }"));
        assertTrue(Npy.header(new long[] {6, 1, 5, 5}).contains("'shape': (6, 1, 5, 5), }"));
        for (long[] shape : List.of(new long[] {}, new long[] {7}, new long[] {16, 6, 5, 5})) {
            assertEquals(0, Npy.header(shape).length() % 64, "aligned header for " + shape.length + " axes");
        }
    }

    /** What NumPy makes by default (float64, int64, uint8 pictures, bools) loads as float32, in either byte order. */
    @Test
    void numpysOtherNumberTypesLoadAsFloat32() throws Exception {
        Path file = dir.resolve("n.npy");
        double third = 1.0 / 3;
        long big = (1L << 40) + 1;                        // no float holds it: the nearest one, as astype gives
        Object[][] cases = {
            {"<f8", ByteOrder.LITTLE_ENDIAN, new double[] {third, -2.5, 1e300, 0, -0.0, Double.NaN}},
            {">f8", ByteOrder.BIG_ENDIAN, new double[] {third, -2.5, 1e300, 0, -0.0, Double.NaN}},
            {">f4", ByteOrder.BIG_ENDIAN, new float[] {(float) third, -2.5f, 7, 0, -0f, Float.NaN}},
            {"<i8", ByteOrder.LITTLE_ENDIAN, new long[] {0, 1, -2, big, Long.MIN_VALUE, 5}},
            {"<i4", ByteOrder.LITTLE_ENDIAN, new int[] {0, 1, -2, 16_777_217, Integer.MIN_VALUE, 5}},
            {">i2", ByteOrder.BIG_ENDIAN, new short[] {0, 1, -2, 300, Short.MIN_VALUE, 5}},
            {"|u1", ByteOrder.LITTLE_ENDIAN, new byte[] {0, 1, (byte) 128, (byte) 255, 7, 5}},
            {"<u4", ByteOrder.LITTLE_ENDIAN, new int[] {0, 1, -1, 3, 4, 5}},
            {"|b1", ByteOrder.LITTLE_ENDIAN, new byte[] {0, 1, 0, 1, 1, 0}},
        };
        float[][] expected = {
            {(float) third, -2.5f, Float.POSITIVE_INFINITY, 0, -0f, Float.NaN},
            {(float) third, -2.5f, Float.POSITIVE_INFINITY, 0, -0f, Float.NaN},
            {(float) third, -2.5f, 7, 0, -0f, Float.NaN},
            {0, 1, -2, 1099511627776f, -9.223372E18f, 5},
            {0, 1, -2, 16_777_216, -2.1474836E9f, 5},
            {0, 1, -2, 300, -32768, 5},
            {0, 1, 128, 255, 7, 5},
            {0, 1, 4.2949673E9f, 3, 4, 5},
            {0, 1, 0, 1, 1, 0},
        };
        for (int c = 0; c < cases.length; c++) {
            String descr = (String) cases[c][0];
            Files.write(file, numpyFile2x3(bytes(cases[c][2], (ByteOrder) cases[c][1]), descr, "False"));
            INDArray a = Npy.load(file);
            assertEquals(DataType.FLOAT, a.dataType(), descr);
            assertArrayEquals(new long[] {2, 3}, a.shape(), descr);
            assertArrayEquals(expected[c], a.data().asFloat(), descr);
        }
        Files.write(file, numpyFile2x3(bytes(new double[] {0, 1, 2, 3, 4, 5}, ByteOrder.LITTLE_ENDIAN), "<f8", "True"));
        assertArrayEquals(new float[] {0, 2, 4, 1, 3, 5}, Npy.load(file).dup('c').data().asFloat(), "Fortran order");
    }

    /** A Java array of numbers as the bytes NumPy stores, in {@code order}. */
    private static byte[] bytes(Object values, ByteOrder order) {
        int n = java.lang.reflect.Array.getLength(values);
        ByteBuffer out = ByteBuffer.allocate(8 * n).order(order);
        for (int i = 0; i < n; i++) {
            Object v = java.lang.reflect.Array.get(values, i);
            if (v instanceof Double d) {
                out.putDouble(d);
            } else if (v instanceof Float f) {
                out.putFloat(f);
            } else if (v instanceof Long l) {
                out.putLong(l);
            } else if (v instanceof Integer k) {
                out.putInt(k);
            } else if (v instanceof Short h) {
                out.putShort(h);
            } else {
                out.put((Byte) v);
            }
        }
        return java.util.Arrays.copyOf(out.array(), out.position());
    }

    @Test
    void otherDtypesAndBadFilesAreRejected() throws Exception {
        Path file = dir.resolve("d.npy");
        for (String descr : new String[] {"<c8", "<f2", "<u8", "<U3", "|O"}) {
            Files.write(file, numpyFile2x3(new byte[48], descr, "False"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Npy.load(file));
            assertTrue(e.getMessage().startsWith("Npy.load: dtype '" + descr + "' is not one Npy reads"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("hint: save it as float32"), e.getMessage());
        }
        IllegalArgumentException e;
        Files.write(file, numpyFile2x3(new float[] {0, 1, 2, 3, 4, 5}, "<f8", "False"));
        e = assertThrows(IllegalArgumentException.class, () -> Npy.load(file));
        assertTrue(e.getMessage().contains("shape [2,3] of '<f8' needs 48 bytes of data but the file has 24"),
                e.getMessage());

        Files.write(file, "hello".getBytes(StandardCharsets.US_ASCII));
        e = assertThrows(IllegalArgumentException.class, () -> Npy.load(file));
        assertTrue(e.getMessage().contains("not a .npy file"), e.getMessage());

        byte[] whole = numpyFile2x3(new float[] {0, 1, 2, 3, 4, 5}, "<f4", "False");
        Files.write(file, java.util.Arrays.copyOf(whole, whole.length - 4));
        e = assertThrows(IllegalArgumentException.class, () -> Npy.load(file));
        assertTrue(e.getMessage().contains("shape [2,3] of '<f4' needs 24 bytes of data but the file has 20"),
                e.getMessage());
    }

    // ---------------------------------------------------------------- a network's weights

    @Test
    void networkWeightsRoundTripByStateDictName() throws Exception {
        Sequential trained = LeNet5.create(Activation.RELU, 1);
        assertEquals(dir.toAbsolutePath().normalize(), trained.save(dir), "where the files went, shown by the cell");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("conv1.bias.npy", "conv1.weight.npy", "conv2.bias.npy", "conv2.weight.npy",
                    "fc1.bias.npy", "fc1.weight.npy", "fc2.bias.npy", "fc2.weight.npy", "fc3.bias.npy",
                    "fc3.weight.npy"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertArrayEquals(new long[] {16, 6, 5, 5}, Npy.load(dir.resolve("conv2.weight.npy")).shape());

        Sequential fresh = LeNet5.create(Activation.RELU, 2);
        fresh.load(dir);
        for (Map.Entry<String, Param> e : trained.stateDict().entrySet()) {
            assertArrayEquals(e.getValue().value().data().asFloat(), fresh.param(e.getKey()).value().data().asFloat(),
                    e.getKey());
        }
        INDArray x = Nd4j.rand(DataType.FLOAT, 3, 1, 28, 28);
        assertArrayEquals(trained.predict(x), fresh.predict(x));
    }

    @Test
    void loadingChecksEveryFileBeforeChangingAnything() throws Exception {
        LeNet5.create(Activation.RELU, 1).save(dir);
        Npy.save(Nd4j.zeros(DataType.FLOAT, 10, 80), dir.resolve("fc3.weight.npy"));
        Sequential net = LeNet5.create(Activation.RELU, 2);
        INDArray before = net.param("conv1.weight").value().dup();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.load(dir));
        assertTrue(e.getMessage().contains("fc3.weight.npy holds [10,80] but fc3.weight is [10,84]"), e.getMessage());
        assertEquals(before, net.param("conv1.weight").value(), "nothing loaded");

        Files.delete(dir.resolve("fc3.weight.npy"));
        e = assertThrows(IllegalArgumentException.class, () -> net.load(dir));
        assertTrue(e.getMessage().startsWith("Sequential.load: missing fc3.weight.npy"), e.getMessage());
        assertTrue(e.getMessage().contains("the folder holds 9 .npy files: conv1.bias.npy, conv1.weight.npy,"),
                e.getMessage());
        assertTrue(e.getMessage().contains("named by its layers, conv1, relu1, pool1,"), e.getMessage());
    }

    /**
     * A save that cannot write one file (a full disk or quota; here a folder in that file's place) leaves the
     * last save's files whole: it had replaced conv1 and conv2 and stopped, and load took the mix as one network.
     */
    @Test
    void aSaveThatFailsLeavesTheLastSavesFilesAsTheyWere() throws Exception {
        Sequential first = LeNet5.create(Activation.RELU, 1);
        first.save(dir);
        Path blocked = dir.resolve(".fc2.weight.npy.saving");
        Files.createDirectories(blocked.resolve("in-the-way"));
        java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class,
                () -> LeNet5.create(Activation.RELU, 2).save(dir));
        assertTrue(e.getMessage().startsWith("Sequential.save: cannot write the weights to " + dir), e.getMessage());
        assertTrue(e.getMessage().endsWith("the folder's .npy files are as they were"), e.getMessage());
        Sequential loaded = LeNet5.create(Activation.RELU, 3);
        loaded.load(dir);
        for (Map.Entry<String, Param> p : first.stateDict().entrySet()) {
            assertEquals(p.getValue().value(), loaded.param(p.getKey()).value(), p.getKey() + " is the first save's");
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(".fc2.weight.npy.saving"), files.map(f -> f.getFileName().toString())
                    .filter(f -> f.startsWith(".")).toList(), "no temporary file left but the one in the way");
        }
    }

    @Test
    void saveAndLoadSayWhatTheyTake() throws Exception {
        Sequential net = LeNet5.create(Activation.RELU, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net.save(dir.resolve("model.npy")));
        assertTrue(e.getMessage().startsWith("Sequential.save: model.npy looks like a file's name, but save writes a"
                + " folder of files"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("model.npy")), "no folder named model.npy");
        net.save(dir);
        e = assertThrows(IllegalArgumentException.class, () -> net.load(dir.resolve("conv1.weight.npy")));
        assertEquals("Sequential.load: " + dir.resolve("conv1.weight.npy") + " is a file, but load reads the folder"
                + " net.save wrote, one file per parameter\nhint: net.load(Path.of(\"" + dir + "\"))", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> net.save(dir.resolve("conv1.weight.npy")));
        assertTrue(e.getMessage().contains("is a file, but save writes a folder"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> net.load(dir.resolve("nothing-here")));
        assertTrue(e.getMessage().startsWith("Sequential.load: there is no folder "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> net.save(null));
        assertEquals("Sequential.save: folder is null", e.getMessage());
    }
}
