package cnnlab.ops.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import cnnlab.Cnn;
import cnnlab.ops.Buffers;
import cnnlab.ops.Ops;
import cnnlab.ops.PoolGeometry;
import cnnlab.ops.PoolParams;
import java.util.Random;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Max pooling's backward by indices on the Vector API ({@link VectorLoops}) gives the scatter's floats and the
 * reference engine's, bit for bit: planes whose width leaves windows after the last whole vector, odd sizes whose
 * last row or column no window covers, gradients with -0 and NaN, one thread and two, and a result large enough
 * for the engine to choose the loop. Indices that leave their window (inside the plane) fall back to the
 * scatter's sums; indices outside the plane are an error either way.
 */
class VectorLoopsTest {
    private static final Ops REF = Cnn.reference();

    @Test
    void theTestJvmHasTheVectorApi() {
        // the surefire argLine adds the module, as the launcher and the kernel do; without it the scatter runs
        assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent());
    }

    private static INDArray ties(Random r, long... shape) {
        float[] v = new float[Math.toIntExact(shape[0] * shape[1] * shape[2] * shape[3])];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextInt(300) == 0 ? Float.NaN : r.nextInt(4) - 1;
        }
        return Buffers.array(v, shape);
    }

    private static INDArray gradients(Random r, long... shape) {
        float[] v = new float[Math.toIntExact(shape[0] * shape[1] * shape[2] * shape[3])];
        float[] specials = {-0f, Float.NaN, Float.NEGATIVE_INFINITY};
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextInt(50) == 0 ? specials[r.nextInt(specials.length)] : r.nextFloat() - 0.5f;
        }
        return Buffers.array(v, shape);
    }

    private static PoolGeometry geometry(long[] shape, int oh, int ow) {
        return new PoolGeometry((int) shape[0], (int) shape[1], (int) shape[2], (int) shape[3], 2, 2, 2, 2, 0, 0,
                1, 1, oh, ow, false, true);
    }

    /** Both paths and the reference engine, given these indices. */
    private static void allAgree(INDArray x, INDArray g, INDArray indices, String what) {
        PoolGeometry geometry = geometry(x.shape(), (int) g.size(2), (int) g.size(3));
        float[] reference = Buffers.floats(REF.maxPool2dBackward(x, g, indices, PoolParams.of(2)));
        float[] vectors = Buffers.floats(PlaneLoops.maxBackwardByIndices(g, indices, geometry, true));
        float[] scatter = Buffers.floats(PlaneLoops.maxBackwardByIndices(g, indices, geometry, false));
        assertArrayEquals(reference, scatter, what + ": scatter");
        assertArrayEquals(reference, vectors, what + ": vector loop");
    }

    @ParameterizedTest(name = "{0}x{1}x{2}x{3}, {4} thread(s)")
    @CsvSource({"1,1,2,2,1", "1,1,3,3,1", "1,1,4,34,1", "1,2,16,16,1", "2,3,7,9,1", "3,5,30,31,1",
                "1,1,2,64,1", "2,9,46,46,2", "1,3,111,110,2", "4,6,28,28,2"})
    void theVectorLoopGivesTheScattersFloats(long n, long c, long h, long w, int threads) {
        assumeTrue(PlaneLoops.VECTORS, "the Vector API loop runs only on x86-64 with AVX-512");
        int before = Nd4j.getEnvironment().maxThreads();
        Nd4j.getEnvironment().setMaxThreads(threads);
        try {
            Random r = new Random(n * 1000 + c * 100 + h * 10 + w);
            INDArray x = ties(r, n, c, h, w);
            INDArray indices = REF.maxPool2dWithIndices(x, PoolParams.of(2)).indices();
            allAgree(x, gradients(r, indices.shape()), indices, "indices from the forward");
        } finally {
            Nd4j.getEnvironment().setMaxThreads(before);
        }
    }

    @Test
    void aLargeResultThroughTheFastEngineGivesTheReferenceFloats() {
        // 2x16x256x256 is 2^21 cells, the size from which the engine takes the vector loop (smaller ones scatter)
        Random r = new Random(8);
        INDArray x = ties(r, 2, 16, 256, 256);
        INDArray indices = REF.maxPool2dWithIndices(x, PoolParams.of(2)).indices();
        INDArray g = gradients(r, indices.shape());
        assertArrayEquals(Buffers.floats(REF.maxPool2dBackward(x, g, indices, PoolParams.of(2))),
                Buffers.floats(Cnn.fast().maxPool2dBackward(x, g, indices, PoolParams.of(2))));
    }

    private static INDArray mapped(INDArray indices, LongUnaryOperator f) {
        long[] v = Buffers.longs(indices);
        for (int i = 0; i < v.length; i++) {
            v[i] = f.applyAsLong(v[i]);
        }
        return Nd4j.createFromArray(v).reshape(indices.shape());
    }

    @Test
    void indicesThatLeaveTheirWindowAreScattered() {
        assumeTrue(PlaneLoops.VECTORS, "the Vector API loop runs only on x86-64 with AVX-512");
        Random r = new Random(5);
        INDArray x = ties(r, 2, 3, 20, 36);
        INDArray indices = REF.maxPool2dWithIndices(x, PoolParams.of(2)).indices();
        INDArray g = gradients(r, indices.shape());
        int plane = 20 * 36;
        allAgree(x, g, mapped(indices, i -> 0), "every gradient to cell 0");
        allAgree(x, g, mapped(indices, i -> (i + 2) % plane), "one window to the right");
        allAgree(x, g, mapped(indices, i -> (i + 36 * 2) % plane), "one window down");
        long[] lastOnly = Buffers.longs(indices);                       // the planes' last rows only, in the tail
        lastOnly[lastOnly.length - 1] = 0;
        allAgree(x, g, Nd4j.createFromArray(lastOnly).reshape(indices.shape()), "the last index to cell 0");
    }

    @Test
    void indicesOutsideThePlaneAreAnErrorOnBothPaths() {
        assumeTrue(PlaneLoops.VECTORS, "the Vector API loop runs only on x86-64 with AVX-512");
        INDArray x = ties(new Random(6), 1, 2, 8, 16);
        INDArray indices = REF.maxPool2dWithIndices(x, PoolParams.of(2)).indices();
        INDArray g = gradients(new Random(7), indices.shape());
        PoolGeometry geometry = geometry(x.shape(), 4, 8);
        for (long bad : new long[] {-1, 8 * 16, 1L << 40}) {
            INDArray wrong = mapped(indices, i -> i == indices.getLong(0, 1, 2, 3) ? bad : i);
            for (boolean vectors : new boolean[] {true, false}) {
                assertThrows(IndexOutOfBoundsException.class,
                        () -> PlaneLoops.maxBackwardByIndices(g, wrong, geometry, vectors), bad + ", " + vectors);
            }
        }
    }
}
