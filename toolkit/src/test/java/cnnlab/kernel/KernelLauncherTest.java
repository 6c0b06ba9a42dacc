package cnnlab.kernel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The kernel ends with the process that started it (Jupyter's JPY_PARENT_PID), and only then. */
@Timeout(60)
class KernelLauncherTest {
    @Test
    void theExitRunsOnceTheParentHasEndedAndNotBefore() throws Exception {
        Process parent = new ProcessBuilder("sleep", "30").start();
        CountDownLatch exited = new CountDownLatch(1);
        assertTrue(KernelLauncher.exitWithParent(Long.toString(parent.pid()), exited::countDown));
        assertFalse(exited.await(1, TimeUnit.SECONDS), "the parent is alive: the kernel stays");
        parent.destroyForcibly().waitFor();
        assertTrue(exited.await(20, TimeUnit.SECONDS), "the parent is gone: the kernel ends");
    }

    @Test
    void withoutALivingParentNothingIsWatched() throws Exception {
        Runnable never = () -> {
            throw new AssertionError("must not run");
        };
        assertFalse(KernelLauncher.exitWithParent(null, never), "started by hand");
        assertFalse(KernelLauncher.exitWithParent("", never));
        assertFalse(KernelLauncher.exitWithParent("not a pid", never));
        assertFalse(KernelLauncher.exitWithParent("1", never), "init is nobody's client");
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        assertFalse(KernelLauncher.exitWithParent(Long.toString(gone.pid()), never), "already ended");
    }
}
