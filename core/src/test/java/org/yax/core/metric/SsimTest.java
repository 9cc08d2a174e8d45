package org.yax.core.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yax.core.Image;
import org.yax.core.metric.TestImages.Plane;

class SsimTest {
    /** The brief's requirement, used against skimage on float32 data (skimage then filters in float32). */
    private static final double TOLERANCE = 1e-3;
    /** Against skimage on float64 data only rounding may differ. */
    private static final double SAME_ARITHMETIC = 1e-9;
    private static final String OPTIONS =
            "gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=";

    @TempDir
    Path tmp;

    private record Case(String label, Plane reference, Plane test, double dataRange) {
    }

    @Test
    void matchesSkimageOnRealImagesNoiseLevelsRangesAndSizes() {
        Plane camera = TestImages.skimageGrey("camera.png");
        Plane moon = TestImages.skimageGrey("moon.png");
        Plane unit = camera.scaled(1 / 255.0);
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("camera sigma 2", camera, camera.withNoise(2, 1), 255));
        cases.add(new Case("camera sigma 25", camera, camera.withNoise(25, 2), 255));
        cases.add(new Case("camera vs moon", camera, moon, 255));
        cases.add(new Case("camera [0,1] sigma 0.05", unit, unit.withNoise(0.05, 3), 1));
        cases.add(new Case("camera [0,1] sigma 0.1 range 2", unit, unit.withNoise(0.1, 4), 2));
        Plane tall = moon.crop(200, 100, 97, 130);
        cases.add(new Case("moon 97x130 12-bit", tall.scaled(16), tall.scaled(16).withNoise(120, 5), 4095));
        Plane wide = camera.crop(100, 300, 130, 97);
        cases.add(new Case("camera 130x97", wide, wide.withNoise(12, 6), 255));
        Plane small = camera.crop(300, 200, 12, 15);
        cases.add(new Case("camera 12x15", small, small.withNoise(20, 7), 255));
        Plane minimal = camera.crop(0, 0, 11, 11);
        cases.add(new Case("camera 11x11", minimal, minimal.withNoise(20, 8), 255));
        Plane hu = TestImages.smooth(64, 48).scaled(4000);
        cases.add(new Case("smooth HU-like with offset", shift(hu, -1000), shift(hu.withNoise(60, 9), -1000), 4000));

        Skimage skimage = new Skimage(tmp);
        double[] ours = new double[cases.size()];
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            ours[i] = Ssim.ssim(c.reference().pixels(), c.test().pixels(), c.reference().width(),
                    c.reference().height(), c.dataRange());
            String a = skimage.array(c.reference().pixels(), c.reference().height(), c.reference().width());
            String b = skimage.array(c.test().pixels(), c.test().height(), c.test().width());
            skimage.expression("ssim(" + a + ".astype(np.float64), " + b + ".astype(np.float64), " + OPTIONS
                    + c.dataRange() + ")");
        }
        // skimage keeps float32 input in float32; that must agree as well
        int float32 = skimage.expression("ssim(a0, a1, " + OPTIONS + "255.0)");
        double[] expected = skimage.evaluate();
        for (int i = 0; i < cases.size(); i++) {
            assertEquals(expected[i], ours[i], SAME_ARITHMETIC, cases.get(i).label());
        }
        assertEquals(expected[float32], ours[0], TOLERANCE, "float32 skimage");
        // the cases really span the scale: light noise is near 1, unrelated images are far below
        assertTrue(ours[0] > 0.9 && ours[2] < 0.5, "camera sigma 2: " + ours[0] + ", camera vs moon: " + ours[2]);
    }

    @Test
    void imageOverloadAveragesPlanesLikeSkimageChannelAxis() {
        Plane camera = TestImages.skimageGrey("camera.png");
        int w = 97;
        int h = 130;
        float[] ref = new float[2 * h * w];
        float[] test = new float[ref.length];
        for (int p = 0; p < 2; p++) {
            Plane plane = camera.crop(150 * p, 50, w, h);
            System.arraycopy(plane.pixels(), 0, ref, p * h * w, h * w);
            System.arraycopy(plane.withNoise(5 + 30 * p, 20 + p).pixels(), 0, test, p * h * w, h * w);
        }
        Skimage skimage = new Skimage(tmp);
        String a = skimage.array(ref, 2, h, w);
        String b = skimage.array(test, 2, h, w);
        skimage.expression("ssim(" + a + ".astype(np.float64), " + b + ".astype(np.float64), channel_axis=0, "
                + OPTIONS + "255)");
        double expected = skimage.evaluate()[0];
        // two channels of one slice each, and the same planes laid out as one channel of two slices
        assertEquals(expected, Ssim.ssim(new Image(ref, 2, 1, h, w, null), new Image(test, 2, 1, h, w, null), 255),
                SAME_ARITHMETIC);
        assertEquals(expected, Ssim.ssim(new Image(ref, 1, 2, h, w, null), new Image(test, 1, 2, h, w, null), 255),
                SAME_ARITHMETIC);
    }

    @Test
    void identicalPlanesScoreOne() {
        Plane camera = TestImages.skimageGrey("camera.png").crop(10, 10, 40, 30);
        assertEquals(1.0, Ssim.ssim(camera.pixels(), camera.pixels().clone(), 40, 30, 255), 1e-12);
    }

    @Test
    void refusesNaNNamingThePixel() {
        Plane camera = TestImages.skimageGrey("camera.png").crop(0, 0, 20, 16);
        float[] test = camera.pixels().clone();
        test[3 * 20 + 7] = Float.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Ssim.ssim(camera.pixels(), test, 20, 16, 255));
        assertTrue(e.getMessage().contains("test") && e.getMessage().contains("NaN")
                && e.getMessage().contains("y=3") && e.getMessage().contains("x=7"), e.getMessage());
    }

    @Test
    void rejectsInvalidArgumentsNamingThem() {
        float[] a = new float[12 * 15];
        IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
                () -> Ssim.ssim(a, new float[12 * 15], 15, 13, 1));
        assertTrue(length.getMessage().contains("width*height") && length.getMessage().contains("195"),
                length.getMessage());
        IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class,
                () -> Ssim.ssim(a, new float[12 * 15 + 1], 12, 15, 1));
        assertTrue(mismatch.getMessage().startsWith("test has 181"), mismatch.getMessage());
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> Ssim.ssim(a, a, 12, 15, 0));
        assertTrue(range.getMessage().contains("dataRange") && range.getMessage().contains("0.0"),
                range.getMessage());
        IllegalArgumentException tooSmall = assertThrows(IllegalArgumentException.class,
                () -> Ssim.ssim(new float[10 * 20], new float[10 * 20], 10, 20, 1));
        assertTrue(tooSmall.getMessage().contains("width=10") && tooSmall.getMessage().contains("11"),
                tooSmall.getMessage());
    }

    @Test
    void gaussianFilterPreservesConstantsAndIsSymmetricAtReflectedBorders() {
        double[] constant = new double[13 * 11];
        java.util.Arrays.fill(constant, 3.25);
        for (double v : Ssim.gaussianFilter(constant, 13, 11)) {
            assertEquals(3.25, v, 1e-12);
        }
        // a mirrored input must give a mirrored output under 'reflect' borders
        Random random = new Random(11);
        int w = 12;
        int h = 11;
        double[] in = new double[w * h];
        double[] mirrored = new double[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                in[y * w + x] = random.nextDouble();
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                mirrored[y * w + x] = in[y * w + (w - 1 - x)];
            }
        }
        double[] out = Ssim.gaussianFilter(in, w, h);
        double[] outMirrored = Ssim.gaussianFilter(mirrored, w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                assertEquals(out[y * w + x], outMirrored[y * w + (w - 1 - x)], 1e-12);
            }
        }
    }

    @Test
    void gaussianFilterMatchesScipyReflectOnASmallPlane() {
        Plane small = TestImages.skimageGrey("camera.png").crop(200, 200, 12, 15);
        double[] in = new double[small.pixels().length];
        for (int i = 0; i < in.length; i++) {
            in[i] = small.pixels()[i];
        }
        double[] out = Ssim.gaussianFilter(in, 12, 15);
        float[] outFloat = new float[out.length];
        for (int i = 0; i < out.length; i++) {
            outFloat[i] = (float) out[i];
        }
        Skimage scipy = new Skimage(tmp);
        String a = scipy.array(small.pixels(), 15, 12);
        String b = scipy.array(outFloat, 15, 12);
        scipy.expression("np.abs(ndi.gaussian_filter(" + a + ".astype(np.float64), 1.5, truncate=3.5, mode='reflect')"
                + " - " + b + ").max()");
        assertTrue(scipy.evaluate()[0] < 1e-4, "largest difference from scipy.ndimage.gaussian_filter");
    }

    private static Plane shift(Plane plane, float offset) {
        float[] out = plane.pixels().clone();
        for (int i = 0; i < out.length; i++) {
            out[i] += offset;
        }
        return new Plane(out, plane.width(), plane.height());
    }
}
