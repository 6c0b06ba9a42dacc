package cnnlab.data;

import java.io.PrintStream;
import java.util.function.Consumer;

/**
 * Progress lines for a terminal or a notebook cell: a line that ends with "..." is a step under way, and the next
 * line takes its place ({@code \r}, as the training bar redraws itself), so fetching and converting a data set
 * leaves the lines that say what was done ("fetched ... in 1.6 s", "converted 10,000 images ...") instead of one
 * line per file converted and per five seconds waited.
 */
final class ProgressLines implements Consumer<String> {
    private final PrintStream out;
    /** The length of the step-under-way line on screen, 0 if there is none. */
    private int shown;

    ProgressLines(PrintStream out) {
        this.out = out;
    }

    @Override
    public synchronized void accept(String line) {
        String blank = shown > line.length() ? " ".repeat(shown - line.length()) : "";
        out.print((shown > 0 ? "\r" : "") + line + blank);
        if (line.endsWith("...")) {
            shown = line.length() + blank.length();
        } else {
            out.println();
            shown = 0;
        }
        out.flush();
    }

    /** Ends a step-under-way line, so that what comes next (an error, say) starts a line of its own. */
    synchronized void end() {
        if (shown > 0) {
            out.println();
            out.flush();
            shown = 0;
        }
    }
}
