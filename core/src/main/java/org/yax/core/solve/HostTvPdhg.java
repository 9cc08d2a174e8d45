package org.yax.core.solve;

import org.yax.core.op.HostPool;
import org.yax.core.Progress;

/**
 * The same TV solver as {@link TvPdhg}'s exact-data-proximal path, for A = I (denoise; accelerated) or A = a
 * mask (inpaint, or denoise with missing voxels), on host float arrays: each PDHG step is two fused passes
 * that update the iterates in place, so a solve holds x, x-bar and the dual field (2 or 3 planes' worth per
 * voxel) and nothing else; no temporaries, no native engine. {@code HostTvPdhgTest} checks it against
 * TvPdhg on the same inputs (same iterations, voxels equal to float rounding).
 *
 * <p>Why it exists: the CPU volume path (3-D TV of a DICOM series, slab by slab) with the NDArray solver
 * made ~35 slab-sized temporaries per step on the PyTorch engine, and the engine itself costs ~130 MiB of
 * resident memory before a pixel is read; this keeps a 300-slice 512 x 512 series within 3x of its data
 * size (docs/DICOM-BENCHMARK.md). Devices other than the CPU keep using TvPdhg.
 *
 * <p>Work is split over lines (one row of one slice) by {@link HostPool}; sums are taken per line and added in
 * line order, so results do not depend on the number of threads. {@link TvPdhg} runs it for A = I and masks
 * (planes and volumes) when {@link ComputePath} puts the solve on the host.
 */
public final class HostTvPdhg {
    /** Steps computed together at most (a checkpoint ends a group earlier): the row kernels' pass length. */
    private static final int GROUP = RowPipeline.MAX_STAGES;
    private final double lambda;
    private final StoppingRule stopping;
    private final double[] axisWeights;

    /**
     * @param lambda      TV weight, > 0
     * @param axisWeights one positive weight per axis of the image (outermost first), as in
     *                    {@link org.yax.core.op.Gradient}; 2 for a plane, 3 for a volume
     */
    public HostTvPdhg(double lambda, StoppingRule stopping, double... axisWeights) {
        if (!(lambda > 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("TV weight lambda must be a positive finite number, got " + lambda);
        }
        if (axisWeights.length != 2 && axisWeights.length != 3) {
            throw new IllegalArgumentException("2 or 3 axis weights (plane or volume), got " + axisWeights.length);
        }
        for (double w : axisWeights) {
            if (!(w > 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("axis weights must be positive and finite, got " + w);
            }
        }
        this.lambda = lambda;
        this.stopping = stopping;
        this.axisWeights = axisWeights.clone();
    }

    /**
     * The estimate, the iterations run, the last relative change and whether the tolerance was met. With a
     * workspace the estimate is the workspace's array (its first depth * height * width values; valid until
     * the workspace's next solve).
     */
    public record Result(float[] estimate, int iterations, double lastChange, boolean converged) { }

    /**
     * The iterates of solves of up to {@code capacity} voxels: x, x-bar and the dual field. Solving the slabs of a
     * volume in one workspace sized for the largest allocates them once (a 16-slice 512 x 512 slab: 80 MiB)
     * instead of once per slab, so the garbage collector never sees them as garbage and has no reason to grow
     * the heap for them.
     */
    public static final class Workspace {
        final float[] x;
        final float[] xBar;
        final float[][] p;

        /** @param components axes of the image: 2 for a plane, 3 for a volume */
        public Workspace(int capacity, int components) {
            if ((long) capacity * components > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("too many voxels for one host solve: " + capacity);
            }
            this.x = new float[capacity];
            this.xBar = new float[capacity];
            this.p = new float[components][capacity];
        }

        /** Whether this workspace serves a solve of this many voxels and axes. */
        public boolean holds(long voxels, int components) {
            return voxels <= x.length && p.length == components;
        }
    }

    /**
     * @param y        measurement: its first depth * height * width values (depth 1 for a plane); not modified
     * @param observed null for A = I; else A = the mask (true = measured), y's value where false is ignored
     * @param x0       starting point, as y; not modified
     */
    public Result solve(float[] y, boolean[] observed, float[] x0, int depth, int height, int width,
                        Progress progress) {
        return solve(y, observed, x0, depth, height, width, null, progress);
    }

    /** As above, in {@code workspace} (null: a new one); the estimate is then the workspace's array. */
    public Result solve(float[] y, boolean[] observed, float[] x0, int depth, int height, int width,
                        Workspace workspace, Progress progress) {
        long voxels = (long) depth * height * width;
        int components = axisWeights.length;
        if (components == 2 && depth != 1) {
            throw new IllegalArgumentException("2 axis weights are for a plane, got depth " + depth);
        }
        if (depth < 1 || height < 1 || width < 1 || y.length < voxels || x0.length < voxels
                || (observed != null && observed.length < voxels)) {
            throw new IllegalArgumentException("y, x0 and the mask must hold " + depth + " x " + height + " x "
                    + width + " values");
        }
        if (workspace != null && !workspace.holds(voxels, components)) {
            throw new IllegalArgumentException("the workspace does not fit " + depth + " x " + height + " x " + width
                    + " voxels with " + components + " axes");
        }
        if (components == 2 && observed == null) {
            // a plane with A = I: the row kernels ({@link PlaneTvPdhg}), the estimate copied out at the end
            float[] out = workspace != null ? workspace.x : new float[(int) voxels];
            return new Run(y, x0, height, width, out).solve(progress);
        }
        Workspace w = workspace != null ? workspace : new Workspace((int) voxels, components);
        return new Run(y, observed, x0, depth, height, width, w).solve(progress);
    }

    /** One solve's state: the iterates live here and are updated in place. */
    private final class Run {
        final float[] y;
        final boolean[] observed;
        final int depth;
        final int height;
        final int width;
        final int n;
        final int components;
        /** weights of the z (3-D only), y and x differences */
        final float wz;
        final float wy;
        final float wx;
        final float[] x;
        final float[] xBar;
        /** the dual field, one array per component as Gradient's output: [z,] y, x */
        final float[] pz;
        final float[] py;
        final float[] px;
        final double[] lineSums;
        /** the iterates as rows (a plane with A = I), else null and the flat arrays above hold them */
        final PlaneTvPdhg rows;

        /** A plane with A = I, on rows; the estimate is copied into {@code out} when the solve ends. */
        Run(float[] y, float[] x0, int height, int width, float[] out) {
            this.y = y;
            this.observed = null;
            this.depth = 1;
            this.height = height;
            this.width = width;
            this.n = height * width;
            this.components = 2;
            this.wz = 0f;
            this.wy = (float) axisWeights[0];
            this.wx = (float) axisWeights[1];
            this.x = out;
            this.xBar = null;
            this.pz = null;
            this.py = null;
            this.px = null;
            this.lineSums = new double[2 * height];
            this.rows = new PlaneTvPdhg(y, x0, height, width, wy, wx, (float) lambda);
        }

        Run(float[] y, boolean[] observed, float[] x0, int depth, int height, int width, Workspace workspace) {
            this.y = y;
            this.observed = observed;
            this.depth = depth;
            this.height = height;
            this.width = width;
            this.n = depth * height * width;
            this.components = axisWeights.length;
            this.wz = components == 3 ? (float) axisWeights[0] : 0f;
            this.wy = (float) axisWeights[components - 2];
            this.wx = (float) axisWeights[components - 1];
            this.x = workspace.x;
            this.xBar = workspace.xBar;
            this.pz = components == 3 ? workspace.p[0] : null;
            this.py = workspace.p[components - 2];
            this.px = workspace.p[components - 1];
            System.arraycopy(x0, 0, x, 0, n);
            System.arraycopy(x0, 0, xBar, 0, n);
            for (float[] component : workspace.p) {
                java.util.Arrays.fill(component, 0, n, 0f);
            }
            this.lineSums = new double[2 * depth * height];
            this.rows = null;
        }

        Result solve(Progress progress) {
            double normSquared = 0;
            for (double w : axisWeights) {
                normSquared += 4 * w * w;
            }
            boolean accelerate = observed == null;
            double tau = accelerate ? 0.25 : Math.max(0.2 * standardDeviation(y, n) / lambda, 0.35);
            double sigma = 1 / (tau * normSquared);
            double change = Double.NaN;
            int it = 0;
            boolean converged = false;
            int lines = depth * height;
            // the steps up to the next checkpoint form a group: the row kernels of a plane run a group in one pass
            // over the rows (PlaneTvPdhg.steps); the flat kernels one step after another
            int group = Math.min(GROUP, stopping.maxIterations());
            float[] sigmas = new float[group];
            float[] taus = new float[group];
            float[] grams = new float[group];
            float[] thetas = new float[group];
            while (it < stopping.maxIterations() && !converged) {
                progress.checkCancelled();
                int count = 0;
                boolean check = false;
                while (count < group && !check && it < stopping.maxIterations()) {
                    it++;
                    double theta = 1;
                    double tauNow = tau;
                    sigmas[count] = (float) sigma;
                    if (accelerate) {
                        theta = 1 / Math.sqrt(1 + 2 * tau);
                        tau *= theta;
                        sigma /= theta;
                    }
                    taus[count] = (float) tauNow;
                    grams[count] = (float) (1 + 1.0 / tauNow);
                    thetas[count] = (float) theta;
                    count++;
                    check = stopping.isCheckpoint(it);
                }
                if (rows != null) {
                    rows.steps(count, sigmas, taus, grams, thetas, check, lineSums);
                } else {
                    for (int k = 0; k < count; k++) {
                        flatStep(sigmas[k], taus[k], grams[k], thetas[k], check && k == count - 1);
                    }
                }
                if (check) {
                    double diff = 0;
                    double norm = 0;
                    for (int l = 0; l < lines; l++) {
                        diff += lineSums[2 * l];
                        norm += lineSums[2 * l + 1];
                    }
                    change = norm == 0 ? Math.sqrt(diff) : Math.sqrt(diff) / Math.sqrt(norm);
                    converged = change < stopping.tolerance();
                    progress.report((double) it / stopping.maxIterations(), "TV, iteration " + it);
                }
            }
            if (rows != null) {
                rows.copyEstimate(x);
            }
            return new Result(x, it, change, converged);
        }

        /**
         * One step on the flat arrays. One pass does both steps line after line while the line is in cache: the
         * primal step of a line needs the new dual field of that line and the ones before it (row above, plane
         * above), and the dual step of a line needs the old x-bar of that line and the ones after it. Within a block
         * of lines that order holds, except that the first `halo` lines of a block still hold x-bar the previous
         * block's dual step reads: their primal steps wait for a second pass. Every value is computed from the same
         * inputs whatever the blocks, so results do not depend on threads.
         */
        private void flatStep(float sigma, float tau, float gramPlusInverseTau, float theta, boolean check) {
            int halo = components == 3 ? height : 1;
            HostPool.forLines(depth * height, (from, to) -> {
                for (int line = from; line < to; line++) {
                    dualLine(line, sigma);
                    if (line >= from + halo) {
                        primalLine(line, tau, gramPlusInverseTau, theta, check);
                    }
                }
            });
            HostPool.forLines(depth * height, (from, to) -> {
                for (int line = from, end = Math.min(to, from + halo); line < end; line++) {
                    primalLine(line, tau, gramPlusInverseTau, theta, check);
                }
            });
        }

        /** p = projection onto {|p| <= lambda} of p + sigma D x-bar, for one line. */
        private void dualLine(int line, float sigma) {
            int z = line / height;
            int row = line % height;
            int base = line * width;
            boolean zInside = components == 3 && z < depth - 1;
            boolean rowInside = row < height - 1;
            int plane = height * width;
            float lam = (float) lambda;
            int start = 0;
            if (components == 2 && rowInside) {
                // the same arithmetic as the loop below, staged through line buffers so that it vectorises
                int total = width - 1;
                start = total;
                float[][] s = LineScratch.get(Math.min(width, LineScratch.SEGMENT));
                float[] cur = s[0];
                float[] down = s[1];
                float[] right = s[2];
                float[] qy = s[3];
                float[] qx = s[4];
                for (int c0 = 0; c0 < total; c0 += LineScratch.SEGMENT) {
                    int len = Math.min(LineScratch.SEGMENT, total - c0);
                    int b = base + c0;
                    System.arraycopy(xBar, b, cur, 0, len);
                    System.arraycopy(xBar, b + width, down, 0, len);
                    System.arraycopy(xBar, b + 1, right, 0, len);
                    System.arraycopy(py, b, qy, 0, len);
                    System.arraycopy(px, b, qx, 0, len);
                    for (int k = 0; k < len; k++) {
                        float a = qy[k] + sigma * (wy * (down[k] - cur[k]));
                        float c = qx[k] + sigma * (wx * (right[k] - cur[k]));
                        float shrink = Math.max((float) Math.sqrt(a * a + c * c) / lam, 1f);
                        qy[k] = a / shrink;
                        qx[k] = c / shrink;
                    }
                    System.arraycopy(qy, 0, py, b, len);
                    System.arraycopy(qx, 0, px, b, len);
                }
            }
            for (int col = start; col < width; col++) {
                int i = base + col;
                float centre = xBar[i];
                float gy = rowInside ? wy * (xBar[i + width] - centre) : 0f;
                float gx = col < width - 1 ? wx * (xBar[i + 1] - centre) : 0f;
                float qy = py[i] + sigma * gy;
                float qx = px[i] + sigma * gx;
                float qz = 0f;
                float sumSquares = qy * qy;
                if (components == 3) {
                    float gz = zInside ? wz * (xBar[i + plane] - centre) : 0f;
                    qz = pz[i] + sigma * gz;
                    sumSquares = qz * qz + sumSquares;
                }
                sumSquares = sumSquares + qx * qx; // summed in Gradient's component order, as TvPdhg does
                float shrink = Math.max((float) Math.sqrt(sumSquares) / lam, 1f);
                py[i] = qy / shrink;
                px[i] = qx / shrink;
                if (components == 3) {
                    pz[i] = qz / shrink;
                }
            }
        }

        /**
         * x = prox of the data term at x - tau D^H p, x-bar = x + theta (x - x_old), for one line; at a
         * checkpoint also the line's sums of (x - x_old)^2 and x^2.
         */
        private void primalLine(int line, float tau, float gramPlusInverseTau, float theta, boolean check) {
            int z = line / height;
            int row = line % height;
            int base = line * width;
            int plane = height * width;
            double diffSum = 0;
            double normSum = 0;
            for (int col = 0; col < width; col++) {
                int i = base + col;
                // D^H p = sum over axes of w (p[i - 1] - p[i]), the last position's own p taken as 0
                float div = wy * ((row > 0 ? py[i - width] : 0f) - (row < height - 1 ? py[i] : 0f));
                float dx = wx * ((col > 0 ? px[i - 1] : 0f) - (col < width - 1 ? px[i] : 0f));
                if (components == 3) {
                    float dz = wz * ((z > 0 ? pz[i - plane] : 0f) - (z < depth - 1 ? pz[i] : 0f));
                    div = dz + div;
                }
                div = div + dx;
                float v = x[i] - tau * div;
                float xNew = observed == null || observed[i] ? v - (v - y[i]) / gramPlusInverseTau : v;
                float old = x[i];
                float delta = xNew - old;
                xBar[i] = xNew + theta * delta;
                x[i] = xNew;
                if (check) {
                    diffSum += (double) delta * delta;
                    normSum += (double) xNew * xNew;
                }
            }
            if (check) {
                lineSums[2 * line] = diffSum;
                lineSums[2 * line + 1] = normSum;
            }
        }
    }

    /** Population standard deviation of the first n values (missing voxels included, as TvPdhg sees y). */
    static double standardDeviation(float[] values, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += values[i];
        }
        double mean = sum / n;
        double squares = 0;
        for (int i = 0; i < n; i++) {
            double d = values[i] - mean;
            squares += d * d;
        }
        return Math.sqrt(squares / n);
    }
}
