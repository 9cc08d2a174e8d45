package org.yax.core.noise;

import java.util.Random;

/** Additive white Gaussian noise of standard deviation sigma: the e of simulated measurements (eval, training). */
public final class GaussianNoise {
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

    /** A noisy measurement of {@code clean} (image units; NaN stays NaN), reproducible from {@code random}. */
    public float[] sample(float[] clean, Random random) {
        float[] y = new float[clean.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) (clean[i] + sigma * random.nextGaussian());
        }
        return y;
    }
}
