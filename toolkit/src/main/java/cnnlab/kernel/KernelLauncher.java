package cnnlab.kernel;

import cnnlab.ops.nd4j.Nd4jRuntime;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.LogManager;
import org.rapaio.jupyter.kernel.MainApp;
import org.rapaio.jupyter.kernel.channels.AbstractChannel;
import org.rapaio.jupyter.kernel.channels.Channels;
import org.rapaio.jupyter.kernel.channels.IOPubChannel;
import org.rapaio.jupyter.kernel.channels.MessageHandler;
import org.rapaio.jupyter.kernel.core.ConnectionProperties;
import org.rapaio.jupyter.kernel.core.RapaioKernel;
import org.rapaio.jupyter.kernel.core.Transform;
import org.rapaio.jupyter.kernel.message.Message;
import org.rapaio.jupyter.kernel.message.MessageType;
import org.rapaio.jupyter.kernel.message.messages.ControlShutdownRequest;
import org.rapaio.jupyter.kernel.message.messages.CustomCommClose;
import org.rapaio.jupyter.kernel.message.messages.CustomCommMsg;
import org.rapaio.jupyter.kernel.message.messages.CustomCommOpen;
import org.rapaio.jupyter.kernel.message.messages.IOPubStatus;
import org.rapaio.jupyter.kernel.message.messages.ShellCommInfoRequest;
import org.rapaio.jupyter.kernel.message.messages.ShellCompleteRequest;
import org.rapaio.jupyter.kernel.message.messages.ShellHistoryRequest;
import org.rapaio.jupyter.kernel.message.messages.ShellInspectRequest;
import org.rapaio.jupyter.kernel.message.messages.ShellIsCompleteRequest;
import org.rapaio.jupyter.kernel.message.messages.ShellKernelInfoRequest;

/**
 * Starts rapaio-jupyter-kernel 3.0.1 without its start-up race.
 *
 * <p>3.0.1's {@code Channels.connect} binds the sockets (which starts their polling threads) and only then
 * registers the message handlers, so a request that arrives early meets {@code handlers == null}: a
 * {@code NullPointerException} kills the shell thread and the kernel never answers. This does what
 * {@code MainApp.runKernel} does, in the safe order: handlers first, then bind, then announce "starting".
 * {@code Channels} is final, so the two private fields are set by reflection. The second race (a loop thread
 * that exits before it starts) is fixed by cnnlab's {@code LoopThread}, which this jar puts first.
 *
 * <p>It also mends 3.0.1's interrupts and error messages ({@link KernelMends}).
 *
 * <p>Before anything else it makes cnnlab's ND4J settings ({@link Nd4jRuntime}: native build, memory bound), so
 * they hold whatever a notebook's first cell does.
 *
 * <p>Arguments: the connection file, as Jupyter passes it. Anything else goes to the kernel's own main.
 */
public final class KernelLauncher {
    private KernelLauncher() {
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    public static void main(String[] args) throws Exception {
        if (args.length != 1 || args[0].startsWith("-")) {
            MainApp.main(args);
            return;
        }
        // a client killed without shutting the kernel down (Jupyter starts kernels in a session of their own, so its
        // signal does not reach this JVM) must not leave it running: end with the process that started it
        exitWithParent(System.getenv("JPY_PARENT_PID"), () -> System.exit(0));
        Nd4jRuntime.load(); // before a cell can touch ND4J; the class is in this jar too
        LogManager.getLogManager().readConfiguration(
                MainApp.class.getClassLoader().getResourceAsStream("logging.properties"));
        // the kernel logs every message it handles at INFO; keep warnings and errors only
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.setLevel(java.util.logging.Level.WARNING);
        for (java.util.logging.Handler h : root.getHandlers()) {
            h.setLevel(java.util.logging.Level.WARNING);
        }
        RapaioKernel kernel = MainApp.kernel; // the instance the notebook's display() talks to
        ConnectionProperties connection = Transform.fromJson(Files.readString(Path.of(args[0])),
                ConnectionProperties.class);
        Channels channels = new Channels(connection); // sockets created, nothing bound yet

        Map<MessageType<?>, MessageHandler> handlers = new HashMap<>();
        handlers.put(MessageType.SHELL_EXECUTE_REQUEST,
                KernelMends.tracked(kernel, channels, kernel::handleExecuteRequest));
        handlers.put(MessageType.SHELL_INSPECT_REQUEST, (MessageHandler<ShellInspectRequest>) kernel::handleInspectRequest);
        handlers.put(MessageType.SHELL_COMPLETE_REQUEST,
                (MessageHandler<ShellCompleteRequest>) kernel::handleCompleteRequest);
        handlers.put(MessageType.SHELL_HISTORY_REQUEST, (MessageHandler<ShellHistoryRequest>) kernel::handleHistoryRequest);
        handlers.put(MessageType.SHELL_IS_COMPLETE_REQUEST,
                (MessageHandler<ShellIsCompleteRequest>) kernel::handleIsCompleteRequest);
        handlers.put(MessageType.SHELL_KERNEL_INFO_REQUEST,
                (MessageHandler<ShellKernelInfoRequest>) kernel::handleKernelInfoRequest);
        handlers.put(MessageType.CONTROL_SHUTDOWN_REQUEST,
                (MessageHandler<ControlShutdownRequest>) kernel::handleShutdownRequest);
        // 3.0.1's own interrupt shuts down the executor every later cell needs (KernelMends)
        handlers.put(MessageType.CONTROL_INTERRUPT_REQUEST, KernelMends.interruptHandler(kernel, channels));
        handlers.put(MessageType.CUSTOM_COMM_OPEN, (MessageHandler<CustomCommOpen>) kernel::handleCommOpenCommand);
        handlers.put(MessageType.CUSTOM_COMM_MSG, (MessageHandler<CustomCommMsg>) kernel::handleCommMsgCommand);
        handlers.put(MessageType.CUSTOM_COMM_CLOSE, (MessageHandler<CustomCommClose>) kernel::handleCommCloseCommand);
        handlers.put(MessageType.SHELL_COMM_INFO_REQUEST,
                (MessageHandler<ShellCommInfoRequest>) kernel::handleCommInfoRequest);

        KernelMends.install(kernel);
        field(channels, "handlers").set(channels, handlers);
        kernel.registerChannels(channels);
        ((Set<AbstractChannel>) field(channels, "channels").get(channels)).forEach(c -> c.bind(connection));
        ((IOPubChannel) field(channels, "iopub").get(channels))
                .sendMessage(new Message<>(MessageType.IOPUB_STATUS, IOPubStatus.STARTING));
        field(channels, "isConnected").set(channels, true);
        channels.joinUntilClose();
        // a shutdown request ends the channels, but JShell's and ND4J's worker threads would keep the JVM alive
        // until Jupyter kills it: exit now
        System.exit(0);
    }

    /**
     * Runs {@code exit} once the process {@code parentPid} names has ended, as IPython's kernels do with the
     * {@code JPY_PARENT_PID} that Jupyter's client sets: a notebook runner, the bench's start-up script or a
     * Jupyter server that dies without a shutdown request takes its kernel with it. Returns whether it watches: not
     * without a number naming a running process (a kernel started by hand, or {@code independent}).
     */
    static boolean exitWithParent(String parentPid, Runnable exit) {
        long pid;
        try {
            pid = Long.parseLong(parentPid == null ? "" : parentPid.trim());
        } catch (NumberFormatException e) {
            return false;
        }
        Optional<ProcessHandle> parent = pid > 1 ? ProcessHandle.of(pid) : Optional.empty();
        if (parent.isEmpty() || !parent.get().isAlive()) {
            return false;
        }
        parent.get().onExit().thenRun(exit);
        return true;
    }

    private static Field field(Object owner, String name) throws NoSuchFieldException {
        Field f = owner.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }
}
