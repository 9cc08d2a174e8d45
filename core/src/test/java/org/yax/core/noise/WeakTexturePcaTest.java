package org.yax.core.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The selection's moments, kept as the selection grows and shrinks, equal those summed afresh. */
class WeakTexturePcaTest {
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
            WeakTexturePca pca = new WeakTexturePca(patch);
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
