package cnnlab.golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads the PyTorch fixtures that {@code src/test/python/make_golden.py} writes into {@code resources/golden}.
 * Fixtures are generated, never edited by hand.
 */
public final class Golden {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Golden() {
    }

    /** One case: its name, params, input and expected output tensors. */
    public record Case(String file, String name, JsonNode params, JsonNode inputs, JsonNode outputs, JsonNode raw) {
        public INDArray in(String key) {
            return inputs.has(key) ? tensor(inputs.get(key)) : null;
        }

        public INDArray out(String key) {
            return outputs.has(key) ? tensor(outputs.get(key)) : null;
        }

        public int[] pair(String key) {
            JsonNode n = params.get(key);
            return n == null || n.isNull() ? null : new int[] {n.get(0).asInt(), n.get(1).asInt()};
        }

        public boolean flag(String key, boolean orElse) {
            return params.has(key) ? params.get(key).asBoolean() : orElse;
        }

        @Override
        public String toString() {
            return file + ": " + name;
        }
    }

    /**
     * The cases of {@code golden/<file>.json}. With {@code -Dcnnlab.golden.dir=DIR} a {@code DIR/<file>.json} is read
     * instead where it exists: {@code src/test/python/fuzz_golden.py} writes random cases there.
     */
    public static List<Case> cases(String file) {
        String dir = System.getProperty("cnnlab.golden.dir");
        Path other = dir == null ? null : Path.of(dir, file + ".json");
        try (InputStream in = other != null && Files.isRegularFile(other) ? Files.newInputStream(other)
                : Golden.class.getResourceAsStream("/golden/" + file + ".json")) {
            if (in == null) {
                throw new IllegalStateException("missing fixture golden/" + file + ".json; run make_golden.py");
            }
            JsonNode root = JSON.readTree(in);
            List<Case> out = new ArrayList<>();
            for (JsonNode c : root.get("cases")) {
                out.add(new Case(file, c.get("name").asText(), c.get("params"), c.get("inputs"), c.get("outputs"), c));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {"shape": [...], "data": [...]}, with "NaN"/"Infinity" strings for special values. */
    public static INDArray tensor(JsonNode t) {
        long[] shape = new long[t.get("shape").size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = t.get("shape").get(i).asLong();
        }
        JsonNode data = t.get("data");
        boolean integral = data.size() > 0 && data.get(0).isIntegralNumber();
        if (integral) {
            long[] v = new long[data.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = data.get(i).asLong();
            }
            return Nd4j.createFromArray(v).reshape(shape);
        }
        float[] v = new float[data.size()];
        for (int i = 0; i < v.length; i++) {
            JsonNode d = data.get(i);
            v[i] = d.isTextual() ? Float.parseFloat(d.asText()) : (float) d.asDouble();
        }
        return shape.length == 0 ? Nd4j.scalar(v[0]) : Nd4j.create(v, shape, 'c').castTo(DataType.FLOAT);
    }
}
