package cnnlab.ops.nd4j;

import cnnlab.ops.OutputMemory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;

/**
 * The forward convolution on oneDNN called directly (JavaCPP's {@code org.bytedeco:dnnl}), the route issue 8 names
 * beside libnd4j's own conv2d, which runs oneDNN too. The difference is in how each asks: libnd4j builds an
 * inference primitive that writes NHWC and, on every call, first converts the output array (not yet written) into
 * that layout and afterwards back, the first of which was the largest step of LeNet conv1 in oneDNN's log. Asked
 * as PyTorch asks (a training primitive, layouts left to oneDNN, the input and weights converted in and the output
 * out only where its choice differs from NCHW), oneDNN picks its direct kernel and converts the output once. Side by side
 * in one process (2 threads, medians, the bench's shapes, each followed by libnd4j's backward as in training):
 * AlexNet conv1 1.71 against 1.15 ms, VGG 3x3 12.2 against 9.9, LeNet conv1 0.85 against 0.62, conv2 0.52 against
 * 0.33, the same floats.
 *
 * <p>Each shape's primitive is built once and kept (the last {@value #KEPT} shapes, and no more than 256 MB of
 * blocked-layout memory for all of them; building one takes milliseconds), with the memory for its blocked layouts. Weights are converted on every call: training changes
 * them between calls. Calls run one at a time (oneDNN runs each on the OpenMP threads it shares with libnd4j:
 * one runtime is loaded). If the library does not load on this machine, or cannot build a primitive for a shape,
 * {@link #conv2d} returns null and the caller uses libnd4j. {@code -Dcnnlab.onednn=false} turns the route off.
 */
final class OneDnn {
    private OneDnn() {
    }

    static final int KEPT = 16;
    /** The blocked-layout memory kept for all shapes together, at most (the newest shape's is always kept). */
    static final long KEPT_BYTES = 256L << 20;
    private static final boolean ON = !"false".equals(System.getProperty("cnnlab.onednn"));
    private static final Map<Key, Conv> PRIMITIVES = new LinkedHashMap<>(KEPT, 0.75f, true);
    private static engine cpu;
    private static stream stream;
    private static boolean failed;

    private record Key(long n, long c, long h, long w, long k, long kh, long kw, boolean bias, int sh, int sw, int ph,
                       int pw) {
    }

    /** Whether calls go to oneDNN directly (loaded, and not turned off); for the bench's description. */
    static synchronized boolean active() {
        return ON && started();
    }

    /** How many shapes' primitives are kept now; for the tests. */
    static synchronized int kept() {
        return PRIMITIVES.size();
    }

    /** The blocked-layout memory kept now, in bytes; for the tests. */
    static synchronized long keptBytes() {
        return PRIMITIVES.values().stream().mapToLong(c -> c == null ? 0 : c.bytes).sum();
    }

    /**
     * {@code conv2d} with symmetric zero padding: {@code x [N, C, H, W]}, {@code w [K, C, kH, kW]}, {@code b [K]}
     * or null, into a new {@code [N, K, oH, oW]}. Null when oneDNN cannot run it here; nothing is written then.
     */
    static synchronized INDArray conv2d(INDArray x, INDArray w, INDArray b, int sh, int sw, int ph, int pw,
                                        long oh, long ow) {
        if (!ON || !started()) {
            return null;
        }
        Key key = new Key(x.size(0), x.size(1), x.size(2), x.size(3), w.size(0), w.size(2), w.size(3), b != null,
                sh, sw, ph, pw);
        Conv conv = PRIMITIVES.get(key);
        if (conv == null && !PRIMITIVES.containsKey(key)) {
            conv = build(key, oh, ow);
            PRIMITIVES.put(key, conv);
            forgetOldest();
        }
        if (conv == null) {
            return null;
        }
        INDArray y = OutputMemory.floats(x.size(0), w.size(0), oh, ow);
        conv.run(dense(x), dense(w), b == null ? null : dense(b), y);
        return y;
    }

    private static boolean started() {
        if (cpu == null && !failed) {
            try {
                cpu = new engine(engine.kind.cpu, 0);
                stream = new stream(cpu);
            } catch (RuntimeException | LinkageError e) {
                failed = true;
            }
        }
        return cpu != null;
    }

    /** A primitive for the key, or null (remembered) if oneDNN has none for it. */
    private static Conv build(Key key, long oh, long ow) {
        try {
            return new Conv(key, oh, ow);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void forgetOldest() {
        long bytes = keptBytes();
        Iterator<Conv> oldest = PRIMITIVES.values().iterator();
        while (PRIMITIVES.size() > KEPT || PRIMITIVES.size() > 1 && bytes > KEPT_BYTES) {
            Conv conv = oldest.next();
            oldest.remove();
            if (conv != null) {
                bytes -= conv.bytes;
                conv.close();
            }
        }
    }

    /** The array itself if its memory is plain row-major from its first cell, else such a copy. */
    private static INDArray dense(INDArray a) {
        boolean plain = a.dataType() == DataType.FLOAT && a.offset() == 0 && a.ordering() == 'c'
                && Shape.hasDefaultStridesForShape(a);
        return plain ? a : a.dup('c');
    }

    /** One shape's primitive, its memory objects and the conversions around it. */
    private static final class Conv {
        private final List<Pointer> owned = new ArrayList<>();
        private final memory x, w, b, y;
        private final convolution_forward conv;
        private final IntMemoryMap convArgs;
        private final Step inputIn, weightIn, outputOut;
        /** Memory this shape keeps for the blocked layouts. */
        private long bytes;

        Conv(Key key, long oh, long ow) {
            memory.data_type f32 = memory.data_type.f32;
            long[] xShape = {key.n(), key.c(), key.h(), key.w()}, wShape = {key.k(), key.c(), key.kh(), key.kw()};
            long[] yShape = {key.n(), key.k(), oh, ow};
            memory.desc xPlain = own(new memory.desc(xShape, f32, memory.format_tag.nchw));
            memory.desc wPlain = own(new memory.desc(wShape, f32, memory.format_tag.oihw));
            memory.desc yPlain = own(new memory.desc(yShape, f32, memory.format_tag.nchw));
            memory.desc xAny = own(new memory.desc(xShape, f32, memory.format_tag.any));
            memory.desc any = own(new memory.desc(wShape, f32, memory.format_tag.any));
            memory.desc yAny = own(new memory.desc(yShape, f32, memory.format_tag.any));
            long[] strides = {key.sh(), key.sw()}, padding = {key.ph(), key.pw()};
            convolution_forward.desc desc;
            memory.desc bias = null;
            if (key.bias()) {
                bias = own(new memory.desc(new long[] {key.k()}, f32, memory.format_tag.x));
                desc = new convolution_forward.desc(dnnl.prop_kind.forward_training, dnnl.algorithm.convolution_direct,
                        xAny, any, bias, yAny, strides, padding, padding);
            } else {
                desc = new convolution_forward.desc(dnnl.prop_kind.forward_training, dnnl.algorithm.convolution_direct,
                        xAny, any, yAny, strides, padding, padding);
            }
            own(desc);
            convolution_forward.primitive_desc pd = own(new convolution_forward.primitive_desc(desc, cpu));
            x = own(new memory(xPlain, cpu, (Pointer) null));
            w = own(new memory(wPlain, cpu, (Pointer) null));
            y = own(new memory(yPlain, cpu, (Pointer) null));
            b = key.bias() ? own(new memory(bias, cpu, (Pointer) null)) : null;
            inputIn = step(x, pd.src_desc());
            weightIn = step(w, pd.weights_desc());
            outputOut = stepOut(y, pd.dst_desc());
            conv = own(new convolution_forward(pd));
            convArgs = own(new IntMemoryMap());
            convArgs.put(dnnl.DNNL_ARG_SRC, inputIn.to);
            convArgs.put(dnnl.DNNL_ARG_WEIGHTS, weightIn.to);
            if (b != null) {
                convArgs.put(dnnl.DNNL_ARG_BIAS, b);
            }
            convArgs.put(dnnl.DNNL_ARG_DST, outputOut.from);
        }

        void run(INDArray input, INDArray weight, INDArray biasValues, INDArray out) {
            x.set_data_handle(input.data().addressPointer());
            w.set_data_handle(weight.data().addressPointer());
            y.set_data_handle(out.data().addressPointer());
            if (b != null) {
                b.set_data_handle(biasValues.data().addressPointer());
            }
            inputIn.run();
            weightIn.run();
            conv.execute(stream, convArgs);
            outputOut.run();
            stream._wait();
        }

        /** From the caller's layout into the primitive's, if they differ. */
        private Step step(memory plain, memory.desc wanted) {
            own(wanted);
            return plain.get_desc().equals(wanted) ? new Step(plain, plain, null, null)
                    : conversion(plain, blocked(wanted));
        }

        /** From the primitive's layout back into the caller's, if they differ. */
        private Step stepOut(memory plain, memory.desc chosen) {
            own(chosen);
            return plain.get_desc().equals(chosen) ? new Step(plain, plain, null, null)
                    : conversion(blocked(chosen), plain);
        }

        private memory blocked(memory.desc layout) {
            bytes += layout.get_size();
            return own(new memory(layout, cpu));
        }

        private Step conversion(memory from, memory to) {
            IntMemoryMap args = own(new IntMemoryMap());
            args.put(dnnl.DNNL_ARG_FROM, from);
            args.put(dnnl.DNNL_ARG_TO, to);
            return new Step(from, to, own(new reorder(from, to)), args);
        }

        private <T extends Pointer> T own(T p) {
            owned.add(p);
            return p;
        }

        void close() {
            for (int i = owned.size() - 1; i >= 0; i--) {
                owned.get(i).close();
            }
        }
    }

    /** A layout conversion, or nothing to do when {@code from} is {@code to}. */
    private record Step(memory from, memory to, primitive reorder, IntMemoryMap args) {
        void run() {
            if (reorder != null) {
                reorder.execute(stream, args);
            }
        }
    }
}
