package cnnlab.bench;

import cnnlab.Cnn;
import cnnlab.ops.Ops;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The JMH benchmark: one case ({@link Case}) on one engine, forward or backward. Mode (sampled calls, the same
 * for both engines), iterations and forks are set by {@link Bench}.
 */
@State(Scope.Benchmark)
public class OpsBench {

    /** A {@link Case} name. */
    @Param({"CONV_ALEXNET"})
    public String shape;

    /** "fast" or "reference". */
    @Param({"fast"})
    public String engine;

    private Case c;
    private Ops ops;
    private Case.Inputs in;

    @Setup
    public void setup() {
        Bench.applyThreads();
        c = Case.valueOf(shape);
        ops = "reference".equals(engine) ? Cnn.reference() : Cnn.fast();
        in = c.inputs(Cnn.fast());
    }

    @Benchmark
    public INDArray forward() {
        return c.forward(ops, in.x(), in.w(), in.b());
    }

    @Benchmark
    public Object backward() {
        return c.backward(ops, in);
    }

    /** Threads libnd4j runs ops on, as configured now (for the report). */
    static int nd4jThreads() {
        return Nd4j.getEnvironment().maxThreads();
    }
}
