package org.rapaio.jupyter.kernel.channels;

/**
 * cnnlab's copy of rapaio-jupyter-kernel 3.0.1's {@code LoopThread}, identical but for one line: {@code running}
 * is set before {@code super.start()}. In 3.0.1 the new thread can test {@code while (running)} before the flag
 * is set and exit silently, leaving a kernel with no shell, control or heartbeat loop (a hung start). It ships
 * only in {@code cnnlab-toolkit-kernel.jar}, which stands before the kernel's jar on the kernel JVM's class path
 * ({@code cnnlab.kernel.KernelLauncher}). Not part of the toolkit jar that notebooks load.
 */
public final class LoopThread extends Thread {
    private volatile boolean running = false;
    private final long sleep;
    private final Runnable loopBody;

    public LoopThread(String name, long sleep, Runnable loopBody) {
        super(name);
        this.sleep = sleep;
        this.loopBody = loopBody;
    }

    @Override
    public void run() {
        while (running) {
            loopBody.run();
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                running = false;
                return;
            }
        }
    }

    @Override
    public synchronized void start() {
        running = true; // 3.0.1 sets this after super.start(): the new thread may see false and exit
        super.start();
    }

    public void shutdown() {
        running = false;
    }
}
