package org.yax.core.solve;

import org.yax.core.Progress;
import org.yax.core.op.HostDataProximal;
import org.yax.core.op.HostOperator;
import org.yax.core.op.HostPool;

/**
 * TV on host arrays for the operators other than identity and masks (those take {@link HostTvPdhg}): PDHG with
 * the exact data proximal step when A A^H is diagonal (area downsampling, masks after it), fully dual PDHG for any
 * other A (blur), and FISTA with a warm-started FGP proximal map for any A. The same iterations and arithmetic as
 * {@link TvPdhg} and {@link FistaTv} on the engine; every array is made once per solve, each iteration updates
 * them in place in passes over lines ({@link HostPool}), and sums are taken per line and added in line order.
 */
final class HostTv {
    private HostTv() { }

    /** One solve's outcome on the host. */
    record Outcome(float[] estimate, int iterations, double change, boolean converged) { }

    /** Relative change ||a - b|| / ||a|| from per-line sums (diff at 2 l, norm at 2 l + 1). */
    private static double change(double[] sums, int lines) {
        double diff = HostGrid.ordered(sums, lines, 2, 0);
        double norm = HostGrid.ordered(sums, lines, 2, 1);
        return norm == 0 ? Math.sqrt(diff) : Math.sqrt(diff) / Math.sqrt(norm);
    }

    /** p = projection onto {|p| <= radius} of p + sigma D x-bar, for lines [from, to). */
    private static void dualLines(HostGrid g, float[] xBar, float[] p, float sigma, float radius, int from, int to) {
        int width = g.width;
        int height = g.height;
        for (int line = from; line < to; line++) {
            int z = line / height;
            int row = line % height;
            int base = line * width;
            boolean zInside = g.components == 3 && z < g.depth - 1;
            boolean rowInside = row < height - 1;
            for (int col = 0; col < width; col++) {
                int i = base + col;
                float centre = xBar[i];
                float gy = rowInside ? g.wy * (xBar[i + width] - centre) : 0f;
                float gx = col < width - 1 ? g.wx * (xBar[i + 1] - centre) : 0f;
                float qy = p[g.py + i] + gy * sigma;
                float qx = p[g.px + i] + gx * sigma;
                float qz = 0f;
                float ss = qy * qy;
                if (g.components == 3) {
                    float gz = zInside ? g.wz * (xBar[i + g.plane] - centre) : 0f;
                    qz = p[g.pz + i] + gz * sigma;
                    ss = qz * qz + ss;
                }
                ss = ss + qx * qx;
                float shrink = Math.max((float) Math.sqrt(ss) / radius, 1f);
                p[g.py + i] = qy / shrink;
                p[g.px + i] = qx / shrink;
                if (g.components == 3) {
                    p[g.pz + i] = qz / shrink;
                }
            }
        }
    }

    /**
     * TvPdhg's exact-data-proximal path for an A with diagonal A A^H that is not the identity, or with a closed-form
     * data step of its own ({@link HostDataProximal}, Fourier sampling); no acceleration.
     * @param tau the primal step (TvPdhg's rule, from y's spread)
     */
    static Outcome pdhgExact(HostOperator a, HostGrid g, double lambda, StoppingRule stopping, double tau,
                             float[] y, float[] x0, Progress progress) {
        int n = g.n;
        int m = a.outputSize();
        float[] gram = a.gramDiagonal();
        HostDataProximal.Step own = a instanceof HostDataProximal d ? d.proximal(y) : null;
        double sigma = 1 / (tau * g.normSquaredBound());
        float[] x = x0.clone();
        float[] xBar = x0.clone();
        float[] p = new float[g.components * n];
        float[] v = new float[n];
        float[] av = own != null ? null : new float[m];
        float[] back = new float[n];
        double[] sums = new double[2 * g.lines];
        float lam = (float) lambda;
        float s = (float) sigma;
        float t = (float) tau;
        float inverseTau = (float) (1 / tau);
        double change = Double.NaN;
        int it = 0;
        boolean converged = false;
        while (it < stopping.maxIterations() && !converged) {
            progress.checkCancelled();
            it++;
            HostPool.forLines(g.lines, (from, to) -> dualLines(g, xBar, p, s, lam, from, to));
            HostPool.forLines(g.lines, (from, to) -> {
                for (int line = from; line < to; line++) {
                    g.adjointLine(p, line, v);
                    for (int i = line * g.width, end = i + g.width; i < end; i++) {
                        v[i] = x[i] - v[i] * t;
                    }
                }
            });
            if (own != null) {
                own.correction(v, tau, back);
            } else {
                // x = v - A^H ((A v - y) / (A A^H + 1 / tau))
                a.apply(v, av);
                HostPool.forRange(m, (from, to) -> {
                    for (int k = from; k < to; k++) {
                        av[k] = (av[k] - y[k]) / (gram[k] + inverseTau);
                    }
                });
                a.applyAdjoint(av, back);
            }
            boolean check = stopping.isCheckpoint(it);
            HostPool.forLines(g.lines, (from, to) -> {
                for (int line = from; line < to; line++) {
                    double diff = 0;
                    double norm = 0;
                    for (int i = line * g.width, end = i + g.width; i < end; i++) {
                        float xNew = v[i] - back[i];
                        float delta = xNew - x[i];
                        xBar[i] = xNew + delta;
                        if (check) {
                            diff += (double) delta * delta;
                            norm += (double) xNew * xNew;
                        }
                        x[i] = xNew;
                    }
                    if (check) {
                        sums[2 * line] = diff;
                        sums[2 * line + 1] = norm;
                    }
                }
            });
            if (check) {
                change = change(sums, g.lines);
                converged = change < stopping.tolerance();
                progress.report((double) it / stopping.maxIterations(), "TV, iteration " + it);
            }
        }
        return new Outcome(x, it, change, converged);
    }

    /** TvPdhg's fully dual path (K = [A; D]) for any A. @param normA ||A|| as TvPdhg estimates it */
    static Outcome pdhgDual(HostOperator a, HostGrid g, double lambda, StoppingRule stopping, double tau,
                            double sigma, float[] y, float[] x0, Progress progress) {
        int n = g.n;
        int m = a.outputSize();
        float[] x = x0.clone();
        float[] xBar = x0.clone();
        float[] p = new float[m];
        float[] q = new float[g.components * n];
        float[] ax = new float[m];
        float[] back = new float[n];
        float[] ySigma = new float[m];
        float s = (float) sigma;
        float t = (float) tau;
        float onePlusSigma = (float) (1 + sigma);
        float lam = (float) lambda;
        for (int k = 0; k < m; k++) {
            ySigma[k] = y[k] * s;
        }
        double[] sums = new double[2 * g.lines];
        double change = Double.NaN;
        int it = 0;
        boolean converged = false;
        while (it < stopping.maxIterations() && !converged) {
            progress.checkCancelled();
            it++;
            a.apply(xBar, ax);
            HostPool.forRange(m, (from, to) -> {
                for (int k = from; k < to; k++) {
                    p[k] = (p[k] + ax[k] * s - ySigma[k]) / onePlusSigma;
                }
            });
            HostPool.forLines(g.lines, (from, to) -> dualLines(g, xBar, q, s, lam, from, to));
            a.applyAdjoint(p, back);
            boolean check = stopping.isCheckpoint(it);
            HostPool.forLines(g.lines, (from, to) -> {
                for (int line = from; line < to; line++) {
                    g.adjointLine(q, line, xBar); // xBar is free here: rebuilt below from x and xNew
                    double diff = 0;
                    double norm = 0;
                    for (int i = line * g.width, end = i + g.width; i < end; i++) {
                        float xNew = x[i] - (back[i] + xBar[i]) * t;
                        xBar[i] = xNew * 2f - x[i];
                        if (check) {
                            float delta = xNew - x[i];
                            diff += (double) delta * delta;
                            norm += (double) xNew * xNew;
                        }
                        x[i] = xNew;
                    }
                    if (check) {
                        sums[2 * line] = diff;
                        sums[2 * line + 1] = norm;
                    }
                }
            });
            if (check) {
                change = change(sums, g.lines);
                converged = change < stopping.tolerance();
                progress.report((double) it / stopping.maxIterations(), "TV, iteration " + it);
            }
        }
        return new Outcome(x, it, change, converged);
    }

    /**
     * FistaTv on the host: gradient step 1 / L on the data term, the TV proximal map by FGP on the dual
     * ({@link TvProx}'s iterations, warm-started across outer iterations), Nesterov momentum.
     */
    static Outcome fista(HostOperator a, HostGrid g, double lambda, StoppingRule stopping, double lipschitz,
                         int innerIterations, float[] y, float[] x0, Progress progress) {
        int n = g.n;
        int m = a.outputSize();
        double step = 1 / lipschitz;
        float stepF = (float) step;
        double weight = lambda * step;
        float w = (float) weight;
        float dualStep = (float) (1 / (g.normSquaredBound() * weight));
        float[][] xs = {x0.clone(), new float[n]};
        float[] z = x0.clone();
        // a plane takes the row kernels (PlaneTvProx); a volume the flat arrays below. For a plane with A = I the
        // gradient step goes straight into the kernel's rows: no v, A z or A^H arrays
        PlaneTvProx plane = g.components == 2 && weight > 0 ? new PlaneTvProx(g.height, g.width, g.wy, g.wx) : null;
        boolean fused = plane != null && a.isIdentity();
        float[] v = fused ? null : new float[n];
        float[] u = plane == null ? new float[n] : null;
        float[] p = plane == null ? new float[g.components * n] : null;
        float[] r = plane == null ? new float[g.components * n] : null;
        float[] az = fused ? null : new float[m];
        float[] grad = fused ? null : new float[n];
        double[] sums = new double[2 * g.lines];
        float[] innerMomenta = fgpMomenta(innerIterations);
        double t = 1;
        double change = Double.NaN;
        int it = 0;
        boolean converged = false;
        while (it < stopping.maxIterations() && !converged) {
            progress.checkCancelled();
            it++;
            float[] x = xs[0];
            float[] xNew = xs[1];
            double tNew = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
            float momentum = (float) ((t - 1) / tNew);
            t = tNew;
            boolean check = stopping.isCheckpoint(it);
            if (fused) {
                // the whole iteration in one pass over the rows: gradient step, prox, momentum
                plane.fistaIteration(z, y, stepF, innerIterations, w, dualStep, innerMomenta, x, xNew, momentum,
                        check ? sums : null);
            } else {
                // v = z - step A^H (A z - y)
                a.apply(z, az);
                HostPool.forRange(m, (from, to) -> {
                    for (int k = from; k < to; k++) {
                        az[k] = az[k] - y[k];
                    }
                });
                a.applyAdjoint(az, grad);
                HostPool.forLines(g.lines, (from, to) -> {
                    for (int i = from * g.width, end = to * g.width; i < end; i++) {
                        v[i] = z[i] - grad[i] * stepF;
                    }
                });
                if (plane != null) {
                    plane.start(v);
                }
                proxAndMomentum(g, plane, innerIterations, weight, dualStep, innerMomenta, v, u, p, r, x, xNew, z,
                        momentum, check ? sums : null);
            }
            if (check) {
                change = change(sums, g.lines);
                converged = change < stopping.tolerance();
                progress.report((double) it / stopping.maxIterations(), "TV (FISTA), iteration " + it);
            }
            xs[0] = xNew;
            xs[1] = x;
        }
        return new Outcome(xs[0], it, change, converged);
    }

    /**
     * The rest of a FISTA iteration once v holds the gradient step: the prox of weight * TV at v (TvProx: FGP on the
     * dual, warm-started from the last p; on {@code plane}'s rows, or on the flat u, p, r of a volume) into xNew,
     * then z = xNew + momentum (xNew - x) and, if {@code sums} is not null, each line's change sums.
     */
    private static void proxAndMomentum(HostGrid g, PlaneTvProx plane, int innerIterations, double weight,
                                        float dualStep, float[] innerMomenta, float[] v, float[] u, float[] p,
                                        float[] r, float[] x, float[] xNew, float[] z, float momentum,
                                        double[] sums) {
        float w = (float) weight;
        // prox of weight * TV at v (TvProx: FGP on the dual, warm-started from the last p)
        if (plane != null) {
            plane.iterate(innerIterations, w, dualStep, innerMomenta);
            plane.finish(w, xNew);
        } else if (weight > 0) {
            System.arraycopy(p, 0, r, 0, p.length);
            for (int k = 0; k < innerIterations; k++) {
                float inner = innerMomenta[k];
                // one pass: u = v - w D^H r line by line, and the projection step of a line as soon as the lines
                // of u it reads exist (the next row, or the next plane's row); the last `halo` lines of a block
                // need the next block's u and take a second pass. The same arithmetic for any blocks.
                int halo = g.components == 3 ? g.height : 1;
                HostPool.forLines(g.lines, (from, to) -> {
                    for (int line = from; line < to; line++) {
                        g.stepLine(r, v, w, line, u);
                        if (line - halo >= from) {
                            fgpLines(g, u, p, r, dualStep, inner, line - halo, line - halo + 1);
                        }
                    }
                });
                HostPool.forLines(g.lines, (from, to) -> fgpLines(g, u, p, r, dualStep, inner,
                        Math.max(from, to - halo), to));
            }
            HostPool.forLines(g.lines, (from, to) -> {
                for (int line = from; line < to; line++) {
                    g.stepLine(p, v, w, line, xNew);
                }
            });
        } else {
            System.arraycopy(v, 0, xNew, 0, g.n);
        }
        HostPool.forLines(g.lines, (from, to) -> {
            for (int line = from; line < to; line++) {
                double diff = 0;
                double norm = 0;
                for (int i = line * g.width, end = i + g.width; i < end; i++) {
                    float delta = xNew[i] - x[i];
                    z[i] = xNew[i] + delta * momentum;
                    if (sums != null) {
                        diff += (double) delta * delta;
                        norm += (double) xNew[i] * xNew[i];
                    }
                }
                if (sums != null) {
                    sums[2 * line] = diff;
                    sums[2 * line + 1] = norm;
                }
            }
        });
    }

    /** FGP's momentum (t_k - 1) / t_(k+1) for each of {@code iterations} inner iterations, t_0 = 1. */
    private static float[] fgpMomenta(int iterations) {
        float[] momenta = new float[iterations];
        double t = 1;
        for (int k = 0; k < iterations; k++) {
            double tNew = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
            momenta[k] = (float) ((t - 1) / tNew);
            t = tNew;
        }
        return momenta;
    }

    /**
     * pNew = proj_{|.| <= 1}(r + step D u); r = pNew + momentum (pNew - p); p = pNew, for lines [from, to) of a
     * volume (planes: {@link PlaneTvProx}).
     */
    static void fgpLines(HostGrid g, float[] u, float[] p, float[] r, float step, float momentum, int from,
                                 int to) {
        int width = g.width;
        int height = g.height;
        for (int line = from; line < to; line++) {
            int z = line / height;
            int row = line % height;
            int base = line * width;
            boolean zInside = g.components == 3 && z < g.depth - 1;
            boolean rowInside = row < height - 1;
            for (int col = 0; col < width; col++) {
                int i = base + col;
                float centre = u[i];
                float gy = rowInside ? g.wy * (u[i + width] - centre) : 0f;
                float gx = col < width - 1 ? g.wx * (u[i + 1] - centre) : 0f;
                float qy = r[g.py + i] + gy * step;
                float qx = r[g.px + i] + gx * step;
                float qz = 0f;
                float ss = qy * qy;
                if (g.components == 3) {
                    float gz = zInside ? g.wz * (u[i + g.plane] - centre) : 0f;
                    qz = r[g.pz + i] + gz * step;
                    ss = qz * qz + ss;
                }
                ss = ss + qx * qx;
                float shrink = Math.max((float) Math.sqrt(ss), 1f);
                float ny = qy / shrink;
                float nx = qx / shrink;
                r[g.py + i] = ny + (ny - p[g.py + i]) * momentum;
                r[g.px + i] = nx + (nx - p[g.px + i]) * momentum;
                p[g.py + i] = ny;
                p[g.px + i] = nx;
                if (g.components == 3) {
                    float nz = qz / shrink;
                    r[g.pz + i] = nz + (nz - p[g.pz + i]) * momentum;
                    p[g.pz + i] = nz;
                }
            }
        }
    }
}
