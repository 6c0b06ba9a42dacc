package cnnlab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code %jars} adds, and what it says when it cannot (the live kernel's side is in test_kernel.py). */
class JarsTest {
    @TempDir
    Path dir;

    @Test
    void aLineOrACellNamesItsPaths() {
        assertEquals(List.of("../toolkit/target/cnnlab-toolkit.jar"),
                Jars.paths(List.of("%jars ../toolkit/target/cnnlab-toolkit.jar")));
        assertEquals(List.of("a.jar"), Jars.paths(List.of("  %jar   a.jar  ")));
        assertEquals(List.of("a.jar", "lib"), Jars.paths(List.of("%%jars", " a.jar", "", "lib ")));
        assertNull(Jars.paths(List.of("%jars")), "no path");
        assertNull(Jars.paths(List.of("%jars   ")), "no path");
        assertNull(Jars.paths(List.of("%%jars", "  ")), "a cell of blank lines");
        assertNull(Jars.paths(List.of("%jarsfoo.jar")), "not the magic");
    }

    @Test
    void aJarIsFoundWithoutItsDotDots() throws Exception {
        Path jar = Files.createFile(dir.resolve("x.jar"));
        Files.createDirectory(dir.resolve("sub"));
        List<Path> found = new ArrayList<>();
        assertNull(Jars.jarsAt(dir.resolve("sub/../x.jar"), found));
        assertEquals(List.of(jar.toAbsolutePath().normalize()), List.of(found.get(0).normalize()));
    }

    @Test
    void aDotDotAfterALinkIsResolvedWhereTheLinkPoints() throws Exception {
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere/lib"));
        Files.createFile(dir.resolve("elsewhere/x.jar"));
        Files.createSymbolicLink(dir.resolve("link"), elsewhere);
        List<Path> found = new ArrayList<>();
        assertNull(Jars.jarsAt(dir.resolve("link/../x.jar"), found), "as the file system, not the text, sees it");
        assertEquals(1, found.size());
    }

    @Test
    void aFolderGivesAllItsJarsInOrder() throws Exception {
        Files.createFile(dir.resolve("b.jar"));
        Files.createFile(dir.resolve("a.jar"));
        Files.createFile(dir.resolve("notes.txt"));
        List<Path> found = new ArrayList<>();
        assertNull(Jars.jarsAt(dir, found));
        assertEquals(List.of(dir.resolve("a.jar"), dir.resolve("b.jar")), found);
    }

    @Test
    void whatIsWrongIsSaidWithTheWholePath() throws Exception {
        List<Path> found = new ArrayList<>();
        assertEquals("%jars: no such file: " + dir.resolve("y.jar"), Jars.jarsAt(dir.resolve("sub/../y.jar"), found));
        assertEquals("%jars: no .jar file in the folder " + dir, Jars.jarsAt(dir, found));
        Path text = Files.createFile(dir.resolve("notes.txt"));
        assertEquals("%jars: not a .jar file: " + text, Jars.jarsAt(text, found));
        assertTrue(found.isEmpty(), "nothing added");
    }

    @Test
    void aMissingToolkitSaysHowToBuildIt() {
        String problem = Jars.jarsAt(dir.resolve("toolkit/target/cnnlab-toolkit.jar"), new ArrayList<>());
        assertTrue(problem.startsWith("%jars: no such file: " + dir.resolve("toolkit/target/cnnlab-toolkit.jar")),
                problem);
        assertTrue(problem.contains("run ./cnnlab setup"), problem);
    }
}
