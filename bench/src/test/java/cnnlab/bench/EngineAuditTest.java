package cnnlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.Cnn;
import cnnlab.ops.Ops;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The engine audit times every op of the contract, and every row runs on both engines. */
class EngineAuditTest {
    @Test
    void everyOpOfTheContractHasARow() {
        Set<String> ops = Arrays.stream(Ops.class.getMethods()).filter(m -> !m.isDefault())
                .filter(m -> !Modifier.isStatic(m.getModifiers()))
                .map(Method::getName).filter(name -> !name.equals("name")).collect(Collectors.toCollection(TreeSet::new));
        Set<String> audited = EngineAudit.rows(EngineAudit.BATCH).stream().map(EngineAudit.Row::op)
                .collect(Collectors.toCollection(TreeSet::new));
        ops.removeAll(audited);
        assertEquals(Set.of(), ops, "ops without a row in ./cnnlab bench --engines");
    }

    @Test
    void everyRowRunsOnBothEngines() {
        List<EngineAudit.Row> rows = EngineAudit.rows(EngineAudit.BATCH);
        assertTrue(rows.size() > 40, rows.size() + " rows");
        for (Ops engine : List.of(Cnn.fast(), Cnn.reference())) {
            for (EngineAudit.Row row : rows) {
                assertTrue(row.call().apply(engine) != null, row.op() + " " + row.variant() + " on " + engine.name());
            }
        }
    }
}
