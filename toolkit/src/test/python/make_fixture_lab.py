#!/usr/bin/env python3
"""Writes toolkit/src/test/resources/grade/lab-exercises/lab0-fixture.ipynb: a tiny instructor lab that follows
the labs contract (header cells, solution regions, exercise and check metadata), for testing release and grade
without depending on the real labs. Its check helper is plain Java in the header cell and does what
cnnlab.check does: public and (when CNNLAB_GRADING=1) seeded hidden cases, a time limit per student call,
"not attempted" for the stub, one JSON line appended to CNNLAB_RESULTS.
Run: /usr/bin/python3 toolkit/src/test/python/make_fixture_lab.py
"""
import json
from pathlib import Path

HEADER = r'''import java.util.function.IntBinaryOperator;
import java.util.concurrent.*;
import java.nio.file.*;
cnnlab.notebook.Notebook.setup();

/** Stands in for cnnlab.check: runs the cases, prints a verdict, appends one JSON line to CNNLAB_RESULTS. */
class FixtureCheck {
    static String run(String exercise, int max, IntBinaryOperator student, IntBinaryOperator reference) {
        boolean grading = "1".equals(System.getenv("CNNLAB_GRADING"));
        long seed = Long.parseLong(System.getenv().getOrDefault("CNNLAB_GRADE_SEED", "7"));
        double limit = Double.parseDouble(System.getenv().getOrDefault("CNNLAB_CHECK_SECONDS", "10"));
        int[][] pub = {{1, 2}, {5, 3}};
        java.util.Random random = new java.util.Random(seed);
        int[][] hid = new int[6][];
        for (int i = 0; i < hid.length; i++) hid[i] = new int[] {random.nextInt(200) - 100, random.nextInt(200) - 100};
        String status = null, feedback = "";
        int okPub = 0, okHid = 0;
        ExecutorService pool = Executors.newSingleThreadExecutor(r -> { Thread t = new Thread(r); t.setDaemon(true); return t; });
        try {
            for (int round = 0; round < (grading ? 2 : 1) && status == null; round++) {
                int[][] cases = round == 0 ? pub : hid;
                for (int i = 0; i < cases.length; i++) {
                    int a = cases[i][0], b = cases[i][1];
                    Future<Integer> got = pool.submit(() -> student.applyAsInt(a, b));
                    try {
                        int y = got.get((long) (limit * 1000), TimeUnit.MILLISECONDS), want = reference.applyAsInt(a, b);
                        if (y == want) { if (round == 0) okPub++; else okHid++; }
                        else if (feedback.isEmpty()) feedback = round == 0 ? "public case " + (i + 1) + ": f(" + a + ", " + b + ") expected " + want + ", got " + y
                                                                          : "hidden case " + (i + 1) + ": two integers; wrong value";
                    } catch (TimeoutException e) {
                        got.cancel(true); status = "timeout"; feedback = "stopped after " + limit + " s"; break;
                    } catch (ExecutionException e) {
                        Throwable c = e.getCause();
                        if (c instanceof UnsupportedOperationException) { status = "not attempted"; feedback = c.getMessage(); }
                        else { status = "error"; feedback = c.getClass().getSimpleName() + ": " + c.getMessage(); }
                        break;
                    }
                }
            }
        } catch (InterruptedException e) {
            status = "error"; feedback = "interrupted";
        } finally {
            pool.shutdownNow();
        }
        double points = status != null ? 0 : max * (okPub + okHid) / (double) (pub.length + (grading ? hid.length : 0));
        if (status == null) status = points == max ? "passed" : points == 0 ? "failed" : "partial";
        String line = "{\"lab\":\"lab0\",\"exercise\":\"" + exercise + "\",\"title\":\"fixture " + exercise + "\",\"points\":" + points
                + ",\"max\":" + max + ",\"status\":\"" + status + "\",\"public\":\"" + okPub + "/" + pub.length + "\",\"hidden\":"
                + (grading ? "\"" + okHid + "/" + hid.length + "\"" : "null") + ",\"feedback\":\"" + feedback.replace("\\", "\\\\").replace("\"", "'") + "\"}\n";
        String results = System.getenv("CNNLAB_RESULTS");
        if (results != null) {
            try { Files.writeString(Path.of(results), line, StandardOpenOption.CREATE, StandardOpenOption.APPEND); }
            catch (java.io.IOException e) { throw new java.io.UncheckedIOException(e); }
        }
        return exercise + ": " + points + "/" + max + " " + status + (grading ? "" : " (public cases only)") + (feedback.isEmpty() ? "" : " - " + feedback);
    }
}'''


def md(text):
    return {"cell_type": "markdown", "metadata": {}, "source": text}


def code(text, **cnnlab):
    return {"cell_type": "code", "execution_count": None, "metadata": {"cnnlab": cnnlab} if cnnlab else {},
            "outputs": [], "source": text}


cells = [
    code("%jars ../../../../../target/cnnlab-toolkit.jar"),
    code(HEADER),
    md("# Lab 0: fixture\nExercise 1 (4 points): add two integers."),
    code("class Add {\n    static int add(int a, int b) {\n        // BEGIN SOLUTION\n        int sumOfBoth = a + b;\n"
         "        return sumOfBoth;\n        // END SOLUTION\n    }\n}", exercise="lab0 ex1"),
    code('FixtureCheck.run("lab0 ex1", 4, Add::add, (a, b) -> a + b)', check="lab0 ex1", points=4),
    md("Exercise 2 (4 points): the larger of two integers."),
    code("class Larger {\n    static int larger(int a, int b) {\n        // BEGIN SOLUTION\n"
         "        return Math.max(a, b) + 0 * 17;\n        // END SOLUTION\n    }\n}", exercise="lab0 ex2"),
    code('FixtureCheck.run("lab0 ex2", 4, Larger::larger, Math::max)', check="lab0 ex2", points=4),
]
nb = {"cells": cells, "metadata": {"kernelspec": {"display_name": "Java (cnnlab)", "language": "java", "name": "cnnlab"},
                                   "language_info": {"name": "java"}}, "nbformat": 4, "nbformat_minor": 5}
for i, c in enumerate(nb["cells"]):
    c["id"] = f"fixture-{i}"
out = Path(__file__).resolve().parents[1] / "resources/grade/lab-exercises/lab0-fixture.ipynb"
out.write_text(json.dumps(nb, indent=1) + "\n")
print(out)
