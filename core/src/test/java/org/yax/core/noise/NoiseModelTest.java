package org.yax.core.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.Random;
import java.util.function.DoubleBinaryOperator;
import org.junit.jupiter.api.Test;

class NoiseModelTest {
    private static double[] meanAndVariance(float[] clean, float[] noisy) {
        double mean = 0;
        for (int i = 0; i < noisy.length; i++) {
            mean += noisy[i];
        }
        mean /= noisy.length;
        double var = 0;
        for (float v : noisy) {
            var += (v - mean) * (v - mean);
        }
        return new double[] {mean, var / (noisy.length - 1)};
    }

    private static float[] constant(float v) {
        float[] a = new float[200_000];
        Arrays.fill(a, v);
        return a;
    }

    @Test
    void samplesHaveTheStatedMeanAndVariance() {
        float[] x = constant(40f);
        double[] g = meanAndVariance(x, new GaussianNoise(3).sample(x, new Random(1)));
        assertEquals(40, g[0], 0.05);
        assertEquals(9, g[1], 9 * 0.02);
        for (float level : new float[] {0.5f, 5f, 200f, 5000f}) {
            float[] c = constant(level);
            double[] p = meanAndVariance(c, new PoissonNoise(2).sample(c, new Random(2)));
            assertEquals(level, p[0], Math.max(0.02, level * 0.01), "Poisson mean at " + level);
            assertEquals(2 * level, p[1], 2 * level * 0.03, "Poisson variance at " + level);
        }
        double[] pg = meanAndVariance(x, new PoissonGaussianNoise(0.5, 4).sample(x, new Random(3)));
        assertEquals(40, pg[0], 0.05);
        assertEquals(0.5 * 40 + 16, pg[1], 36 * 0.03);
        float[] withNaN = {1, Float.NaN, 3};
        assertTrue(Float.isNaN(new PoissonNoise(1).sample(withNaN, new Random(4))[1]));
    }

    /**
     * Moreau's identity, prox_{sF*}(v) = v - s prox_{F/s}(v/s), with the right-hand side found by brute
     * force (F is separable, so a 1-D search per pixel).
     */
    private static void checkProxConjugate(DataFidelity f, float[] y, DoubleBinaryOperator perPixelF, double step,
                                           double lowest, NDManager m) {
        float[] v = {-3f, -0.5f, 0.2f, 1.5f, 7f};
        float[] got = f.proxConjugate(m.create(v), step).toFloatArray();
        for (int i = 0; i < v.length; i++) {
            double target = v[i] / step;
            double best = Double.NaN;
            double bestValue = Double.POSITIVE_INFINITY;
            for (double z = lowest; z < 60; z += 1e-4) {
                double value = 0.5 * (z - target) * (z - target) + perPixelF.applyAsDouble(z, y[i]) / step;
                if (value < bestValue) {
                    bestValue = value;
                    best = z;
                }
            }
            double expected = v[i] - step * best;
            assertEquals(expected, got[i], 2e-3 * Math.max(1, Math.abs(expected)), "pixel " + i);
        }
    }

    @Test
    void fidelityProximalMapsSatisfyMoreausIdentity() {
        float[] y = {0.5f, 2f, 3f, 10f, 20f};
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray ys = m.create(y);
            checkProxConjugate(new GaussianNoise(1).fidelity(ys), y, (z, yi) -> 0.5 * (z - yi) * (z - yi), 0.7, -60, m);
            double gain = 2;
            checkProxConjugate(new PoissonNoise(gain).fidelity(ys), y, (z, yi) -> (z - yi * Math.log(z)) / gain, 0.7,
                    1e-4, m);
            double sigma = 1.5;
            checkProxConjugate(new PoissonGaussianNoise(gain, sigma).fidelity(ys), y,
                    (z, yi) -> 0.5 * (z - yi) * (z - yi) * sigma * sigma / (gain * Math.max(yi, 0) + sigma * sigma),
                    0.7, -60, m);
        }
    }

    @Test
    void badParametersAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GaussianNoise(-1));
        assertTrue(e.getMessage().contains("sigma") && e.getMessage().contains("-1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PoissonNoise(0));
        assertThrows(IllegalArgumentException.class, () -> new PoissonGaussianNoise(1, Double.NaN));
    }
}
