package cnnlab.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The lab notebooks keep the contract release and grading rely on: the two first cells, solutions only between
 * marker lines inside methods, one exercise per solution cell, one-line check cells whose points equal the check's
 * maximum, matching exercise and check ids, a title whose points add up, and no committed outputs.
 */
class LabNotebooksTest {
    private static final Pattern CHECK = Pattern.compile("Check\\.(lab\\d)\\.(\\w+)\\((.+)\\)");
    private static final Pattern TITLE = Pattern.compile("# Lab (\\d) · .+ \\((\\d+) points\\)");

    static Stream<Path> labs() throws IOException {
        Path dir = Path.of("").toAbsolutePath().getFileName().toString().equals("toolkit")
                ? Path.of("../lab-exercises") : Path.of("lab-exercises");
        List<Path> labs = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(p -> p.getFileName().toString().matches("lab\\d-.+\\.ipynb")).sorted().forEach(labs::add);
        }
        assertEquals(5, labs.size(), "five labs in " + dir.toAbsolutePath());
        return labs.stream();
    }

    private static String source(JsonNode cell) {
        JsonNode s = cell.get("source");
        if (s.isTextual()) {
            return s.asText();
        }
        StringBuilder b = new StringBuilder();
        s.forEach(line -> b.append(line.asText()));
        return b.toString();
    }

    @ParameterizedTest
    @MethodSource("labs")
    void keepsTheReleaseAndGradingContract(Path notebook) throws Exception {
        JsonNode cells = new ObjectMapper().readTree(notebook.toFile()).get("cells");
        String lab = notebook.getFileName().toString().substring(0, 4);
        assertEquals("%jars ../toolkit/target/cnnlab-toolkit.jar", source(cells.get(1)).strip(), notebook + ": cell 1");
        String imports = source(cells.get(2));
        assertTrue(imports.contains("import cnnlab.check.*;") && imports.contains("cnnlab.notebook.Notebook.setup();"),
                notebook + ": cell 2 imports cnnlab.check and calls Notebook.setup()");
        Matcher title = TITLE.matcher(source(cells.get(0)));
        assertTrue(title.find() && title.group(1).equals(lab.substring(3)), notebook + ": title names the lab and its points");

        Map<String, Double> checks = new LinkedHashMap<>();
        List<String> exercises = new ArrayList<>();
        for (JsonNode cell : cells) {
            if (!cell.get("cell_type").asText().equals("code")) {
                continue;
            }
            String src = source(cell);
            assertEquals(0, cell.get("outputs").size(), notebook + ": outputs are stripped");
            assertTrue(cell.get("execution_count").isNull(), notebook + ": execution counts are stripped");
            JsonNode meta = cell.path("metadata").path("cnnlab");
            if (meta.has("exercise")) {
                String id = meta.get("exercise").asText();
                assertTrue(id.startsWith(lab + " ex"), notebook + ": exercise id " + id);
                exercises.add(id);
                solutionRegions(notebook, id, src);
            } else {
                assertTrue(!src.contains("SOLUTION"), notebook + ": a solution marker outside an exercise cell");
            }
            if (meta.has("check")) {
                String id = meta.get("check").asText();
                Matcher m = CHECK.matcher(src.strip());
                assertTrue(m.matches() && !src.strip().contains("\n"), notebook + ": check cell " + id + " is one call: " + src);
                assertEquals(lab, m.group(1), notebook + ": " + id + " calls another lab's check");
                CheckResult probe = probe(m.group(1), m.group(2));
                assertEquals(id, probe.exercise(), notebook + ": the check cell " + id + " calls " + probe.exercise());
                assertEquals(CheckResult.Status.ERROR, probe.status(), "a null function is reported, not thrown");
                double max = probe.max();
                assertEquals(max, CheckPoints.all().get(id), "CheckPoints lists " + id + " as its check gives it");
                assertEquals(max, meta.get("points").asDouble(),
                        notebook + ": points of " + id + " = the check's maximum");
                checks.put(id, max);
            }
        }
        assertEquals(exercises, new ArrayList<>(checks.keySet()), notebook + ": one check per exercise, in order");
        assertEquals(Integer.parseInt(title.group(2)), checks.values().stream().mapToDouble(d -> d).sum(), 1e-9,
                notebook + ": the title's points add up");
    }

    /**
     * Marker lines alone on their line, paired, never nested; a solution inside a method (indented at least two
     * levels), a NO PROMPT one (whole members, no stub) in a class's body, and at least one that is not NO PROMPT.
     */
    private static void solutionRegions(Path notebook, String id, String src) {
        int open = -1, regions = 0;
        String[] lines = src.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            if (l.contains("BEGIN SOLUTION")) {
                boolean members = l.strip().equals("// BEGIN SOLUTION NO PROMPT");
                assertTrue(members || l.strip().equals("// BEGIN SOLUTION"), notebook + " " + id + ": marker line "
                        + (i + 1));
                assertTrue(open < 0, notebook + " " + id + ": nested BEGIN SOLUTION at line " + (i + 1));
                assertTrue(l.indexOf('/') >= (members ? 4 : 8), notebook + " " + id + ": a solution must sit inside "
                        + (members ? "a class" : "a method body"));
                regions += members ? 0 : 1;
                open = i;
            } else if (l.contains("END SOLUTION")) {
                assertEquals("// END SOLUTION", l.strip(), notebook + " " + id + ": marker line " + (i + 1));
                assertTrue(open >= 0, notebook + " " + id + ": END SOLUTION without BEGIN at line " + (i + 1));
                assertEquals(lines[open].indexOf('/'), l.indexOf('/'), notebook + " " + id + ": markers indented alike");
                open = -1;
            }
        }
        assertTrue(open < 0 && regions > 0, notebook + " " + id + ": unclosed or missing solution region (NO PROMPT"
                + " ones aside)");
    }

    private static CheckResult probe(String lab, String method) throws Exception {
        Object checks = Check.class.getField(lab).get(null);
        for (Method m : checks.getClass().getMethods()) {
            if (m.getName().equals(method) && m.getParameterCount() == 1) {
                return (CheckResult) m.invoke(checks, new Object[] {null});
            }
        }
        throw new AssertionError("no check " + lab + "." + method);
    }
}
