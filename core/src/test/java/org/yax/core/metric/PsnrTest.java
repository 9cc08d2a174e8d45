package org.yax.core.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yax.core.Image;
import org.yax.core.metric.TestImages.Plane;

class PsnrTest {
    /** Tighter than the 1e-3 dB required: only float32 rounding of skimage's squared differences may differ. */
    private static final double DB_TOLERANCE = 1e-6;

    @TempDir
    Path tmp;

    @Test
    void matchesSkimageOnRealImagesAcrossRangesAndSizes() {
        Plane camera = TestImages.skimageGrey("camera.png");
        Plane moon = TestImages.skimageGrey("moon.png");
        List<Plane[]> pairs = new ArrayList<>();
        List<Double> ranges = new ArrayList<>();
        pairs.add(new Plane[] {camera, camera.withNoise(5.1, 1)});
        ranges.add(255.0);
        pairs.add(new Plane[] {camera.scaled(1 / 255.0), camera.scaled(1 / 255.0).withNoise(0.05, 2)});
        ranges.add(1.0);
        Plane moonCrop = moon.crop(31, 200, 97, 130);
        pairs.add(new Plane[] {moonCrop.scaled(16), moonCrop.scaled(16).withNoise(40, 3)});
        ranges.add(4095.0);
        Plane small = camera.crop(250, 100, 12, 15);
        pairs.add(new Plane[] {small, small.withNoise(25, 4)});
        ranges.add(255.0);

        Skimage skimage = new Skimage(tmp);
        double[] ours = new double[pairs.size()];
        for (int i = 0; i < pairs.size(); i++) {
            Plane ref = pairs.get(i)[0];
            Plane test = pairs.get(i)[1];
            ours[i] = Psnr.psnr(ref.pixels(), test.pixels(), ranges.get(i));
            String a = skimage.array(ref.pixels(), ref.height(), ref.width());
            String b = skimage.array(test.pixels(), test.height(), test.width());
            skimage.expression("psnr(" + a + ", " + b + ", data_range=" + ranges.get(i) + ")");
        }
        double[] expected = skimage.evaluate();
        for (int i = 0; i < ours.length; i++) {
            assertEquals(expected[i], ours[i], DB_TOLERANCE, "case " + i);
        }
        // the noise levels above were chosen so the cases are not trivially alike
        assertTrue(Math.abs(ours[0] - ours[1]) > 1, Arrays.toString(ours));
    }

    @Test
    void skipsPixelsThatAreNaNInEitherImageLikeSkimageOnTheValidPixels() {
        Plane camera = TestImages.skimageGrey("camera.png").crop(100, 80, 97, 130);
        float[] ref = camera.pixels().clone();
        float[] test = camera.withNoise(9, 5).pixels();
        for (int y = 10; y < 40; y++) {
            for (int x = 20; x < 60; x++) {
                ref[y * 97 + x] = Float.NaN;
            }
        }
        for (int i = 0; i < test.length; i += 7) {
            test[i] = Float.NaN;
        }
        Skimage skimage = new Skimage(tmp);
        String a = skimage.array(ref, 130, 97);
        String b = skimage.array(test, 130, 97);
        String valid = "~(np.isnan(" + a + ") | np.isnan(" + b + "))";
        skimage.expression("psnr(" + a + "[" + valid + "], " + b + "[" + valid + "], data_range=255)");
        double expected = skimage.evaluate()[0];

        assertEquals(expected, Psnr.psnr(ref, test, 255), DB_TOLERANCE);
    }

    @Test
    void knownValuesByHand() {
        float[] zeros = new float[10];
        float[] tenth = new float[10];
        Arrays.fill(tenth, 0.1f);
        // MSE = 0.01 with range 1 -> 10 log10(100) = 20 dB
        assertEquals(20.0, Psnr.psnr(zeros, tenth, 1.0), 1e-5);
        // doubling the range adds 20 log10(2) dB
        assertEquals(20.0 + 20 * Math.log10(2), Psnr.psnr(zeros, tenth, 2.0), 1e-5);
    }

    @Test
    void identicalImagesGiveInfinityEvenWithMissingPixels() {
        float[] a = TestImages.skimageGrey("camera.png").crop(0, 0, 20, 20).pixels();
        assertEquals(Double.POSITIVE_INFINITY, Psnr.psnr(a, a.clone(), 255));
        float[] b = a.clone();
        b[3] = Float.NaN;
        b[5] = 1e6f; // differs from a only where a is missing
        float[] aMissing = a.clone();
        aMissing[5] = Float.NaN;
        assertEquals(Double.POSITIVE_INFINITY, Psnr.psnr(aMissing, b, 255));
    }

    @Test
    void imageOverloadPoolsAllPlanesLikeSkimageOnTheWholeArray() {
        Plane camera = TestImages.skimageGrey("camera.png");
        int w = 97;
        int h = 130;
        float[] ref = new float[3 * h * w];
        float[] test = new float[ref.length];
        for (int p = 0; p < 3; p++) {
            Plane plane = camera.crop(40 * p, 60 * p, w, h);
            System.arraycopy(plane.pixels(), 0, ref, p * h * w, h * w);
            // a different noise level per plane, so a mean of per-plane PSNRs would differ
            System.arraycopy(plane.withNoise(3 + 10 * p, 10 + p).pixels(), 0, test, p * h * w, h * w);
        }
        Image reference = new Image(ref, 3, 1, h, w, null);
        Image noisy = new Image(test, 3, 1, h, w, null);
        Skimage skimage = new Skimage(tmp);
        String a = skimage.array(ref, 3, h, w);
        String b = skimage.array(test, 3, h, w);
        skimage.expression("psnr(" + a + ", " + b + ", data_range=255)");
        assertEquals(skimage.evaluate()[0], Psnr.psnr(reference, noisy, 255), DB_TOLERANCE);
    }

    @Test
    void rejectsInvalidArgumentsNamingThem() {
        float[] a = new float[12];
        IllegalArgumentException sizes = assertThrows(IllegalArgumentException.class,
                () -> Psnr.psnr(a, new float[11], 1));
        assertTrue(sizes.getMessage().contains("11") && sizes.getMessage().contains("12"), sizes.getMessage());
        for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Psnr.psnr(a, new float[12], bad));
            assertTrue(e.getMessage().contains("dataRange") && e.getMessage().contains(String.valueOf(bad)),
                    e.getMessage());
        }
        float[] allMissing = new float[12];
        Arrays.fill(allMissing, Float.NaN);
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> Psnr.psnr(a, allMissing, 1));
        assertTrue(none.getMessage().contains("NaN"), none.getMessage());
        Image one = new Image(new float[12], 1, 1, 3, 4, null);
        Image other = new Image(new float[12], 1, 1, 4, 3, null);
        assertThrows(IllegalArgumentException.class, () -> Psnr.psnr(one, other, 1));
    }
}
