package org.yax.core.solve;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.BooleanSupplier;
import org.yax.core.op.HostPool;

/**
 * Steps over the rows of a plane, each thread on a band of rows of its own, all threads meeting at a barrier after
 * every step: the schedule of a plane that stays in the cache on several threads ({@link PlaneSchedule#BANDS}). A
 * step may read any row that an earlier step wrote, since the barrier stands between them, and writes only its own
 * band's rows. Each row is computed from the same values whatever the bands, so results do not depend on the number
 * of threads. Why bands and not {@link RowPipeline}'s split of the iterations: there every row a thread writes is
 * read next by the other thread, so the whole plane moves between the cores' caches on every pass, and on the bench
 * machine (a 2-core virtual machine) some runs took 1.5x as long as others for it; a band's rows stay with its
 * thread, and only the rows at a band's edge are read by a neighbour.
 */
final class RowBands {
    /** Rows [from, to) of step {@code step}. */
    @FunctionalInterface
    interface Step {
        void run(int step, int from, int to);
    }

    /** Busy-wait rounds at a barrier before a thread parks (the others are a few rows away from it, as a rule). */
    private static final int SPINS = 1 << 14;
    /** ints between two parts' counters: one 64-byte cache line each */
    private static final int PAD = 16;

    private RowBands() { }

    /** Threads that a plane of {@code rows} rows would be split over (1: the plain loops). */
    static int parts(int rows) {
        return HostPool.atOnce(Math.min(HostPool.threads(), rows));
    }

    /** Runs steps 0 .. steps - 1 over rows 0 .. rows - 1, each step on every band before any band starts the next. */
    static void run(int steps, int rows, Step body) {
        int parts = parts(rows);
        if (parts == 1) {
            for (int step = 0; step < steps; step++) {
                body.run(step, 0, rows);
            }
            return;
        }
        // one counter per part: the steps it has finished
        AtomicIntegerArray finished = new AtomicIntegerArray((parts + 1) * PAD);
        AtomicBoolean failed = new AtomicBoolean();
        BooleanSupplier hasFailed = failed::get;
        HostPool.together(parts, part -> {
            int from = (int) ((long) part * rows / parts);
            int to = (int) ((long) (part + 1) * rows / parts);
            try {
                for (int step = 0; step < steps; step++) {
                    body.run(step, from, to);
                    finished.set(PAD + part * PAD, step + 1);
                    for (int other = 0; other < parts; other++) {
                        if (other != part) {
                            PartWait.until(finished, PAD + other * PAD, step + 1, SPINS, hasFailed,
                                    "the plane's bands");
                        }
                    }
                }
            } catch (RuntimeException | Error e) {
                failed.set(true);
                throw e;
            }
        });
    }
}
