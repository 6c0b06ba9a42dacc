package org.rapaio.jupyter.kernel.core.java.io;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.rapaio.jupyter.kernel.channels.Channels;

/**
 * cnnlab's copy of rapaio-jupyter-kernel 3.0.1's {@code JShellOutputStream} (what {@code System.out} writes to in
 * a cell), the same but for one thing: {@link #flush} sends with the thread's interrupt flag cleared, and sets it
 * again after. ZeroMQ refuses to send from an interrupted thread ({@code ZMQException: Errno 4}), so in 3.0.1 a
 * cell printing while the stop button's interrupt was pending failed with twenty frames of socket internals in
 * place of its own message (a data fetch ending its progress line, a print loop). Like {@code LoopThread}, it
 * ships only in {@code cnnlab-toolkit-kernel.jar}, first on the kernel JVM's class path.
 */
public class JShellOutputStream extends ByteArrayOutputStream {
    private static final int INITIAL_BUFFER_CAP = 1024;

    private final boolean err;
    private Channels channels;

    public JShellOutputStream(boolean err) {
        super(INITIAL_BUFFER_CAP);
        this.err = err;
    }

    public void bindChannels(Channels channels) {
        this.channels = channels;
    }

    public void unbindChannels() {
        this.channels = null;
    }

    @Override
    public void flush() {
        String text = new String(buf, 0, count, StandardCharsets.UTF_8);
        if (text.isEmpty()) {
            return;
        }
        if (channels == null) {
            throw new IllegalStateException("No bound env at flush.");
        }
        boolean interrupted = Thread.interrupted();
        try {
            if (err) {
                channels.writeToStdErr(text);
            } else {
                channels.writeToStdOut(text);
            }
            reset();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
