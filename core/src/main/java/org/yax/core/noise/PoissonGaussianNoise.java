package org.yax.core.noise;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import java.util.Locale;
import java.util.Random;

/**
 * Shot noise plus read-out noise: y = gain * Poisson(x / gain) + N(0, sigma^2), var(y) = gain * x + sigma^2.
 * Its fidelity is the standard weighted least-squares approximation with the variance estimated from
 * the data: F(z) = 1/2 sum (z - y)^2 / (gain * max(y, 0) + sigma^2) * sigma^2 (normalised so that it
 * equals the Gaussian term where shot noise vanishes).
 */
public final class PoissonGaussianNoise implements NoiseModel {
    private final double gain;
    private final double sigma;

    public PoissonGaussianNoise(double gain, double sigma) {
        if (!(gain > 0) || Double.isInfinite(gain)) {
            throw new IllegalArgumentException("gain must be a finite number > 0, got " + gain);
        }
        if (!(sigma > 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("sigma must be a finite number > 0, got " + sigma);
        }
        this.gain = gain;
        this.sigma = sigma;
    }

    @Override
    public float[] sample(float[] clean, Random random) {
        float[] y = new float[clean.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = Float.isNaN(clean[i]) ? Float.NaN
                    : (float) (gain * PoissonNoise.poisson(Math.max(clean[i], 0) / gain, random)
                    + sigma * random.nextGaussian());
        }
        return y;
    }

    @Override
    public DataFidelity fidelity(NDArray y) {
        NDArray variance = y.maximum(0f).mul(gain).add(sigma * sigma);
        NDArray weights = NDArrays.div((float) (sigma * sigma), variance);
        variance.close();
        return new WeightedLeastSquares(y, weights);
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "poisson-gaussian(gain=%.4g, sigma=%.4g)", gain, sigma);
    }
}
