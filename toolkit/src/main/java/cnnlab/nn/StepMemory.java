package cnnlab.nn;

import java.util.Objects;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Gives every mini-batch of a loop the same native memory, the way PyTorch's freed tensors give theirs back.
 *
 * <p>A training step makes a dozen arrays (each layer's output and gradient) that are dead once the optimiser has
 * its gradients. Left to themselves, each gets fresh memory from the system, which the kernel must zero page by
 * page, and goes back only when the collector finds it. Inside a {@link #step()}, ND4J allocates them from one
 * block (an ND4J workspace) that the next step overwrites: the first step measures how much a step needs, the
 * block is then allocated once, and a step that needs more (a bigger batch) grows it for the steps after.
 *
 * <p>What must outlive a step stays out of it: parameters, their gradients (layers write into
 * {@link Param#grad()}, made outside) and an optimiser's state, so a loop ends the step before
 * {@code optimizer.step}. Ending a step makes the network's layers forget their cached inputs, which now point
 * into memory the next step reuses; a backward pass without a forward one then fails with the usual "call
 * forward first" error instead of reading stale numbers. A network with any layer that is not this package's
 * own runs every step in fresh memory as before: a layer written elsewhere may keep an array from inside a step.
 * <pre>
 *   try (StepMemory memory = StepMemory.of(net, "cnnlab-training")) {
 *       for (...) {
 *           try (StepMemory.Step step = memory.step()) { forward, loss, backward }
 *           optimizer.step(net.params());
 *       }
 *   }
 * </pre>
 * Arrays are per thread in ND4J, so one StepMemory belongs to the thread that made it.
 */
final class StepMemory implements AutoCloseable {
    private static final WorkspaceConfiguration CONFIGURATION = WorkspaceConfiguration.builder()
            .initialSize(0)                                 // learnt from the first step
            .policyLearning(LearningPolicy.FIRST_LOOP)
            .policyAllocation(AllocationPolicy.STRICT)      // exactly what a step needs
            .policySpill(SpillPolicy.REALLOCATE)            // a bigger step grows the block for the next ones
            .build();

    private final Sequential net;
    private final String id;
    private final boolean recycles;
    private MemoryWorkspace workspace;

    private StepMemory(Sequential net, String id) {
        this.net = net;
        this.id = id;
        this.recycles = net.layers().stream().allMatch(StepMemory::ownLayer);
    }

    /** Step memory for {@code net}'s loop; {@code id} names its block (one per kind of loop, e.g. training). */
    static StepMemory of(Sequential net, String id) {
        return new StepMemory(net, id);
    }

    /**
     * True for layers whose cached arrays {@link Sequential#forgetInputs()} clears: this package's own, loaded from
     * the toolkit itself (a class of the same package name from elsewhere, such as a test's, is not).
     */
    static boolean ownLayer(Layer layer) {
        Class<?> type = layer.getClass();
        return type.getPackage() == Layer.class.getPackage()
                && Objects.equals(type.getProtectionDomain().getCodeSource(), Layer.class.getProtectionDomain()
                .getCodeSource());
    }

    /** Whether steps share one block (false: a layer from elsewhere; every step then allocates afresh). */
    boolean recycles() {
        return recycles;
    }

    /** Opens a step: arrays made on this thread until it closes live in the shared block. */
    Step step() {
        if (!recycles) {
            return () -> { };
        }
        workspace = Nd4j.getWorkspaceManager().getAndActivateWorkspace(CONFIGURATION, id);
        return () -> {
            net.forgetInputs();
            workspace.close();
        };
    }

    /** Frees the block. */
    @Override
    public void close() {
        if (workspace != null) {
            Nd4j.getWorkspaceManager().destroyWorkspace(workspace);
            workspace = null;
        }
    }

    /** One step; closing it makes its arrays' memory the next step's. */
    @FunctionalInterface
    interface Step extends AutoCloseable {
        @Override
        void close();
    }
}
