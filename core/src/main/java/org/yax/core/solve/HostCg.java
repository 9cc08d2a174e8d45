package org.yax.core.solve;

import org.yax.core.Progress;
import org.yax.core.op.HostOperator;
import org.yax.core.op.HostPool;

/**
 * {@link TikhonovCg} on host arrays: conjugate gradients on (A^H A + mu D^H D) x = A^H y with the same steps as
 * {@link ConjugateGradient}; the system's product, its dot product and the updates are fused passes over lines
 * ({@link HostPool}), arrays are made once per solve, and sums are taken per line and added in line order (scalars
 * rounded to float, as the engine keeps them).
 */
final class HostCg {
    private HostCg() { }

    static HostTv.Outcome tikhonov(HostOperator a, HostGrid g, double mu, StoppingRule stopping, float[] y,
                                   float[] x0, String label, Progress progress) {
        int n = g.n;
        float[] b = new float[n];
        a.applyAdjoint(y, b);
        float[] x = x0.clone();
        float[] r = new float[n];
        float[] p = new float[n];
        float[] mp = new float[n];
        float[] av = new float[a.outputSize()];
        double[] sums = new double[g.lines];
        float muF = (float) mu;
        double bNorm = Math.sqrt(sum(g, b, b, sums));
        // r = b - M x, p = r
        system(a, g, muF, x, av, mp, null, sums);
        HostPool.forRange(n, (from, to) -> {
            for (int i = from; i < to; i++) {
                r[i] = b[i] - mp[i];
                p[i] = r[i];
            }
        });
        float[] rr = {(float) sum(g, r, r, sums)};
        double tolerance = stopping.tolerance();
        double residual = bNorm == 0 ? 0 : Math.sqrt(rr[0]) / (float) bNorm;
        int it = 0;
        int max = stopping.maxIterations();
        while (it < max && residual > tolerance) {
            progress.checkCancelled();
            it++;
            float pmp = (float) system(a, g, muF, p, av, mp, p, sums);
            float alpha = rr[0] / Math.max(pmp, Float.MIN_NORMAL);
            HostPool.forLines(g.lines, (from, to) -> {
                for (int line = from; line < to; line++) {
                    double s = 0;
                    for (int i = line * g.width, end = i + g.width; i < end; i++) {
                        x[i] = x[i] + p[i] * alpha;
                        float ri = r[i] - mp[i] * alpha;
                        r[i] = ri;
                        s += (double) ri * ri;
                    }
                    sums[line] = s;
                }
            });
            float rrNew = (float) HostGrid.ordered(sums, g.lines, 1, 0);
            float beta = rrNew / Math.max(rr[0], Float.MIN_NORMAL);
            HostPool.forRange(n, (from, to) -> {
                for (int i = from; i < to; i++) {
                    p[i] = r[i] + p[i] * beta;
                }
            });
            rr[0] = rrNew;
            if (stopping.isCheckpoint(it)) {
                residual = Math.sqrt(rr[0]) / (float) bNorm;
                progress.report((double) it / max, label + ", iteration " + it);
            }
        }
        return new HostTv.Outcome(x, it, residual, residual <= tolerance);
    }

    /** sum of a * b, per line then in line order. */
    private static double sum(HostGrid g, float[] a, float[] b, double[] sums) {
        HostPool.forLines(g.lines, (from, to) -> {
            for (int line = from; line < to; line++) {
                double s = 0;
                for (int i = line * g.width, end = i + g.width; i < end; i++) {
                    s += (double) a[i] * b[i];
                }
                sums[line] = s;
            }
        });
        return HostGrid.ordered(sums, g.lines, 1, 0);
    }

    /**
     * out = A^H A v + mu D^H D v (mu 0: the first term only); with {@code dot} non-null also returns sum dot * out.
     */
    private static double system(HostOperator a, HostGrid g, float mu, float[] v, float[] av, float[] out,
                                 float[] dot, double[] sums) {
        a.apply(v, av);
        a.applyAdjoint(av, out);
        int width = g.width;
        int height = g.height;
        HostPool.forLines(g.lines, (from, to) -> {
            for (int line = from; line < to; line++) {
                int z = line / height;
                int row = line % height;
                int base = line * width;
                double s = 0;
                for (int col = 0; col < width; col++) {
                    int i = base + col;
                    if (mu != 0f) {
                        float c = v[i];
                        // D^H D v: per axis w (g[i - step] - g[i]), g[i] = w (v[i + step] - v[i]), 0 at the last index
                        float gyPrev = row > 0 ? g.wy * (c - v[i - width]) : 0f;
                        float gyHere = row < height - 1 ? g.wy * (v[i + width] - c) : 0f;
                        float div = g.wy * (gyPrev - gyHere);
                        if (g.components == 3) {
                            float gzPrev = z > 0 ? g.wz * (c - v[i - g.plane]) : 0f;
                            float gzHere = z < g.depth - 1 ? g.wz * (v[i + g.plane] - c) : 0f;
                            div = g.wz * (gzPrev - gzHere) + div;
                        }
                        float gxPrev = col > 0 ? g.wx * (c - v[i - 1]) : 0f;
                        float gxHere = col < width - 1 ? g.wx * (v[i + 1] - c) : 0f;
                        div = div + g.wx * (gxPrev - gxHere);
                        out[i] = out[i] + div * mu;
                    }
                    if (dot != null) {
                        s += (double) dot[i] * out[i];
                    }
                }
                sums[line] = s;
            }
        });
        return dot == null ? 0 : HostGrid.ordered(sums, g.lines, 1, 0);
    }
}
