package org.yax.core.solve;

/**
 * Per-thread line buffers for the host kernels, made once per thread (and when a wider line comes). Why: the JIT
 * (C2 in JDK 17) vectorises a loop only when every array access uses the loop index itself, with no offsets, and
 * when two accesses of one array differ by a constant it merges them and gives up. So a line's left or right
 * neighbours are copied into one of these buffers first by System.arraycopy (vectorised, cache-resident): the row
 * kernels of planes ({@link PlaneTvPdhg}, {@link PlaneTvProx}) stage one shifted row per step and keep their
 * temporaries here (in bands, PlaneTvProx keeps its ring of two rows of u in the last two buffers); the flat kernels
 * of masked planes stage whole segments of {@value #SEGMENT} columns.
 * Measured on one core of the bench machine: 4.8 ns per pixel for the dual step's loop with neighbour offsets,
 * about 1 ns vectorised.
 */
final class LineScratch {
    private static final int BUFFERS = 10;
    /** Columns per staged segment: 10 buffers of 512 floats (20 KiB) stay in a 32 KiB L1 data cache. */
    static final int SEGMENT = 512;
    private static final ThreadLocal<float[][]> LOCAL = ThreadLocal.withInitial(() -> new float[BUFFERS][0]);

    private LineScratch() { }

    /** {@value #BUFFERS} buffers of at least {@code width} values (contents undefined). */
    static float[][] get(int width) {
        float[][] s = LOCAL.get();
        if (s[0].length < width) {
            for (int k = 0; k < BUFFERS; k++) {
                s[k] = new float[width];
            }
        }
        return s;
    }
}
