package cnnlab.ops.nd4j;

import cnnlab.ops.Buffers;
import cnnlab.ops.OutputMemory;
import cnnlab.ops.PoolGeometry;
import cnnlab.ops.Pooled;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.convolution_backward_data;
import org.bytedeco.dnnl.convolution_backward_weights;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.pooling_forward;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.primitive_attr;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Convolution and its gradients on oneDNN called directly (JavaCPP's {@code org.bytedeco:dnnl}), the route issue 8
 * names beside libnd4j's own conv2d, which runs oneDNN too. The difference is in how each asks: libnd4j builds an
 * inference primitive that writes NHWC and, on every call, first converts the output array (not yet written) into
 * that layout and afterwards back, the first of which was the largest step of LeNet conv1 in oneDNN's log. Asked
 * as PyTorch asks (a training primitive, layouts left to oneDNN, the arrays converted in and out only where its
 * choice differs from NCHW), oneDNN picks the direct kernel PyTorch's log shows and converts the output once. JMH
 * forks as the bench makes them (2 threads, route off against on, two rounds, ms): AlexNet conv1 2.46, 1.92 against
 * 1.36, 1.55; VGG 3x3 17.7, 18.9 against 10.3, 10.2; LeNet conv1 1.23, 1.43 against 0.75, 0.55; conv2 0.59, 0.64
 * against 0.28, 0.27. The backward primitives (data, then weights and bias) take the forward's as a hint: LeNet
 * conv2's backward 2.5, 2.9 against 1.6, 1.1 ms; AlexNet's and VGG's within their spread.
 *
 * <p>Max pooling of a finite input runs here too, in NCHW (oneDNN's kernel for the plain layout): the values
 * through its inference primitive (8x64x112x112, 2x2: 2.1-2.4 ms against libnd4j's 7-11 ms, which converts to a
 * blocked layout and back), and with PyTorch's indices through its training primitive, whose workspace names the
 * winning tap of each window (4.7-4.8 ms, plus 2.3-2.8 ms turning taps into indices, against 20-30 ms for the
 * Java loop that searches the windows).
 *
 * <p>Each shape's primitives are built once and kept (the last {@value #KEPT} shapes, and no more than 256 MB of
 * blocked-layout memory for all of them; building one takes milliseconds), with the memory for its blocked layouts.
 * Weights are converted on every call: training changes them between calls. Calls run one at a time (oneDNN runs
 * each on the OpenMP threads it shares with libnd4j: one runtime is loaded). If the library does not load on this
 * machine, or cannot build a primitive for a shape, the methods return null and the caller uses libnd4j.
 * {@code -Dcnnlab.onednn=false} turns the route off.
 *
 * <p>Every primitive takes its scratch memory from {@link #scratchpad}, one buffer that the calls, one at a time,
 * share. Left to oneDNN (its "library" mode in this build), a primitive's scratch memory belongs to the thread that
 * built it, and a primitive run from another thread overran memory: a convolution oneDNN runs by im2col and GEMM
 * (1x1x1x6 by a 1x9 kernel, stride (1, 2), padding (0, 4)) crashed the JVM on its second thread, and a backward
 * failed with status 2. A lab check calls the student's code on a thread of its own, and anyone may call an op
 * from a thread of their own.
 */
final class OneDnn {
    private OneDnn() {
    }

    static final int KEPT = 16;
    /** The blocked-layout memory kept for all shapes together, at most (the newest shape's is always kept). */
    static final long KEPT_BYTES = 256L << 20;
    private static final boolean ON = !"false".equals(System.getProperty("cnnlab.onednn"));
    private static final Map<Record, Shape> PRIMITIVES = new LinkedHashMap<>(KEPT, 0.75f, true);
    private static final memory.data_type F32 = memory.data_type.f32;
    private static engine cpu;
    private static stream stream;
    /** Every primitive's attributes: scratch memory from {@link #scratchpad}, not oneDNN's per-thread buffer. */
    private static primitive_attr userScratchpad;
    private static Pointer scratchpad;
    private static long scratchpadBytes;
    /** The scratch buffer's first 64-byte boundary, where primitives are pointed. */
    private static Pointer scratchpadStart;
    private static boolean failed;

    /** Which primitives a convolution's key stands for. */
    private enum Pass {
        FORWARD,
        /** The input's gradient, then the weights' and the bias's. */
        BACKWARD,
        /** The weights' and the bias's gradients only (a first layer's input needs none). */
        WEIGHTS
    }

    /** One convolution's shapes, and which pass. */
    private record Key(Pass pass, long n, long c, long h, long w, long k, long kh, long kw, long oh, long ow,
                       boolean bias, int sh, int sw, int ph, int pw) {
        long[] x() {
            return new long[] {n, c, h, w};
        }

        long[] weight() {
            return new long[] {k, c, kh, kw};
        }

        long[] y() {
            return new long[] {n, k, oh, ow};
        }

        long[] strides() {
            return new long[] {sh, sw};
        }

        /** Both sides' padding: symmetric. */
        long[] padding() {
            return new long[] {ph, pw};
        }

        convolution_forward.desc forward(memory.desc bias, boolean eightChannels) {
            memory.desc y = eightChannels ? new memory.desc(y(), F32, memory.format_tag.nChw8c) : any(y());
            return bias == null
                    ? new convolution_forward.desc(dnnl.prop_kind.forward_training, dnnl.algorithm.convolution_direct,
                            any(x()), any(weight()), y, strides(), padding(), padding())
                    : new convolution_forward.desc(dnnl.prop_kind.forward_training, dnnl.algorithm.convolution_direct,
                            any(x()), any(weight()), bias, y, strides(), padding(), padding());
        }

        /**
         * One input channel and at most eight maps: left to choose, oneDNN writes the maps in blocks of 16
         * channels, most of them padding, and converts that out. Blocks of 8 halve what is written and read
         * again, and the kernel for them (AVX2's) takes as long here. 2 threads, medians, the conversion out
         * included: LeNet conv1 (64x1x28x28, 6@5x5) 0.31 -> 0.26 ms, 4@3x3 0.20-0.23 -> 0.17 ms, 8@7x7
         * 0.48 -> 0.42 ms, 1x1x256x256 by 6 5x5 0.65 -> 0.40-0.42 ms, 1x1x512x512 by 8 3x3 3.0 -> 0.6 ms. With
         * more input channels it went either way (64x6x14x14 by 6: 0.16-0.18 -> 0.25 ms; 8x3x96x96 by 8:
         * 1.05 -> 0.93 ms), so they keep oneDNN's choice.
         */
        boolean eightChannels() {
            return c == 1 && k <= 8;
        }
    }

    /**
     * One max pooling's shapes: window, strides, and padding on each side (ceil mode reaches further at the
     * bottom and right); {@code indices} keys the training primitive, which also writes where each maximum was.
     */
    private record PoolKey(boolean indices, long n, long c, long h, long w, long kh, long kw, long oh, long ow,
                           int sh, int sw, int top, int left, int bottom, int right) {
        static PoolKey of(boolean indices, PoolGeometry g) {
            return new PoolKey(indices, g.n(), g.c(), g.h(), g.w(), g.kh(), g.kw(), g.oh(), g.ow(), g.sh(), g.sw(),
                    g.ph(), g.pw(), g.padBottom(), g.padRight());
        }
    }

    /** Whether calls go to oneDNN directly (loaded, and not turned off); for the bench's description. */
    static synchronized boolean active() {
        return ON && started();
    }

    /** How many shapes' primitives are kept now; for the tests. */
    static synchronized int kept() {
        return PRIMITIVES.size();
    }

    /** Outputs and copies below this size are not checked against the bound: 64 MB. */
    private static final long LARGE = 64L << 20;

    /** The blocked-layout memory kept now, in bytes; for the tests. */
    static synchronized long keptBytes() {
        return PRIMITIVES.values().stream().mapToLong(s -> s == null ? 0 : s.bytes()).sum();
    }

    /**
     * {@code conv2d} with symmetric zero padding: {@code x [N, C, H, W]}, {@code w [K, C, kH, kW]}, {@code b [K]}
     * or null, into a new {@code [N, K, oH, oW]}. Null when oneDNN cannot run it here; nothing is written then.
     */
    static synchronized INDArray conv2d(INDArray x, INDArray w, INDArray b, int sh, int sw, int ph, int pw,
                                        long oh, long ow) {
        Shape shape = shape(new Key(Pass.FORWARD, x.size(0), x.size(1), x.size(2), x.size(3), w.size(0), w.size(2),
                w.size(3), oh, ow, b != null, sh, sw, ph, pw));
        if (shape == null) {
            return null;
        }
        INDArray y = OutputMemory.floats(x.size(0), w.size(0), oh, ow);
        shape.calls[0].run(b == null ? new INDArray[] {x, w, y} : new INDArray[] {x, w, b, y});
        return y;
    }

    /**
     * {@link #conv2d} through both forward layouts a one-channel shape can take, {@code {blocks of 8, oneDNN's
     * own}}, neither kept: for the tests, whichever {@link #BLOCKS} picks on the machine they run on.
     */
    static synchronized INDArray[] conv2dBothLayouts(INDArray x, INDArray w, INDArray b, int ph, int pw, long oh,
                                                     long ow) {
        Key key = new Key(Pass.FORWARD, x.size(0), x.size(1), x.size(2), x.size(3), w.size(0), w.size(2), w.size(3),
                oh, ow, b != null, 1, 1, ph, pw);
        if (!started() || !key.eightChannels()) {
            return null;
        }
        INDArray[] ys = new INDArray[2];
        for (int i = 0; i < 2; i++) {
            Shape shape = forward(key, new ArrayList<>(), i == 0);
            try {
                ys[i] = Nd4j.createUninitialized(DataType.FLOAT, key.y());
                shape.calls[0].run(b == null ? new INDArray[] {x, w, ys[i]} : new INDArray[] {x, w, b, ys[i]});
            } finally {
                shape.close();
            }
        }
        return ys;
    }

    /**
     * The gradients of {@link #conv2d} with symmetric zero padding, {@code {dx, dw, db}}, from oneDNN's backward
     * primitives (data, then weights and bias). Null when oneDNN cannot run it here.
     */
    static synchronized INDArray[] conv2dBackward(INDArray x, INDArray w, INDArray gradOut, int sh, int sw, int ph,
                                                  int pw) {
        Shape shape = shape(new Key(Pass.BACKWARD, x.size(0), x.size(1), x.size(2), x.size(3), w.size(0),
                w.size(2), w.size(3), gradOut.size(2), gradOut.size(3), true, sh, sw, ph, pw));
        if (shape == null) {
            return null;
        }
        INDArray dx = OutputMemory.floats(x.shape()), dw = OutputMemory.floats(w.shape());
        INDArray db = OutputMemory.floats(w.size(0));
        shape.calls[0].run(new INDArray[] {gradOut, w, dx});          // first: it converts the gradient
        shape.calls[1].run(new INDArray[] {x, gradOut, dw, db});      // for this one too, where both read it alike
        return new INDArray[] {dx, dw, db};
    }

    /**
     * {@link #conv2dBackward} without the input's gradient, {@code {dw, db}}: oneDNN's weights primitive alone.
     * Null when oneDNN cannot run it here.
     */
    static synchronized INDArray[] conv2dWeightBackward(INDArray x, INDArray w, INDArray gradOut, int sh, int sw,
                                                        int ph, int pw) {
        Shape shape = shape(new Key(Pass.WEIGHTS, x.size(0), x.size(1), x.size(2), x.size(3), w.size(0),
                w.size(2), w.size(3), gradOut.size(2), gradOut.size(3), true, sh, sw, ph, pw));
        if (shape == null) {
            return null;
        }
        INDArray dw = OutputMemory.floats(w.shape()), db = OutputMemory.floats(w.size(0));
        shape.calls[0].run(new INDArray[] {x, gradOut, dw, db});
        return new INDArray[] {dw, db};
    }

    /**
     * Max pooling of a finite input without dilation (oneDNN skips a NaN, and reads padding as the lowest float),
     * values only. Null when oneDNN cannot run it here.
     */
    static synchronized INDArray maxPool2d(INDArray x, PoolGeometry g) {
        Shape shape = shape(PoolKey.of(false, g));
        if (shape == null) {
            return null;
        }
        INDArray y = OutputMemory.floats(g.outputShape());
        shape.calls[0].run(new INDArray[] {x, y});
        return y;
    }

    /**
     * {@link #maxPool2d} with where each maximum was, as PyTorch's indices: oneDNN's training primitive writes the
     * winning tap of each window (row by row, the first of equal maxima: strictly larger values replace), which
     * becomes the flat index {@code ih * W + iw}. Null when oneDNN cannot run it, or when a window's winner lies in
     * its padding (a window of nothing but the lowest float); the caller's loops answer those.
     */
    static synchronized Pooled maxPool2dWithIndices(INDArray x, PoolGeometry g) {
        Shape shape = shape(PoolKey.of(true, g));
        if (shape == null) {
            return null;
        }
        Call call = shape.calls[0];
        INDArray values = OutputMemory.floats(g.outputShape());
        call.run(new INDArray[] {x, values});
        INDArray indices = OutputMemory.longs(g.outputShape());
        boolean inside = PlaneLoops.indicesFromTaps(call.workspace.get_data_handle(), indices, g);
        return inside ? new Pooled(values, indices) : null;
    }

    /** The key's primitives, built on first use and kept; null if oneDNN is off or has none for the key. */
    private static Shape shape(Record key) {
        if (!ON || !started()) {
            return null;
        }
        Shape shape = PRIMITIVES.get(key);
        if (shape == null && !PRIMITIVES.containsKey(key)) {
            shape = build(key);
            PRIMITIVES.put(key, shape);
            forgetOldest();
        }
        return shape;
    }

    private static boolean started() {
        if (cpu == null && !failed) {
            try {
                cpu = new engine(engine.kind.cpu, 0);
                stream = new stream(cpu);
                userScratchpad = new primitive_attr();
                userScratchpad.set_scratchpad_mode(dnnl.scratchpad_mode.user);
            } catch (RuntimeException | LinkageError e) {
                failed = true;
            }
        }
        return cpu != null;
    }

    /** A key's primitives, or null (remembered) if oneDNN has none for it. */
    private static Shape build(Record key) {
        List<Pointer> owned = new ArrayList<>();
        try {
            if (key instanceof PoolKey pool) {
                return maxPooling(pool, owned);
            }
            Key conv = (Key) key;
            return conv.pass() == Pass.FORWARD ? forward(conv, owned) : backward(conv, owned);
        } catch (RuntimeException e) {
            owned.forEach(Pointer::close);
            return null;
        } catch (OutOfMemoryError e) {   // no room for its memory: the op says so, nothing half made is kept
            owned.forEach(Pointer::close);
            throw e;
        }
    }

    private static Shape forward(Key key, List<Pointer> owned) {
        if (!key.eightChannels() || !"auto".equals(BLOCKS) || bytes(key.x()) > TIMED_BYTES
                || bytes(key.y()) > TIMED_BYTES) {
            return forward(key, owned, key.eightChannels() && !"16".equals(BLOCKS));
        }
        // blocks of 8 channels or oneDNN's own choice: whichever is faster on this machine, timed here, once
        Shape eight = forward(key, new ArrayList<>(), true), own = null;
        try {
            own = forward(key, new ArrayList<>(), false);
            Shape faster = faster(key, eight, own);
            (faster == eight ? own : eight).close();
            owned.addAll(faster.owned());
            return faster;
        } catch (RuntimeException | Error e) {
            eight.close();
            if (own != null) {
                own.close();
            }
            throw e;
        }
    }

    /**
     * Which layout the forward primitive writes for a {@link Key#eightChannels} shape: {@code auto} (the default)
     * times both, {@code 8} or {@code 16} takes one (system property {@code cnnlab.onednn.blocks}, for the tests
     * and for probes). Blocks of 8 channels took 0.26-0.29 ms for LeNet conv1's forward where oneDNN's own blocks
     * of 16 took 0.30-0.34 ms on a Zen 4 EPYC (stop 25), but 193-199 us against 165-170 us on a Zen 5 (stop 37).
     */
    static final String BLOCKS = System.getProperty("cnnlab.onednn.blocks", "auto");

    /**
     * Inputs and outputs up to this size are timed in both layouts (a 512x512 photo's 8 maps: 8 MB); larger ones
     * take blocks of 8, as on the Zen 4, with no copies of their size made for the timing.
     */
    private static final long TIMED_BYTES = 16L << 20;

    private static long bytes(long[] shape) {
        long n = Float.BYTES;
        for (long size : shape) {
            n = Math.multiplyExact(n, size);
        }
        return n;
    }

    /** Calls of each candidate to warm them up, then calls of each timed, alternating (fewer past the budget). */
    private static final int WARM_CALLS = 5, TIMED_CALLS = 41;
    /** Time the timing may take before it stops at fewer calls (a large input's): 0.2 s. */
    private static final long TIMING_BUDGET_NANOS = 200_000_000L;

    /**
     * The forward of the two whose median call is shorter: after {@value #WARM_CALLS} calls of each, up to
     * {@value #TIMED_CALLS} of each, alternating, as many as fit in 0.2 s (at least 5). With 15 calls of each
     * right after the primitives were made, a probe kept the slower layout in 1 JVM of 3.
     */
    private static Shape faster(Key key, Shape a, Shape b) {
        // ones, not random numbers: the timing must not move ND4J's generator, which a notebook may have seeded
        INDArray x = Nd4j.ones(DataType.FLOAT, key.x()), w = Nd4j.ones(DataType.FLOAT, key.weight());
        INDArray y = Nd4j.createUninitialized(DataType.FLOAT, key.y());
        INDArray[] arrays = key.bias() ? new INDArray[] {x, w, Nd4j.ones(DataType.FLOAT, key.k()), y}
                : new INDArray[] {x, w, y};
        for (int i = 0; i < WARM_CALLS; i++) {
            a.calls[0].run(arrays);
            b.calls[0].run(arrays);
        }
        long[] timesA = new long[TIMED_CALLS], timesB = new long[TIMED_CALLS];
        long end = System.nanoTime() + TIMING_BUDGET_NANOS;
        int calls = 0;
        while (calls < TIMED_CALLS && (calls < 5 || System.nanoTime() < end)) {
            timesA[calls] = timed(a, arrays);
            timesB[calls] = timed(b, arrays);
            calls++;
        }
        Arrays.sort(timesA, 0, calls);
        Arrays.sort(timesB, 0, calls);
        return timesA[calls / 2] <= timesB[calls / 2] ? a : b;
    }

    private static long timed(Shape shape, INDArray[] arrays) {
        long start = System.nanoTime();
        shape.calls[0].run(arrays);
        return System.nanoTime() - start;
    }

    /** The forward primitive's call, in blocks of 8 channels if {@code eightChannels} and oneDNN has a kernel. */
    private static Shape forward(Key key, List<Pointer> owned, boolean eightChannels) {
        memory.desc bias = key.bias() ? plain(new long[] {key.k()}) : null;
        var pd = forwardPrimitive(key, bias, eightChannels);
        Call call = new Call(new convolution_forward(pd), pd.scratchpad_desc(), owned);
        call.in(dnnl.DNNL_ARG_SRC, plain(key.x()), pd.src_desc());
        call.in(dnnl.DNNL_ARG_WEIGHTS, plain(key.weight()), pd.weights_desc());
        if (bias != null) {
            call.in(dnnl.DNNL_ARG_BIAS, bias, bias);
        }
        call.out(dnnl.DNNL_ARG_DST, plain(key.y()), pd.dst_desc());
        return new Shape(owned, call);
    }

    /**
     * The forward primitive's description: in blocks of 8 channels if {@code eightChannels}, unless oneDNN has no
     * kernel for that layout, or only its reference kernel (a machine without the instructions); then as oneDNN
     * chooses.
     */
    private static convolution_forward.primitive_desc forwardPrimitive(Key key, memory.desc bias,
                                                                       boolean eightChannels) {
        if (eightChannels) {
            try {
                var pd = new convolution_forward.primitive_desc(key.forward(bias, true), userScratchpad, cpu);
                if (!pd.impl_info_str().getString().startsWith("ref")) {
                    return pd;
                }
                pd.close();
            } catch (RuntimeException e) {
                // no kernel for blocks of 8 here: as oneDNN chooses
            }
        }
        return new convolution_forward.primitive_desc(key.forward(bias, false), userScratchpad, cpu);
    }

    /**
     * oneDNN's backward primitives (data, then weights and bias; or the weights' alone) take the forward's as a
     * hint to pick matching kernels and layouts.
     */
    private static Shape backward(Key key, List<Pointer> owned) {
        long[] strides = key.strides(), padding = key.padding();
        memory.desc bias = plain(new long[] {key.k()});
        var hint = forwardPrimitive(key, bias, key.eightChannels());
        var weightsPd = new convolution_backward_weights.primitive_desc(new convolution_backward_weights.desc(
                dnnl.algorithm.convolution_direct, any(key.x()), any(key.weight()), bias, any(key.y()), strides,
                padding, padding), userScratchpad, cpu, hint);
        if (key.pass() == Pass.WEIGHTS) {
            return new Shape(owned, weights(weightsPd, key, bias, owned, null));
        }
        var dataPd = new convolution_backward_data.primitive_desc(new convolution_backward_data.desc(
                dnnl.algorithm.convolution_direct, firstLayer(key) ? plain(key.x()) : any(key.x()), any(key.weight()),
                any(key.y()), strides, padding, padding), userScratchpad, cpu, hint);
        Call data = new Call(new convolution_backward_data(dataPd), dataPd.scratchpad_desc(), owned);
        data.in(dnnl.DNNL_ARG_DIFF_DST, plain(key.y()), dataPd.diff_dst_desc());
        data.in(dnnl.DNNL_ARG_WEIGHTS, plain(key.weight()), dataPd.weights_desc());
        data.out(dnnl.DNNL_ARG_DIFF_SRC, plain(key.x()), dataPd.diff_src_desc());
        return new Shape(owned, data, weights(weightsPd, key, bias, owned, data));
    }

    /**
     * The weights primitive's call. After a data primitive's call that converts the gradient into the layout this
     * one reads too, it reads that conversion (VGG 3x3: 0.5 ms of 24 each time).
     */
    private static Call weights(convolution_backward_weights.primitive_desc pd, Key key, memory.desc bias,
                                List<Pointer> owned, Call data) {
        Call weights = new Call(new convolution_backward_weights(pd), pd.scratchpad_desc(), owned);
        weights.in(dnnl.DNNL_ARG_SRC, plain(key.x()), pd.src_desc());
        memory converted = data == null ? null : data.converted(dnnl.DNNL_ARG_DIFF_DST);
        if (converted != null && own(owned, pd.diff_dst_desc()).equals(own(owned, converted.get_desc()))) {
            weights.convertedBefore(dnnl.DNNL_ARG_DIFF_DST, converted);
        } else {
            weights.in(dnnl.DNNL_ARG_DIFF_DST, plain(key.y()), pd.diff_dst_desc());
        }
        weights.out(dnnl.DNNL_ARG_DIFF_WEIGHTS, plain(key.weight()), pd.diff_weights_desc());
        weights.out(dnnl.DNNL_ARG_DIFF_BIAS, bias, pd.diff_bias_desc());
        return weights;
    }

    /**
     * A first layer's few input channels (grey, RGB): asked for the input's gradient in its blocked layout, oneDNN
     * pads them to 16 channels and runs a direct kernel that was 1.2-5x slower here than the GEMM kernel it picks
     * for plain NCHW (2 threads, medians, the conversion out included): with a stride, AlexNet conv1 5.5 -> 1.7 ms,
     * 8 of them 45 -> 18 ms, a 7x7 stride-2 stem 5.9 -> 2.4 ms; with one channel, LeNet conv1 3.0 -> 1.3 ms,
     * 8x1x64x64 by 8 3x3 0.86 -> 0.19 ms. With 2-4 channels at stride 1 the two were even or the direct kernel
     * ahead, and from 6 channels on it wins (LeNet conv2: 0.45 against 1.25 ms).
     */
    private static boolean firstLayer(Key key) {
        return key.c() == 1 || key.c() <= 4 && (key.sh() > 1 || key.sw() > 1);
    }

    /** Max pooling, the input and output in NCHW (oneDNN's JIT kernel for the plain layout is as fast here). */
    private static Shape maxPooling(PoolKey key, List<Pointer> owned) {
        long[] out = {key.n(), key.c(), key.oh(), key.ow()};
        memory.desc x = plain(new long[] {key.n(), key.c(), key.h(), key.w()}), y = plain(out);
        var pd = new pooling_forward.primitive_desc(new pooling_forward.desc(key.indices()
                ? dnnl.prop_kind.forward_training : dnnl.prop_kind.forward_inference, dnnl.algorithm.pooling_max, x,
                y, new long[] {key.sh(), key.sw()}, new long[] {key.kh(), key.kw()},
                new long[] {key.top(), key.left()}, new long[] {key.bottom(), key.right()}), userScratchpad, cpu);
        Call call = new Call(new pooling_forward(pd), pd.scratchpad_desc(), owned);
        call.in(dnnl.DNNL_ARG_SRC, x, pd.src_desc());
        call.out(dnnl.DNNL_ARG_DST, y, pd.dst_desc());
        if (key.indices()) {
            memory.desc taps = own(owned, pd.workspace_desc());
            if (!taps.equals(own(owned, new memory.desc(out, memory.data_type.u8, memory.format_tag.nchw)))) {
                throw new IllegalStateException("oneDNN's workspace is not one byte per output in NCHW");
            }
            call.workspace(taps);
        }
        return new Shape(owned, call);
    }

    private static <T extends Pointer> T own(List<Pointer> owned, T p) {
        owned.add(p);
        return p;
    }

    private static memory.desc any(long[] dims) {
        return new memory.desc(dims, F32, memory.format_tag.any);
    }

    /** Row-major: NCHW, OIHW, or a vector. */
    private static memory.desc plain(long[] dims) {
        return new memory.desc(dims, F32, dims.length == 4 ? memory.format_tag.nchw : memory.format_tag.x);
    }

    private static void forgetOldest() {
        long bytes = keptBytes();
        Iterator<Shape> oldest = PRIMITIVES.values().iterator();
        while (PRIMITIVES.size() > KEPT || PRIMITIVES.size() > 1 && bytes > KEPT_BYTES) {
            Shape shape = oldest.next();
            oldest.remove();
            if (shape != null) {
                bytes -= shape.bytes();
                shape.close();
            }
        }
    }

    /** The array itself if its memory is plain row-major from its first cell, else such a copy. */
    private static INDArray dense(INDArray a) {
        return a.dataType() == DataType.FLOAT && Buffers.rowMajorFromStart(a) ? a : a.dup('c');
    }

    /** A key's primitive calls and everything they own. */
    private record Shape(List<Pointer> owned, Call... calls) {
        long bytes() {
            long bytes = 0;
            for (Call call : calls) {
                bytes += call.bytes;
            }
            return bytes;
        }

        void close() {
            for (int i = owned.size() - 1; i >= 0; i--) {
                owned.get(i).close();
            }
        }
    }

    /**
     * One primitive with its arguments: each array the caller passes is bound to a memory object in its plain
     * layout; where the primitive chose another layout, a conversion runs before (inputs) or after (outputs) it
     * through memory kept for that layout.
     */
    private static final class Call {
        /** Memory the primitive writes besides its outputs (max pooling's winning taps), or null. */
        memory workspace;
        private final List<Pointer> owned;
        private final primitive primitive;
        private final IntMemoryMap args = new IntMemoryMap();
        private final List<Binding> bound = new ArrayList<>();
        private final List<Step> before = new ArrayList<>(), after = new ArrayList<>();
        private final Map<Integer, memory> conversions = new HashMap<>();
        private long bytes;
        /** Whether it has run: its blocked copies have been written then. */
        private boolean ran;

        /** Its scratch memory, pointed at {@link #scratchpad} on every run; null if it needs none. */
        private final Scratch scratch;

        Call(primitive primitive, memory.desc scratchpad, List<Pointer> owned) {
            this.owned = owned;
            this.primitive = own(primitive);
            own(args);
            scratch = Scratch.of(own(scratchpad), args, owned);
        }

        /** The next array passed to {@link #run} is this input; {@code chosen} is the primitive's layout for it. */
        void in(int arg, memory.desc plain, memory.desc chosen) {
            bind(arg, plain, chosen, false);
        }

        /**
         * The next array passed to {@link #run} is this input, which an earlier call of the same run has already
         * converted into {@code converted}, the layout this primitive chose as well: it is read from there.
         */
        void convertedBefore(int arg, memory converted) {
            bound.add(new Binding(null, false));
            args.put(arg, converted);
        }

        /** The memory an input is converted into before the primitive runs, or null if it is read where it lies. */
        memory converted(int arg) {
            return conversions.get(arg);
        }

        /** The next array passed to {@link #run} receives this output. */
        void out(int arg, memory.desc plain, memory.desc chosen) {
            bind(arg, plain, chosen, true);
        }

        /**
         * The arrays, in the order {@link #in} and {@link #out} were declared. A copy made of an input that is not
         * plain row-major is held until oneDNN has finished with it: ND4J frees an array's memory once it is
         * unreachable.
         */
        void run(INDArray[] arrays) {
            // memory that is promised but not written yet is not in the process's resident size, which is what the
            // bound is checked against: the outputs, and on the first run the blocked copies. A 64-channel conv of
            // a 5000x5000 photo passed each check alone (6.4 GB each), and together the system killed the kernel
            long untouched = ran ? 0 : bytes;
            for (int i = 0; i < arrays.length; i++) {
                untouched += bound.get(i).output() ? arrays[i].length() * arrays[i].dataType().width() : 0;
            }
            if (untouched > LARGE) {
                OutputMemory.checkRoom(untouched);
            }
            ran = true;
            INDArray[] held = new INDArray[arrays.length];
            for (int i = 0; i < arrays.length; i++) {
                Binding binding = bound.get(i);
                if (binding.user() != null) {
                    held[i] = binding.output() ? arrays[i] : dense(arrays[i]);
                    binding.user().set_data_handle(held[i].data().addressPointer());
                }
            }
            before.forEach(Step::run);
            if (scratch != null) {
                scratch.point();
            }
            primitive.execute(stream, args);
            after.forEach(Step::run);
            stream._wait();
            Reference.reachabilityFence(held);
        }

        /** A memory object for the caller's array; a conversion and memory in the chosen layout if that differs. */
        private void bind(int arg, memory.desc plain, memory.desc chosen, boolean output) {
            memory user = own(new memory(plain, cpu, (Pointer) null));
            bound.add(new Binding(user, output));
            if (own(plain).equals(own(chosen))) {
                args.put(arg, user);
                return;
            }
            memory other = blocked(chosen);
            if (output) {
                after.add(conversion(other, user));
            } else {
                before.add(conversion(user, other));
                conversions.put(arg, other);
            }
            args.put(arg, other);
        }

        /** Memory kept for the primitive's workspace, read by the caller after {@link #run}. */
        void workspace(memory.desc layout) {
            workspace = blocked(layout);
            args.put(dnnl.DNNL_ARG_WORKSPACE, workspace);
        }

        private memory blocked(memory.desc layout) {
            bytes += layout.get_size();   // oneDNN allocates it itself, outside JavaCPP's count: see run
            return own(new memory(layout, cpu));
        }

        private Step conversion(memory from, memory to) {
            IntMemoryMap conversionArgs = own(new IntMemoryMap());
            conversionArgs.put(dnnl.DNNL_ARG_FROM, from);
            conversionArgs.put(dnnl.DNNL_ARG_TO, to);
            var pd = own(new reorder.primitive_desc(from, to, userScratchpad, false));
            return new Step(own(new reorder(pd)), conversionArgs,
                    Scratch.of(own(pd.scratchpad_desc()), conversionArgs, owned));
        }

        private <T extends Pointer> T own(T p) {
            owned.add(p);
            return p;
        }
    }

    /**
     * The memory object a caller's array is handed to oneDNN through, and which way it goes; no memory object when
     * an earlier call has converted the array already ({@link Call#convertedBefore}).
     */
    private record Binding(memory user, boolean output) {
    }

    /** A layout conversion. */
    private record Step(primitive reorder, IntMemoryMap args, Scratch scratch) {
        void run() {
            if (scratch != null) {
                scratch.point();
            }
            reorder.execute(stream, args);
        }
    }

    /** A primitive's scratch memory: a memory object without memory of its own, bound to its arguments. */
    private record Scratch(memory handle, long bytes) {
        /** For a primitive whose scratch memory is {@code desc}; null if it needs none. */
        static Scratch of(memory.desc desc, IntMemoryMap args, List<Pointer> owned) {
            long bytes = desc.get_size();
            if (bytes == 0) {
                return null;
            }
            memory m = own(owned, new memory(desc, cpu, (Pointer) null));
            args.put(dnnl.DNNL_ARG_SCRATCHPAD, m);
            return new Scratch(m, bytes);
        }

        /** Points the memory object at the shared buffer, grown to this primitive's size if need be. */
        void point() {
            handle.set_data_handle(scratchpad(bytes));
        }
    }

    /**
     * The scratch buffer of at least {@code bytes}, 64-byte aligned, grown when a primitive needs more. One buffer
     * serves every primitive: they run one at a time (every entry point holds the class's lock).
     */
    private static Pointer scratchpad(long bytes) {
        if (bytes > scratchpadBytes) {
            if (scratchpad != null) {
                Pointer.free(scratchpad);
                scratchpad = null;
                scratchpadBytes = 0;
            }
            OutputMemory.checkRoom(bytes);
            scratchpad = Pointer.malloc(bytes + 64);
            if (scratchpad == null || scratchpad.isNull()) {
                scratchpad = null;
                scratchpadBytes = 0;
                throw new OutOfMemoryError("cannot allocate " + bytes + " bytes of scratch memory for oneDNN");
            }
            scratchpadBytes = bytes;
            scratchpadStart = new Aligned((scratchpad.address() + 63) & -64);
        }
        return scratchpadStart;
    }

    /** A pointer to an address inside the scratch buffer; it owns nothing. */
    private static final class Aligned extends Pointer {
        Aligned(long address) {
            this.address = address;
        }
    }
}
