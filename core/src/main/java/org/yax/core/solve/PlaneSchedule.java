package org.yax.core.solve;

/**
 * How the row kernels of a plane ({@link PlaneTvPdhg}, {@link PlaneTvProx}) run their iterations; one decision for
 * both. Measured on the 2-core bench machine, PDHG denoising at 512 x 512, 300 iterations, in one JVM with the
 * schedules alternated run by run, medians over six JVMs (it/s): one thread 4027-4264; two threads in bands 6084-7679
 * (1.43-1.81x), split over the pipeline's stages 4453-7204 (1.04-1.69x, below 1.2x in three JVMs of six; in a
 * `yax bench` run where it gave 1.20x, two one-thread solves side by side gave 1.89x); with one pass over a band per
 * iteration (2026-12-04, another 2-core VM, eleven `yax bench` runs, docs/BENCHMARKS.md "sixth round") PDHG 1.78-1.94x
 * and FISTA 1.65-1.87x, where two independent one-thread solves gave 1.81-1.98x. FISTA at 512 x 512 on one thread
 * (outer it/s, three JVMs): plain loops 251-261, the pipeline at 1, 4 and 12 stages per pass 250-262, 239-252, 228-251.
 * A plane larger than the cache takes the pipeline on any number of threads: a row is loaded once for several
 * iterations, where bands would stream the plane through memory every iteration.
 */
enum PlaneSchedule {
    /** One thread, a plane that stays in the cache: plain loops, one iteration after another. */
    PLAIN,
    /** Several threads, a plane that stays in the cache: a band of rows per thread ({@link RowBands}). */
    BANDS,
    /** A plane larger than the cache: several iterations per pass over the rows ({@link RowPipeline}). */
    PIPELINE;

    /**
     * Pixels up to which a plane counts as staying in the cache (5 arrays of 512 x 512 floats: 5 MiB). Not final:
     * tests set 0 to run small planes through the pipeline as well.
     */
    static long cachedPixels = RowPipeline.CACHED_PIXELS;

    static PlaneSchedule of(int rows, int width) {
        if ((long) rows * width > cachedPixels) {
            return PIPELINE;
        }
        return RowBands.parts(rows) > 1 ? BANDS : PLAIN;
    }
}
