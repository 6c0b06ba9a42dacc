package cnnlab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
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
        String problem = Jars.jarsAt(dir.resolve("toolkit/target/cnnlab-toolkit.jar"), new ArrayList<>(), null, dir);
        assertTrue(problem.startsWith("%jars: no such file: " + dir.resolve("toolkit/target/cnnlab-toolkit.jar")),
                problem);
        assertTrue(problem.contains("run ./cnnlab setup"), problem);
    }
    /** A notebook outside the cnnlab folder: the toolkit is built, and the message says where the notebook goes. */
    @Test
    void aToolkitMissingBesideTheNotebookButBuiltInTheKernelsFolderSaysMoveTheNotebook(@TempDir Path home)
            throws IOException {
        Path jar = home.resolve("toolkit/target/cnnlab-toolkit.jar");
        List<Path> found = new ArrayList<>();
        Path away = Path.of("/nowhere/labs");
        String notBuilt = Jars.jarsAt(Path.of("/nowhere/toolkit/target/cnnlab-toolkit.jar"), found, home.toString(),
                away);
        assertTrue(notBuilt.endsWith("The toolkit is not built yet: run ./cnnlab setup in the cnnlab folder, then run"
                + " this cell again."), notBuilt);
        Files.createDirectories(jar.getParent());
        Files.writeString(jar, "");
        String elsewhere = Jars.jarsAt(Path.of("/nowhere/toolkit/target/cnnlab-toolkit.jar"), found, home.toString(),
                away);
        assertEquals("%jars: no such file: /nowhere/toolkit/target/cnnlab-toolkit.jar\nThis notebook is not in a"
                + " folder inside the cnnlab folder (" + home + "), where ../toolkit/ would find the toolkit: move it"
                + " into " + home.resolve("my-labs") + " (or notebooks/), or write the toolkit's whole path in this"
                + " cell: %jars " + jar, elsewhere);
        Path week1 = Files.createDirectories(home.resolve("my-labs/week1"));   // one folder deeper than usual
        String wrongPath = Jars.jarsAt(week1.resolve("../toolkit/target/cnnlab-toolkit.jar"), found,
                home.toString(), week1);
        assertTrue(wrongPath.endsWith("\nThe toolkit is built, at " + jar + ": this cell's path does not lead there"
                + " (from this notebook's folder: %jars ../../toolkit/target/cnnlab-toolkit.jar)"), wrongPath);
        Path link = Files.createSymbolicLink(dir.resolve("linked-cnnlab"), home);   // the launcher's path, a link
        assertTrue(Jars.jarsAt(link.resolve("my-labs/week1/../toolkit/target/cnnlab-toolkit.jar"), found,
                link.toString(), week1).contains("this cell's path does not lead there"), "inside, through the link");
        assertTrue(found.isEmpty());
    }
}
