package cnnlab.grade;

import cnnlab.notebook.Html;
import cnnlab.viz.Plots;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

/**
 * The gradebook, summary and per-student feedback of a grading run, from the results the grader wrote.
 *
 * <p>Input (written by {@code ./cnnlab grade}, one row per submission and one per exercise of it):
 * <ul>
 *   <li>{@code OUT/submissions.csv}: student, lab, notebook, status, reason, points, max, seconds, notes (the
 *       notes separated by a line {@code ---});</li>
 *   <li>{@code OUT/checks.csv}: student, lab, exercise, title, points, max, status, public, hidden, feedback.</li>
 * </ul>
 * Output, in the same folder:
 * <ul>
 *   <li>{@code gradebook.csv}, {@code gradebook.html}: one row per student, points per exercise, per lab (with the
 *       lab's status and how many notes the grader left, see {@link #statusCell}), total, maximum and percent;</li>
 *   <li>{@code statuses.csv}: how many submissions of each lab have each status;</li>
 *   <li>{@code summary.csv}, {@code summary.html}, {@code histogram.png}: mean and median per exercise, per lab
 *       and in total (a missing submission counts as 0 points), and how the totals spread;</li>
 *   <li>{@code feedback/STUDENT.html} (the name as {@link #fileName} makes it safe): a student's points, verdicts
 *       and the checks' own feedback text, for that student alone. It never holds a cell's output: a student's code
 *       may print a hidden case's inputs, so outputs stay with the grader. The folder holds these pages only;</li>
 *   <li>{@code feedback-pages.html}: the instructor's list of them, a link to each (beside the gradebook, not in
 *       the folder handed out).</li>
 * </ul>
 * Everything is a function of the inputs (no dates), so a rerun over the same results writes the same files.
 *
 * <pre>{@code
 * jshell> cnnlab.grade.Gradebook.write(Path.of("build/grade"))
 * $1 ==> gradebook: 14 students, 14 submissions, mean total 3.4/8 (build/grade/gradebook.html)
 * }</pre>
 */
public final class Gradebook {
    private static final String STYLE = "body{font-family:sans-serif;margin:24px;max-width:1100px}"
            + "h1{font-size:22px}h2{font-size:17px;margin-top:28px}h3{font-size:14px;margin:16px 0 4px}.muted{color:#666}"
            + ".bad{color:#b00020}.ok{color:#1b5e20}pre{white-space:pre-wrap;margin:0;background:#f7f7f7;padding:6px}";

    private Gradebook() {
    }

    /**
     * Students in the order of a class list: letter case and accents aside ("abe", "José", "Zoe"), names that
     * differ only there next to each other, in a fixed order.
     */
    static final java.util.Comparator<String> BY_NAME = collator().thenComparing(java.util.Comparator.naturalOrder());

    private static java.util.Comparator<String> collator() {
        java.text.Collator c = java.text.Collator.getInstance(Locale.ROOT);
        c.setStrength(java.text.Collator.SECONDARY);
        return c::compare;
    }

    /** What {@link #write} produced. */
    public record Report(Path dir, Table gradebook, Table summary, int submissions) {
        @Override
        public String toString() {
            double mean = gradebook.rowCount() == 0 ? 0 : gradebook.doubleColumn("total").mean();
            double max = gradebook.rowCount() == 0 ? 0 : gradebook.doubleColumn("max").max();
            return String.format(Locale.ROOT, "gradebook: %d students, %d submissions, mean total %s/%s (%s)",
                    gradebook.rowCount(), submissions, fmt(mean), fmt(max), dir.resolve("gradebook.html"));
        }
    }

    /** Writes every output into {@code OUT} (the only argument) and prints one line. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: java cnnlab.grade.Gradebook OUT_DIR   (OUT_DIR holds submissions.csv and checks.csv)");
            System.exit(2);
        }
        System.out.println(write(Path.of(args[0])));
    }

    /**
     * Reads {@code dir/submissions.csv} and {@code dir/checks.csv} and writes the gradebook, summary, histogram
     * and feedback pages next to them.
     *
     * @throws IllegalArgumentException if either CSV is missing or lacks a column named above
     * @throws IOException if a file cannot be written
     */
    public static Report write(Path dir) throws IOException {
        Table subs = read(dir.resolve("submissions.csv"), "student", "lab", "notebook", "status", "reason", "points",
                "max", "seconds", "notes");
        Table checks = read(dir.resolve("checks.csv"), "student", "lab", "exercise", "title", "points", "max",
                "status", "public", "hidden", "feedback");
        titled(checks);
        Table book = gradebook(subs, checks);
        Table summary = summary(book, checks);
        Files.createDirectories(dir);
        Table shown = withoutUngraded(book);   // an LMS importing a 0 for a lab not graded yet would post it
        writeAtomic(dir.resolve("gradebook.csv"), csv(shown));
        writeAtomic(dir.resolve("gradebook.html"), page("Gradebook",
                "<p class=\"muted\">" + book.rowCount() + " students, " + subs.rowCount() + " submissions. Summary: "
                        + "<a href=\"summary.html\">summary.html</a>; each student's feedback page, with the reason "
                        + "for a status and the grader's notes (\"graded, 2 notes\"): "
                        + "<a href=\"feedback-pages.html\">feedback-pages.html</a>.</p>" + notGraded(subs)
                        + forInstructor(subs)
                        + Html.table(shown.setName(""), Integer.MAX_VALUE)));   // the page's title names it
        writeAtomic(dir.resolve("summary.csv"), csv(summary));
        Table statuses = statuses(subs);
        writeAtomic(dir.resolve("statuses.csv"), csv(statuses));
        double[] totals = book.doubleColumn("total").asDoubleArray();
        double max = book.rowCount() == 0 ? 0 : book.doubleColumn("max").max();
        String chart = "";
        if (totals.length > 0 && max > 0) {
            CategoryChart c = Plots.scoreHistogram(totals, max, 10, "Totals of " + totals.length + " students");
            Path tmp = temporary(dir.resolve("histogram.png"), ".png");   // XChart adds ".png" to the name
            try {
                BitmapEncoder.saveBitmap(c, tmp.toString().replaceAll("\\.png$", ""), BitmapEncoder.BitmapFormat.PNG);
                Files.move(tmp, dir.resolve("histogram.png"), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            chart = "<p><img src=\"histogram.png\" alt=\"histogram of totals\"></p>";
        }
        writeAtomic(dir.resolve("summary.html"), page("Summary",
                "<p class=\"muted\">Over all " + book.rowCount() + " students; a submission that is missing or was not "
                        + "graded counts as 0 points.</p>" + Html.table(summary.copy().setName(""), Integer.MAX_VALUE) + chart
                        + "<h2>Submissions by status</h2>" + Html.table(statuses, Integer.MAX_VALUE)));
        Path feedback = dir.resolve("feedback");
        Files.createDirectories(feedback);
        StringBuilder index = new StringBuilder("<p class=\"muted\">Each page is for its student alone: hand them"
                + " out one by one (a page's name is the student's, easy to guess).</p><ul>");
        Set<String> written = new java.util.HashSet<>();
        for (String student : book.stringColumn("student").asList()) {
            String file = fileName(student) + ".html";
            writeAtomic(feedback.resolve(file), feedback(student, subs, checks));
            written.add(file);
            index.append("<li><a href=\"feedback/").append(Html.escape(file)).append("\">")
                    .append(Html.escape(student)).append("</a></li>");
        }
        // the list links every student's page: it is the instructor's, beside the gradebook, not in the pages' folder
        writeAtomic(dir.resolve("feedback-pages.html"), page("Feedback pages", index.append("</ul>").toString()));
        // a student no longer in the class keeps no page (nor does the list the folder once held)
        try (var pages = Files.list(feedback)) {
            for (Path old : pages.filter(p -> p.toString().endsWith(".html")).toList()) {
                if (!written.contains(old.getFileName().toString())) {
                    Files.deleteIfExists(old);   // another writer may have removed it already
                }
            }
        }
        return new Report(dir, book, summary, subs.rowCount());
    }

    /**
     * One row per student: {@code student}, then per lab its exercises' points, the lab's points and its
     * status, then {@code total}, {@code max} and {@code percent}. Labs and exercises keep the order of the
     * input; students are in class-list order ({@link #BY_NAME}).
     *
     * @throws IllegalArgumentException if the tables lack the columns {@link #write} names
     */
    public static Table gradebook(Table subs, Table checks) {
        Map<String, List<String>> exercisesOfLab = new LinkedHashMap<>();
        Map<String, Double> maxOf = new LinkedHashMap<>();
        for (int r = 0; r < checks.rowCount(); r++) {
            String lab = checks.getString(r, "lab"), ex = checks.getString(r, "exercise");
            List<String> list = exercisesOfLab.computeIfAbsent(lab, k -> new ArrayList<>());
            if (!list.contains(ex)) {
                list.add(ex);
            }
            maxOf.put(ex, number(checks, r, "max"));
        }
        Set<String> students = new java.util.TreeSet<>(BY_NAME);
        students.addAll(subs.stringColumn("student").asList());
        Table book = Table.create("gradebook");
        StringColumn student = StringColumn.create("student");
        book.addColumns(student);
        for (Map.Entry<String, List<String>> lab : exercisesOfLab.entrySet()) {
            for (String ex : lab.getValue()) {
                book.addColumns(DoubleColumn.create(ex));
            }
            book.addColumns(DoubleColumn.create(lab.getKey()), StringColumn.create(lab.getKey() + " status"));
        }
        book.addColumns(DoubleColumn.create("total"), DoubleColumn.create("max"), DoubleColumn.create("percent"));
        Map<String, Integer> row = new LinkedHashMap<>();
        for (String s : students) {
            row.put(s, book.rowCount());
            student.append(s);
            for (int c = 1; c < book.columnCount(); c++) {
                if (book.column(c) instanceof DoubleColumn d) {
                    d.append(0.0);
                } else {
                    ((StringColumn) book.column(c)).append("missing");
                }
            }
        }
        for (int r = 0; r < checks.rowCount(); r++) {
            int at = row.get(checks.getString(r, "student"));
            book.doubleColumn(checks.getString(r, "exercise")).set(at, number(checks, r, "points"));
        }
        for (int r = 0; r < subs.rowCount(); r++) {
            int at = row.get(subs.getString(r, "student"));
            String lab = subs.getString(r, "lab");
            if (!book.containsColumn(lab)) { // a lab with no check rows at all
                continue;
            }
            book.doubleColumn(lab).set(at, round(number(subs, r, "points")));
            book.stringColumn(lab + " status").set(at, statusCell(subs.getString(r, "status"),
                    subs.getString(r, "notes")));
        }
        double max = 0;
        for (Map.Entry<String, List<String>> lab : exercisesOfLab.entrySet()) {
            for (String ex : lab.getValue()) {
                max += maxOf.get(ex);
            }
        }
        for (int r = 0; r < book.rowCount(); r++) {
            double total = 0;
            for (String lab : exercisesOfLab.keySet()) {
                total += book.doubleColumn(lab).getDouble(r);
            }
            book.doubleColumn("total").set(r, round(total));
            book.doubleColumn("max").set(r, max);
            book.doubleColumn("percent").set(r, max == 0 ? 0 : round(100 * total / max));
        }
        return book;
    }

    /**
     * The gradebook as the instructor exports it: a lab "not graded" yet has empty cells for its exercises and its
     * points, and its student's total and percent are empty too, where {@link #gradebook} (and the summary) count
     * it as 0. A spreadsheet or an LMS reads an empty cell as no grade; a 0 would be posted as one.
     */
    static Table withoutUngraded(Table book) {
        Table shown = book.copy();
        for (int r = 0; r < shown.rowCount(); r++) {
            boolean any = false;
            for (String column : shown.columnNames()) {
                if (column.endsWith(" status") && shown.getString(r, column).startsWith(NOT_GRADED)) {
                    String lab = column.substring(0, column.length() - " status".length());
                    for (String c : shown.columnNames()) {
                        if (c.equals(lab) || c.startsWith(lab + " ") && !c.equals(column)) {
                            shown.doubleColumn(c).setMissing(r);
                        }
                    }
                    any = true;
                }
            }
            if (any) {
                shown.doubleColumn("total").setMissing(r);
                shown.doubleColumn("percent").setMissing(r);
            }
        }
        return shown;
    }

    /**
     * A lab's status in the gradebook, short enough to scan a class by: the status, and how many notes the grader
     * left ("graded, 2 notes": a compile error, a cell stopped at its limit, a call of the toolkit's own ops to
     * review). The reasons and notes themselves are on the student's feedback page and in submissions.csv.
     */
    static String statusCell(String status, String notes) {
        int n = notes.isBlank() ? 0 : notes.split("\n---\n", -1).length;
        return n == 0 ? status : status + ", " + n + (n == 1 ? " note" : " notes");
    }

    /**
     * Per exercise, per lab and in total: the maximum, the mean, the median, the lowest and highest score and how
     * many students had full marks.
     *
     * @throws IllegalArgumentException if {@code book} is not a table made by {@link #gradebook}
     */
    public static Table summary(Table book, Table checks) {
        Map<String, Double> maxOf = new LinkedHashMap<>();
        for (int r = 0; r < checks.rowCount(); r++) {
            maxOf.put(checks.getString(r, "exercise"), number(checks, r, "max"));
        }
        StringColumn item = StringColumn.create("item");
        DoubleColumn max = DoubleColumn.create("max"), mean = DoubleColumn.create("mean"),
                median = DoubleColumn.create("median"), lo = DoubleColumn.create("lowest"),
                hi = DoubleColumn.create("highest");
        IntColumn full = IntColumn.create("full marks");
        Set<String> labs = new LinkedHashSet<>(checks.stringColumn("lab").asList());
        List<String> items = new ArrayList<>();
        for (String lab : labs) {
            items.addAll(new LinkedHashSet<>(checks.where(checks.stringColumn("lab").isEqualTo(lab))
                    .stringColumn("exercise").asList()));
            items.add(lab);
        }
        items.add("total");
        for (String name : items) {
            DoubleColumn col = book.doubleColumn(name);
            double m = maxOf.containsKey(name) ? maxOf.get(name) : labs.contains(name)
                    ? maxOf.entrySet().stream().filter(e -> e.getKey().startsWith(name + " "))
                            .mapToDouble(Map.Entry::getValue).sum()
                    : book.rowCount() == 0 ? 0 : book.doubleColumn("max").get(0);
            item.append(name);
            max.append(m);
            mean.append(book.rowCount() == 0 ? 0 : round(col.mean()));
            median.append(book.rowCount() == 0 ? 0 : round(col.median()));
            lo.append(book.rowCount() == 0 ? 0 : col.min());
            hi.append(book.rowCount() == 0 ? 0 : col.max());
            full.append((int) Arrays.stream(col.asDoubleArray()).filter(v -> v >= m - 1e-9).count());
        }
        return Table.create("summary", item, max, mean, median, lo, hi, full);
    }

    /** How many submissions of each lab have each status (graded, missing, timeout, ...), labs in input order. */
    static Table statuses(Table subs) {
        Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();
        for (int r = 0; r < subs.rowCount(); r++) {
            counts.computeIfAbsent(subs.getString(r, "lab"), k -> new LinkedHashMap<>())
                    .merge(subs.getString(r, "status"), 1, Integer::sum);
        }
        StringColumn lab = StringColumn.create("lab"), status = StringColumn.create("status");
        IntColumn n = IntColumn.create("submissions");
        counts.forEach((l, byStatus) -> byStatus.forEach((k, v) -> {
            lab.append(l);
            status.append(k);
            n.append(v);
        }));
        return Table.create("", lab, status, n);
    }

    /**
     * The rows not graded, each with its reason, for the instructor: a student's feedback page says only "not graded
     * yet". Empty when every row has a grade.
     */
    static String notGraded(Table subs) {
        List<String> items = new ArrayList<>();
        for (int r = 0; r < subs.rowCount(); r++) {
            if (subs.getString(r, "status").equals(NOT_GRADED)) {
                items.add(subs.getString(r, "student") + ", " + subs.getString(r, "lab") + ": "
                        + subs.getString(r, "reason"));
            }
        }
        return listed("Not graded", "their students' pages say \"not graded yet\"", items);
    }

    /** A note that begins so is the instructor's to do: listed on gradebook.html, left off the student's page. */
    static final String FOR_INSTRUCTOR = "for the instructor: ";

    /** The notes for the instructor only ({@link #FOR_INSTRUCTOR}), each with its student and lab; empty if none. */
    static String forInstructor(Table subs) {
        List<String> items = new ArrayList<>();
        for (int r = 0; r < subs.rowCount(); r++) {
            for (String note : subs.getString(r, "notes").split("\n---\n")) {
                if (note.startsWith(FOR_INSTRUCTOR)) {
                    items.add(subs.getString(r, "student") + ", " + subs.getString(r, "lab") + ": "
                            + note.substring(FOR_INSTRUCTOR.length()));
                }
            }
        }
        return listed("For review", "not on the students' pages", items);
    }

    /** {@code <p>Heading (n; why):</p><ul>...</ul>} for the gradebook page, or "" when there is nothing to list. */
    private static String listed(String heading, String why, List<String> items) {
        StringBuilder list = new StringBuilder();
        items.forEach(item -> list.append("<li>").append(Html.escape(item)).append("</li>"));
        return items.isEmpty() ? "" : "<p class=\"bad\">" + heading + " (" + items.size() + "; " + why + "):</p><ul>"
                + list + "</ul>";
    }

    /** The status of a row whose grade is not known yet; its reason is advice to the instructor. */
    static final String NOT_GRADED = "not graded";

    /**
     * A student's page: per lab the status, the reason, each exercise's points and the checks' feedback. A lab "not
     * graded" (a shard that has not run, a notebook changed since its grade) says only that: its reason is advice to
     * the instructor, and its points are left out of the total rather than counted as 0.
     */
    static String feedback(String student, Table subs, Table checks) {
        StringBuilder html = new StringBuilder();
        Table mine = subs.where(subs.stringColumn("student").isEqualTo(student));
        double total = 0, max = 0;
        int pending = 0;
        for (int r = 0; r < mine.rowCount(); r++) {
            if (mine.getString(r, "status").equals(NOT_GRADED)) {
                pending++;
                continue;
            }
            total += number(mine, r, "points");
            max += number(mine, r, "max");
        }
        html.append("<p><b>").append(fmt(round(total))).append(" / ").append(fmt(max)).append(" points</b>")
                .append(pending == 0 ? "" : " (" + pending + (pending == 1 ? " lab" : " labs")
                        + " not graded yet, left out)").append("</p>");
        for (int r = 0; r < mine.rowCount(); r++) {
            String lab = mine.getString(r, "lab"), status = mine.getString(r, "status");
            html.append("<h2>").append(Html.escape(mine.getString(r, "notebook"))).append(": ");
            if (status.equals(NOT_GRADED)) {
                html.append("not graded yet</h2><p>This lab has not been graded yet; its points will come with its"
                        + " grade.</p>");
                continue;
            }
            html.append(fmt(number(mine, r, "points"))).append(" / ").append(fmt(number(mine, r, "max")))
                    .append("</h2><p class=\"").append(status.equals("graded") ? "ok" : "bad").append("\">")
                    .append(Html.escape(status));
            if (!mine.getString(r, "reason").isBlank()) {
                html.append(": ").append(Html.escape(mine.getString(r, "reason")));
            }
            html.append("</p>");
            Table ex = checks.where(checks.stringColumn("student").isEqualTo(student)
                    .and(checks.stringColumn("lab").isEqualTo(lab)));
            Table shown = Table.create("", StringColumn.create("exercise"), StringColumn.create("title"),
                    StringColumn.create("points"), StringColumn.create("status"), StringColumn.create("public cases"),
                    StringColumn.create("hidden cases"));
            StringBuilder details = new StringBuilder();
            for (int e = 0; e < ex.rowCount(); e++) {
                String points = fmt(number(ex, e, "points")) + " / " + fmt(number(ex, e, "max"));
                String pub = ex.getString(e, "public"), hidden = ex.getString(e, "hidden");
                shown.stringColumn(0).append(ex.getString(e, "exercise"));
                shown.stringColumn(1).append(ex.getString(e, "title"));
                shown.stringColumn(2).append(points);
                shown.stringColumn(3).append(ex.getString(e, "status"));
                shown.stringColumn(4).append(pub.isBlank() ? "not run" : pub);   // its notebook missing or stopped
                shown.stringColumn(5).append(hidden.isBlank() ? "not run" : hidden);
                String text = ex.getString(e, "feedback");
                if (!text.isBlank() && !text.equals(mine.getString(r, "reason"))) { // the reason is said above
                    details.append("<h3>").append(Html.escape((ex.getString(e, "exercise") + " "
                            + ex.getString(e, "title")).strip() + ": " + points)).append("</h3><pre>")
                            .append(Html.escape(text)).append("</pre>");
                }
            }
            html.append(Html.table(shown, Integer.MAX_VALUE)).append(details);
            List<String> notes = java.util.Arrays.stream(mine.getString(r, "notes").split("\n---\n"))
                    .filter(n -> !n.isBlank() && !n.startsWith(FOR_INSTRUCTOR)).toList();
            if (!notes.isEmpty()) {
                html.append("<p>Notes from the grader:</p><ul>");
                for (String line : notes) {
                    html.append("<li><pre>").append(Html.escape(line)).append("</pre></li>");
                }
                html.append("</ul>");
            }
        }
        return page("Feedback for " + student, html.toString());
    }

    /**
     * A check that never ran (its notebook stopped first) has no title of its own: it gets the one its exercise has
     * most often where the check did run, so that a feedback page says "lab1 ex2 conv2d" and not just "lab1 ex2".
     * The most often, not the first: a result line a student forged could carry any title.
     */
    private static void titled(Table checks) {
        StringColumn exercise = checks.stringColumn("exercise"), title = checks.stringColumn("title");
        Map<String, Map<String, Integer>> counts = new java.util.HashMap<>();
        for (int r = 0; r < checks.rowCount(); r++) {
            if (!title.get(r).isBlank()) {
                counts.computeIfAbsent(exercise.get(r), k -> new java.util.TreeMap<>()).merge(title.get(r), 1,
                        Integer::sum);
            }
        }
        for (int r = 0; r < checks.rowCount(); r++) {
            Map<String, Integer> titles = counts.get(exercise.get(r));
            if (title.get(r).isBlank() && titles != null) {
                title.set(r, java.util.Collections.max(titles.entrySet(), Map.Entry.comparingByValue()).getKey());
            }
        }
    }

    private static Table read(Path csv, String... columns) {
        if (!Files.isRegularFile(csv)) {
            throw new IllegalArgumentException("gradebook: no " + csv + "\nhint: run ./cnnlab grade first");
        }
        List<String> header;
        try (var lines = Files.lines(csv)) {
            header = List.of(lines.findFirst().orElse("").split(",", -1));
        } catch (IOException e) {
            throw new UncheckedIOException("gradebook: cannot read " + csv, e);
        }
        for (int i = 0; i < columns.length; i++) {
            if (i >= header.size() || !header.get(i).equals(columns[i])) {
                throw new IllegalArgumentException("gradebook: " + csv.getFileName() + " lacks column '" + columns[i]
                        + "' (columns " + header + ")");
            }
        }
        ColumnType[] types = new ColumnType[header.size()];
        Arrays.fill(types, ColumnType.STRING);
        // UTF-8, as the grader writes them: from a File, Tablesaw guesses the encoding from the first 10,000 bytes,
        // else takes the JVM's (ASCII under LC_ALL=C), and a name further down became "??a?la"
        try (var reader = Files.newBufferedReader(csv, java.nio.charset.StandardCharsets.UTF_8)) {
            return Table.read().usingOptions(CsvReadOptions.builder(reader).columnTypes(types)
                    .maxCharsPerColumn(1 << 20).missingValueIndicator(new String[0]).build());
        } catch (IOException e) {
            throw new UncheckedIOException("gradebook: cannot read " + csv, e);
        }
    }

    private static double number(Table t, int row, String column) {
        String s = t.getString(row, column).trim();
        try {
            return s.isEmpty() ? 0 : Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.2f", v);
    }

    /**
     * The student's name as a file name: itself when it is only small letters, digits, '.', '_' and '-'; otherwise
     * the characters outside letters and those become '_' and eight hex digits of the name's SHA-256 follow, so that
     * names differing only there (two names in Chinese characters, "Smith, J" and "Smith  J") never share a page,
     * and neither do "Ann" and "ann" on a disk that ignores letter case (macOS's, Windows').
     */
    static String fileName(String student) {
        String s = student.replaceAll("[^A-Za-z0-9._-]", "_");
        if (s.equals(student) && !s.isEmpty() && !s.startsWith(".") && s.equals(s.toLowerCase(Locale.ROOT))) {
            return s;
        }
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(student.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            String code = java.util.HexFormat.of().formatHex(digest, 0, 4);
            return (s.isEmpty() || s.startsWith(".") ? "_" + s : s) + "-" + code;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String csv(Table t) {
        StringBuilder out = new StringBuilder(String.join(",", t.columnNames().stream().map(Gradebook::quote).toList()));
        out.append('\n');
        for (int r = 0; r < t.rowCount(); r++) {
            List<String> cells = new ArrayList<>();
            for (int c = 0; c < t.columnCount(); c++) {
                String cell = t.column(c) instanceof DoubleColumn d ? (d.isMissing(r) ? "" : fmt(d.getDouble(r)))
                        : inert(t.getString(r, c));
                cells.add(quote(cell));
            }
            out.append(String.join(",", cells)).append('\n');
        }
        return out.toString();
    }

    /**
     * Text a spreadsheet would run as a formula (a student folder named "=HYPERLINK(...)") gets a leading
     * apostrophe, OWASP's defence against CSV injection; the HTML pages show the name as it is.
     */
    static String inert(String s) {
        return !s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0 ? "'" + s : s;
    }

    private static String quote(String s) {
        return s.matches(".*[\",\n\r].*|(?s).*\n.*") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private static String page(String title, String body) {
        return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + Html.escape(title) + "</title><style>"
                + STYLE + "</style></head><body><h1>" + Html.escape(title) + "</h1>" + body + "</body></html>\n";
    }

    /**
     * A temporary name beside {@code file}, of this process and a random part, so that two writers at once never
     * share one. (Files.createTempFile would make the file readable by its owner only, where the pages are meant
     * to be published: a file made here gets the umask's permissions, as the grader's own files do.)
     */
    private static Path temporary(Path file, String suffix) {
        return file.resolveSibling("." + file.getFileName() + "." + ProcessHandle.current().pid() + "."
                + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong()) + suffix);
    }

    /** Writes a file so that readers see the old or the new one whole, also with two writers at once. */
    private static void writeAtomic(Path file, String text) {
        try {
            Path tmp = temporary(file, ".tmp");
            try {
                Files.writeString(tmp, text, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE_NEW,
                        java.nio.file.StandardOpenOption.WRITE);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("gradebook: cannot write " + file, e);
        }
    }
}
