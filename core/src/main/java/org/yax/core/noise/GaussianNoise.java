package org.yax.core.noise;

import ai.djl.ndarray.NDArray;
import java.util.Locale;
import java.util.Random;

/** Additive white Gaussian noise of standard deviation sigma; F(z) = 1/2 ||z - y||^2 (sigma folded into the prior weight). */
public final class GaussianNoise implements NoiseModel {
    private final double sigma;

    public GaussianNoise(double sigma) {
        if (!(sigma >= 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("sigma must be a finite number >= 0, got " + sigma);
        }
        this.sigma = sigma;
    }

    public double sigma() {
        return sigma;
    }

    @Override
    public float[] sample(float[] clean, Random random) {
        float[] y = new float[clean.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) (clean[i] + sigma * random.nextGaussian());
        }
        return y;
    }

    @Override
    public DataFidelity fidelity(NDArray y) {
        return DataFidelity.leastSquares(y);
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "gaussian(sigma=%.4g)", sigma);
    }
}
