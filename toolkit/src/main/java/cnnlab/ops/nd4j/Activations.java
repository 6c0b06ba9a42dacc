package cnnlab.ops.nd4j;

import cnnlab.ops.Buffers;
import cnnlab.ops.OutputMemory;
import cnnlab.ops.Parallel;
import cnnlab.ops.PreluGradients;
import cnnlab.ops.RRelu;
import java.lang.ref.Reference;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ReLU family as PyTorch computes it, a select per cell: {@code x > 0 ? x : x * slope} forward and
 * {@code x > 0 ? gradOut : gradOut * slope} backward. ReLU runs on libnd4j's own kernel forward and on one pass
 * over the floats' bits backward, the leaky and parametric forms on one Java pass each, and RReLU's training mode
 * multiplies by its drawn slopes (1 where {@code x > 0}, so positive cells come back exactly). NaN inputs propagate
 * as in PyTorch ({@code NaN > 0} is false, so NaN takes the negative-side slope, and {@code NaN * s} is NaN).
 */
final class Activations {
    private Activations() {
    }

    /**
     * {@code max(0, x)} with NaN kept, on libnd4j's relu transform (one pass; {@code x < 0 ? 0 : x}, so NaN stays
     * NaN). It is 6x faster here than the earlier copy-then-replaceWhere (./cnnlab bench).
     */
    static INDArray relu(INDArray x) {
        INDArray y = OutputMemory.floats(x.shape());
        Nd4j.exec(new RectifiedLinear(x, y));
        return y;
    }

    /** Cells per block that {@link #reluBackward} copies into Java arrays at once (64 KB of each input). */
    private static final int BLOCK = 1 << 14;

    /**
     * PyTorch's threshold_backward, a select: {@code x <= 0 ? 0 : gradOut}, so NaN in x passes the gradient, and
     * where x &lt;= 0 the result is 0 even for an infinite or NaN gradient. One pass over the floats' bits, in
     * blocks copied into int arrays: "x &lt;= 0" is "x is +0 or -0, or its sign is set and it is not NaN", which
     * integer arithmetic reads from the sign and the magnitude without a branch on the data (a float select
     * branches on every random sign). 8x64x112x112, 2 threads: 3.9-4.8 ms against 16-17.5 ms for libnd4j's
     * {@code relu_bp} behind the sum that ruled NaN out (it gives 0 where x is NaN); PyTorch 1.8 ms.
     */
    static INDArray reluBackward(INDArray x, INDArray gradOut) {
        INDArray xRows = Buffers.rowMajor(x, DataType.FLOAT), gRows = Buffers.rowMajor(gradOut, DataType.FLOAT);
        Pointer xs = xRows.data().addressPointer(), gs = gRows.data().addressPointer();
        INDArray dx = OutputMemory.floats(x.shape());
        Pointer out = dx.data().addressPointer();
        int cells = Math.toIntExact(x.length()), blocks = (cells + BLOCK - 1) / BLOCK;
        Parallel.forEachRun(PlaneLoops.threads(cells), blocks, (from, to) -> {
            int[] xBits = new int[BLOCK], gBits = new int[BLOCK];
            IntPointer xIn = new IntPointer(xs), gIn = new IntPointer(gs), dxOut = new IntPointer(out);
            for (int b = from; b < to; b++) {
                int at = b * BLOCK, length = Math.min(BLOCK, cells - at);
                xIn.position(at).get(xBits, 0, length);
                gIn.position(at).get(gBits, 0, length);
                for (int i = 0; i < length; i++) {
                    int magnitude = xBits[i] & 0x7fffffff;
                    int zero = (magnitude - 1) >> 31;                                  // -1 where x is +0 or -0
                    int negative = (xBits[i] >> 31) & ((magnitude - 0x7f800001) >> 31);  // -1: sign set, not NaN
                    gBits[i] &= ~(zero | negative);
                }
                dxOut.position(at).put(gBits, 0, length);
            }
        });
        Reference.reachabilityFence(xRows);   // a copy's memory is freed once the array is unreachable
        Reference.reachabilityFence(gRows);
        return dx;
    }

    /**
     * PyTorch's select {@code x > 0 ? x : x * slope} with the slope in float32, one Java pass: a positive x comes
     * back exactly, and NaN takes the slope side and stays NaN. (As libnd4j arithmetic, {@code x * (1 where x > 0,
     * else slope)} with the map built as {@code m * (1 - slope) + slope}, a slope outside [0, 1] moved positive
     * values by an ulp, and a NaN or infinite slope spoiled them all.)
     */
    static INDArray leakyRelu(INDArray x, double slope) {
        float s = (float) slope;
        float[] v = Buffers.floats(x);
        Parallel.forEachBlock(PlaneLoops.threads(v.length), v.length, (from, to) -> {
            for (int i = from; i < to; i++) {
                v[i] = v[i] > 0 ? v[i] : v[i] * s;
            }
        });
        return Buffers.array(v, x.shape());
    }

    /** {@code x > 0 ? gradOut : gradOut * slope}, PyTorch's select. */
    static INDArray leakyReluBackward(INDArray x, INDArray gradOut, double slope) {
        float s = (float) slope;
        float[] xs = Buffers.floats(x), g = Buffers.floats(gradOut);
        Parallel.forEachBlock(PlaneLoops.threads(xs.length), xs.length, (from, to) -> {
            for (int i = from; i < to; i++) {
                g[i] = xs[i] > 0 ? g[i] : g[i] * s;
            }
        });
        return Buffers.array(g, x.shape());
    }

    /** {@code x > 0 ? x : alpha * x} with alpha one slope, or one per channel (axis 1), each plane on its own. */
    static INDArray prelu(INDArray x, INDArray alpha) {
        if (alpha.length() == 1) {
            return leakyRelu(x, alpha.getFloat(0));
        }
        float[] v = Buffers.floats(x), a = Buffers.floats(alpha);
        int channels = a.length, planes = Math.toIntExact(x.size(0)) * channels;
        int perPlane = Math.toIntExact(x.length() / planes);
        Parallel.forEach(PlaneLoops.threads(v.length), planes, p -> {
            float slope = a[p % channels];
            for (int i = p * perPlane; i < (p + 1) * perPlane; i++) {
                v[i] = v[i] > 0 ? v[i] : slope * v[i];
            }
        });
        return Buffers.array(v, x.shape());
    }

    /**
     * One Java pass, the channels spread over libnd4j's threads: {@code dx = x > 0 ? g : alpha * g} and
     * {@code dalpha += x > 0 ? 0 : x * g}, summed per channel in double in the reference engine's order (image by
     * image), so an infinite gradient where x &gt; 0 leaves dalpha alone, as PyTorch's select does. As libnd4j
     * arithmetic this took seven passes with a new array each, slower than the reference engine's loop (9.2 against
     * 5.7 ms on 64x6x28x28).
     */
    static PreluGradients preluBackward(INDArray x, INDArray alpha, INDArray gradOut) {
        float[] xs = Buffers.floats(x), a = Buffers.floats(alpha), g = Buffers.floats(gradOut);
        float[] dx = new float[xs.length], dalpha = new float[a.length];
        int images = a.length == 1 ? 1 : Math.toIntExact(x.size(0));
        int perChannel = a.length == 1 ? xs.length : Math.toIntExact(x.length() / (x.size(0) * a.length));
        Parallel.forEach(PlaneLoops.threads(xs.length), a.length, c -> {
            double sum = 0;
            for (int n = 0; n < images; n++) {
                int from = (n * a.length + c) * perChannel;
                for (int i = from; i < from + perChannel; i++) {
                    dx[i] = xs[i] > 0 ? g[i] : a[c] * g[i];
                    if (!(xs[i] > 0)) {
                        sum += xs[i] * g[i];
                    }
                }
            }
            dalpha[c] = (float) sum;
        });
        return new PreluGradients(Buffers.array(dx, x.shape()), Buffers.array(dalpha, alpha.shape()));
    }

    /** Slopes: the drawn one where x &lt;= 0, 1 elsewhere (NaN included, as PyTorch). */
    static RRelu rreluTraining(INDArray x, INDArray drawn) {
        INDArray negative = x.lte(0).castTo(DataType.FLOAT);
        INDArray slopes = drawn.mul(negative).addi(negative.rsub(1));
        return new RRelu(x.mul(slopes), slopes);
    }

    static INDArray rreluBackward(INDArray gradOut, INDArray slopes) {
        return gradOut.mul(slopes);
    }
}
