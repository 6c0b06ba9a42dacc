package cnnlab.ops.reference;

import cnnlab.ops.Buffers;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A {@code [N, C, H, W]} block of floats with plain indexing, so the loops can say {@code x.at(n, c, i, j)}
 * as the lecture does. Row-major: the last index moves fastest.
 */
final class Tensor4 {
    final int n, c, h, w;
    final float[] data;

    Tensor4(int n, int c, int h, int w) {
        this(n, c, h, w, new float[Math.multiplyExact(Math.multiplyExact(n, c), Math.multiplyExact(h, w))]);
    }

    private Tensor4(int n, int c, int h, int w, float[] data) {
        this.n = n;
        this.c = c;
        this.h = h;
        this.w = w;
        this.data = data;
    }

    /** A copy of a 4-D array's values. */
    static Tensor4 of(INDArray a) {
        return new Tensor4(Math.toIntExact(a.size(0)), Math.toIntExact(a.size(1)), Math.toIntExact(a.size(2)),
                Math.toIntExact(a.size(3)), Buffers.floats(a));
    }

    /** True when no value is infinite or NaN. */
    boolean allFinite() {
        for (float v : data) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    int index(int n, int c, int i, int j) {
        return ((n * this.c + c) * h + i) * w + j;
    }

    float at(int n, int c, int i, int j) {
        return data[index(n, c, i, j)];
    }

    void set(int n, int c, int i, int j, float v) {
        data[index(n, c, i, j)] = v;
    }

    void add(int n, int c, int i, int j, float v) {
        data[index(n, c, i, j)] += v;
    }

    INDArray toArray() {
        return Buffers.array(data, n, c, h, w);
    }

    /** A 1-D array's values. */
    static float[] values(INDArray a) {
        return Buffers.floats(a);
    }
}
