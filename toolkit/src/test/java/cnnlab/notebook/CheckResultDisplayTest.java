package cnnlab.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.check.CheckResult;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rapaio.jupyter.kernel.display.DisplayData;
import org.rapaio.jupyter.kernel.display.DisplayRenderer;

/** A lab check's result shows as its HTML block, with its toString as the plain-text fallback. */
class CheckResultDisplayTest {
    @Test
    void checkResultRendersAsItsHtmlBlock() {
        CheckResult r = new CheckResult("lab1", "lab1 ex1", "output size", 1, 2, CheckResult.Status.PARTIAL, false, 3, 6,
                0, 0, "1 of 2 case groups passed: 1/2 points (cases passed: 3 of 6 public); hidden cases run when"
                        + " graded",
                List.of(new CheckResult.GroupResult("floor", 0, 1, false, 0, 3, "public case 1 (input 8, kernel 3,"
                        + " stride 2, padding 0): expected 3, got 4"),
                        new CheckResult.GroupResult("stride 1", 1, 1, true, 3, 3, null)), List.of());
        DisplayRenderer renderer = new RjkDisplay().getDisplayRenderers().stream()
                .filter(d -> d.rendererClass() == CheckResult.class).findFirst().orElseThrow();
        DisplayData data = renderer.render("text/html", r);
        assertEquals(r.toHtml(), data.data().get("text/html"));
        assertEquals(r.toString(), data.data().get("text/plain"));
        assertTrue(r.toHtml().contains("expected 3, got 4"));
        // Jupyter's own CSS breaks output text anywhere; a problem's lines must break at spaces, or "[-3" splits
        assertTrue(r.toHtml().contains("word-break:normal;overflow-wrap:normal"), r.toHtml());
    }
}
