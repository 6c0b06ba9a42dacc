package cnnlab.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckPointsTest {

    /** Every lab's every check, in lab and exercise order, with the points its groups add up to. */
    @Test
    void listsEveryCheckWithItsPoints() {
        Map<String, Double> points = CheckPoints.all();
        assertEquals(List.of("lab1 ex1", "lab1 ex2", "lab2 ex1", "lab2 ex2", "lab3 ex1", "lab3 ex2", "lab4 ex1",
                "lab4 ex2", "lab5 ex1", "lab5 ex2", "lab5 ex3"), new ArrayList<>(points.keySet()));
        assertEquals(2.0, points.get("lab1 ex1"));
        assertEquals(6.0, points.get("lab1 ex2"));
        assertEquals(Check.lab3.convTranspose2d(null).max(), points.get("lab3 ex2"));
    }

    /** The JSON ./cnnlab release and grade read, whole numbers without ".0". */
    @Test
    void printsOneJsonObject() {
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            CheckPoints.main(new String[0]);
        } finally {
            System.setOut(saved);
        }
        String json = bytes.toString(StandardCharsets.UTF_8).strip();
        assertTrue(json.startsWith("{\"lab1 ex1\": 2, \"lab1 ex2\": 6, ") && json.endsWith("}"), json);
        assertEquals(CheckPoints.all().size(), json.split(":").length - 1, json);
    }
}
