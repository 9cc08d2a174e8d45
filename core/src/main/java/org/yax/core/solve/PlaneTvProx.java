package org.yax.core.solve;

import org.yax.core.op.HostPool;

/**
 * The TV proximal map of {@link HostTv#fista} for a plane (FGP on the dual, {@link TvProx}'s iterations), its arrays
 * held as rows ({@link PlaneRows}) so that every loop over a row vectorises. How the iterations are scheduled is
 * {@link PlaneSchedule}'s decision: plain loops; in a {@link RowPipeline} pass, u = v - w D^H r for the row below, then
 * the projection step of the row, whose u and the row below now both exist; or in {@link RowBands}, the same row by
 * row in each band, but for the band's last row, projected after a barrier. The arithmetic is HostTv's, except that
 * the projection multiplies by 1 / max(|q|, 1) where it divides (within float rounding); the last row's y component
 * and the last column's x component of p and r stay exactly 0, as D's forward differences are 0 there.
 */
final class PlaneTvProx {
    private final int height;
    private final int width;
    private final float wy;
    private final float wx;
    /** the point whose proximal map is taken (set each outer iteration) */
    private final float[][] v;
    /** per pipeline stage, the last two rows of u = v - w D^H r (the primal point of an FGP iteration), by parity */
    private float[][][] rings = new float[0][][];
    /**
     * For bands ({@link PlaneSchedule#BANDS}), at each band's first row: u of that row, made from r as the last
     * iteration left it, for the band above's last projection (other rows null; made when first needed).
     */
    private float[][] bandFirstU;
    private final float[][] py;
    private final float[][] px;
    /** FGP's extrapolated dual point */
    private final float[][] ry;
    private final float[][] rx;
    /** whether r is still to be warm-started from p (the next iteration reads p in its place) */
    private boolean warmStart;
    /** p_y's and r_y's row above each row (the first row: zeros, D^H's p[-1] = 0); see {@link PlaneRows#below} */
    private final float[][] pyAbove;
    private final float[][] ryAbove;

    PlaneTvProx(int height, int width, float wy, float wx) {
        this.height = height;
        this.width = width;
        this.wy = wy;
        this.wx = wx;
        this.v = PlaneRows.zeros(height, width);
        this.py = PlaneRows.zeros(height, width);
        this.px = PlaneRows.zeros(height, width);
        this.ry = PlaneRows.zeros(height, width);
        this.rx = PlaneRows.zeros(height, width);
        float[] zeros = new float[width];
        this.pyAbove = PlaneRows.above(py, zeros);
        this.ryAbove = PlaneRows.above(ry, zeros);
    }

    /** Takes the prox at {@code flat} (row after row) from now on, warm-started from the last p. */
    void start(float[] flat) {
        HostPool.forLines(height, (from, to) -> {
            for (int r = from; r < to; r++) {
                System.arraycopy(flat, r * width, v[r], 0, width);
            }
        });
        warmStart = true;
    }

    /**
     * {@code count} FGP iterations, iteration k: u = v - weight D^H r; p_new = proj(r + step D u);
     * r = p_new + momenta[k] (p_new - p). In a {@link RowPipeline} pass they are its stages: row r of an iteration
     * makes u of the row below (it reads r of rows r and r + 1 of the iteration before) and then projects row r (u of
     * rows r and r + 1), so an iteration may process a row once the one before has finished the row below, and u
     * never goes to memory (each iteration keeps its last two rows of u in a ring). In bands ({@link RowBands}) see
     * {@link #fgpBand}.
     */
    void iterate(int count, float weight, float step, float[] momenta) {
        int depth = Math.min(count, RowPipeline.MAX_STAGES);
        if (rings.length < depth) {
            rings = new float[depth][2][width];
        }
        boolean warm = warmStart;
        PlaneSchedule schedule = PlaneSchedule.of(height, width);
        if (schedule == PlaneSchedule.PLAIN) {
            // one iteration per pass on one thread: plain loops (see PlaneTvPdhg.steps)
            float[][] s = LineScratch.get(width);
            for (int k = 0; k < count; k++) {
                for (int r = 0; r < height; r++) {
                    fgpRow(k, r, warm && k == 0, weight, step, momenta[k], s);
                }
            }
        } else if (schedule == PlaneSchedule.BANDS) {
            bandRows();
            RowBands.run(2 * count, height, (phase, from, to) -> fgpBand(phase / 2, phase % 2 == 1, from, to,
                    warm && phase < 2, weight, step, momenta[phase / 2], LineScratch.get(width), null));
        } else {
            RowPipeline.run(count, height, width, (k, r) -> fgpRow(k, r, warm && k == 0, weight, step, momenta[k],
                    LineScratch.get(width)));
        }
        warmStart = false;
    }

    /**
     * Row r of FGP iteration k: u of the row below (the first row: also u of row 0), then the projection step of
     * row r. {@code warm}: the iteration reads p where it would read r = p (a warm start; a row is read before it is
     * written).
     */
    private void fgpRow(int k, int r, boolean warm, float weight, float step, float momentum, float[][] s) {
        float[][] inY = warm ? py : ry;
        float[][] inYAbove = warm ? pyAbove : ryAbove;
        float[][] inX = warm ? px : rx;
        float[][] ring = rings[k % RowPipeline.MAX_STAGES];
        float[] cur = ring[r & 1];
        if (r == 0) {
            stepRow(inYAbove, inY, inX, 0, weight, cur, s[0]);
        }
        // u of the row below into the ring's other slot; the last row has none, so there u of the last row is made
        // again, unused, and down is the row itself (the slot index skips ahead by one): no branch that only the
        // last row takes (see PlaneRows.below)
        stepRow(inYAbove, inY, inX, Math.min(r + 1, height - 1), weight, ring[(r + 1) & 1], s[0]);
        float[] down = ring[(r + 1 + (r + 1) / height) & 1];
        projectRow(r, inY, inX, cur, down, step, momentum, s);
    }

    /**
     * One outer iteration of FISTA for A = I: v = z - step (z - y) (the gradient step), {@code count} FGP iterations
     * warm-started from the last p (as {@link #iterate}), the proximal point xNew = v - weight D^H p, then
     * z = xNew + momentum (xNew - x) and, if {@code sums} is not null, each row's sums of (xNew - x)^2 and xNew^2 into
     * sums[2 r], [2 r + 1]. In a {@link RowPipeline} it is one pass over the rows: stage 0 is the gradient step,
     * stages 1 .. count the FGP iterations and the last the proximal point and momentum; each reads at most the row
     * below of the stage before, and z of a row is read by stage 0 before the last stage writes it. The arithmetic is
     * HostTv's.
     */
    void fistaIteration(float[] z, float[] y, float step, int count, float weight, float dualStep, float[] momenta,
                        float[] x, float[] xNew, float momentum, double[] sums) {
        int depth = Math.min(count, RowPipeline.MAX_STAGES);
        if (rings.length < depth) {
            rings = new float[depth][2][width];
        }
        PlaneSchedule schedule = PlaneSchedule.of(height, width);
        if (schedule == PlaneSchedule.PLAIN) {
            // one stage per pass on one thread: plain loops (see PlaneTvPdhg.steps)
            float[][] s = LineScratch.get(width);
            for (int r = 0; r < height; r++) {
                gradientRow(r, z, y, step, s);
            }
            for (int k = 0; k < count; k++) {
                for (int r = 0; r < height; r++) {
                    fgpRow(k, r, k == 0, weight, dualStep, momenta[k], s);
                }
            }
            for (int r = 0; r < height; r++) {
                proximalPointRow(r, weight, x, xNew, z, momentum, sums, s);
            }
        } else if (schedule == PlaneSchedule.BANDS) {
            // the gradient step of a row just before its first u, and the proximal point of a row just after its
            // last projection (it reads the final p of the row above: a band's first row takes it after a barrier)
            bandRows();
            Outer outer = new Outer(z, y, step, count, x, xNew, momentum, sums);
            RowBands.run(2 * count + 1, height, (phase, from, to) -> {
                float[][] s = LineScratch.get(width);
                if (phase < 2 * count) {
                    fgpBand(phase / 2, phase % 2 == 1, from, to, phase < 2, weight, dualStep, momenta[phase / 2], s,
                            outer);
                } else {
                    proximalPointRow(from, weight, x, xNew, z, momentum, sums, s);
                }
            });
        } else {
            int last = count + 1;
            RowPipeline.run(count + 2, height, width, (k, r) -> {
                float[][] s = LineScratch.get(width);
                if (k == 0) {
                    gradientRow(r, z, y, step, s);
                } else if (k < last) {
                    fgpRow(k - 1, r, k == 1, weight, dualStep, momenta[k - 1], s);
                } else {
                    proximalPointRow(r, weight, x, xNew, z, momentum, sums, s);
                }
            });
        }
    }

    /** Makes {@link #bandFirstU}'s array (its rows are made by the bands that need them). */
    private void bandRows() {
        if (bandFirstU == null) {
            bandFirstU = new float[height][];
        }
    }

    /** FISTA's outer iteration around the FGP iterations in bands: {@link #fistaIteration}'s arguments. */
    private record Outer(float[] z, float[] y, float step, int count, float[] x, float[] xNew, float momentum,
                         double[] sums) { }

    /**
     * Rows [from, to) of FGP iteration k in bands ({@link PlaneSchedule#BANDS}), two steps of {@link RowBands}. The
     * first makes u of the band's first row, then for each row u of the row below and the projection of the row (as
     * {@link #fgpRow}, u in a ring of two scratch rows), except the band's last row, whose projection needs u of the
     * next band's first row, made from r of this row as the last iteration left it: the next band keeps that u in
     * {@link #bandFirstU} and the second step projects the last row from it (its own u waits in the ring). So each
     * iteration passes over a band once while its rows are in cache (a u pass and then a projection pass over each
     * band took longer at 512 x 512 on 2 threads: the band does not stay in a core's own cache between them).
     * {@code fromP}: the iteration reads p in place of r (a warm start). {@code outer}, if not null: FISTA's gradient
     * step of each row before its u in iteration 0, and its proximal point after the row's projection in the last
     * iteration (but for the band's first row, whose p above is final only after the barrier).
     */
    private void fgpBand(int k, boolean second, int from, int to, boolean fromP, float weight, float step,
                         float momentum, float[][] s, Outer outer) {
        float[][] inY = fromP ? py : ry;
        float[][] inYAbove = fromP ? pyAbove : ryAbove;
        float[][] inX = fromP ? px : rx;
        boolean gradient = outer != null && k == 0;
        boolean proximal = outer != null && k == outer.count() - 1;
        // the ring: u of row r in s[8 + (r - from) % 2]
        if (!second) {
            float[] cur = s[8];
            float[] next = s[9];
            if (gradient) {
                gradientRow(from, outer.z(), outer.y(), outer.step(), s);
            }
            stepRow(inYAbove, inY, inX, from, weight, cur, s[0]);
            if (from > 0) {
                if (bandFirstU[from] == null) {
                    bandFirstU[from] = new float[width];
                }
                System.arraycopy(cur, 0, bandFirstU[from], 0, width);
            }
            for (int r = from; r < to - 1; r++) {
                if (gradient) {
                    gradientRow(r + 1, outer.z(), outer.y(), outer.step(), s);
                }
                stepRow(inYAbove, inY, inX, r + 1, weight, next, s[0]);
                projectRow(r, inY, inX, cur, next, step, momentum, s);
                if (proximal && r > from) {
                    proximalPointRow(r, weight, outer.x(), outer.xNew(), outer.z(), outer.momentum(), outer.sums(), s);
                }
                float[] t = cur;
                cur = next;
                next = t;
            }
        } else {
            int r = to - 1;
            float[] cur = s[8 + (r - from) % 2];
            projectRow(r, inY, inX, cur, r == height - 1 ? cur : bandFirstU[to], step, momentum, s);
            if (proximal && r > from) {
                proximalPointRow(r, weight, outer.x(), outer.xNew(), outer.z(), outer.momentum(), outer.sums(), s);
            }
        }
    }

    /** v = z - step (z - y) for row r, the flat rows staged in s[4], s[5]. */
    private void gradientRow(int r, float[] z, float[] y, float step, float[][] s) {
        float[] zs = s[4];
        float[] ys = s[5];
        System.arraycopy(z, r * width, zs, 0, width);
        System.arraycopy(y, r * width, ys, 0, width);
        float[] vr = v[r];
        for (int k = 0; k < width; k++) {
            vr[k] = zs[k] - (zs[k] - ys[k]) * step;
        }
    }

    /**
     * xNew = v - weight D^H p; z = xNew + momentum (xNew - x) for row r, and the row's sums if {@code sums} is not
     * null (the same arithmetic and order as HostTv's momentum pass).
     */
    private void proximalPointRow(int r, float weight, float[] x, float[] xNew, float[] z, float momentum,
                                  double[] sums, float[][] s) {
        float[] xn = s[4];
        float[] xo = s[5];
        float[] zr = s[6];
        int base = r * width;
        stepRow(pyAbove, py, px, r, weight, xn, s[0]);
        System.arraycopy(x, base, xo, 0, width);
        for (int k = 0; k < width; k++) {
            zr[k] = xn[k] + (xn[k] - xo[k]) * momentum;
        }
        if (sums != null) {
            double diff = 0;
            double norm = 0;
            for (int k = 0; k < width; k++) {
                float delta = xn[k] - xo[k];
                diff += (double) delta * delta;
                norm += (double) xn[k] * xn[k];
            }
            sums[2 * r] = diff;
            sums[2 * r + 1] = norm;
        }
        System.arraycopy(xn, 0, xNew, base, width);
        System.arraycopy(zr, 0, z, base, width);
    }

    /** out = v - weight D^H (p's rows) at the end: the proximal point, row after row into {@code flat}. */
    void finish(float weight, float[] flat) {
        HostPool.forLines(height, (from, to) -> {
            float[][] s = LineScratch.get(width);
            for (int r = from; r < to; r++) {
                stepRow(pyAbove, py, px, r, weight, s[1], s[0]);
                System.arraycopy(s[1], 0, flat, r * width, width);
            }
        });
    }

    /** out = v[r] - weight (D^H q)[r], the same arithmetic as HostGrid.stepLine; {@code left} is staging. */
    private void stepRow(float[][] qyAbove, float[][] qy, float[][] qx, int r, float weight, float[] out,
                         float[] left) {
        float[] up = qyAbove[r];
        float[] here = qy[r];
        float[] hereX = qx[r];
        float[] vr = v[r];
        PlaneRows.left(hereX, left, width);
        for (int k = 0; k < width; k++) {
            out[k] = vr[k] - (wy * (up[k] - here[k]) + wx * (left[k] - hereX[k])) * weight;
        }
    }

    /**
     * pNew = proj_{|.| <= 1}(r + step D u); r = pNew + momentum (pNew - p); p = pNew, for row r, whose u is
     * {@code cur} and the next row's {@code down} (the last row: {@code cur} itself, so D's y difference is 0).
     */
    private void projectRow(int r, float[][] inY, float[][] inX, float[] cur, float[] down, float step, float momentum,
                            float[][] s) {
        float[] right = s[0];
        float[] qy = s[1];
        float[] qx = s[2];
        float[] shrinks = s[3];
        PlaneRows.right(cur, right, width);
        dualPoint(cur, down, right, inY[r], inX[r], qy, qx, shrinks, width, wy, wx, step);
        extrapolate(qy, shrinks, py[r], ry[r], momentum, width);
        extrapolate(qx, shrinks, px[r], rx[r], momentum, width);
    }

    /**
     * q = r + step D u and its shrink factor max(|q|, 1). Separate small loops (here and {@link #extrapolate}): C2
     * (JDK 17) unrolls, and so vectorises, only a loop whose body is small enough (LoopUnrollLimit); one loop with
     * all of it stayed scalar when the method was compiled from its start.
     */
    private static void dualPoint(float[] cur, float[] down, float[] right, float[] ryRow, float[] rxRow, float[] qy,
                                  float[] qx, float[] shrinks, int width, float wy, float wx, float step) {
        for (int k = 0; k < width; k++) {
            qy[k] = ryRow[k] + wy * (down[k] - cur[k]) * step;
        }
        for (int k = 0; k < width; k++) {
            qx[k] = rxRow[k] + wx * (right[k] - cur[k]) * step;
        }
        for (int k = 0; k < width; k++) {
            // 1 / max(|q|, 1) as min(1 / |q|, 1), multiplied below instead of divided by (at |q| = 0 it is 1)
            shrinks[k] = Math.min(1f / (float) Math.sqrt(qy[k] * qy[k] + qx[k] * qx[k]), 1f);
        }
    }

    /** pNew = q / shrink; r = pNew + momentum (pNew - p); p = pNew, for one component of a row. */
    private static void extrapolate(float[] q, float[] shrinks, float[] p, float[] r, float momentum, int width) {
        for (int k = 0; k < width; k++) {
            float pNew = q[k] * shrinks[k];
            r[k] = pNew + (pNew - p[k]) * momentum;
            p[k] = pNew;
        }
    }
}
