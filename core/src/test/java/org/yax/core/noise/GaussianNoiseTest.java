package org.yax.core.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GaussianNoiseTest {
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
    }

    @Test
    void badParametersAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GaussianNoise(-1));
        assertTrue(e.getMessage().contains("sigma") && e.getMessage().contains("-1"), e.getMessage());
    }
}
