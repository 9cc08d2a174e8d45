package org.yax.core.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.yax.core.metric.TestImages;
import org.yax.core.metric.TestImages.Plane;

/**
 * The fallback of planes without whole patches ({@link WeakTextureHaar}: tiny planes, scattered missing pixels as
 * inpainting inputs have) and the entry point's checks.
 */
class NoiseEstimatorTest {
    private static final double[] SIGMAS_OF_RANGE = {0.02, 0.05, 0.1};

    private record Case(Plane noisy, double trueSigma) {
    }

    private static double relativeError(double estimate, double truth) {
        return Math.abs(estimate - truth) / truth;
    }

    /** The plane with a seeded half of its pixels NaN, as `yax eval --task inpaint --missing 0.5` removes them. */
    private static float[] halfMissing(Plane p, long seed) {
        float[] pixels = p.pixels().clone();
        Random random = new Random(seed);
        for (int i = 0; i < pixels.length; i++) {
            if (random.nextBoolean()) {
                pixels[i] = Float.NaN;
            }
        }
        return pixels;
    }

    @Test
    void halfThePixelsMissingFallsBackToTheWeakTwoByTwoBlocksAndReadsTheNoise() {
        Plane moon = TestImages.skimageGrey("moon.png").scaled(1 / 255.0);
        Plane smooth = TestImages.smooth(300, 200);
        // a 12-bit range, so the estimate is checked in image units other than [0, 1]
        Plane moon12 = TestImages.skimageGrey("moon.png").crop(100, 50, 300, 250).scaled(16);
        long seed = 1;
        for (double s : SIGMAS_OF_RANGE) {
            for (Case c : List.of(new Case(moon.withNoise(s, seed++), s), new Case(smooth.withNoise(s, seed++), s),
                    new Case(moon12.withNoise(4095 * s, seed++), 4095 * s))) {
                Plane p = c.noisy();
                double truth = c.trueSigma();
                float[] pixels = halfMissing(p, seed++);
                for (int patch : WeakTexturePca.PATCH_SIZES) {
                    assertTrue(Double.isNaN(WeakTexturePca.estimate(pixels, p.width(), p.height(), patch,
                            WeakTexturePca.Selection.GRADIENT)), "no whole " + patch + "x" + patch + " patch");
                }
                double estimate = NoiseEstimator.estimateGaussianSigma(pixels, p.width(), p.height());
                assertEquals(WeakTextureHaar.estimate(pixels, p.width(), p.height()), estimate);
                assertTrue(relativeError(estimate, truth) < 0.10,
                        p.width() + "x" + p.height() + " sigma " + truth + ": estimate " + estimate);
            }
        }
    }

    @Test
    void aSmallPlaneWithHalfItsPixelsMissingReadsInItsOwnUnits() {
        // 97 x 130 with half its pixels missing keeps about 390 blocks: the estimate itself varies by about 7%
        // there (pure noise, scripts/noise-estimators.py's weak-haar on 20 seeds), so units are checked, not accuracy
        Plane crop = TestImages.skimageGrey("moon.png").crop(100, 50, 97, 130).withNoise(10, 4);
        float[] pixels = halfMissing(crop, 9);
        float[] twelveBit = pixels.clone();
        for (int i = 0; i < twelveBit.length; i++) {
            twelveBit[i] *= 16;
        }
        double estimate = NoiseEstimator.estimateGaussianSigma(pixels, 97, 130);
        assertEquals(16 * estimate, NoiseEstimator.estimateGaussianSigma(twelveBit, 97, 130), 1e-4 * estimate);
        assertTrue(relativeError(estimate, 10) < 0.25, "estimate " + estimate + " for sigma 10");
    }

    @Test
    void choosingBlocksByTheirGradientDoesNotBiasPureNoise() {
        // HH, LH and HL of white noise are independent, so the selection keeps HH's distribution
        Plane zero = new Plane(new float[512 * 512], 512, 512);
        for (long seed = 1; seed <= 3; seed++) {
            float[] pixels = halfMissing(zero.withNoise(0.05, seed), 10 + seed);
            double estimate = WeakTextureHaar.estimate(pixels, 512, 512);
            assertTrue(relativeError(estimate, 0.05) < 0.04, "pure noise 0.05 read as " + estimate);
        }
    }

    @Test
    void aCleanPlaneWithHalfItsPixelsMissingReadsNoInventedNoise() {
        // all blocks together (the plain Haar estimate) read moon's texture as 0.3% of the range; the weak ones not
        Plane moon = TestImages.skimageGrey("moon.png").scaled(1 / 255.0);
        float[] pixels = halfMissing(moon, 5);
        double estimate = NoiseEstimator.estimateGaussianSigma(pixels, moon.width(), moon.height());
        assertTrue(estimate < 0.005, "clean moon (range at most 1) read as " + estimate);
    }

    @Test
    void leavesOutBlocksTouchingNaNPixelsAndMostBlocksOfGarbage() {
        int w = 300;
        int h = 250;
        Plane moon = TestImages.skimageGrey("moon.png").crop(60, 40, w, h).scaled(1 / 255.0);
        float[] pixels = halfMissing(moon.withNoise(0.05, 42), 7);
        double estimate = WeakTextureHaar.estimate(pixels, w, h);
        assertTrue(relativeError(estimate, 0.05) < 0.10, "estimate with missing pixels " + estimate);
        // the same pixels filled with garbage instead of marked missing: the blocks it reaches have large gradients,
        // so the selection leaves most of them out too
        float[] garbage = pixels.clone();
        Random random = new Random(3);
        for (int i = 0; i < garbage.length; i++) {
            if (Float.isNaN(garbage[i])) {
                garbage[i] = (float) (1000 * random.nextGaussian());
            }
        }
        double unmasked = WeakTextureHaar.estimate(garbage, w, h);
        assertTrue(relativeError(unmasked, 0.05) < 0.10, "garbage not marked missing read as " + unmasked);
        float[] complete = moon.withNoise(0.05, 42).pixels();
        assertTrue(WeakTextureHaar.estimate(complete, w, h) != estimate, "the NaN pixels changed which blocks count");
    }

    @Test
    void constantPlaneHasNoNoise() {
        float[] flat = new float[20 * 17];
        Arrays.fill(flat, 0.5f);
        assertEquals(0.0, WeakTextureHaar.estimate(flat, 20, 17), "a tiny constant plane");
        float[] larger = new float[64 * 48];
        Arrays.fill(larger, 0.25f);
        assertEquals(0.0, NoiseEstimator.estimateGaussianSigma(larger, 64, 48), "patch estimate of a constant plane");
    }

    @Test
    void scalesWithTheData() {
        Plane noisy = TestImages.smooth(64, 80).withNoise(0.03, 7);
        double base = NoiseEstimator.estimateGaussianSigma(noisy.pixels(), 64, 80);
        double scaled = NoiseEstimator.estimateGaussianSigma(noisy.scaled(1000).pixels(), 64, 80);
        assertEquals(1000 * base, scaled, 1e-3 * scaled);
    }

    @Test
    void rejectsInvalidArgumentsNamingThem() {
        IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
                () -> NoiseEstimator.estimateGaussianSigma(new float[100], 10, 11));
        assertTrue(length.getMessage().contains("width*height") && length.getMessage().contains("110")
                && length.getMessage().contains("100"), length.getMessage());
        IllegalArgumentException width = assertThrows(IllegalArgumentException.class,
                () -> NoiseEstimator.estimateGaussianSigma(new float[0], 0, 5));
        assertTrue(width.getMessage().contains("width=0"), width.getMessage());
        float[] missing = new float[6 * 5];
        Arrays.fill(missing, Float.NaN);
        IllegalArgumentException allMissing = assertThrows(IllegalArgumentException.class,
                () -> NoiseEstimator.estimateGaussianSigma(missing, 6, 5));
        assertTrue(allMissing.getMessage().contains("no 2x2 block free of NaN"), allMissing.getMessage());
    }
}
