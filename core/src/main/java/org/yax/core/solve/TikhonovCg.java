package org.yax.core.solve;

import ai.djl.ndarray.NDArray;
import org.yax.core.Progress;
import org.yax.core.op.Gradient;
import org.yax.core.op.LinearOperator;

/**
 * Tikhonov regularised least squares with a smoothness penalty, solved by conjugate gradients on the
 * normal equations:
 *
 * <pre>  x-hat = argmin_x ||A x - y||^2 + mu ||D x||^2   <=>   (A^H A + mu D^H D) x = A^H y</pre>
 *
 * <p>D is the finite-difference gradient, so the penalty is scale-free (mu is dimensionless).
 */
public final class TikhonovCg {
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
    public SolverResult solve(LinearOperator a, NDArray y, NDArray x0, Progress progress) {
        LinearOperator.requireShape("measurement y", a.outputShape(), y);
        LinearOperator.requireShape("starting point x0", a.inputShape(), x0);
        Gradient d = new Gradient(a.inputShape());
        try (IterationScope scope = new IterationScope(y.getManager())) {
            NDArray x = scope.adopt(x0.duplicate());
            NDArray rhs = scope.adopt(a.applyAdjoint(y));
            double rhsNorm = rhs.norm().getFloat();
            NDArray r = rhs.sub(system(a, d, x));
            NDArray p = r.duplicate();
            NDArray rr = r.square().sum();
            double residual = rhsNorm == 0 ? 0 : Math.sqrt(rr.getFloat()) / rhsNorm;
            int it = 0;
            // Scalars stay on the device; the host reads the residual only at checkpoints.
            while (it < stopping.maxIterations() && residual > stopping.tolerance()) {
                progress.checkCancelled();
                it++;
                NDArray ap = system(a, d, p);
                NDArray pAp = p.mul(ap).sum();
                NDArray alpha = rr.div(pAp.maximum(Float.MIN_NORMAL));
                x = x.add(p.mul(alpha));
                r = r.sub(ap.mul(alpha));
                NDArray rrNew = r.square().sum();
                p = r.add(p.mul(rrNew.div(rr.maximum(Float.MIN_NORMAL))));
                rr = rrNew;
                if (stopping.isCheckpoint(it)) {
                    residual = Math.sqrt(rr.getFloat()) / rhsNorm;
                    progress.report((double) it / stopping.maxIterations(), "Tikhonov CG, iteration " + it);
                }
                scope.endStep(x, r, p, rr, rhs);
            }
            return new SolverResult(scope.release(x), it, residual, residual <= stopping.tolerance());
        }
    }

    private NDArray system(LinearOperator a, Gradient d, NDArray v) {
        NDArray normal = a.normal(v);
        return mu == 0 ? normal : normal.add(d.normal(v).mul(mu));
    }
}
