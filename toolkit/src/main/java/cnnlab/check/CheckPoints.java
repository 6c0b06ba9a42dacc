package cnnlab.check;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Each exercise's points as its check gives them: the sum of its case groups' points. A lab notebook's check cell
 * states the same number in its metadata ({@code "cnnlab": {"check": "lab1 ex2", "points": 6}}), and
 * {@code ./cnnlab release} and {@code ./cnnlab grade} stop where the two differ: a grade out of the notebook's
 * number with the check's points inside it would be wrong without a word.
 * <pre>
 * $ java -cp cnnlab-toolkit.jar cnnlab.check.CheckPoints
 * {"lab1 ex1": 2, "lab1 ex2": 6, ...}
 * </pre>
 */
public final class CheckPoints {
    private CheckPoints() {
    }

    /**
     * Exercise id to points, for every check of every lab in {@link Check}, in exercise order. Each check is called
     * with no function and public cases only, which runs nothing and writes no result.
     */
    public static Map<String, Double> all() {
        Supplier<CheckConfig> quiet = () -> CheckConfig.publicOnly(1);
        Map<String, Double> points = new TreeMap<>(Comparator.comparing(CheckPoints::sortKey));
        try {
            for (Field lab : Check.class.getFields()) {
                if (!Modifier.isStatic(lab.getModifiers()) || !lab.getType().getSimpleName().matches("Lab\\d+Checks")) {
                    continue;
                }
                Constructor<?> make = lab.getType().getDeclaredConstructor(Supplier.class);
                Object checks = make.newInstance(quiet);
                for (Method m : lab.getType().getMethods()) {
                    if (m.getReturnType() == CheckResult.class && m.getParameterCount() == 1
                            && !Modifier.isStatic(m.getModifiers())) {
                        CheckResult r = (CheckResult) m.invoke(checks, new Object[] {null});
                        points.put(r.exercise(), r.max());
                    }
                }
            }
        } catch (ReflectiveOperationException e) {
            Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
            throw new IllegalStateException("CheckPoints: could not list the checks' points: " + cause, cause);
        }
        return points;
    }

    /** "lab1 ex2" sorts as lab 1, exercise 2 (lab10 after lab9). */
    private static String sortKey(String exercise) {
        return Arrays.stream(exercise.split("(?<=\\D)(?=\\d)|(?<=\\d)(?=\\D)"))
                .map(part -> part.matches("\\d+") ? String.format("%09d", Long.parseLong(part)) : part)
                .reduce("", String::concat);
    }

    /** Prints {@link #all()} as one JSON object: {@code {"lab1 ex1": 2, "lab1 ex2": 6}}. */
    public static void main(String[] args) {
        StringBuilder json = new StringBuilder("{");
        for (Map.Entry<String, Double> e : all().entrySet()) {
            double v = e.getValue();
            json.append(json.length() > 1 ? ", " : "").append(CheckResult.json(e.getKey())).append(": ")
                    .append(v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v));
        }
        System.out.println(json.append('}'));
    }
}
