package org.yax.core.solve;

import ai.djl.ndarray.NDArray;
import org.yax.core.Progress;
import org.yax.core.op.DataProximal;
import org.yax.core.op.HostDataProximal;
import org.yax.core.op.HostOperator;
import org.yax.core.op.HostPool;
import org.yax.core.op.LinearOperator;

/**
 * Plug-and-play half-quadratic splitting (as in DPIR, Zhang et al. 2021): alternates an exact
 * data-consistency step with any {@link Denoiser} as the prior, with the denoiser's strength falling
 * geometrically from {@code sigmaStart} to the noise level:
 *
 * <pre>  x_k = argmin_x 1/2 ||A x - y||^2 + alpha_k/2 ||x - z_{k-1}||^2,  alpha_k = sigma^2 / sigma_k^2
 *  z_k = denoise(x_k, sigma_k)</pre>
 *
 * <p>The data step is closed-form when A A^H is diagonal (Woodbury) or the operator knows its own proximal step
 * ({@link DataProximal}: Fourier sampling), otherwise conjugate gradients warm-started from z. On the CPU it runs
 * on host arrays when the operator has a host form ({@link ComputePath}); the denoiser is the same either way.
 *
 * <p>Iteration k denoises the k-th of the eight flips and quarter turns of x_k and undoes it on the result
 * (DPIR's "x8" mode): a learned denoiser's errors differ between orientations, so cycling through them averages
 * the errors over the iterations at no extra cost (+0.3 dB for MRI 4x and +0.5 dB for inpainting on the
 * validation images of docs/MODELS.md). A rotation-equivariant denoiser (TV, NLM) is unaffected.
 *
 * <p>The prior's strength stops at {@code sigma}, which may be a floor above the measurements' own noise (a
 * denoiser needs some strength). Where it is, the estimate ends on one more data step with that noise, alpha =
 * noise^2 / sigma^2: the projection onto {x : A x = y} for noiseless measurements, so the estimate agrees with every
 * measured value, and a partial step toward them for noise below the floor (continuous in the noise, so a clean
 * image whose estimated noise is a little above 0 is not treated as a noisy one).
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

    /** This splitting with fixed noise levels (as {@link #solve}'s arguments) as a {@link Solver}. */
    public Solver solver(double sigma, double sigmaStart, double measurementNoise) {
        return (a, y, x0, progress) -> solve(a, y, x0, sigma, sigmaStart, measurementNoise, progress);
    }

    /**
     * @param sigma      noise level of y (image units), > 0
     * @param sigmaStart denoiser strength of the first iteration (>= sigma), e.g. a fifth of the data range
     */
    public SolverResult solve(LinearOperator a, NDArray y, NDArray x0, double sigma, double sigmaStart,
                              Progress progress) {
        return solve(a, y, x0, sigma, sigmaStart, sigma, progress);
    }

    /**
     * @param measurementNoise the measurements' own noise level (>= 0): below sigma (a floor), the estimate ends
     *                         on {@link #towardMeasurements}; 0 (noiseless) needs an operator whose A A^H is diagonal
     */
    public SolverResult solve(LinearOperator a, NDArray y, NDArray x0, double sigma, double sigmaStart,
                              double measurementNoise, Progress progress) {
        LinearOperator.requireShape("measurement y", a.outputShape(), y);
        LinearOperator.requireShape("starting point x0", a.inputShape(), x0);
        if (!(sigma > 0) || !(sigmaStart >= sigma)) {
            throw new IllegalArgumentException("need 0 < sigma <= sigmaStart, got sigma=" + sigma
                    + " sigmaStart=" + sigmaStart);
        }
        try (IterationScope scope = new IterationScope(y.getManager())) {
            NDArray gram = a.gramDiagonal(scope.manager());
            DataStep data = dataStep(a, y, gram, scope);
            NDArray z = scope.adopt(x0.duplicate());
            for (int k = 0; k < iterations; k++) {
                progress.checkCancelled();
                double sigmaK = iterations == 1 ? sigma
                        : sigmaStart * Math.pow(sigma / sigmaStart, (double) k / (iterations - 1));
                double alpha = (sigma * sigma) / (sigmaK * sigmaK);
                NDArray x = data.solve(z, alpha);
                z = denoiseOriented(x, sigmaK, k);
                progress.report((double) (k + 1) / iterations, "plug-and-play, iteration " + (k + 1));
                scope.endStep(java.util.stream.Stream.of(z, gram, data.kept()).filter(java.util.Objects::nonNull)
                        .toArray(NDArray[]::new));
            }
            if (measurementNoise < sigma) {
                if (gram != null) {
                    z = towardMeasurements(a, gram, y, z, measurementNoise, sigma);
                } else if (measurementNoise == 0) {
                    throw new IllegalArgumentException("exact measurements need an operator with diagonal A A^H, not "
                            + a.describe());
                }
            }
            return new SolverResult(scope.release(z), iterations, Double.NaN, true);
        }
    }

    /** The projection of x onto {x : A x = y} for diagonal A A^H (zeros in it: rows that measure nothing). */
    public static NDArray project(LinearOperator a, NDArray gram, NDArray y, NDArray x) {
        return towardMeasurements(a, gram, y, x, 0, 1);
    }

    /**
     * The data step from x for measurements with noise {@code measurementNoise} under a prior of strength {@code
     * sigma}: argmin_u 1/2 ||A u - y||^2 + alpha/2 ||u - x||^2 with alpha = (measurementNoise / sigma)^2, that is
     * x + A^H (A A^H + alpha)^-1 (y - A x) for diagonal A A^H (zeros in it: rows that measure nothing); the
     * projection onto {u : A u = y} for noiseless measurements, x itself where the noise is not below sigma.
     */
    private static NDArray towardMeasurements(LinearOperator a, NDArray gram, NDArray y, NDArray x,
                                              double measurementNoise, double sigma) {
        if (!(measurementNoise < sigma)) {
            return x;
        }
        double alpha = (measurementNoise / sigma) * (measurementNoise / sigma);
        NDArray residual = y.sub(a.apply(x));
        NDArray measured = gram.gt(0);
        NDArray weighted = residual.div(gram.add(alpha).add(measured.logicalNot().toType(gram.getDataType(), false)))
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

    /** The data step x = argmin_x 1/2 ||A x - y||^2 + alpha/2 ||x - z||^2 of one solve (y fixed). */
    private interface DataStep {
        NDArray solve(NDArray z, double alpha);

        /** The engine array it keeps across iterations (for {@link IterationScope#endStep}), or null. */
        default NDArray kept() {
            return null;
        }
    }

    /**
     * The data step's form, chosen once: on host arrays when {@link ComputePath} gives A a host form with diagonal
     * A A^H (Woodbury) or its own proximal step (Fourier sampling), else on the engine: Woodbury,
     * {@link DataProximal}, or 30 conjugate-gradient steps from z.
     */
    private static DataStep dataStep(LinearOperator a, NDArray y, NDArray gram, IterationScope scope) {
        HostOperator host = ComputePath.hostOperator(a, y);
        if (host != null && (host.gramDiagonal() != null || host instanceof HostDataProximal)) {
            return hostStep(host, y.toFloatArray(), a.inputShape());
        }
        if (gram != null) {
            NDArray aty = scope.adopt(a.applyAdjoint(y));
            return new DataStep() {
                // (A^H A + alpha I)^-1 r = (r - A^H (alpha I + A A^H)^-1 A r) / alpha, r = A^H y + alpha z
                @Override public NDArray solve(NDArray z, double alpha) {
                    NDArray r = aty.add(z.mul(alpha));
                    return r.sub(a.applyAdjoint(a.apply(r).div(gram.add(alpha)))).div(alpha);
                }

                @Override public NDArray kept() { return aty; }
            };
        }
        if (a instanceof DataProximal d) {
            return (z, alpha) -> d.dataProximal(z, y, 1 / alpha);
        }
        NDArray aty = scope.adopt(a.applyAdjoint(y));
        return new DataStep() {
            @Override public NDArray solve(NDArray z, double alpha) {
                return ConjugateGradient.iterate(v -> a.normal(v).add(v.mul(alpha)), aty.add(z.mul(alpha)), z, 30);
            }

            @Override public NDArray kept() { return aty; }
        };
    }

    /** The data step on host arrays: A^H y and the work arrays made once, z copied in and x out per iteration. */
    private static DataStep hostStep(HostOperator a, float[] y, ai.djl.ndarray.types.Shape shape) {
        int n = a.inputSize();
        float[] x = new float[n];
        float[] gram = a.gramDiagonal();
        HostDataProximal.Step own = a instanceof HostDataProximal d ? d.proximal(y) : null;
        float[] aty = own != null ? null : new float[n];
        float[] ar = own != null ? null : new float[a.outputSize()];
        if (aty != null) {
            a.applyAdjoint(y, aty);
        }
        return (z, alpha) -> {
            float[] zv = z.toFloatArray();
            if (own != null) {
                own.correction(zv, 1 / alpha, x);
                HostPool.forRange(n, (from, to) -> {
                    for (int i = from; i < to; i++) {
                        x[i] = zv[i] - x[i];
                    }
                });
            } else {
                // (A^H A + alpha I)^-1 r = (r - A^H (alpha I + A A^H)^-1 A r) / alpha, r = A^H y + alpha z
                float al = (float) alpha;
                HostPool.forRange(n, (from, to) -> {
                    for (int i = from; i < to; i++) {
                        zv[i] = aty[i] + zv[i] * al;
                    }
                });
                a.apply(zv, ar);
                HostPool.forRange(ar.length, (from, to) -> {
                    for (int k = from; k < to; k++) {
                        ar[k] = ar[k] / (gram[k] + al);
                    }
                });
                a.applyAdjoint(ar, x);
                HostPool.forRange(n, (from, to) -> {
                    for (int i = from; i < to; i++) {
                        x[i] = (zv[i] - x[i]) / al;
                    }
                });
            }
            return z.getManager().create(x, shape);
        };
    }
}
