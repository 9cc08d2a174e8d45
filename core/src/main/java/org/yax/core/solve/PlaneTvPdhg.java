package org.yax.core.solve;

/**
 * The iterates of {@link HostTvPdhg} for a plane with A = I (denoising), held as rows ({@link PlaneRows}) so that
 * every loop over a row vectorises: a PDHG step does the dual step of a row followed by the primal step of the same
 * row while both are in cache, with no boundary tests inside the loops and one staged copy of a row per step (the
 * right neighbours of x-bar, the left neighbours of p_x); how the steps are scheduled (plain loops, bands of rows
 * per thread, or several steps per pass over the rows) is {@link PlaneSchedule}'s decision. The arithmetic is
 * HostTvPdhg's, except that the projection and the data step multiply by a reciprocal where it divides (one
 * division per pixel instead of four; within float rounding). The last row's p_y and the last column's p_x stay
 * exactly 0, as D's forward differences are 0 there, so the loops need not treat them apart.
 */
final class PlaneTvPdhg {
    private final int height;
    private final int width;
    private final float wy;
    private final float wx;
    private final float lambda;
    private final float[][] y;
    private final float[][] x;
    private final float[][] xBar;
    private final float[][] py;
    private final float[][] px;
    /** x-bar's row below each row (the last row: itself) and p_y's row above (the first row: zeros) */
    private final float[][] xBarBelow;
    private final float[][] pyAbove;

    PlaneTvPdhg(float[] y, float[] x0, int height, int width, float wy, float wx, float lambda) {
        this.height = height;
        this.width = width;
        this.wy = wy;
        this.wx = wx;
        this.lambda = lambda;
        this.y = PlaneRows.of(y, height, width);
        this.x = PlaneRows.of(x0, height, width);
        this.xBar = PlaneRows.of(x0, height, width);
        this.py = PlaneRows.zeros(height, width);
        this.px = PlaneRows.zeros(height, width);
        this.xBarBelow = PlaneRows.below(xBar);
        this.pyAbove = PlaneRows.above(py, new float[width]);
    }

    /**
     * {@code count} steps, step k with sigma[k], tau[k], gramPlusInverseTau[k] and theta[k]: p = projection of
     * p + sigma D x-bar, x = prox(x - tau D^H p), x-bar = x + theta (x - x_old); if {@code check}, the last step also
     * writes each row's sums of (x - x_old)^2 and x^2 into lineSums[2 r], [2 r + 1]. A row's dual step reads x-bar of
     * that row and the row below, and its primal step the new p of the row above: in a {@link RowPipeline} pass a
     * step may process a row once the step before has finished the row below; in {@link RowBands} each band's first
     * row takes its primal step after a barrier.
     */
    void steps(int count, float[] sigma, float[] tau, float[] gramPlusInverseTau, float[] theta, boolean check,
               double[] lineSums) {
        PlaneSchedule schedule = PlaneSchedule.of(height, width);
        if (schedule == PlaneSchedule.PLAIN) {
            // one step per pass on one thread: plain loops, which C2 compiles as one unit (through the pipeline's
            // call per row the same steps ran at 1800-2400 against 2950-3360 it/s at 512 x 512 on one core when the
            // pipeline came; with today's kernels 2959 against 3054, medians of 7 alternated runs, 2026-12-04)
            float[][] s = LineScratch.get(width);
            for (int k = 0; k < count; k++) {
                boolean last = check && k == count - 1;
                for (int r = 0; r < height; r++) {
                    dualRow(r, sigma[k], s[0]);
                    primalRow(r, tau[k], gramPlusInverseTau[k], theta[k], last, lineSums, s[1], s[2]);
                }
            }
        } else if (schedule == PlaneSchedule.BANDS) {
            // step 2k: the dual and primal steps of each row in turn while the row is in cache, as the plain loops
            // do, but for the primal step of the band's first row, which reads the new p of the row above (the
            // band above's last dual step); until step 2k + 1 makes it, x-bar of that row stays as the band above's
            // last dual step reads it. (A dual pass and then a primal pass over each band took 12% longer at
            // 512 x 512 on 2 threads: the band does not stay in a core's own cache between the passes.)
            RowBands.run(2 * count, height, (step, from, to) -> {
                float[][] s = LineScratch.get(width);
                int k = step / 2;
                boolean last = check && k == count - 1;
                if (step % 2 == 0) {
                    dualRow(from, sigma[k], s[0]);
                    for (int r = from + 1; r < to; r++) {
                        dualRow(r, sigma[k], s[0]);
                        primalRow(r, tau[k], gramPlusInverseTau[k], theta[k], last, lineSums, s[1], s[2]);
                    }
                } else {
                    primalRow(from, tau[k], gramPlusInverseTau[k], theta[k], last, lineSums, s[1], s[2]);
                }
            });
        } else {
            RowPipeline.run(count, height, width, (k, r) -> {
                float[][] s = LineScratch.get(width);
                dualRow(r, sigma[k], s[0]);
                primalRow(r, tau[k], gramPlusInverseTau[k], theta[k], check && k == count - 1, lineSums, s[1],
                        s[2]);
            });
        }
    }

    private void dualRow(int r, float sigma, float[] right) {
        float[] cur = xBar[r];
        float[] down = xBarBelow[r];
        float[] qy = py[r];
        float[] qx = px[r];
        PlaneRows.right(cur, right, width);
        float lam = lambda;
        for (int k = 0; k < width; k++) {
            float c = cur[k];
            float a = qy[k] + sigma * (wy * (down[k] - c));
            float b = qx[k] + sigma * (wx * (right[k] - c));
            // a / max(|q| / lambda, 1) as a times min(lambda / |q|, 1): one division instead of three (at |q| = 0,
            // lambda / 0 = infinity and the factor is 1)
            float factor = Math.min(lam / (float) Math.sqrt(a * a + b * b), 1f);
            qy[k] = a * factor;
            qx[k] = b * factor;
        }
    }

    private void primalRow(int r, float tau, float gramPlusInverseTau, float theta, boolean check,
                           double[] lineSums, float[] left, float[] old) {
        float[] up = pyAbove[r];
        float[] here = py[r];
        float[] hereX = px[r];
        float[] xr = x[r];
        float[] xb = xBar[r];
        float[] yr = y[r];
        PlaneRows.left(hereX, left, width);
        if (check) {
            System.arraycopy(xr, 0, old, 0, width);
        }
        primal(xr, xb, yr, up, here, left, hereX, width, wy, wx, tau, gramPlusInverseTau, theta);
        if (check) {
            changeSums(xr, old, width, lineSums, r);
        }
    }

    /**
     * The primal step's loops. Two loops, the divergence first (into {@code left}, a staging buffer): C2 unrolls, and
     * so vectorises, only a loop whose body is small enough (JDK 17: LoopUnrollLimit); one loop with all of it stayed
     * scalar when the method was compiled from its start.
     */
    private static void primal(float[] xr, float[] xb, float[] yr, float[] up, float[] here, float[] left,
                               float[] hereX, int width, float wy, float wx, float tau, float gramPlusInverseTau,
                               float theta) {
        float inverseGram = 1f / gramPlusInverseTau;
        for (int k = 0; k < width; k++) {
            left[k] = wy * (up[k] - here[k]) + wx * (left[k] - hereX[k]);
        }
        for (int k = 0; k < width; k++) {
            float v = xr[k] - tau * left[k];
            float xNew = v - (v - yr[k]) * inverseGram;
            float delta = xNew - xr[k];
            xb[k] = xNew + theta * delta;
            xr[k] = xNew;
        }
    }

    /** The row's sums of (x - x_old)^2 and x^2, in column order. */
    private static void changeSums(float[] xr, float[] old, int width, double[] lineSums, int r) {
        double diff = 0;
        double norm = 0;
        for (int k = 0; k < width; k++) {
            float delta = xr[k] - old[k];
            diff += (double) delta * delta;
            norm += (double) xr[k] * xr[k];
        }
        lineSums[2 * r] = diff;
        lineSums[2 * r + 1] = norm;
    }

    /** The current x, row after row, into {@code out}. */
    void copyEstimate(float[] out) {
        PlaneRows.copyTo(x, width, out);
    }
}
