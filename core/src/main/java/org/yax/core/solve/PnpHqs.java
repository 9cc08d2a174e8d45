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
 *
 * <p>Iteration k denoises the k-th of the eight flips and quarter turns of x_k and undoes it on the result
 * (DPIR's "x8" mode): a learned denoiser's errors differ between orientations, so cycling through them averages
 * the errors over the iterations at no extra cost (+0.3 dB for MRI 4x and +0.5 dB for inpainting on the
 * validation images of docs/MODELS.md). A rotation-equivariant denoiser (TV, NLM) is unaffected.
 *
 * <p>With exact (noiseless) measurements the last estimate is projected onto {x : A x = y}, so it agrees with
 * every measured value.
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

    /** This splitting with fixed noise levels and exactness (as {@link #solve}'s arguments) as a {@link Solver}. */
    public Solver solver(double sigma, double sigmaStart, boolean exact) {
        return (a, y, x0, progress) -> solve(a, y, x0, sigma, sigmaStart, exact, progress);
    }

    /**
     * @param sigma      noise level of y (image units), > 0
     * @param sigmaStart denoiser strength of the first iteration (>= sigma), e.g. a fifth of the data range
     */
    public SolverResult solve(LinearOperator a, NDArray y, NDArray x0, double sigma, double sigmaStart,
                              Progress progress) {
        return solve(a, y, x0, sigma, sigmaStart, false, progress);
    }

    /**
     * @param exact the measurements are noiseless (sigma is then only the prior's floor): end on the projection
     *              onto {x : A x = y}; needs an operator whose A A^H is diagonal
     */
    public SolverResult solve(LinearOperator a, NDArray y, NDArray x0, double sigma, double sigmaStart,
                              boolean exact, Progress progress) {
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
                z = denoiseOriented(x, sigmaK, k);
                progress.report((double) (k + 1) / iterations, "plug-and-play, iteration " + (k + 1));
                scope.endStep(gram == null ? new NDArray[] {z, aty} : new NDArray[] {z, aty, gram});
            }
            if (exact) {
                if (gram == null) {
                    throw new IllegalArgumentException("exact measurements need an operator with diagonal A A^H, not "
                            + a.describe());
                }
                z = project(a, gram, y, z);
            }
            return new SolverResult(scope.release(z), iterations, Double.NaN, true);
        }
    }

    /** The projection of x onto {x : A x = y} for diagonal A A^H (zeros in it: rows that measure nothing). */
    public static NDArray project(LinearOperator a, NDArray gram, NDArray y, NDArray x) {
        NDArray residual = y.sub(a.apply(x));
        NDArray measured = gram.gt(0);
        NDArray weighted = residual.div(gram.add(measured.logicalNot().toType(gram.getDataType(), false)))
                .mul(measured.toType(gram.getDataType(), false));
        return x.add(a.applyAdjoint(weighted));
    }

    /** The denoiser applied to the k-th (mod 8) flip/quarter turn of x, turned back. */
    private NDArray denoiseOriented(NDArray x, double sigma, int k) {
        int turns = k % 4;
        boolean mirrored = k % 8 >= 4;
        int[] plane = {x.getShape().dimension() - 2, x.getShape().dimension() - 1};
        NDArray t = turns == 0 ? x : x.rotate90(turns, plane);
        if (mirrored) {
            t = t.flip(plane[1]);
        }
        NDArray d = denoiser.denoise(t, sigma);
        if (mirrored) {
            d = d.flip(plane[1]);
        }
        return turns == 0 ? d : d.rotate90(4 - turns, plane);
    }

    /** (A^H A + alpha I)^-1 r = (r - A^H (alpha I + A A^H)^-1 A r) / alpha, for diagonal A A^H. */
    private static NDArray woodbury(LinearOperator a, NDArray gram, NDArray r, double alpha) {
        NDArray ar = a.apply(r);
        return r.sub(a.applyAdjoint(ar.div(gram.add(alpha)))).div(alpha);
    }

    /** (A^H A + alpha I) x = r by 30 conjugate-gradient steps from {@code start}. */
    private static NDArray conjugateGradient(LinearOperator a, NDArray rhs, double alpha, NDArray start) {
        return ConjugateGradient.iterate(v -> a.normal(v).add(v.mul(alpha)), rhs, start, 30);
    }
}
