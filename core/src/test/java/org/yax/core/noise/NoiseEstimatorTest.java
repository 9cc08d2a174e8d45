package org.yax.core.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yax.core.metric.Skimage;
import org.yax.core.metric.TestImages;
import org.yax.core.metric.TestImages.Plane;

/** The wavelet estimate (skimage's definition; {@link NoiseEstimator}'s fallback for small planes) and the entry point's checks. */
class NoiseEstimatorTest {
    private static final double[] SIGMAS_OF_RANGE = {0.02, 0.05, 0.1};
    /** The definition is skimage's, so on float64 data only rounding may differ. */
    private static final double SAME_DEFINITION = 1e-9;

    @TempDir
    Path tmp;

    private record Case(String label, Plane noisy, double trueSigma) {
    }

    private static double relativeError(double estimate, double truth) {
        return Math.abs(estimate - truth) / truth;
    }

    @Test
    void recoversKnownSigmaWithinTenPercentAndAgreesWithSkimage() {
        List<Case> accurate = new ArrayList<>();
        List<Case> all = new ArrayList<>();
        Plane moon = TestImages.skimageGrey("moon.png").scaled(1 / 255.0);
        Plane brick = TestImages.skimageGrey("brick.png").scaled(1 / 255.0);
        Plane camera = TestImages.skimageGrey("camera.png").scaled(1 / 255.0);
        Plane smooth = TestImages.smooth(300, 200);
        // a 12-bit range, so the estimate is checked in image units other than [0, 1]
        Plane moon12 = TestImages.skimageGrey("moon.png").crop(100, 50, 97, 130).scaled(16);
        long seed = 1;
        for (double s : SIGMAS_OF_RANGE) {
            accurate.add(new Case("moon " + s, moon.withNoise(s, seed++), s));
            accurate.add(new Case("brick " + s, brick.withNoise(s, seed++), s));
            accurate.add(new Case("smooth " + s, smooth.withNoise(s, seed++), s));
            accurate.add(new Case("moon 97x130 12-bit " + s, moon12.withNoise(4095 * s, seed++), 4095 * s));
        }
        accurate.add(new Case("camera 0.05", camera.withNoise(0.05, seed++), 0.05));
        accurate.add(new Case("camera 0.1", camera.withNoise(0.1, seed++), 0.1));
        all.addAll(accurate);
        Case textured = new Case("camera 0.02", camera.withNoise(0.02, seed++), 0.02);
        all.add(textured);
        all.add(new Case("camera 12x15 0.1", camera.crop(200, 300, 12, 15).withNoise(0.1, seed++), 0.1));

        Skimage skimage = new Skimage(tmp);
        double[] ours = new double[all.size()];
        for (int i = 0; i < all.size(); i++) {
            Plane p = all.get(i).noisy();
            ours[i] = WaveletNoise.estimate(p.pixels(), p.width(), p.height());
            String a = skimage.array(p.pixels(), p.height(), p.width());
            skimage.expression("estimate_sigma(" + a + ")");
            skimage.expression("estimate_sigma(" + a + ".astype(np.float64))");
        }
        double[] expected = skimage.evaluate();
        for (int i = 0; i < all.size(); i++) {
            String label = all.get(i).label();
            assertTrue(relativeError(ours[i], expected[2 * i]) < 0.02,
                    label + ": ours " + ours[i] + ", skimage on float32 " + expected[2 * i]);
            assertEquals(expected[2 * i + 1], ours[i], SAME_DEFINITION * expected[2 * i + 1],
                    label + " vs skimage on float64");
        }
        for (int i = 0; i < accurate.size(); i++) {
            Case c = accurate.get(i);
            assertTrue(relativeError(ours[i], c.trueSigma()) < 0.10,
                    c.label() + ": estimate " + ours[i] + " for true sigma " + c.trueSigma());
        }
        // camera's fine texture is comparable to sigma 0.02 and inflates the estimate (skimage's too, see above)
        double texturedEstimate = ours[all.indexOf(textured)];
        assertTrue(texturedEstimate > 0.02 && texturedEstimate < 0.02 * 1.4,
                "camera 0.02 estimate " + texturedEstimate);
    }

    @Test
    void leavesOutCoefficientsTouchingNaNPixels() {
        int w = 300;
        int h = 250;
        Plane moon = TestImages.skimageGrey("moon.png").crop(60, 40, w, h).scaled(1 / 255.0);
        float[] pixels = moon.withNoise(0.05, 42).pixels();
        // a missing block plus scattered missing pixels, as a raster's nodata might be
        for (int y = 40; y < 120; y++) {
            for (int x = 50; x < 200; x++) {
                pixels[y * w + x] = Float.NaN;
            }
        }
        for (int i = 5; i < pixels.length; i += 211) {
            pixels[i] = Float.NaN;
        }
        double estimate = WaveletNoise.estimate(pixels, w, h);
        assertTrue(relativeError(estimate, 0.05) < 0.10, "estimate with missing pixels " + estimate);

        // skimage's definition applied to the coefficients that are finite
        Skimage skimage = new Skimage(tmp);
        String a = skimage.array(pixels, h, w);
        skimage.expression("(lambda d: np.median(np.abs(d[np.isfinite(d) & (d != 0)])) / 0.6744897501960817)"
                + "(pywt.dwtn(" + a + ".astype(np.float64), 'db2')['dd'])");
        assertEquals(skimage.evaluate()[0], estimate, SAME_DEFINITION * estimate);

        // the same pixels filled with garbage instead of marked missing do reach the estimate
        float[] garbage = pixels.clone();
        Random random = new Random(3);
        for (int i = 0; i < garbage.length; i++) {
            if (Float.isNaN(garbage[i])) {
                garbage[i] = (float) (1000 * random.nextGaussian());
            }
        }
        double unmasked = WaveletNoise.estimate(garbage, w, h);
        assertTrue(unmasked > 1.2 * estimate, "garbage not marked missing should inflate the estimate "
                + estimate + ", got " + unmasked);
    }

    @Test
    void constantPlaneHasNoNoise() {
        float[] flat = new float[20 * 17];
        Arrays.fill(flat, 0.5f);
        // rounding leaves coefficients of about 1e-17 of the value, which skimage keeps as well
        assertTrue(WaveletNoise.estimate(flat, 20, 17) < 1e-15);
        Arrays.fill(flat, 0f);
        assertEquals(0.0, WaveletNoise.estimate(flat, 20, 17), "all coefficients exactly zero");
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
        assertTrue(allMissing.getMessage().contains("NaN"), allMissing.getMessage());
    }
}
