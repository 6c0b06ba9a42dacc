package cnnlab.ops;

import java.lang.ref.Reference;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Copies between an array's native memory and a Java array, each in one bulk move. ND4J's own
 * {@code data().asFloat()} and {@code Nd4j.create(float[], ...)} move one element at a time: 1.2 ms and 2.5 ms for
 * 300,000 floats here, against 0.1 ms and 1.0 ms this way (medians, side by side in one process). For the Java
 * loops of both engines and the optimisers; not a general conversion (float32 and int64 only).
 */
public final class Buffers {
    private Buffers() {
    }

    /** True when a's elements are its whole buffer in row-major order, so its memory can be copied as is. */
    private static boolean whole(INDArray a) {
        return a.data().length() == a.length() && rowMajorFromStart(a);
    }

    /**
     * True when a's elements lie in row-major order from the first cell of its buffer, with no gaps. A dimension
     * of size 1 may have any stride: no step is ever taken along it. (ND4J's {@code Shape.hasDefaultStridesForShape}
     * says no to LeNet's input {@code [64, 1, 28, 28]}, whose strides {@code [784, 784, 28, 1]} repeat, and every
     * call then copied it: 0.06 ms of LeNet conv1's 0.42.)
     */
    public static boolean rowMajorFromStart(INDArray a) {
        if (a.offset() != 0) {
            return false;
        }
        long step = 1;
        for (int d = a.rank() - 1; d >= 0; d--) {
            long size = a.size(d);
            if (size != 1 && a.stride(d) != step) {
                return false;
            }
            step *= size;
        }
        return true;
    }

    /** A in the given dtype with its elements as its whole buffer, row-major (a copy only if it was not). */
    public static INDArray rowMajor(INDArray a, DataType type) {
        INDArray typed = a.dataType() == type ? a : a.castTo(type);
        return whole(typed) ? typed : typed.dup('c');
    }

    /** A's values as float32, row-major. */
    public static float[] floats(INDArray a) {
        float[] values = new float[Math.toIntExact(a.length())];
        if (values.length > 0) {
            INDArray source = rowMajor(a, DataType.FLOAT);
            new FloatPointer(source.data().addressPointer()).get(values, 0, values.length);
            Reference.reachabilityFence(source);   // a copy's memory is freed once the array is unreachable
        }
        return values;
    }

    /** A's values as int64, row-major. */
    public static long[] longs(INDArray a) {
        long[] values = new long[Math.toIntExact(a.length())];
        if (values.length > 0) {
            INDArray source = rowMajor(a, DataType.LONG);
            new LongPointer(source.data().addressPointer()).get(values, 0, values.length);
            Reference.reachabilityFence(source);
        }
        return values;
    }

    /** A new row-major float32 array of the given shape holding {@code values}. */
    public static INDArray array(float[] values, long... shape) {
        INDArray a = OutputMemory.floats(shape);
        checkLength(a, values.length);
        if (values.length > 0) {
            new FloatPointer(a.data().addressPointer()).put(values, 0, values.length);
        }
        return a;
    }

    /** A new row-major int64 array of the given shape holding {@code values}. */
    public static INDArray array(long[] values, long... shape) {
        INDArray a = OutputMemory.longs(shape);
        checkLength(a, values.length);
        if (values.length > 0) {
            new LongPointer(a.data().addressPointer()).put(values, 0, values.length);
        }
        return a;
    }

    /** Overwrites a float32 array's values in place (row-major order), as {@code a.assign(values)} would. */
    public static void copyInto(INDArray a, float[] values) {
        checkLength(a, values.length);
        if (a.dataType() == DataType.FLOAT && whole(a)) {
            if (values.length > 0) {
                new FloatPointer(a.data().addressPointer()).put(values, 0, values.length);
            }
        } else {
            a.assign(array(values, a.shape()));
        }
    }

    private static void checkLength(INDArray a, int length) {
        if (a.length() != length) {
            throw new IllegalArgumentException("Buffers: " + length + " values for an array of shape "
                    + Errors.shape(a) + " (" + a.length() + " elements)");
        }
    }
}
