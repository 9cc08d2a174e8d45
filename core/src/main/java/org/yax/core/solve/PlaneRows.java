package org.yax.core.solve;

import java.util.Arrays;
import org.yax.core.op.HostPool;

/**
 * A plane held as one float array per row, for the 2-D TV kernels ({@link PlaneTvPdhg}, {@link PlaneTvProx}). Why
 * rows and not one flat array: JDK 17's C2 vectorises a loop only when every array access uses the loop index
 * itself; in a flat plane the row below is at {@code i + width}, an offset that is not a constant, and such a
 * loop stays scalar (measured: the dual step 4.8 ns per pixel scalar, 1.0 vectorised, on one core of the bench
 * machine). With rows, the row above and below are other arrays at the same index, and only the left or right
 * neighbour needs a staged copy of one line.
 */
final class PlaneRows {
    /** Pixels up to which a plane's rows are made and copied on the calling thread: see {@link #forRows}. */
    private static final long SMALL_PIXELS = 512L * 512;

    private PlaneRows() { }

    /** Rows of {@code flat}'s first height * width values. */
    static float[][] of(float[] flat, int height, int width) {
        float[][] rows = new float[height][];
        forRows(height, width, (from, to) -> {
            for (int r = from; r < to; r++) {
                rows[r] = Arrays.copyOfRange(flat, r * width, (r + 1) * width);
            }
        });
        return rows;
    }

    /** A plane of zeros. */
    static float[][] zeros(int height, int width) {
        float[][] rows = new float[height][];
        forRows(height, width, (from, to) -> {
            for (int r = from; r < to; r++) {
                rows[r] = new float[width];
            }
        });
        return rows;
    }

    /**
     * Runs {@code body} over the rows of a plane: on the pool's threads for a large plane (on one thread the
     * allocation and zeroing of a 2048 x 2048 plane's five arrays is a few percent of a solve), on the caller up to
     * 512 x 512 pixels, where waking the pool costs more than it saves (a PDHG solve's set-up at 512 x 512, 2026-12-04:
     * 0.86 ms through the pool on 2 threads, 0.29 ms on the caller alone).
     */
    private static void forRows(int height, int width, HostPool.Lines body) {
        if ((long) height * width <= SMALL_PIXELS) {
            body.run(0, height);
        } else {
            HostPool.forLines(height, body);
        }
    }

    /**
     * The row below each row, the last row its own (so a forward difference against it is 0 there, as D's last row).
     * Why a table and not a test in the loop over rows: the pipeline reaches the last row late, and C2 compiles a
     * kernel that never saw a branch taken without it, then throws the code away when the branch comes (a deopt).
     */
    static float[][] below(float[][] rows) {
        float[][] below = new float[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            below[r] = rows[Math.min(r + 1, rows.length - 1)];
        }
        return below;
    }

    /** The row above each row, {@code zeros} above the first (D^H's p[-1] = 0); see {@link #below}. */
    static float[][] above(float[][] rows, float[] zeros) {
        float[][] above = new float[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            above[r] = r > 0 ? rows[r - 1] : zeros;
        }
        return above;
    }

    /** Copies the rows into {@code flat} (row after row). */
    static void copyTo(float[][] rows, int width, float[] flat) {
        forRows(rows.length, width, (from, to) -> {
            for (int r = from; r < to; r++) {
                System.arraycopy(rows[r], 0, flat, r * width, width);
            }
        });
    }

    /** out[k] = row[k + 1] for k < width - 1 and out[width - 1] = row[width - 1]: the right neighbour, the last
     *  column its own (so a forward difference against it is 0 there, as D's last column). */
    static void right(float[] row, float[] out, int width) {
        System.arraycopy(row, 1, out, 0, width - 1);
        out[width - 1] = row[width - 1];
    }

    /** out[0] = 0 and out[k] = row[k - 1]: the left neighbour, 0 before the first column (as D^H's p[-1]). */
    static void left(float[] row, float[] out, int width) {
        out[0] = 0f;
        System.arraycopy(row, 0, out, 1, width - 1);
    }
}
