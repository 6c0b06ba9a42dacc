package cnnlab.grade;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class GradebookTest {
    /** Three students, two labs: a full one, one with a missing lab and a multi-line note, one that timed out. */
    private static void writeClass(Path dir) throws Exception {
        Files.writeString(dir.resolve("submissions.csv"), String.join("\n",
                "student,lab,notebook,status,reason,points,max,seconds,notes",
                "ann,lab1,lab1-convolution,graded,,10,10,12.5,",
                "ann,lab2,lab2-pooling,graded,,6,6,9.1,",
                "\"bo, jr\",lab1,lab1-convolution,graded,,2.5,10,11,\"cell 4: CompilerException\nillegal start\n---\ncell 6: ok\"",
                "\"bo, jr\",lab2,lab2-pooling,missing,no lab2-pooling.ipynb in bo/,0,6,,",
                "cy,lab1,lab1-convolution,timeout,the notebook ran past its 600 s limit,4,10,600,",
                "cy,lab2,lab2-pooling,graded,,3,6,8,", ""));
        Files.writeString(dir.resolve("checks.csv"), String.join("\n",
                "student,lab,exercise,title,points,max,status,public,hidden,feedback",
                "ann,lab1,lab1 ex1,output size,4,4,passed,3/3,5/5,",
                "ann,lab1,lab1 ex2,conv2d,6,6,passed,3/3,8/8,",
                "ann,lab2,lab2 ex1,max pool,6,6,passed,2/2,4/4,",
                "\"bo, jr\",lab1,lab1 ex1,output size,2.5,4,partial,3/3,2/5,\"hidden case 3: stride 2, padding 1\"",
                "\"bo, jr\",lab1,lab1 ex2,conv2d,0,6,error,,,the check could not run: <cannot find symbol>",
                "\"bo, jr\",lab2,lab2 ex1,,0,6,not run,,,no lab2-pooling.ipynb in bo/",
                "cy,lab1,lab1 ex1,output size,4,4,passed,3/3,5/5,",
                "cy,lab1,lab1 ex2,,0,6,not run,,,not run: the notebook ran past its 600 s limit",
                "cy,lab2,lab2 ex1,max pool,3,6,partial,2/2,0/4,", ""));
    }

    @Test
    void oneRowPerStudentWithPointsPerExerciseLabAndTotal(@TempDir Path dir) throws Exception {
        writeClass(dir);
        Gradebook.Report report = Gradebook.write(dir);
        Table book = report.gradebook();
        assertEquals(List.of("student", "lab1 ex1", "lab1 ex2", "lab1", "lab1 status", "lab2 ex1", "lab2",
                "lab2 status", "total", "max", "percent"), book.columnNames());
        assertEquals(List.of("ann", "bo, jr", "cy"), book.stringColumn("student").asList());
        assertArrayEquals(new double[] {16, 2.5, 7}, book.doubleColumn("total").asDoubleArray());
        assertArrayEquals(new double[] {100, 15.63, 43.75}, book.doubleColumn("percent").asDoubleArray());
        // short, to scan a class by: the notes' count says what to look at, the feedback page has the text
        assertEquals("missing", book.getString(1, "lab2 status"));
        assertEquals("graded, 2 notes", book.getString(1, "lab1 status"));
        assertEquals("timeout", book.getString(2, "lab1 status"));
        assertTrue(report.toString().startsWith("gradebook: 3 students, 6 submissions, mean total 8.50/16"),
                report.toString());

        String csv = Files.readString(dir.resolve("gradebook.csv"));
        assertTrue(csv.startsWith("student,lab1 ex1,lab1 ex2,lab1,lab1 status,lab2 ex1,lab2,lab2 status,total,max,percent\n"), csv);
        assertTrue(csv.contains("\"bo, jr\",2.50,0,2.50,\"graded, 2 notes\",0,0,missing,2.50,16,15.63\n"), csv);
        for (String f : List.of("gradebook.html", "summary.html", "summary.csv", "statuses.csv", "histogram.png")) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
    }

    @Test
    void statusesAreCountedPerLab(@TempDir Path dir) throws Exception {
        writeClass(dir);
        Gradebook.write(dir);
        assertEquals("lab,status,submissions\nlab1,graded,2\nlab1,timeout,1\nlab2,graded,2\nlab2,missing,1\n",
                Files.readString(dir.resolve("statuses.csv")));
    }

    @Test
    void namesThatDifferOnlyInSpacesStayTwoStudents(@TempDir Path dir) throws Exception {
        // the grader quotes every value: unquoted, the reader trims them and "abe " became "abe"
        Files.writeString(dir.resolve("submissions.csv"), String.join("\n",
                "student,lab,notebook,status,reason,points,max,seconds,notes",
                "\"abe\",\"lab1\",\"lab1-convolution\",\"graded\",\"\",\"8\",\"8\",\"5\",\"\"",
                "\"abe \",\"lab1\",\"lab1-convolution\",\"graded\",\"\",\"2\",\"8\",\"5\",\"\"", ""));
        Files.writeString(dir.resolve("checks.csv"), String.join("\n",
                "student,lab,exercise,title,points,max,status,public,hidden,feedback",
                "\"abe\",\"lab1\",\"lab1 ex1\",\"\",\"8\",\"8\",\"passed\",\"\",\"\",\"\"",
                "\"abe \",\"lab1\",\"lab1 ex1\",\"\",\"2\",\"8\",\"partial\",\"\",\"\",\"\"", ""));
        Table book = Gradebook.write(dir).gradebook();
        assertEquals(List.of("abe", "abe "), book.stringColumn("student").asList());
        assertArrayEquals(new double[] {8, 2}, book.doubleColumn("total").asDoubleArray());
    }

    @Test
    void aNameASpreadsheetWouldRunIsMadeInert() {
        assertEquals("'=HYPERLINK(\"x\")", Gradebook.inert("=HYPERLINK(\"x\")"));
        assertEquals("'@SUM(A1)", Gradebook.inert("@SUM(A1)"));
        assertEquals("ann", Gradebook.inert("ann"));
        assertEquals("", Gradebook.inert(""));
    }

    @Test
    void studentsAreInClassListOrder() {
        List<String> names = new java.util.ArrayList<>(List.of("Zoe", "abe", "José", "O'Brien", "jose", "Abe"));
        names.sort(Gradebook.BY_NAME);
        assertEquals(List.of("Abe", "abe", "jose", "José", "O'Brien", "Zoe"), names);
    }

    @Test
    void aStudentNoLongerInTheClassKeepsNoFeedbackPage(@TempDir Path dir) throws Exception {
        writeClass(dir);
        Path feedback = Files.createDirectories(dir.resolve("feedback"));
        Files.writeString(feedback.resolve("hal.html"), "hal's page from an earlier run");
        Files.writeString(feedback.resolve("notes.txt"), "the instructor's own file");
        Gradebook.write(dir);
        assertFalse(Files.exists(feedback.resolve("hal.html")));
        assertTrue(Files.exists(feedback.resolve("notes.txt")), "only pages are removed");
        assertTrue(Files.exists(feedback.resolve("ann.html")));
    }

    @Test
    void theFilesAreAsReadableAsAnyOtherTheProcessWrites(@TempDir Path dir) throws Exception {
        // the feedback folder is meant to be published: not readable by its owner only
        writeClass(dir);
        Gradebook.write(dir);
        Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
        var expected = Files.getPosixFilePermissions(plain);
        for (String f : List.of("gradebook.csv", "gradebook.html", "statuses.csv", "histogram.png",
                "feedback/ann.html", "feedback-pages.html")) {
            assertEquals(expected, Files.getPosixFilePermissions(dir.resolve(f)), f);
        }
    }

    @Test
    void twoWritersAtOnceBothSucceed(@TempDir Path dir) throws Exception {
        writeClass(dir);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var futures = new java.util.ArrayList<java.util.concurrent.Future<Gradebook.Report>>();
            for (int i = 0; i < 6; i++) {
                futures.add(pool.submit(() -> Gradebook.write(dir)));
            }
            for (var f : futures) {
                assertEquals(3, f.get().gradebook().rowCount());
            }
        } finally {
            pool.shutdown();
        }
        try (var left = Files.list(dir)) {
            assertEquals(List.of(), left.filter(p -> p.getFileName().toString().startsWith(".")).toList(),
                    "no temporary file left");
        }
    }

    @Test
    void summaryHasMeanAndMedianPerExerciseLabAndTotal(@TempDir Path dir) throws Exception {
        writeClass(dir);
        Table s = Gradebook.write(dir).summary();
        assertEquals(List.of("lab1 ex1", "lab1 ex2", "lab1", "lab2 ex1", "lab2", "total"), s.stringColumn("item").asList());
        assertArrayEquals(new double[] {4, 6, 10, 6, 6, 16}, s.doubleColumn("max").asDoubleArray());
        assertArrayEquals(new double[] {3.5, 2, 5.5, 3, 3, 8.5}, s.doubleColumn("mean").asDoubleArray());
        assertArrayEquals(new double[] {4, 0, 4, 3, 3, 7}, s.doubleColumn("median").asDoubleArray());
        assertArrayEquals(new int[] {2, 1, 1, 1, 1, 1}, s.intColumn("full marks").asIntArray());
    }

    @Test
    void feedbackShowsTheChecksTextAndTheNotes(@TempDir Path dir) throws Exception {
        writeClass(dir);
        Gradebook.write(dir);
        String bo = Files.readString(dir.resolve("feedback/" + Gradebook.fileName("bo, jr") + ".html"));
        String index = Files.readString(dir.resolve("feedback-pages.html"));
        assertTrue(index.contains("<a href=\"feedback/" + Gradebook.fileName("bo, jr") + ".html\">bo, jr</a>"), index);
        assertTrue(index.contains("<a href=\"feedback/ann.html\">ann</a>"), index);
        try (var pages = Files.list(dir.resolve("feedback"))) {
            assertEquals(3, pages.count(), "the folder holds the students' pages only, no list of them all");
        }
        assertTrue(bo.contains("2.50 / 16 points"), bo);
        assertTrue(bo.contains("hidden case 3: stride 2, padding 1"), bo);
        assertTrue(bo.contains("&lt;cannot find symbol&gt;"), "escaped");
        assertTrue(bo.contains("<li><pre>cell 4: CompilerException\nillegal start</pre></li><li><pre>cell 6: ok</pre></li>"), bo);
        assertTrue(bo.contains("missing: no lab2-pooling.ipynb in bo/"), bo);
        // a lab that did not run: its exercises' cases say so in both columns, not one blank and one "not run"
        assertTrue(bo.replaceAll("<td[^>]*>", "<td>").contains("<td>lab2 ex1</td><td>max pool</td><td>0 / 6</td>"
                + "<td>not run</td><td>not run</td><td>not run</td>"), bo);
        String ann = Files.readString(dir.resolve("feedback/ann.html"));
        assertFalse(ann.contains("bo, jr"), "a page shows one student only");
    }

    /** A name past Tablesaw's 10,000-byte sample, read in a JVM whose own charset is ASCII (LC_ALL=C). */
    @Test
    void theCsvFilesAreReadAsUtf8WhateverTheJvmsCharset(@TempDir Path dir) throws Exception {
        StringBuilder subs = new StringBuilder("student,lab,notebook,status,reason,points,max,seconds,notes\n");
        StringBuilder checks = new StringBuilder("student,lab,exercise,title,points,max,status,public,hidden,"
                + "feedback\n");
        List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < 400; i++) {      // 40 bytes a row: past the 10,000 bytes Tablesaw samples
            names.add("student" + i);
        }
        names.add("Çağla");
        for (String n : names) {
            subs.append(n).append(",lab1,lab1-convolution,graded,,4,4,5,\n");
            checks.append(n).append(",lab1,lab1 ex1,output size,4,4,passed,3/3,5/5,\n");
        }
        Files.writeString(dir.resolve("submissions.csv"), subs);
        Files.writeString(dir.resolve("checks.csv"), checks);
        ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), "cnnlab.grade.Gradebook", dir.toString())
                .redirectErrorStream(true);
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(Files.readString(dir.resolve("gradebook.csv")).contains("\nÇağla,4,4,graded,4,4,100\n"));
    }

    @Test
    void aTitleFilledInIsTheMostCommonNotTheFirst(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("submissions.csv"), String.join("\n",
                "student,lab,notebook,status,reason,points,max,seconds,notes",
                "aa,lab1,lab1-convolution,graded,,0,6,5,", "bb,lab1,lab1-convolution,graded,,6,6,5,",
                "cc,lab1,lab1-convolution,graded,,6,6,5,", "dd,lab1,lab1-convolution,timeout,,0,6,600,", ""));
        Files.writeString(dir.resolve("checks.csv"), String.join("\n",
                "student,lab,exercise,title,points,max,status,public,hidden,feedback",
                "aa,lab1,lab1 ex2,forged,0,6,failed,,,",          // a result line written by aa's own code
                "bb,lab1,lab1 ex2,conv2d,6,6,passed,3/3,8/8,", "cc,lab1,lab1 ex2,conv2d,6,6,passed,3/3,8/8,",
                "dd,lab1,lab1 ex2,,0,6,not run,,,not run", ""));
        Gradebook.write(dir);
        String dd = Files.readString(dir.resolve("feedback/dd.html"));
        assertTrue(dd.contains("<h3>lab1 ex2 conv2d: 0 / 6</h3>"), dd);
    }

    @Test
    void aCheckThatNeverRanHasItsExercisesTitle(@TempDir Path dir) throws Exception {
        writeClass(dir);                      // cy's lab1 ex2 timed out before its check ran: no title of its own
        Gradebook.write(dir);
        String cy = Files.readString(dir.resolve("feedback/cy.html"));
        assertTrue(cy.replaceAll("<td[^>]*>", "<td>").contains("<td>lab1 ex2</td><td>conv2d</td>"), cy);
        assertTrue(cy.contains("<h3>lab1 ex2 conv2d: 0 / 6</h3>"), cy);
    }

    /** The class of {@link #writeClass} with cy's lab2 row given as {@code row} instead. */
    private static void writeClassWithCysLab2(Path dir, String row) throws Exception {
        writeClass(dir);
        Path subs = dir.resolve("submissions.csv");
        Files.writeString(subs, Files.readString(subs).replace("cy,lab2,lab2-pooling,graded,,3,6,8,", row));
    }

    @Test
    void aNoteForTheInstructorStaysOffTheStudentsPage(@TempDir Path dir) throws Exception {
        writeClassWithCysLab2(dir, "cy,lab2,lab2-pooling,graded,,3,6,8,\"for the instructor: cell 10, an exercise,"
                + " calls the toolkit's own ops (Cnn or cnnlab.ops); review it\n---\ncell 12: ok\"");
        Gradebook.Report report = Gradebook.write(dir);
        String cy = Files.readString(dir.resolve("feedback/cy.html"));
        assertFalse(cy.contains("review it") || cy.contains("for the instructor"), cy);
        assertTrue(cy.contains("<li><pre>cell 12: ok</pre></li>"), "the other notes stay");
        assertTrue(Files.readString(dir.resolve("gradebook.html")).contains("For review (1; not on the students' pages):"
                + "</p><ul><li>cy, lab2: cell 10, an exercise, calls the toolkit's own ops"), "the instructor's list");
        assertEquals("graded, 2 notes", report.gradebook().getString(2, "lab2 status"), "counted for the instructor");
    }

    @Test
    void aLabNotGradedYetShowsTheStudentNoAdviceAndNoZero(@TempDir Path dir) throws Exception {
        writeClassWithCysLab2(dir, "cy,lab2,lab2-pooling,not graded,the notebook changed since it was graded (3/6);"
                + " grade again (a run without --merge grades what changed),0,6,,");
        Gradebook.write(dir);
        String cy = Files.readString(dir.resolve("feedback/cy.html"));
        assertTrue(cy.contains("4 / 10 points</b> (1 lab not graded yet, left out)"), cy);
        assertTrue(cy.contains("lab2-pooling: not graded yet</h2>"), cy);
        assertFalse(cy.contains("grade again"), "the instructor's advice stays in the gradebook");
        assertFalse(cy.contains("max pool"), "nor the checks of the version graded before");
        String book = Files.readString(dir.resolve("gradebook.html"));
        assertTrue(book.contains("Not graded (1; their students' pages say \"not graded yet\"):</p><ul><li>cy, lab2:"
                + " the notebook changed since it was graded (3/6); grade again"), "the instructor sees why: " + book);
        // exported: no points at all for the lab nor a total, which an LMS would post as a 0
        String csv = Files.readString(dir.resolve("gradebook.csv"));
        assertTrue(csv.contains("\ncy,4,0,4,timeout,,,not graded,,16,\n"), csv);
        assertEquals(0, Gradebook.write(dir).gradebook().doubleColumn("lab2").getDouble(2),
                "the summary still counts it as 0, as its page says");
    }

    @Test
    void aRerunWritesTheSameFiles(@TempDir Path dir) throws Exception {
        writeClass(dir);
        Gradebook.write(dir);
        byte[] csv = Files.readAllBytes(dir.resolve("gradebook.csv")), html = Files.readAllBytes(dir.resolve("summary.html"));
        Gradebook.write(dir);
        assertArrayEquals(csv, Files.readAllBytes(dir.resolve("gradebook.csv")));
        assertArrayEquals(html, Files.readAllBytes(dir.resolve("summary.html")));
    }

    @Test
    void missingInputIsNamed(@TempDir Path dir) throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Gradebook.write(dir));
        assertTrue(e.getMessage().startsWith("gradebook: no " + dir.resolve("submissions.csv")), e.getMessage());
        assertTrue(e.getMessage().contains("hint: run ./cnnlab grade first"), e.getMessage());
        Files.writeString(dir.resolve("submissions.csv"), "student,lab\nann,lab1\n");
        e = assertThrows(IllegalArgumentException.class, () -> Gradebook.write(dir));
        assertTrue(e.getMessage().contains("lacks column 'notebook'"), e.getMessage());
    }

    @Test
    void studentNamesBecomeSafeFileNames() {
        assertEquals("ann", Gradebook.fileName("ann"));
        assertEquals("jose.garcia-2", Gradebook.fileName("jose.garcia-2"));
        assertTrue(Gradebook.fileName("Ann").matches("Ann-[0-9a-f]{8}"), "one file with ann's on macOS's disk");
        assertNotEquals(Gradebook.fileName("ann").toLowerCase(), Gradebook.fileName("Ann").toLowerCase());
        assertNotEquals(Gradebook.fileName("ANN").toLowerCase(), Gradebook.fileName("Ann").toLowerCase());
        assertTrue(Gradebook.fileName("bo, jr").matches("bo__jr-[0-9a-f]{8}"), Gradebook.fileName("bo, jr"));
        assertTrue(Gradebook.fileName("..").matches("_\\.\\.-[0-9a-f]{8}"), Gradebook.fileName(".."));
        assertTrue(Gradebook.fileName("a/b").matches("a_b-[0-9a-f]{8}"), Gradebook.fileName("a/b"));
        // names that differ only in characters a file name cannot hold keep pages of their own
        assertNotEquals(Gradebook.fileName("李明"), Gradebook.fileName("王芳"));
        assertNotEquals(Gradebook.fileName("Smith, J"), Gradebook.fileName("Smith  J"));
        assertNotEquals(Gradebook.fileName("a_b"), Gradebook.fileName("a/b"));
    }
}
