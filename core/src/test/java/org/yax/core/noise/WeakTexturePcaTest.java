package org.yax.core.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The selection's moments, kept as the selection grows and shrinks, equal those summed afresh; the smoothed
 * selection's thresholds are noise's 99% quantiles.
 */
class WeakTexturePcaTest {
    @Test
    void smoothedEnergyThresholdsAreNoisesNinetyNinthPercentile() {
        int width = 400;
        int height = 400;
        Random random = new Random(11);
        float[] plane = new float[width * height];
        for (int i = 0; i < plane.length; i++) {
            plane[i] = (float) random.nextGaussian();
        }
        for (int patch : WeakTexturePca.PATCH_SIZES) {
            WeakTexturePca pca = new WeakTexturePca(patch, WeakTexturePca.Selection.GRADIENT_AND_SMOOTHED);
            double[] averages = new double[(patch - 1) * (patch - 1)];
            int below = 0;
            int n = 0;
            for (int y = 0; y + patch <= height; y += 2) {
                for (int x = 0; x + patch <= width; x += 2) {
                    below += pca.smoothedGradientEnergy(plane, width, y * width + x, averages)
                            < pca.smoothedEnergyQuantile() ? 1 : 0;
                    n++;
                }
            }
            // 39 601 patches: the binomial spread of the fraction is 0.0005
            assertEquals(0.99, (double) below / n, 0.002, patch + "x" + patch);
        }
    }

    @Test
    void movingTheCountGivesTheSameCovarianceAsSummingAfresh() {
        int width = 40;
        int height = 30;
        Random random = new Random(3);
        float[] plane = new float[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                // structure plus noise, so the small eigenvalues (the ones the rule reads) are not trivial
                plane[y * width + x] = (float) (0.5 + 0.3 * Math.sin(x / 4.0) * Math.cos(y / 7.0)
                        + 0.02 * random.nextGaussian());
            }
        }
        for (int patch : WeakTexturePca.PATCH_SIZES) {
            WeakTexturePca pca = new WeakTexturePca(patch, WeakTexturePca.Selection.GRADIENT);
            int[] origins = new int[(height - patch + 1) * (width - patch + 1)];
            int n = 0;
            for (int y = 0; y + patch <= height; y++) {
                for (int x = 0; x + patch <= width; x++) {
                    origins[n++] = y * width + x;
                }
            }
            WeakTexturePca.Moments moving = pca.new Moments(plane, width, 0.5);
            // all, then fewer (taken away), more (added), far fewer (summed afresh), and the same again
            for (int count : new int[] {n, n * 3 / 4, n * 7 / 8, n / 5, n / 5, n / 2}) {
                moving.cover(origins, count);
                WeakTexturePca.Moments fresh = pca.new Moments(plane, width, 0.5);
                fresh.cover(origins, count);
                double expected = fresh.noiseVariance();
                assertEquals(expected, moving.noiseVariance(), 1e-9 * expected, patch + "x" + patch + ", " + count);
            }
        }
    }
}
