package org.yax.core.solve;

import ai.djl.ndarray.NDArray;
import org.yax.core.op.Gradient;

/** A classical {@link Denoiser} for tests: the TV proximal map with weight proportional to sigma. */
final class TvDenoiser implements Denoiser {
    private final double weightPerSigma;
    private final int iterations;

    /** @param weightPerSigma TV weight per unit of sigma (about 0.9 is good for natural images) */
    TvDenoiser(double weightPerSigma, int iterations) {
        if (!(weightPerSigma > 0)) {
            throw new IllegalArgumentException("weightPerSigma must be > 0, got " + weightPerSigma);
        }
        this.weightPerSigma = weightPerSigma;
        this.iterations = iterations;
    }

    @Override
    public NDArray denoise(NDArray noisy, double sigma) {
        try (TvProx prox = new TvProx(new Gradient(noisy.getShape()), iterations)) {
            return prox.apply(noisy, weightPerSigma * sigma);
        }
    }
}
