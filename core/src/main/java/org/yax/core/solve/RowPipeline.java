package org.yax.core.solve;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.BooleanSupplier;
import org.yax.core.op.HostPool;

/**
 * Several iterations of a row kernel in one pass over the rows (temporal blocking): stage s is iteration s of the
 * pass, and it may process row r as soon as stage s - 1 has finished rows 0 .. r + 1, which is all that the row
 * kernels of planes read ({@link PlaneTvPdhg}: x-bar of the row below; {@link PlaneTvProx}: r of the row below).
 * Why: one iteration of a 2048 x 2048 plane streams 36-40 bytes per pixel through memory, so one iteration per pass
 * runs at the memory's speed; with S stages in flight a row is loaded once for S iterations, while the few rows
 * between the first and the last stage stay in cache.
 *
 * <p>Threads: the stages are split into contiguous parts, one part per thread ({@link HostPool#together}); a part
 * runs its stages interleaved (stage s one row behind stage s - 1), and its first stage follows the previous part's
 * last stage through a progress counter. A stage never waits for a later one: a later stage only writes rows that
 * every earlier stage has finished with. Every row of every stage is computed from the same values whatever the
 * split, so results do not depend on the number of threads.
 */
final class RowPipeline {
    /** Processes row {@code row} of stage {@code stage}. */
    @FunctionalInterface
    interface Unit {
        void run(int stage, int row);
    }

    /**
     * Stages in flight at most: beyond this a pass is split into passes one after another. Kernels that keep
     * buffers per stage index them by stage % MAX_STAGES.
     */
    static final int MAX_STAGES = 16;
    /** Busy-wait rounds before a waiting part parks (a part waits on a neighbour a row or two ahead). */
    private static final int SPINS = 1 << 12;
    /** ints between two parts' counters: one 64-byte cache line each, so that they do not share one */
    private static final int PAD = 16;

    /** Pixels up to which a plane's iterations run one per pass (on one thread): see {@link #stagesPerPass}. */
    static final long CACHED_PIXELS = 512L * 512;
    /** Stages per pass above that size on one thread: see {@link #stagesPerPass}. */
    private static final int BLOCKED_STAGES = 4;

    private RowPipeline() { }

    /**
     * Stages in one pass over a plane of rows x width pixels. On one thread: 1 up to 512 x 512 pixels and 4 above.
     * Measured on one core of the bench machine, PDHG denoising, 100 iterations (it/s, three runs): at 512 x 512, 1
     * stage per pass 3052-3225, 4 stages 2782-3164, 16 stages 1678-2146 (the plane's 5 MiB stay in the last-level
     * cache anyway, and deeper passes only add work per row); at 1024 x 1024, 1: 373-440, 4: 642-827, 16: 542-639;
     * at 2048 x 2048, 1: 84-106, 4: 173-218, 16: 138-166 (16 stages keep about 1 MiB of rows in flight, more than
     * the core's L2). On several threads: {@link #MAX_STAGES}, whatever the size, since every pass costs each part
     * a wait for its first rows and the pool's start and join. Measured on the 2-core bench machine with the thread
     * counts and depths alternated in one JVM (medians of 5-7 runs, it/s, load average 1.0-1.3), 2 threads at 2, 4,
     * 8, 16 stages: PDHG 512 x 512 4506, 4455, 4511, 5104 (1 thread: 3371); PDHG 2048 x 2048 217, 211, 237, 292
     * (1 thread: 183 at 4 stages); FISTA 512 x 512 351, 391, 397, 478 (1 thread: 269); FISTA 2048 x 2048 (2 threads
     * at 4, 8, 16 stages) 20.0, 21.5, 24.9 (1 thread: 12.7); 32 stages on 2 threads gained nothing. Planes up to
     * 512 x 512 come here only in tests: the kernels run them in plain loops or in bands ({@link PlaneSchedule}).
     */
    static int stagesPerPass(int rows, int width) {
        if (HostPool.threads() > 1) {
            return MAX_STAGES;
        }
        return (long) rows * width <= CACHED_PIXELS ? 1 : BLOCKED_STAGES;
    }

    /**
     * Runs stages 0 .. stages - 1 over rows 0 .. rows - 1 of a plane {@code width} pixels wide, every row of stage s
     * after the rows it reads of s - 1, in passes of {@link #stagesPerPass} stages.
     */
    static void run(int stages, int rows, int width, Unit unit) {
        run(stages, rows, unit, stagesPerPass(rows, width));
    }

    /** As above in passes of {@code depth} stages (1 .. MAX_STAGES). */
    static void run(int stages, int rows, Unit unit, int depth) {
        if (depth < 1 || depth > MAX_STAGES) {
            throw new IllegalArgumentException("stages per pass must be 1 .. " + MAX_STAGES + ", got " + depth);
        }
        for (int first = 0; first < stages; first += depth) {
            int count = Math.min(depth, stages - first);
            new Pass(first, count, rows, unit).run();
        }
    }

    /** One pass: stages [first, first + count) split over the threads. */
    private static final class Pass {
        final int first;
        final int count;
        final int rows;
        final Unit unit;
        final int parts;
        /** rows finished by each part's last stage, at index part * PAD */
        final AtomicIntegerArray finished;
        volatile boolean failed;
        final BooleanSupplier hasFailed = () -> failed;

        Pass(int first, int count, int rows, Unit unit) {
            this.first = first;
            this.count = count;
            this.rows = rows;
            this.unit = unit;
            this.parts = Math.min(count, HostPool.threads());
            this.finished = new AtomicIntegerArray(parts * PAD);
        }

        void run() {
            HostPool.together(parts, part -> {
                try {
                    runPart(part);
                } catch (RuntimeException | Error e) {
                    failed = true;
                    throw e;
                }
            });
        }

        /** The part's stages interleaved: at step q, stage `from + j` processes row q - j. */
        private void runPart(int part) {
            int from = first + part * count / parts;
            int to = first + (part + 1) * count / parts;
            int depth = to - from;
            // the last part's progress is read by no one
            boolean publish = part < parts - 1;
            // rows the previous part's last stage is known to have finished: read again only when not enough
            int known = 0;
            for (int q = 0, steps = rows + depth - 1; q < steps; q++) {
                // the stages with a row at this step: j from q - rows + 1 (the others are done) to q (not started)
                int jFirst = Math.max(0, q - rows + 1);
                int jEnd = Math.min(depth, q + 1);
                if (jFirst == 0 && part > 0 && known < Math.min(q + 2, rows)) {
                    known = await(part - 1, Math.min(q + 2, rows));
                }
                for (int j = jFirst; j < jEnd; j++) {
                    unit.run(from + j, q - j);
                }
                int done = q - depth + 2;
                if (publish && done > 0) {
                    finished.lazySet(part * PAD, Math.min(done, rows));
                }
            }
        }

        /** Returns, once it is at least {@code needed}, the rows part {@code part}'s last stage has finished. */
        private int await(int part, int needed) {
            return PartWait.until(finished, part * PAD, needed, SPINS, hasFailed, "the row pipeline");
        }
    }
}
