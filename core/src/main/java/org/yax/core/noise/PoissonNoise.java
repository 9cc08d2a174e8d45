package org.yax.core.noise;

import ai.djl.ndarray.NDArray;
import java.util.Locale;
import java.util.Random;

/**
 * Photon (shot) noise in image units: y = gain * Poisson(x / gain), so var(y) = gain * x. Its
 * fidelity is the Poisson negative log-likelihood F(z) = (1/gain) sum(z - y log z), which is convex.
 */
public final class PoissonNoise implements NoiseModel {
    private final double gain;

    /** @param gain image units per detected photon, > 0 (small gain = many photons = little noise) */
    public PoissonNoise(double gain) {
        if (!(gain > 0) || Double.isInfinite(gain)) {
            throw new IllegalArgumentException("gain must be a finite number > 0, got " + gain);
        }
        this.gain = gain;
    }

    public double gain() {
        return gain;
    }

    @Override
    public float[] sample(float[] clean, Random random) {
        float[] y = new float[clean.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = Float.isNaN(clean[i]) ? Float.NaN : (float) (gain * poisson(Math.max(clean[i], 0) / gain, random));
        }
        return y;
    }

    /** Knuth's method for small means, a normal approximation (continuity-corrected) for large ones. */
    static long poisson(double mean, Random random) {
        if (mean > 60) {
            return Math.max(0, Math.round(mean + Math.sqrt(mean) * random.nextGaussian()));
        }
        double limit = Math.exp(-mean);
        long k = 0;
        double p = random.nextDouble();
        while (p > limit) {
            k++;
            p *= random.nextDouble();
        }
        return k;
    }

    @Override
    public DataFidelity fidelity(NDArray y) {
        return new PoissonLikelihood(y, 1 / gain);
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "poisson(gain=%.4g)", gain);
    }
}
