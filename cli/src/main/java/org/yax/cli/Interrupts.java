package org.yax.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Turns Ctrl-C / SIGINT / SIGTERM into a request a long command polls (or a callback, e.g. a batch's cancel), and
 * holds the JVM's exit until the command says it has saved its state (at most {@link #SECONDS_TO_STOP}); the JVM
 * then exits with 128 + signal, i.e. 130 for SIGINT.
 */
public final class Interrupts implements AutoCloseable {
    static final int SECONDS_TO_STOP = 60;

    private final AtomicBoolean requested = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;

    private Interrupts(Runnable onSignal) {
        hook = new Thread(() -> {
            requested.set(true);
            onSignal.run();
            try {
                finished.await(SECONDS_TO_STOP, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "yax-interrupt");
    }

    static Interrupts install() {
        return install(() -> { });
    }

    /** As {@link #install()}, and {@code onSignal} runs first when a signal comes. */
    public static Interrupts install(Runnable onSignal) {
        Interrupts i = new Interrupts(onSignal);
        Runtime.getRuntime().addShutdownHook(i.hook);
        return i;
    }

    boolean requested() {
        return requested.get();
    }

    /** The command has saved what it must: let a pending exit proceed. */
    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running and returns now
        }
    }
}
