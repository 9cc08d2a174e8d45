package org.yax.core.solve;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.yax.core.Progress;
import org.yax.core.op.Gradient;
import org.yax.core.op.HostPool;
import org.yax.core.op.SliceProfile;

/**
 * 3-D TV with the through-plane operator: min_x 1/2 ||A x - y||^2 + lambda TV(x), A the {@link SliceProfile}
 * along z, TV isotropic over (z, y, x) with the z differences weighted by the fine grid's pixel / slice spacing.
 * Solved by PDHG (Chambolle-Pock) with one dual for the gradient and one for the data term, on host arrays of one
 * slab (all fine slices, a band of rows, all columns), in place: x, x-bar and the three gradient duals on the fine
 * grid, the data dual on the thick one. On the CPU no engine is needed (the operator is a small dense matrix per
 * pixel column) and a slab costs 5 fine + 2 thick arrays (x, x-bar, three duals; y, q); on a GPU the same
 * iterations run on the engine ({@link ComputePath}).
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
        final float[] q;

        public Workspace(int fineCapacity, int thickCapacity) {
            xBar = new float[fineCapacity];
            pz = new float[fineCapacity];
            py = new float[fineCapacity];
            px = new float[fineCapacity];
            q = new float[thickCapacity];
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
        if (ComputePath.engineForHostArrays()) {
            return onEngine(a, y, start, rows, columns, progress);
        }
        return new Run(a, y, start, rows, columns, work).solve(progress);
    }

    /** sigma = tau of the iterations: 0.99 / ||K||, K = [D; A], ||D||^2 <= 4 (wz^2 + 2). */
    private float step(SliceProfile a) {
        return (float) (0.99 / Math.sqrt(4 * (zWeight * zWeight + 2) + a.normSquared()));
    }

    /**
     * The same iterations on the engine (a GPU; {@link ComputePath}): the slab goes to the engine's default device,
     * the estimate comes back into {@code start}.
     */
    private Result onEngine(SliceProfile a, float[] y, float[] start, int rows, int columns, Progress progress) {
        int fine = a.fineDepth();
        int n = fine * rows * columns;
        Shape volume = new Shape(fine, rows, columns);
        Gradient d = new Gradient(volume, new double[] {zWeight, 1, 1});
        float step = step(a);
        int iterations = 0;
        try (NDManager base = NDManager.newBaseManager(); IterationScope scope = new IterationScope(base)) {
            NDManager m = scope.manager();
            NDArray thick = m.create(java.util.Arrays.copyOf(y, a.depth() * rows * columns),
                    new Shape(a.depth(), rows, columns));
            NDArray x = m.create(java.util.Arrays.copyOf(start, n), volume);
            NDArray xBar = x.duplicate();
            NDArray p = m.zeros(d.outputShape());
            NDArray q = m.zeros(thick.getShape());
            for (int it = 1; it <= stopping.maxIterations(); it++) {
                progress.checkCancelled();
                NDArray v = p.add(d.apply(xBar).mul(step));
                NDArray shrink = v.square().sum(new int[] {0}, true).sqrt().div(lambda).maximum(1f);
                p = v.div(shrink);
                q = q.add(a.apply(xBar).sub(thick).mul(step)).div(1 + step);
                NDArray xNew = x.sub(a.applyAdjoint(q).add(d.applyAdjoint(p)).mul(step));
                xBar = xNew.mul(2).sub(x);
                boolean stop = false;
                if (it % stopping.checkEvery() == 0) {
                    double change = xNew.sub(x).norm().getFloat();
                    double size = xNew.norm().getFloat();
                    stop = change <= stopping.tolerance() * size;
                }
                x = xNew;
                scope.endStep(x, xBar, p, q, thick);
                iterations = it;
                progress.report((double) it / stopping.maxIterations(), "through-plane TV");
                if (stop) {
                    break;
                }
            }
            System.arraycopy(x.toFloatArray(), 0, start, 0, n);
        }
        return new Result(start, iterations);
    }

    /**
     * One solve on host arrays, in place. Each of the three steps of an iteration is one pass split over lines (one
     * row of one fine slice) or pixel columns on {@link HostPool}: the dual step of TV (p from x-bar and its next
     * row, slice and column), the data dual q = (q + sigma (A x-bar - y)) / (1 + sigma) by pixel columns, and the
     * primal step (x from x, div p and A^T q of the line, made line by line, never a whole array). Neighbours are
     * staged into line buffers ({@link LineScratch}) so that the loops vectorise; the last row, slice and column
     * stage the line itself, whose difference is then exactly 0, as the boundary terms were. Every voxel's value
     * is the arithmetic of a plain loop in the same order, so results do not depend on threads; the stopping sums
     * are taken per line and added in line order.
     */
    private final class Run {
        final SliceProfile a;
        final float[] y;
        final float[] x;
        final float[] xBar;
        final float[] pz;
        final float[] py;
        final float[] px;
        final float[] q;
        final int rows;
        final int columns;
        final int plane;
        final int fine;
        final int thick;
        final float step;
        final float lam;
        final float fwz;
        final double[] lineSums;

        Run(SliceProfile a, float[] y, float[] start, int rows, int columns, Workspace work) {
            this.a = a;
            this.y = y;
            this.x = start;
            this.xBar = work.xBar;
            this.pz = work.pz;
            this.py = work.py;
            this.px = work.px;
            this.q = work.q;
            this.rows = rows;
            this.columns = columns;
            this.plane = rows * columns;
            this.fine = a.fineDepth();
            this.thick = a.depth() * plane;
            this.step = step(a);
            this.lam = (float) lambda;
            this.fwz = (float) zWeight;
            this.lineSums = new double[2 * fine * rows];
        }

        Result solve(Progress progress) {
            int n = fine * plane;
            System.arraycopy(x, 0, xBar, 0, n);
            java.util.Arrays.fill(pz, 0, n, 0f);
            java.util.Arrays.fill(py, 0, n, 0f);
            java.util.Arrays.fill(px, 0, n, 0f);
            java.util.Arrays.fill(q, 0, thick, 0f);
            int lines = fine * rows;
            int iterations = 0;
            for (int it = 1; it <= stopping.maxIterations(); it++) {
                progress.checkCancelled();
                HostPool.forLines(lines, (from, to) -> {
                    for (int line = from; line < to; line++) {
                        dualLine(line);
                    }
                });
                HostPool.forRange(plane, this::dataDual);
                boolean check = it % stopping.checkEvery() == 0;
                HostPool.forLines(lines, (from, to) -> {
                    for (int line = from; line < to; line++) {
                        primalLine(line, check);
                    }
                });
                iterations = it;
                progress.report((double) it / stopping.maxIterations(), "through-plane TV");
                if (check) {
                    double change = 0;
                    double size = 0;
                    for (int l = 0; l < lines; l++) {
                        change += lineSums[2 * l];
                        size += lineSums[2 * l + 1];
                    }
                    if (Math.sqrt(change) <= stopping.tolerance() * Math.sqrt(size)) {
                        break;
                    }
                }
            }
            return new Result(x, iterations);
        }

        /** TV's dual for one line: p = projection onto |p| <= lambda of p + sigma grad(x-bar). */
        private void dualLine(int line) {
            int j = line / rows;
            int r = line % rows;
            int base = j * plane + r * columns;
            float[][] s = LineScratch.get(columns);
            float[] cur = s[0];
            float[] nextSlice = s[1];
            float[] nextRow = s[2];
            float[] right = s[3];
            System.arraycopy(xBar, base, cur, 0, columns);
            // beyond the last slice, row or column: the line itself, so the difference is 0
            System.arraycopy(xBar, j + 1 < fine ? base + plane : base, nextSlice, 0, columns);
            System.arraycopy(xBar, r + 1 < rows ? base + columns : base, nextRow, 0, columns);
            PlaneRows.right(cur, right, columns);
            float sigma = step;
            float lambda = lam;
            float wz = fwz;
            for (int c = 0; c < columns; c++) {
                float v = cur[c];
                float gz = wz * (nextSlice[c] - v);
                float gy = nextRow[c] - v;
                float gx = right[c] - v;
                float qz = pz[base + c] + sigma * gz;
                float qy = py[base + c] + sigma * gy;
                float qx = px[base + c] + sigma * gx;
                float norm = (float) Math.sqrt(qz * qz + qy * qy + qx * qx);
                // lambda / norm where norm > lambda, else 1 (at norm = 0: infinity, so 1)
                float shrink = Math.min(lambda / norm, 1f);
                pz[base + c] = qz * shrink;
                py[base + c] = qy * shrink;
                px[base + c] = qx * shrink;
            }
        }

        /** The data term's dual for pixel columns [from, to): q = (q + sigma (A x-bar - y)) / (1 + sigma). */
        private void dataDual(int from, int to) {
            // A x-bar into q's own place is not possible (q is read), so column by column through a line buffer
            float[][] s = LineScratch.get(LineScratch.SEGMENT);
            float[] ax = s[0];
            float[] segment = s[1];
            int depth = a.depth();
            for (int c0 = from; c0 < to; c0 += LineScratch.SEGMENT) {
                int len = Math.min(LineScratch.SEGMENT, to - c0);
                for (int k = 0; k < depth; k++) {
                    java.util.Arrays.fill(ax, 0, len, 0f);
                    for (int j = 0; j < fine; j++) {
                        float w = a.weight(k, j);
                        if (w != 0) {
                            System.arraycopy(xBar, j * plane + c0, segment, 0, len);
                            for (int c = 0; c < len; c++) {
                                ax[c] += w * segment[c];
                            }
                        }
                    }
                    int at = k * plane + c0;
                    float sigma = step;
                    for (int c = 0; c < len; c++) {
                        q[at + c] = (q[at + c] + sigma * (ax[c] - y[at + c])) / (1 + sigma);
                    }
                }
            }
        }

        /**
         * The primal step for one line: x = x - tau (A^T q - div p); x-bar = 2 x_new - x_old; if {@code check}, the
         * line's sums of (x_new - x_old)^2 and x_new^2.
         */
        private void primalLine(int line, boolean check) {
            int j = line / rows;
            int r = line % rows;
            int base = j * plane + r * columns;
            float[][] s = LineScratch.get(columns);
            float[] atq = s[0];
            float[] prevSlice = s[1];
            float[] prevRow = s[2];
            float[] left = s[3];
            float[] here = s[4];
            a.adjointHostLine(q, plane, j, r * columns, columns, atq);
            // before the first slice or row: 0, as the boundary terms (the last slice's, row's and column's own p
            // are exactly 0: their differences are 0 in the dual step)
            if (j > 0) {
                System.arraycopy(pz, base - plane, prevSlice, 0, columns);
            } else {
                java.util.Arrays.fill(prevSlice, 0, columns, 0f);
            }
            if (r > 0) {
                System.arraycopy(py, base - columns, prevRow, 0, columns);
            } else {
                java.util.Arrays.fill(prevRow, 0, columns, 0f);
            }
            System.arraycopy(px, base, here, 0, columns);
            PlaneRows.left(here, left, columns);
            float[] old = s[5];
            if (check) {
                System.arraycopy(x, base, old, 0, columns);
            }
            float tau = step;
            float wz = fwz;
            for (int c = 0; c < columns; c++) {
                int i = base + c;
                float div = wz * (pz[i] - prevSlice[c]) + py[i] - prevRow[c] + here[c] - left[c];
                float before = x[i];
                float next = before - tau * (atq[c] - div);
                x[i] = next;
                xBar[i] = 2 * next - before;
            }
            if (check) {
                // a loop of its own: the double sums keep the loop above from vectorising
                double change = 0;
                double size = 0;
                for (int c = 0; c < columns; c++) {
                    float next = x[base + c];
                    double d = next - old[c];
                    change += d * d;
                    size += (double) next * next;
                }
                lineSums[2 * line] = change;
                lineSums[2 * line + 1] = size;
            }
        }
    }
}
