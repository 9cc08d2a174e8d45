package org.yax.core.solve;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.yax.core.op.HostPool;

/**
 * How a part of a plane split over threads ({@link RowPipeline}, {@link RowBands}) waits for another part's progress
 * counter: it spins a while (the other part is usually a row or two away), then parks through
 * {@link ForkJoinPool#managedBlock}, so that a pool busy with other callers adds a thread instead of deadlocking.
 */
final class PartWait {
    private static final long PARK_NANOS = 20_000;

    private PartWait() { }

    /**
     * Returns the counter at {@code index} once it is at least {@code needed}, after up to {@code spins} busy-wait
     * rounds before parking; throws {@link HostPool.OtherPartFailed} if {@code failed} says another part failed
     * ({@code where} names the split).
     */
    static int until(AtomicIntegerArray counters, int index, int needed, int spins, BooleanSupplier failed,
                     String where) {
        int done;
        for (int spin = 0; (done = counters.get(index)) < needed; spin++) {
            if (failed.getAsBoolean()) {
                throw new HostPool.OtherPartFailed("another part of " + where + " failed");
            }
            if (spin < spins) {
                Thread.onSpinWait();
                continue;
            }
            try {
                ForkJoinPool.managedBlock(new ForkJoinPool.ManagedBlocker() {
                    @Override
                    public boolean block() {
                        LockSupport.parkNanos(PARK_NANOS);
                        return isReleasable();
                    }

                    @Override
                    public boolean isReleasable() {
                        return failed.getAsBoolean() || counters.get(index) >= needed;
                    }
                });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting in " + where, e);
            }
        }
        return done;
    }
}
