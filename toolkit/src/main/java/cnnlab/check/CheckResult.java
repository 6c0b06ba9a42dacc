package cnnlab.check;

import java.util.List;
import java.util.Locale;

/**
 * What one check found: points, a status, the verdict line, the cases passed, one line per case group and the first
 * problem of each failing group. {@link #toString()} reads well in JShell; {@link #toHtml()} is the block a notebook
 * shows; {@link #toJson()} is the line appended to {@code CNNLAB_RESULTS}.
 *
 * <pre>
 * jshell&gt; Check.lab1.outputSize(MySizes::outputSize)
 * $1 ==&gt; lab1 ex1 · output size: 2/2 points
 *        all 6 public cases passed; hidden cases run when graded
 *          ✓ stride 1, no padding                        0.5/0.5
 *          ...
 * </pre>
 *
 * @param lab          {@code "lab1"}
 * @param exercise     {@code "lab1 ex2"}
 * @param title        what the exercise is, e.g. {@code "conv2d"}
 * @param points       points earned (from public cases only unless graded)
 * @param max          the exercise's points
 * @param status       the outcome
 * @param graded       true when hidden cases ran
 * @param publicPassed public cases passed
 * @param publicTotal  public cases
 * @param hiddenPassed hidden cases passed (0 unless graded)
 * @param hiddenTotal  hidden cases run (0 unless graded)
 * @param verdict      the one-line verdict; never "all passed" unless hidden cases ran and passed
 * @param groups       one entry per case group
 * @param notes        further lines: tolerance, the time limit note
 */
public record CheckResult(String lab, String exercise, String title, double points, double max, Status status,
                          boolean graded, int publicPassed, int publicTotal, int hiddenPassed, int hiddenTotal,
                          String verdict, List<GroupResult> groups, List<String> notes) {

    /** How a check ended, with the words used in the results file. */
    public enum Status {
        PASSED("passed"), PARTIAL("partial"), FAILED("failed"), NOT_ATTEMPTED("not attempted"), ERROR("error"),
        TIMEOUT("timeout");

        private final String word;

        Status(String word) {
            this.word = word;
        }

        /** {@code "not attempted"}, as in the results file. */
        public String word() {
            return word;
        }
    }

    /**
     * One case group: its points and, if it failed, the first problem (a public case's inputs included, a hidden
     * case only described).
     */
    public record GroupResult(String name, double points, double max, boolean passed, int casesPassed, int cases,
                              String problem) {
    }

    public CheckResult {
        groups = List.copyOf(groups);
        notes = List.copyOf(notes);
    }

    /** {@code "5/8"} for hidden cases that ran, or null when only public cases ran. */
    public String hidden() {
        return graded ? hiddenPassed + "/" + hiddenTotal : null;
    }

    /** The feedback as plain text: verdict, group lines, notes. Never contains a hidden case's inputs. */
    public String feedback() {
        StringBuilder b = new StringBuilder(verdict);
        for (GroupResult g : groups) {
            b.append('\n').append(g.passed ? "✓ " : "✗ ").append(g.name).append(": ")
                    .append(pts(g.points)).append('/').append(pts(g.max));
            if (g.problem != null) {
                b.append("\n    ").append(g.problem.replace("\n", "\n    "));
            }
        }
        for (String n : notes) {
            b.append('\n').append(n);
        }
        return b.toString();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(exercise + " · " + title + ": " + pts(points) + "/" + pts(max) + " points\n");
        b.append(verdict);
        int width = groups.stream().mapToInt(g -> g.name.length()).max().orElse(0);
        for (GroupResult g : groups) {
            b.append("\n  ").append(g.passed ? "✓ " : "✗ ").append(String.format(Locale.ROOT, "%-" + width + "s", g.name))
                    .append("  ").append(pts(g.points)).append('/').append(pts(g.max));
            if (g.problem != null) {
                b.append("\n      ").append(g.problem.replace("\n", "\n      "));
            }
        }
        for (String n : notes) {
            b.append("\n").append(n);
        }
        return b.toString();
    }

    /** A self-contained HTML block: a coloured frame, the verdict, a table of groups, the first problems. */
    public String toHtml() {
        String colour = switch (status) {
            case PASSED -> "#2e7d32";
            case PARTIAL -> "#ef6c00";
            case NOT_ATTEMPTED -> "#757575";
            default -> "#c62828";
        };
        String cell = "padding:2px 8px;border-bottom:1px solid #eee;vertical-align:top;text-align:left";
        StringBuilder h = new StringBuilder("<div style=\"border-left:6px solid " + colour
                + ";padding:6px 10px;margin:4px 0;font-family:sans-serif;font-size:13px;background:#fafafa\">");
        h.append("<div style=\"font-weight:bold;font-size:14px\">").append(esc(exercise)).append(" · ").append(esc(title))
                .append(": <span style=\"color:").append(colour).append("\">").append(pts(points)).append(" / ")
                .append(pts(max)).append(" points</span></div>");
        h.append("<div style=\"margin:4px 0;color:").append(colour).append("\">").append(esc(verdict)).append("</div>");
        boolean problems = groups.stream().anyMatch(g -> g.problem != null);
        h.append("<table style=\"border-collapse:collapse;margin:4px 0\"><tr><th style=\"").append(cell)
                .append("\"></th><th style=\"").append(cell).append("\">case group</th><th style=\"").append(cell)
                .append("\">cases</th><th style=\"").append(cell).append("\">points</th>")
                .append(problems ? "<th style=\"" + cell + "\">first problem</th>" : "").append("</tr>");
        for (GroupResult g : groups) {
            h.append("<tr><td style=\"").append(cell).append(";color:").append(g.passed ? "#2e7d32" : "#c62828")
                    .append("\">").append(g.passed ? "✓" : "✗").append("</td><td style=\"").append(cell).append("\">")
                    .append(esc(g.name)).append("</td><td style=\"").append(cell).append("\">").append(g.casesPassed)
                    .append('/').append(g.cases).append("</td><td style=\"").append(cell).append("\">")
                    .append(pts(g.points)).append('/').append(pts(g.max)).append("</td>");
            if (problems) {
                // Jupyter's output CSS breaks pre text anywhere (word-break: break-all), which split "-3" after its
                // minus sign; these lines break at spaces only
                h.append("<td style=\"").append(cell).append("\"><pre style=\"margin:0;white-space:pre-wrap;"
                        + "word-break:normal;overflow-wrap:normal;font-size:12px\">")
                        .append(g.problem == null ? "" : esc(g.problem)).append("</pre></td>");
            }
            h.append("</tr>");
        }
        h.append("</table>");
        for (String n : notes) {
            h.append("<div style=\"color:#555;font-size:12px\">").append(esc(n)).append("</div>");
        }
        return h.append("</div>").toString();
    }

    /** One line of JSON, as appended to {@code CNNLAB_RESULTS}. */
    public String toJson() {
        return "{\"lab\":" + json(lab) + ",\"exercise\":" + json(exercise) + ",\"title\":" + json(title)
                + ",\"points\":" + jsonNumber(points) + ",\"max\":" + jsonNumber(max) + ",\"status\":"
                + json(status.word()) + ",\"public\":" + json(publicPassed + "/" + publicTotal) + ",\"hidden\":"
                + (hidden() == null ? "null" : json(hidden())) + ",\"feedback\":" + json(feedback()) + "}";
    }

    static String pts(double p) {
        return p == Math.rint(p) ? String.valueOf((long) p) : String.format(Locale.ROOT, "%.2f", p).replaceAll("0$", "");
    }

    private static String jsonNumber(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
