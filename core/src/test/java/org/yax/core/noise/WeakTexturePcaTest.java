package org.yax.core.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The selection's moments, kept as the selection grows and shrinks, equal those summed afresh; the smoothed
 * selection's thresholds are noise's 99% quantiles, Liu et al.'s gradient thresholds its 97.6-97.7% ones.
 */
class WeakTexturePcaTest {
    @Test
    void thresholdsAreTheQuantilesOfNoiseTheDocsName() {
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
            int smoothedBelow = 0;
            int gradientBelow = 0;
            int n = 0;
            for (int y = 0; y + patch <= height; y += 2) {
                for (int x = 0; x + patch <= width; x += 2) {
                    int o = y * width + x;
                    smoothedBelow += pca.smoothedGradientEnergy(plane, width, o, averages)
                            < pca.smoothedEnergyQuantile() ? 1 : 0;
                    gradientBelow += pca.gradientEnergy(plane, width, o) < pca.gradientEnergyQuantile() ? 1 : 0;
                    n++;
                }
            }
            // 39 601 patches: the binomial spread of the fraction is 0.0005 (0.0008 at 0.977)
            assertEquals(0.99, (double) smoothedBelow / n, 0.002, patch + "x" + patch + " smoothed");
            // Liu et al.'s gamma approximation has a lighter tail than noise: its 99% point is noise's 97.6-97.7%
            assertEquals(0.9765, (double) gradientBelow / n, 0.003, patch + "x" + patch + " gradient");
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
