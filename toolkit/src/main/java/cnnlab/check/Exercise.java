package cnnlab.check;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one exercise's case groups against a student's function and turns what happened into a
 * {@link CheckResult}. Never throws because of the student: exceptions, wrong types, nulls and calls that run past
 * the limit all become feedback.
 */
final class Exercise {
    private Exercise() {
    }

    /**
     * The kernel's note that an exercise's ✏️ cell did not compile when it last ran ({@code + "lab1 ex2"}): the name
     * {@code cnnlab.kernel.KernelMends} sets, written twice since the kernel's classes and the notebook's are
     * loaded apart (KernelMendsTest runs a check through both).
     */
    static final String NOT_COMPILED = "cnnlab.exercise.notCompiled.";

    /**
     * @param exercise  {@code "lab1 ex2"}
     * @param title     {@code "conv2d"}
     * @param student   the student's function (null is reported, not thrown)
     * @param groups    the case groups; hidden cases run only when {@code config.grading()}
     * @param note      the line under the groups that says how results are compared ({@link Compare#within}), or
     *                  null
     */
    static CheckResult run(CheckConfig config, String exercise, String title, Object student, List<Group> groups,
            String note) {
        String lab = exercise.contains(" ") ? exercise.substring(0, exercise.indexOf(' ')) : exercise;
        double max = groups.stream().mapToDouble(Group::points).sum();
        List<String> notes = new ArrayList<>();
        CheckResult result;
        if (Boolean.getBoolean(NOT_COMPILED + exercise)) {   // set by the cnnlab kernel (KernelMends)
            result = notRun(config, lab, exercise, title, groups, max, notes, "not checked: the ✏️ " + exercise
                    + " cell did not compile when it last ran, so its class is still the one of an earlier run"
                    + " (graded, the cell counts as not compiling): fix its error, run it again, then this cell");
        } else if (student == null) {
            result = notRun(config, lab, exercise, title, groups, max, notes,
                    "error: no function was given to the check (it got null)");
        } else {
            result = runCases(config, lab, exercise, title, groups, max, notes, note);
        }
        append(config, result);
        return result;
    }

    /** An error result for a check that ran no case: every group "not run", 0 points. */
    private static CheckResult notRun(CheckConfig config, String lab, String exercise, String title,
            List<Group> groups, double max, List<String> notes, String verdict) {
        List<CheckResult.GroupResult> none = new ArrayList<>();
        for (Group g : groups) {
            none.add(new CheckResult.GroupResult(g.name(), 0, g.points(), false, 0,
                    g.publicCases().size() + (config.grading() ? g.hiddenCases().size() : 0), "not run"));
        }
        int pub = groups.stream().mapToInt(g -> g.publicCases().size()).sum();
        int hid = config.grading() ? groups.stream().mapToInt(g -> g.hiddenCases().size()).sum() : 0;
        return new CheckResult(lab, exercise, title, 0, max, CheckResult.Status.ERROR, config.grading(), 0, pub, 0,
                hid, verdict, none, notes);
    }

    private static CheckResult runCases(CheckConfig config, String lab, String exercise, String title,
            List<Group> groups, double max, List<String> notes, String note) {
        int publicPassed = 0, publicTotal = 0, hiddenPassed = 0, hiddenTotal = 0, notAttempted = 0, thrown = 0;
        int notRun = 0, mismatched = 0, timeouts = 0;
        boolean outOfMemory = false;
        String timedOut = null;
        String stillRunning = null;
        double points = 0;
        List<CheckResult.GroupResult> results = new ArrayList<>();
        // a problem said with its inputs once ("returned null" in every group) is not followed by them again
        java.util.Set<String> shownWithInputs = new java.util.HashSet<>();
        for (Group g : groups) {
            List<Case> cases = new ArrayList<>(g.publicCases());
            int publicCount = cases.size();
            if (config.grading()) {
                cases.addAll(g.hiddenCases());
            }
            int passed = 0;
            String problem = null;
            boolean groupTimedOut = false;
            for (int i = 0; i < cases.size(); i++) {
                boolean isPublic = i < publicCount;
                Case c = cases.get(i);
                String name = isPublic ? "public case " + (i + 1) + " (" + c.label() + ")"
                        : "hidden case " + (i - publicCount + 1) + " (" + c.label() + ")";
                if (isPublic) {
                    publicTotal++;
                } else {
                    hiddenTotal++;
                }
                // after a call past the limit: the rest of its group is not run (the group is lost), the other groups
                // are, unless that call is still running (then nothing more runs beside it) or MAX_TIMEOUTS calls
                // ran to the limit already (the grader's cell limit, 60 s, must not end the check first)
                if (groupTimedOut || timedOut != null && (stillRunning != null || timeouts >= MAX_TIMEOUTS)) {
                    notRun++;
                    problem = problem == null ? "not run: an earlier call ran past the time limit" : problem;
                    continue;
                }
                if (outOfMemory) {   // each call would fill the kernel's memory again: the check ends here
                    notRun++;
                    problem = problem == null ? "not run: an earlier call ran out of memory" : problem;
                    continue;
                }
                String wrong;
                Call.Outcome out = Call.run(c.call(), config.limitSeconds());
                // the release's stub itself, not any UnsupportedOperationException (List.of(1).add(2), say)
                boolean stub = out.thrown() != null && out.notAttempted()
                        && (exercise + ": not implemented yet").equals(out.thrown().getMessage());
                if (out.timedOut()) {
                    groupTimedOut = true;
                    timeouts++;
                    timedOut = timedOut == null ? name : timedOut;
                    stillRunning = stillRunning == null ? out.stillRunning() : stillRunning;
                    wrong = "still running after the " + seconds(config.limitSeconds()) + " limit, so it was "
                            + (out.stopped() ? "stopped" : "left running");
                } else if (out.thrown() != null) {
                    if (out.thrown() instanceof OutOfMemoryError && !outOfMemory) {
                        outOfMemory = true;
                        notes.add("Your function asked for more memory than the kernel has: look at the sizes of the"
                                + " arrays it creates (new double[a][b][c] holds a·b·c numbers of 8 bytes) against"
                                + " the sizes the case needs.");
                    }
                    if (out.notAttempted()) {
                        notAttempted++;
                    } else {
                        thrown++;
                    }
                    // a stub's throw: what to write, not a failure to study (its inputs are not shown)
                    wrong = (stub ? "not written yet: it threw " : "threw ")
                            + (isPublic ? Call.describe(out.thrown()) : Call.describeHidden(out.thrown()));
                } else {
                    Compare.Mismatch m;
                    try {
                        m = c.judge().apply(out.value());
                    } catch (RuntimeException | StackOverflowError e) {
                        m = new Compare.Mismatch("the result could not be checked: " + Call.describe(e),
                                "the result could not be checked: " + e.getClass().getSimpleName());
                    }
                    wrong = m == null ? null : isPublic ? m.shown() : m.hidden();
                    mismatched += m == null ? 0 : 1;
                }
                if (wrong == null) {
                    passed++;
                    if (isPublic) {
                        publicPassed++;
                    } else {
                        hiddenPassed++;
                    }
                } else if (problem == null) {
                    boolean inputs = isPublic && c.inputs() != null && !stub;
                    problem = name + ": " + wrong + (!inputs ? "" : shownWithInputs.add(wrong)
                            ? "\ninputs:\n  " + c.inputs().replace("\n", "\n  ") : " (the same message as above; its"
                            + " inputs are not shown again)");
                }
            }
            boolean ok = passed == cases.size();
            points += ok ? g.points() : 0;
            results.add(new CheckResult.GroupResult(g.name(), ok ? g.points() : 0, g.points(), ok, passed, cases.size(),
                    problem));
        }
        boolean graded = config.grading();
        if (note != null && publicPassed + hiddenPassed + mismatched > 0) {
            notes.add(0, note);   // how values are compared, when some were
        }
        // cases, not points: a group scores only when all its cases pass
        String counts = "cases passed: " + publicPassed + " of " + publicTotal + " public" + (graded ? ", "
                + hiddenPassed + " of " + hiddenTotal + " hidden" : "");
        CheckResult.Status status;
        String verdict;
        String score = CheckResult.pts(points) + "/" + CheckResult.pts(max) + " points";
        // untouched only when every case reached the stub: a method written but wrong beside stubs is attempted
        if (notAttempted > 0 && thrown == 0 && mismatched == 0 && timedOut == null
                && publicPassed + hiddenPassed == 0) {
            status = CheckResult.Status.NOT_ATTEMPTED;
            points = 0;
            verdict = "not attempted: the function still throws UnsupportedOperationException; write your code where"
                    + " it says // YOUR CODE HERE and run its cell, then this one";
        } else if (timedOut != null) {
            status = CheckResult.Status.TIMEOUT;
            verdict = (stillRunning == null ? "stopped: " : "still running: ") + timedOut + " ran longer than the "
                    + seconds(config.limitSeconds()) + " limit" + (notRun == 0 ? "" : "; " + notRun + " later case"
                    + (notRun == 1 ? " was" : "s were") + " not run") + " (" + score + ", " + counts + ")";
            notes.add("Look for a loop that never ends: a counter that never changes, or a condition that stays true."
                    + (stillRunning == null ? "" : " The call could not be stopped (" + stillRunning + ")"
                    + (config.grading() ? "." : ", so it may keep a core busy: restart the kernel (Kernel ▸ Restart)"
                    + " once the loop is fixed.")));
        } else if (points == max) {
            status = CheckResult.Status.PASSED;
            verdict = graded ? "all cases passed (" + publicTotal + " public, " + hiddenTotal + " hidden): " + score
                    : "all " + publicTotal + " public cases passed; hidden cases run when graded";
        } else if (points > 0) {
            status = CheckResult.Status.PARTIAL;
            verdict = results.stream().filter(CheckResult.GroupResult::passed).count() + " of " + results.size()
                    + " case groups passed: " + score + " (" + counts + ")"
                    + (graded ? "" : "; hidden cases run when graded");
        } else if (thrown > 0 && mismatched == 0) {
            status = CheckResult.Status.ERROR;
            verdict = "your function threw an exception: " + score + " (" + counts + ")";
        } else {
            // wrong values, perhaps beside cases that threw or reached a stub: say how many of each
            status = CheckResult.Status.FAILED;
            verdict = "no case group passed: " + score + " (" + counts + ")"
                    + (thrown > 0 ? "; " + thrown + (thrown == 1 ? " case" : " cases") + " threw an exception" : "")
                    + (notAttempted > 0 ? "; " + notAttempted + (notAttempted == 1 ? " case" : " cases")
                    + " reached code not written yet (UnsupportedOperationException)" : "");
        }
        return new CheckResult(lab, exercise, title, points, max, status, graded, publicPassed, publicTotal,
                hiddenPassed, hiddenTotal, verdict, results, notes);
    }

    /** Calls past the time limit after which a check runs no more cases: 3 of 10 s fit in a graded cell's 60 s. */
    static final int MAX_TIMEOUTS = 3;

    private static String seconds(double s) {
        return CheckResult.pts(s) + " s";
    }

    /** One write call of one line, then flush; a failure to write is reported on stderr, never thrown. */
    private static void append(CheckConfig config, CheckResult result) {
        if (config.results() == null) {
            return;
        }
        try {
            if (config.results().getParent() != null) {
                Files.createDirectories(config.results().getParent());
            }
            byte[] line = (result.toJson() + "\n").getBytes(StandardCharsets.UTF_8);
            try (FileOutputStream out = new FileOutputStream(config.results().toFile(), true)) {
                out.write(line);
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("cnnlab.check: could not append to " + config.results() + ": " + e.getMessage());
        }
    }
}
