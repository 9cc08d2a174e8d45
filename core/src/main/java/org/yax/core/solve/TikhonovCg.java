package org.yax.core.solve;

import ai.djl.ndarray.NDArray;
import org.yax.core.Progress;
import org.yax.core.op.Gradient;
import org.yax.core.op.HostOperator;
import org.yax.core.op.LinearOperator;

/**
 * Tikhonov regularised least squares with a smoothness penalty, solved by conjugate gradients on the
 * normal equations:
 *
 * <pre>  x-hat = argmin_x ||A x - y||^2 + mu ||D x||^2   <=>   (A^H A + mu D^H D) x = A^H y</pre>
 *
 * <p>D is the finite-difference gradient, so the penalty is scale-free (mu is dimensionless).
 */
public final class TikhonovCg implements Solver {
    /**
     * Pixels of reach for tiling. (A^H A + mu D^H D)^-1 is a smoothing kernel whose width grows like
     * sqrt(mu); Reconstruction's mu is below 1 for noise under 10% of the range, so this halo is ample.
     */
    public static final int EMPIRICAL_HALO = 16;

    private final double mu;
    private final StoppingRule stopping;

    /** @param mu weight of the smoothness penalty, >= 0 */
    public TikhonovCg(double mu, StoppingRule stopping) {
        if (!(mu >= 0) || Double.isInfinite(mu)) {
            throw new IllegalArgumentException("Tikhonov weight mu must be a finite number >= 0, got " + mu);
        }
        this.mu = mu;
        this.stopping = stopping;
    }

    /** Stops when the residual norm of the normal equations falls below tolerance * ||A^H y||. */
    @Override
    public SolverResult solve(LinearOperator a, NDArray y, NDArray x0, Progress progress) {
        LinearOperator.requireShape("measurement y", a.outputShape(), y);
        LinearOperator.requireShape("starting point x0", a.inputShape(), x0);
        HostOperator host = ComputePath.hostOperator(a, y);
        HostGrid grid = host == null ? null : HostGrid.of(a.inputShape(), null);
        if (grid != null) {
            HostTv.Outcome r = HostCg.tikhonov(host, grid, mu, stopping, y.toFloatArray(), x0.toFloatArray(),
                    "Tikhonov CG", progress);
            return new SolverResult(y.getManager().create(r.estimate(), a.inputShape()), r.iterations(), r.change(),
                    r.converged());
        }
        Gradient d = new Gradient(a.inputShape());
        try (IterationScope scope = new IterationScope(y.getManager())) {
            NDArray rhs = scope.adopt(a.applyAdjoint(y));
            SolverResult r = ConjugateGradient.solve(v -> system(a, d, v), rhs, x0, stopping, "Tikhonov CG", progress,
                    scope);
            return new SolverResult(scope.release(r.estimate()), r.iterations(), r.relativeChange(), r.converged());
        }
    }

    private NDArray system(LinearOperator a, Gradient d, NDArray v) {
        NDArray normal = a.normal(v);
        return mu == 0 ? normal : normal.add(d.normal(v).mul(mu));
    }
}
