package cnnlab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressLinesTest {

    @Test
    void aStepUnderWayIsReplacedByTheNextLineAndWhatWasDoneStays() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressLines lines = new ProgressLines(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        lines.accept("fetching x ...");
        lines.accept("still fetching x, 5 s ...");
        lines.accept("fetched x");
        lines.accept("converting 1/2 ...");
        lines.accept("converting 2/2 ...");
        lines.accept("converted");
        lines.accept("ready");
        lines.end();    // nothing under way: adds nothing
        assertEquals("fetching x ..."
                + "\rstill fetching x, 5 s ..."
                + "\rfetched x                \n"          // blanks over the longer line it replaces
                + "converting 1/2 ..."
                + "\rconverting 2/2 ..."
                + "\rconverted         \n"
                + "ready\n", bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void endFinishesALineUnderWay() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressLines lines = new ProgressLines(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        lines.accept("converting 1/2 ...");
        lines.end();
        lines.accept("next");
        assertEquals("converting 1/2 ...\nnext\n", bytes.toString(StandardCharsets.UTF_8));
    }
}
