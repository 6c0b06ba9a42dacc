package cnnlab.data;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the data lives: the project folder (the one holding {@code datasets/}) is the {@code CNNLAB_HOME}
 * environment variable's, or found by looking upwards from the working directory, as
 * {@code cnnlab.viz.Images} finds its photos (so notebooks in {@code notebooks/} and tests in {@code toolkit/}
 * find it).
 */
final class DataPaths {
    private DataPaths() {
    }

    /** The project's {@code datasets/} folder. */
    static Path datasets() {
        String home = System.getenv("CNNLAB_HOME");
        if (home != null && !home.isBlank() && isDatasets(Path.of(home, "datasets"))) {
            return Path.of(home, "datasets").toAbsolutePath();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (isDatasets(dir.resolve("datasets"))) {
                return dir.resolve("datasets");
            }
        }
        throw new DataUnavailableException("cnnlab.data: no cnnlab datasets/ folder above "
                + Path.of("").toAbsolutePath() + "\nhint: run from inside the cnnlab folder, or set CNNLAB_HOME to it");
    }

    /** {@code datasets/cache/}, git-ignored: the converted full data sets. */
    static Path cache() {
        return datasets().resolve("cache");
    }

    /** A cnnlab datasets folder has DATA.md or the sample photos, not just the name. */
    private static boolean isDatasets(Path dir) {
        return Files.isRegularFile(dir.resolve("DATA.md")) || Files.isDirectory(dir.resolve("images"));
    }
}
