package org.yax.core.solve;

import ai.djl.ndarray.NDArray;
import org.yax.core.Progress;
import org.yax.core.op.LinearOperator;

/**
 * Plug-and-play half-quadratic splitting (as in DPIR, Zhang et al. 2021): alternates an exact
 * data-consistency step with any {@link Denoiser} as the prior, with the denoiser's strength falling
 * geometrically from {@code sigmaStart} to the noise level:
 *
 * <pre>  x_k = argmin_x 1/2 ||A x - y||^2 + alpha_k/2 ||x - z_{k-1}||^2,  alpha_k = sigma^2 / sigma_k^2
 *  z_k = denoise(x_k, sigma_k)</pre>
 *
 * <p>The data step is closed-form when A A^H is diagonal (Woodbury), otherwise conjugate gradients.
 */
public final class PnpHqs {
    private final Denoiser denoiser;
    private final int iterations;

    public PnpHqs(Denoiser denoiser, int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be >= 1, got " + iterations);
        }
        this.denoiser = denoiser;
        this.iterations = iterations;
    }

    /**
     * @param sigma      noise level of y (image units), > 0
     * @param sigmaStart denoiser strength of the first iteration (>= sigma), e.g. a fifth of the data range
     */
    public SolverResult solve(LinearOperator a, NDArray y, NDArray x0, double sigma, double sigmaStart,
                              Progress progress) {
        LinearOperator.requireShape("measurement y", a.outputShape(), y);
        LinearOperator.requireShape("starting point x0", a.inputShape(), x0);
        if (!(sigma > 0) || !(sigmaStart >= sigma)) {
            throw new IllegalArgumentException("need 0 < sigma <= sigmaStart, got sigma=" + sigma
                    + " sigmaStart=" + sigmaStart);
        }
        try (IterationScope scope = new IterationScope(y.getManager())) {
            NDArray gram = a.gramDiagonal(scope.manager());
            NDArray aty = scope.adopt(a.applyAdjoint(y));
            NDArray z = scope.adopt(x0.duplicate());
            NDArray x = z;
            for (int k = 0; k < iterations; k++) {
                progress.checkCancelled();
                double sigmaK = iterations == 1 ? sigma
                        : sigmaStart * Math.pow(sigma / sigmaStart, (double) k / (iterations - 1));
                double alpha = (sigma * sigma) / (sigmaK * sigmaK);
                NDArray rhs = aty.add(z.mul(alpha));
                x = gram != null ? woodbury(a, gram, rhs, alpha) : conjugateGradient(a, rhs, alpha, z);
                z = denoiser.denoise(x, sigmaK);
                progress.report((double) (k + 1) / iterations, "plug-and-play, iteration " + (k + 1));
                scope.endStep(gram == null ? new NDArray[] {z, aty} : new NDArray[] {z, aty, gram});
            }
            return new SolverResult(scope.release(z), iterations, Double.NaN, true);
        }
    }

    /** (A^H A + alpha I)^-1 r = (r - A^H (alpha I + A A^H)^-1 A r) / alpha, for diagonal A A^H. */
    private static NDArray woodbury(LinearOperator a, NDArray gram, NDArray r, double alpha) {
        NDArray ar = a.apply(r);
        return r.sub(a.applyAdjoint(ar.div(gram.add(alpha)))).div(alpha);
    }

    private static NDArray conjugateGradient(LinearOperator a, NDArray rhs, double alpha, NDArray start) {
        NDArray x = start.duplicate();
        NDArray r = rhs.sub(a.normal(x).add(x.mul(alpha)));
        NDArray p = r.duplicate();
        NDArray rr = r.square().sum();
        for (int i = 0; i < 30; i++) {
            NDArray ap = a.normal(p).add(p.mul(alpha));
            NDArray step = rr.div(p.mul(ap).sum().maximum(Float.MIN_NORMAL));
            x = x.add(p.mul(step));
            r = r.sub(ap.mul(step));
            NDArray rrNew = r.square().sum();
            p = r.add(p.mul(rrNew.div(rr.maximum(Float.MIN_NORMAL))));
            rr = rrNew;
        }
        return x;
    }
}
