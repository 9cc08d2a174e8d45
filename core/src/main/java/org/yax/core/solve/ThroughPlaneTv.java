package org.yax.core.solve;

import org.yax.core.Progress;
import org.yax.core.op.SliceProfile;

/**
 * 3-D TV with the through-plane operator: min_x 1/2 ||A x - y||^2 + lambda TV(x), A the {@link SliceProfile}
 * along z, TV isotropic over (z, y, x) with the z differences weighted by the fine grid's pixel / slice spacing.
 * Solved by PDHG (Chambolle-Pock) with one dual for the gradient and one for the data term, on host arrays of one
 * slab (all fine slices, a band of rows, all columns), in place: x, x-bar and the three gradient duals on the fine
 * grid, the data dual and A x-bar on the thick one. Self-contained on purpose: the operator is a small dense matrix
 * per pixel column, so no engine is needed and a slab costs 5 fine + 3 thick arrays.
 */
public final class ThroughPlaneTv {
    private final double lambda;
    private final double zWeight;
    private final StoppingRule stopping;

    /**
     * @param lambda  TV weight (image units), > 0
     * @param zWeight weight of the z differences: in-plane pixel spacing / fine slice spacing
     */
    public ThroughPlaneTv(double lambda, double zWeight, StoppingRule stopping) {
        if (!(lambda > 0) || Double.isInfinite(lambda) || !(zWeight > 0) || Double.isInfinite(zWeight)) {
            throw new IllegalArgumentException("TV weight and z weight must be positive and finite, got " + lambda
                    + ", " + zWeight);
        }
        this.lambda = lambda;
        this.zWeight = zWeight;
        this.stopping = stopping;
    }

    /** The estimate (fineDepth * rows * columns, slice-major) and the iterations run. */
    public record Result(float[] estimate, int iterations) { }

    /**
     * The iterates of solves of up to {@code fineCapacity} fine and {@code thickCapacity} thick voxels, allocated once
     * and reused band after band, so the bands of a volume make no garbage (the heap stays near what is live).
     */
    public static final class Workspace {
        final float[] xBar;
        final float[] pz;
        final float[] py;
        final float[] px;
        final float[] atq;
        final float[] q;
        final float[] ax;

        public Workspace(int fineCapacity, int thickCapacity) {
            xBar = new float[fineCapacity];
            pz = new float[fineCapacity];
            py = new float[fineCapacity];
            px = new float[fineCapacity];
            atq = new float[fineCapacity];
            q = new float[thickCapacity];
            ax = new float[thickCapacity];
        }
    }

    /**
     * @param y     the thick slices of the slab: depth * rows * columns values; not modified
     * @param start the starting point on the fine grid (e.g. cubic interpolation of y); becomes the estimate
     */
    public Result solve(SliceProfile a, float[] y, float[] start, int rows, int columns, Progress progress) {
        int plane = rows * columns;
        return solve(a, y, start, rows, columns, new Workspace(a.fineDepth() * plane, a.depth() * plane), progress);
    }

    /**
     * As above in {@code work} (its arrays may be longer than this band: the first fineDepth * rows * columns and
     * depth * rows * columns values are used); y and start may be longer too.
     */
    public Result solve(SliceProfile a, float[] y, float[] start, int rows, int columns, Workspace work,
                        Progress progress) {
        int plane = rows * columns;
        int fine = a.fineDepth();
        int n = fine * plane;
        int thick = a.depth() * plane;
        if (y.length < thick || start.length < n || work.xBar.length < n || work.q.length < thick) {
            throw new IllegalArgumentException("y must hold " + a.depth() + " and the start " + fine + " slices of "
                    + rows + " x " + columns);
        }
        float[] x = start;
        float[] xBar = work.xBar;
        System.arraycopy(start, 0, xBar, 0, n);
        float[] pz = work.pz;
        float[] py = work.py;
        float[] px = work.px;
        float[] q = work.q;
        float[] ax = work.ax;
        float[] atq = work.atq;
        java.util.Arrays.fill(pz, 0, n, 0f);
        java.util.Arrays.fill(py, 0, n, 0f);
        java.util.Arrays.fill(px, 0, n, 0f);
        java.util.Arrays.fill(q, 0, thick, 0f);
        double wz = zWeight;
        double l2 = 4 * (wz * wz + 2) + a.normSquared();
        float step = (float) (0.99 / Math.sqrt(l2));
        float lam = (float) lambda;
        float fwz = (float) wz;
        int iterations = 0;
        for (int it = 1; it <= stopping.maxIterations(); it++) {
            progress.checkCancelled();
            // dual of TV: p <- projection onto |p| <= lambda of p + sigma grad(x-bar)
            for (int j = 0; j < fine; j++) {
                for (int r = 0; r < rows; r++) {
                    int base = j * plane + r * columns;
                    for (int c = 0; c < columns; c++) {
                        int i = base + c;
                        float v = xBar[i];
                        float gz = j + 1 < fine ? fwz * (xBar[i + plane] - v) : 0f;
                        float gy = r + 1 < rows ? xBar[i + columns] - v : 0f;
                        float gx = c + 1 < columns ? xBar[i + 1] - v : 0f;
                        float qz = pz[i] + step * gz;
                        float qy = py[i] + step * gy;
                        float qx = px[i] + step * gx;
                        float norm = (float) Math.sqrt(qz * qz + qy * qy + qx * qx);
                        float shrink = norm > lam ? lam / norm : 1f;
                        pz[i] = qz * shrink;
                        py[i] = qy * shrink;
                        px[i] = qx * shrink;
                    }
                }
            }
            // dual of the data term 1/2 ||z - y||^2: q <- (q + sigma (A x-bar - y)) / (1 + sigma)
            a.applyHost(xBar, ax, plane);
            for (int i = 0; i < thick; i++) {
                q[i] = (q[i] + step * (ax[i] - y[i])) / (1 + step);
            }
            a.adjointHost(q, atq, plane);
            // primal: x <- x - tau (grad^T p + A^T q); x-bar <- 2 x_new - x_old
            double change = 0;
            double size = 0;
            for (int j = 0; j < fine; j++) {
                for (int r = 0; r < rows; r++) {
                    int base = j * plane + r * columns;
                    for (int c = 0; c < columns; c++) {
                        int i = base + c;
                        float div = fwz * ((j + 1 < fine ? pz[i] : 0f) - (j > 0 ? pz[i - plane] : 0f))
                                + (r + 1 < rows ? py[i] : 0f) - (r > 0 ? py[i - columns] : 0f)
                                + (c + 1 < columns ? px[i] : 0f) - (c > 0 ? px[i - 1] : 0f);
                        float old = x[i];
                        float next = old - step * (atq[i] - div);
                        x[i] = next;
                        xBar[i] = 2 * next - old;
                        double d = next - old;
                        change += d * d;
                        size += (double) next * next;
                    }
                }
            }
            iterations = it;
            progress.report((double) it / stopping.maxIterations(), "through-plane TV");
            if (it % stopping.checkEvery() == 0 && Math.sqrt(change) <= stopping.tolerance() * Math.sqrt(size)) {
                break;
            }
        }
        return new Result(x, iterations);
    }
}
