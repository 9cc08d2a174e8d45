package org.yax.core.solve;

import ai.djl.ndarray.NDArray;
import org.yax.core.Progress;
import org.yax.core.op.DataProximal;
import org.yax.core.op.Gradient;
import org.yax.core.op.HostDataProximal;
import org.yax.core.op.HostOperator;
import org.yax.core.op.Identity;
import org.yax.core.op.LinearOperator;
import org.yax.core.op.Mask;

/**
 * Total-variation regularised least squares by the primal-dual hybrid gradient method (Chambolle and
 * Pock 2011):
 *
 * <pre>  x-hat = argmin_x  1/2 ||A x - y||^2 + lambda * TV(x),   TV(x) = sum_pixels |D x|_2 (isotropic)</pre>
 *
 * <p>x may be a 2-D plane or a 3-D volume (then TV is 3-D).
 *
 * <p>When A A^H is diagonal (identity, masks, area downsampling and masks after it) the data term's
 * proximal step is exact, x = v - A^H (A v - y) / (1/tau + A A^H), and only TV is dualised; for A = I the
 * data term is also 1-strongly convex and the accelerated variant (their Algorithm 2) is used. Any other A
 * is dualised too (K = [A; D], step sizes from ||K||^2 <= ||A||^2 + ||D||^2), which converges more slowly.
 * Operators that know a closed form of that proximal step themselves ({@link DataProximal}, e.g. Fourier
 * sampling of a real image) take the exact path through it.
 */
public final class TvPdhg implements Solver {
    /**
     * How far (pixels) an iterate's value at one pixel can be pulled by data elsewhere, for tiling: PDHG
     * spreads information one pixel per iteration (D and D^H have support 1), so its formal support is its
     * iteration count, but the influence decays fast. Measured on a 384 x 384 phantom (sigma 25, range ~1000)
     * in 192-pixel tiles with halo = blend band, solved to convergence (3000 iterations, tolerance 1e-7), the
     * largest tiled-vs-whole difference relative to the range was: halo 4: 1.7e-3, 8: 7.0e-4, 16: 1.2e-4,
     * 24: 5.4e-5, 32: 5.9e-5 (the solver's float floor). For x2 super-resolution (160 x 160 input, 100-pixel
     * tiles) halos 8..24 all gave 1.3-1.5e-4. With Reconstruction's stopping rules the difference is set by
     * tiles stopping at other iterations than the whole plane (see TileReconstructionTest).
     */
    public static final int EMPIRICAL_HALO = 24;

    private final double lambda;
    private final StoppingRule stopping;
    /** Per-axis weights of D (e.g. pixel / slice spacing along z for a volume), or null for all 1. */
    private final double[] axisWeights;

    /** @param lambda TV weight, in the image's units (e.g. about the noise sigma for denoising); > 0 */
    public TvPdhg(double lambda, StoppingRule stopping) {
        if (!(lambda > 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("TV weight lambda must be a positive finite number, got " + lambda);
        }
        this.lambda = lambda;
        this.stopping = stopping;
        this.axisWeights = null;
    }

    private TvPdhg(double lambda, StoppingRule stopping, double[] axisWeights) {
        this.lambda = lambda;
        this.stopping = stopping;
        this.axisWeights = axisWeights.clone();
    }

    /**
     * The same solver with TV's differences weighted per axis of x (see {@link Gradient#Gradient(
     * ai.djl.ndarray.types.Shape, double[])}), e.g. {pixel spacing / slice spacing, 1, 1} for a volume.
     */
    public TvPdhg withAxisWeights(double... weights) {
        return new TvPdhg(lambda, stopping, weights);
    }

    private Gradient gradient(ai.djl.ndarray.types.Shape shape) {
        return new Gradient(shape, axisWeights);
    }

    /**
     * @param a  forward operator
     * @param y  measurement, shape a.outputShape()
     * @param x0 starting point, shape a.inputShape() (not modified)
     */
    @Override
    public SolverResult solve(LinearOperator a, NDArray y, NDArray x0, Progress progress) {
        LinearOperator.requireShape("measurement y", a.outputShape(), y);
        LinearOperator.requireShape("starting point x0", a.inputShape(), x0);
        HostOperator host = ComputePath.hostOperator(a, y);
        HostGrid grid = host == null ? null : HostGrid.of(a.inputShape(), axisWeights);
        if (grid != null) {
            return onHost(a, host, grid, y, x0, progress);
        }
        Gradient d = gradient(a.inputShape());
        boolean ownProx = a instanceof DataProximal;
        try (NDArray gram = ownProx ? null : a.gramDiagonal(y.getManager())) {
            return gram != null || ownProx ? withExactDataProx(a, gram, d, y, x0, progress)
                    : fullyDual(a, d, y, x0, progress);
        }
    }

    /**
     * The same iterations on host arrays ({@link ComputePath}): A = I or a mask by {@link HostTvPdhg}, other
     * operators with diagonal A A^H or their own data step by {@link HostTv#pdhgExact}, the rest by
     * {@link HostTv#pdhgDual}.
     */
    private SolverResult onHost(LinearOperator a, HostOperator host, HostGrid grid, NDArray y, NDArray x0,
                                Progress progress) {
        float[] yv = y.toFloatArray();
        float[] start = x0.toFloatArray();
        float[] gram = host.gramDiagonal();
        HostTv.Outcome r;
        if (a instanceof Identity || a instanceof Mask) {
            boolean[] observed = null;
            if (a instanceof Mask) {
                observed = new boolean[gram.length];
                for (int i = 0; i < gram.length; i++) {
                    observed[i] = gram[i] != 0f;
                }
            }
            double[] weights = axisWeights != null ? axisWeights : grid.components == 3 ? new double[] {1, 1, 1}
                    : new double[] {1, 1};
            HostTvPdhg.Result h = new HostTvPdhg(lambda, stopping, weights).solve(yv, observed, start, grid.depth,
                    grid.height, grid.width, progress);
            r = new HostTv.Outcome(h.estimate(), h.iterations(), h.lastChange(), h.converged());
        } else if (gram != null || host instanceof HostDataProximal) {
            double tau = Math.max(0.2 * HostTvPdhg.standardDeviation(yv, yv.length) / lambda, 0.35);
            r = HostTv.pdhgExact(host, grid, lambda, stopping, tau, yv, start, progress);
        } else {
            double normA = OperatorNorm.estimate(a, y.getManager(), 20) * 1.01;
            double normK = Math.sqrt(normA * normA + grid.normSquaredBound());
            double tau = Math.max(0.2 * HostTvPdhg.standardDeviation(yv, yv.length) / lambda, 1 / normK);
            double sigma = 0.99 / (tau * normK * normK);
            r = HostTv.pdhgDual(host, grid, lambda, stopping, tau, sigma, yv, start, progress);
        }
        return new SolverResult(y.getManager().create(r.estimate(), a.inputShape()), r.iterations(), r.change(),
                r.converged());
    }

    /** @param gram A A^H as a diagonal, or null when A is a {@link DataProximal} */
    private SolverResult withExactDataProx(LinearOperator a, NDArray gram, Gradient d, NDArray y, NDArray x0,
                                           Progress progress) {
        double strongConvexity = a instanceof Identity ? 1 : 0;
        // Without acceleration the primal/dual step ratio decides the speed: the primal must travel about
        // the spread of the data while the dual lives in a ball of radius lambda (tuned: 0.2 * std / lambda).
        double tau = strongConvexity > 0 ? 0.25 : Math.max(0.2 * standardDeviation(y) / lambda, 0.35);
        double sigma = 1 / (tau * d.normSquaredBound());
        try (IterationScope scope = new IterationScope(y.getManager())) {
            NDArray x = scope.adopt(x0.duplicate());
            NDArray xBar = x.duplicate();
            NDArray p = scope.manager().zeros(d.outputShape(), x0.getDataType());
            // a copy in the scope, so that gram-first expressions do not pile up in the caller's manager
            NDArray g = gram == null ? null : scope.adopt(gram.duplicate());
            double change = Double.NaN;
            int it = 0;
            boolean converged = false;
            while (it < stopping.maxIterations() && !converged) {
                progress.checkCancelled();
                it++;
                // same arithmetic as p = proj(p + sigma D xBar), x = prox(x - tau D^H p), xBar = x + theta (x - x_old),
                // but every temporary is closed as soon as it is used: a step's peak memory (3-D volumes: each
                // dual-sized temporary is 3 volumes) stays a few arrays instead of all of them until endStep
                NDArray pOld = p;
                try (NDArray grad = d.apply(xBar); NDArray step = grad.mul(sigma); NDArray ascent = pOld.add(step)) {
                    p = projectOntoBall(ascent);
                }
                pOld.close();
                NDArray v;
                try (NDArray div = d.applyAdjoint(p); NDArray descent = div.mul(tau)) {
                    v = x.sub(descent);
                }
                NDArray xNew = dataProximal(a, g, v, y, tau);
                if (xNew != v) {
                    v.close();
                }
                double theta = 1;
                if (strongConvexity > 0) {
                    theta = 1 / Math.sqrt(1 + 2 * strongConvexity * tau);
                    tau *= theta;
                    sigma /= theta;
                }
                NDArray xBarOld = xBar;
                try (NDArray diff = xNew.sub(x); NDArray scaled = diff.mul(theta)) {
                    xBar = xNew.add(scaled);
                }
                if (xBarOld != x) {
                    xBarOld.close();
                }
                if (stopping.isCheckpoint(it)) {
                    change = relativeChange(xNew, x);
                    converged = change < stopping.tolerance();
                    progress.report((double) it / stopping.maxIterations(), "TV, iteration " + it);
                }
                if (x != xNew) {
                    x.close();
                }
                x = xNew;
                if (g == null) {
                    scope.endStep(x, xBar, p);
                } else {
                    scope.endStep(x, xBar, p, g);
                }
            }
            return new SolverResult(scope.release(x), it, change, converged);
        }
    }

    /** argmin_x 1/2 ||A x - y||^2 + 1/(2 tau) ||x - v||^2, in v's manager. */
    private static NDArray dataProximal(LinearOperator a, NDArray gram, NDArray v, NDArray y, double tau) {
        if (gram == null) {
            return ((DataProximal) a).dataProximal(v, y, tau);
        }
        // Woodbury, with A A^H diagonal: x = v - A^H (A v - y) / (1/tau + A A^H)
        NDArray residual = a.apply(v).sub(y);
        return v.sub(a.applyAdjoint(residual.div(gram.add(1 / tau))));
    }

    private SolverResult fullyDual(LinearOperator a, Gradient d, NDArray y, NDArray x0, Progress progress) {
        double normA = OperatorNorm.estimate(a, y.getManager(), 20) * 1.01;
        double normK = Math.sqrt(normA * normA + d.normSquaredBound());
        // tau * sigma * ||K||^2 < 1; as in the exact path, a primal step that matches the data's spread
        // (relative to the dual radius lambda) converges much faster than tau = sigma
        double tau = Math.max(0.2 * standardDeviation(y) / lambda, 1 / normK);
        double sigma = 0.99 / (tau * normK * normK);
        try (IterationScope scope = new IterationScope(y.getManager())) {
            NDArray x = scope.adopt(x0.duplicate());
            NDArray xBar = x.duplicate();
            NDArray p = scope.manager().zeros(a.outputShape(), x0.getDataType());
            NDArray q = scope.manager().zeros(d.outputShape(), x0.getDataType());
            // F(z) = 1/2 ||z - y||^2 has F*(p) = ||p||^2 / 2 + p y, so prox_{sigma F*}(v) = (v - sigma y) / (1 + sigma)
            NDArray ySigma = y.mul(sigma);
            double change = Double.NaN;
            int it = 0;
            boolean converged = false;
            while (it < stopping.maxIterations() && !converged) {
                progress.checkCancelled();
                it++;
                p = p.add(a.apply(xBar).mul(sigma)).sub(ySigma).div(1 + sigma);
                q = projectOntoBall(q.add(d.apply(xBar).mul(sigma)));
                NDArray xNew = x.sub(a.applyAdjoint(p).add(d.applyAdjoint(q)).mul(tau));
                xBar = xNew.mul(2).sub(x);
                if (stopping.isCheckpoint(it)) {
                    change = relativeChange(xNew, x);
                    converged = change < stopping.tolerance();
                    progress.report((double) it / stopping.maxIterations(), "TV, iteration " + it);
                }
                x = xNew;
                scope.endStep(x, xBar, p, q, ySigma);
            }
            return new SolverResult(scope.release(x), it, change, converged);
        }
    }

    /** Pointwise projection of the (2, h, w) dual field onto {|q|_2 <= lambda}. */
    private NDArray projectOntoBall(NDArray q) {
        NDArray sumOfSquares;
        try (NDArray squares = q.square()) {
            sumOfSquares = squares.sum(new int[] {0}, true);
        }
        try (sumOfSquares; NDArray magnitude = sumOfSquares.sqrt(); NDArray ratio = magnitude.div(lambda);
             NDArray shrink = ratio.maximum(1f)) {
            return q.div(shrink);
        }
    }

    private static double standardDeviation(NDArray y) {
        try (NDArray centred = y.sub(y.mean())) {
            return Math.sqrt(centred.square().mean().getFloat());
        }
    }

    static double relativeChange(NDArray now, NDArray before) {
        double diff = now.sub(before).norm().getFloat();
        double ref = now.norm().getFloat();
        return ref == 0 ? diff : diff / ref;
    }
}
