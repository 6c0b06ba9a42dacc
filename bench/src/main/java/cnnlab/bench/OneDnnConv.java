package cnnlab.bench;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A forward convolution on oneDNN called directly (JavaCPP's {@code org.bytedeco:dnnl}), as a drop-in
 * {@code conv2d}: NCHW input, OIHW weight and bias in, a new NCHW output out. The primitive is built once for the
 * shapes, with the memory layouts left to oneDNN ({@code format_tag.any}, which picks its blocked layouts and
 * fastest kernel); every call reorders the input and the weight into those layouts and the output back, so it
 * does the work an engine would do for weights that change every step.
 */
final class OneDnnConv implements AutoCloseable {
    private static final Pointer NO_DATA = null;
    private final engine eng = new engine(engine.kind.cpu, 0);
    private final stream str = new stream(eng);
    private final long[] outShape;
    private final memory x, xBlocked, w, wBlocked, b, y, yBlocked;
    private final reorder xIn, wIn, yOut;
    private final convolution_forward conv;
    private final IntMemoryMap convArgs = new IntMemoryMap();
    private final IntMemoryMap xArgs, wArgs, yArgs;
    /** oneDNN's name for the kernel it chose, e.g. {@code brgconv:avx512_core}. */
    final String kernel;

    /** Input {@code [N, C, H, W]}, weight {@code [K, C, kH, kW]}, square stride and symmetric zero padding. */
    OneDnnConv(long[] inShape, long[] weightShape, int stride, int padding) {
        long oh = (inShape[2] + 2L * padding - weightShape[2]) / stride + 1;
        long ow = (inShape[3] + 2L * padding - weightShape[3]) / stride + 1;
        outShape = new long[] {inShape[0], weightShape[0], oh, ow};
        memory.data_type f32 = memory.data_type.f32;
        memory.desc bias = new memory.desc(new long[] {weightShape[0]}, f32, memory.format_tag.x);
        convolution_forward.primitive_desc pd = new convolution_forward.primitive_desc(
                new convolution_forward.desc(dnnl.prop_kind.forward_inference, dnnl.algorithm.convolution_direct,
                        new memory.desc(inShape, f32, memory.format_tag.any),
                        new memory.desc(weightShape, f32, memory.format_tag.any), bias,
                        new memory.desc(outShape, f32, memory.format_tag.any),
                        new long[] {stride, stride}, new long[] {padding, padding}, new long[] {padding, padding}),
                eng);
        kernel = pd.impl_info_str().getString();
        x = new memory(new memory.desc(inShape, f32, memory.format_tag.nchw), eng, NO_DATA);
        w = new memory(new memory.desc(weightShape, f32, memory.format_tag.oihw), eng, NO_DATA);
        y = new memory(new memory.desc(outShape, f32, memory.format_tag.nchw), eng, NO_DATA);
        b = new memory(bias, eng, NO_DATA);
        xBlocked = new memory(pd.src_desc(), eng);
        wBlocked = new memory(pd.weights_desc(), eng);
        yBlocked = new memory(pd.dst_desc(), eng);
        xIn = new reorder(x, xBlocked);
        wIn = new reorder(w, wBlocked);
        yOut = new reorder(yBlocked, y);
        xArgs = fromTo(x, xBlocked);
        wArgs = fromTo(w, wBlocked);
        yArgs = fromTo(yBlocked, y);
        conv = new convolution_forward(pd);
        convArgs.put(dnnl.DNNL_ARG_SRC, xBlocked);
        convArgs.put(dnnl.DNNL_ARG_WEIGHTS, wBlocked);
        convArgs.put(dnnl.DNNL_ARG_BIAS, b);
        convArgs.put(dnnl.DNNL_ARG_DST, yBlocked);
    }

    private static IntMemoryMap fromTo(memory from, memory to) {
        IntMemoryMap args = new IntMemoryMap();
        args.put(dnnl.DNNL_ARG_FROM, from);
        args.put(dnnl.DNNL_ARG_TO, to);
        return args;
    }

    /** {@code conv2d(x, weight, bias)}; the arrays must be row-major float32 of the shapes given at construction. */
    INDArray forward(INDArray input, INDArray weight, INDArray biasValues) {
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, outShape);
        x.set_data_handle(input.data().addressPointer());
        w.set_data_handle(weight.data().addressPointer());
        b.set_data_handle(biasValues.data().addressPointer());
        y.set_data_handle(out.data().addressPointer());
        xIn.execute(str, xArgs);
        wIn.execute(str, wArgs);
        conv.execute(str, convArgs);
        yOut.execute(str, yArgs);
        str._wait();
        return out;
    }

    @Override
    public void close() {
        for (Pointer p : new Pointer[] {conv, xIn, wIn, yOut, x, xBlocked, w, wBlocked, b, y, yBlocked, convArgs,
                xArgs, wArgs, yArgs, str, eng}) {
            p.close();
        }
    }
}
