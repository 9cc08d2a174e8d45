package org.yax.core.solve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yax.core.Progress;
import org.yax.core.metric.Psnr;
import org.yax.core.metric.Skimage;
import org.yax.core.metric.TestImages;
import org.yax.core.metric.TestImages.Plane;

/** Non-local means against scikit-image's denoise_nl_means(fast_mode=True) on real images. */
class NonLocalMeansTest {
    /** Largest difference allowed from scikit-image, as a fraction of the image's range (float32 output). */
    private static final double TOLERANCE_OF_RANGE = 1e-6;

    @TempDir
    Path tmp;

    private static Plane brainT1() {
        Path png = Path.of(System.getProperty("yax.sampleData", "../sample-data/data"), "archive/mri/BrainT1Slice.png");
        assertTrue(png.toFile().isFile(), "missing " + png + ": run scripts/setup.sh");
        return TestImages.grey(png.toFile());
    }

    private record Case(String name, Plane noisy, double sigma, int patchSize, int patchDistance, double hPerSigma) { }

    @Test
    void matchesScikitImageOnRealImages() {
        Plane camera = TestImages.skimageGrey("camera.png");
        List<Case> cases = List.of(
                new Case("camera, sigma 25, defaults", camera.withNoise(25, 1), 25, 5, 6, 0.8),
                new Case("BrainT1Slice, sigma 10, defaults", brainT1().withNoise(10, 2), 10, 5, 6, 0.8),
                // even patch size (raised to 7), wider search, image units of [0, 1]
                new Case("camera crop in [0,1], sigma 0.1, patch 6, distance 8, h 0.6 sigma",
                        camera.crop(100, 150, 120, 90).scaled(1 / 255.0).withNoise(0.1, 3), 0.1, 6, 8, 0.6),
                // padding beyond one reflection period
                new Case("5x7 crop, sigma 20", camera.crop(200, 200, 7, 5).withNoise(20, 4), 20, 5, 6, 0.8));
        Skimage skimage = new Skimage(tmp);
        List<Integer> differences = new ArrayList<>();
        List<Double> ranges = new ArrayList<>();
        for (Case c : cases) {
            Plane noisy = c.noisy();
            float[] ours = new NonLocalMeans(c.patchSize(), c.patchDistance(), c.hPerSigma())
                    .denoise(noisy.pixels(), noisy.height(), noisy.width(), c.sigma(), Progress.NONE);
            String in = skimage.array(noisy.pixels(), noisy.height(), noisy.width());
            String out = skimage.array(ours, noisy.height(), noisy.width());
            differences.add(skimage.expression(String.format(Locale.ROOT,
                    "np.abs(denoise_nl_means(%s, patch_size=%d, patch_distance=%d, h=%s, sigma=%s, fast_mode=True)"
                            + " - %s).max()", in, c.patchSize(), c.patchDistance(),
                    Double.toString(c.hPerSigma() * c.sigma()), Double.toString(c.sigma()), out)));
            ranges.add(range(noisy.pixels()));
        }
        double[] values = skimage.evaluate();
        for (int i = 0; i < cases.size(); i++) {
            double difference = values[differences.get(i)];
            System.out.printf(Locale.ROOT, "non-local means vs skimage, %s: max |difference| %.3g (range %.4g)%n",
                    cases.get(i).name(), difference, ranges.get(i));
            assertTrue(difference <= TOLERANCE_OF_RANGE * ranges.get(i),
                    cases.get(i).name() + ": max difference from scikit-image " + difference);
        }
    }

    @Test
    void gainsOnCameraAtSigma25() {
        Plane clean = TestImages.skimageGrey("camera.png");
        Plane noisy = clean.withNoise(25, 5);
        float[] denoised = new NonLocalMeans().denoise(noisy.pixels(), noisy.height(), noisy.width(), 25, Progress.NONE);
        double before = Psnr.psnr(clean.pixels(), noisy.pixels(), 255);
        double after = Psnr.psnr(clean.pixels(), denoised, 255);
        System.out.printf(Locale.ROOT, "non-local means, camera sigma 25: %.2f dB -> %.2f dB%n", before, after);
        assertTrue(after - before >= 7, String.format(Locale.ROOT, "gain %.2f dB < 7 dB", after - before));
    }

    @Test
    void resultDoesNotDependOnTheNumberOfThreads() throws Exception {
        Plane noisy = brainT1().withNoise(15, 6);
        NonLocalMeans nlm = new NonLocalMeans();
        float[][] results = new float[2][];
        int[] threads = {1, 3};
        for (int i = 0; i < threads.length; i++) {
            ForkJoinPool pool = new ForkJoinPool(threads[i]);
            try {
                results[i] = pool.submit(() -> nlm.denoise(noisy.pixels(), noisy.height(), noisy.width(), 15,
                        Progress.NONE)).get();
            } finally {
                pool.shutdown();
            }
        }
        assertArrayEquals(results[0], results[1]);
    }

    @Test
    void ndArrayPlanesAreDenoisedOneByOne() {
        Plane a = TestImages.skimageGrey("camera.png").crop(0, 0, 40, 30).withNoise(20, 7);
        Plane b = TestImages.skimageGrey("camera.png").crop(300, 300, 40, 30).withNoise(20, 8);
        float[] both = new float[2 * 40 * 30];
        System.arraycopy(a.pixels(), 0, both, 0, 1200);
        System.arraycopy(b.pixels(), 0, both, 1200, 1200);
        NonLocalMeans nlm = new NonLocalMeans();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray out = nlm.denoise(m.create(both, new Shape(2, 30, 40)), 20);
            assertEquals(new Shape(2, 30, 40), out.getShape());
            float[] values = out.toFloatArray();
            float[] second = new float[1200];
            System.arraycopy(values, 1200, second, 0, 1200);
            assertArrayEquals(nlm.denoise(b.pixels(), 30, 40, 20, Progress.NONE), second);
        }
    }

    @Test
    void reportsProgressAndStopsWhenCancelled() {
        // 16 bands of rows, reported as they finish (as many at once as the host pool has threads)
        Plane noisy = TestImages.skimageGrey("camera.png").crop(0, 0, 40, 512).withNoise(20, 9);
        int[] reports = {0};
        Progress cancelAfterThree = new Progress() {
            @Override public void report(double fraction, String message) { reports[0]++; }
            @Override public boolean isCancelled() { return reports[0] >= 3; }
        };
        assertThrows(Progress.CancelledException.class, () -> new NonLocalMeans()
                .denoise(noisy.pixels(), 512, 40, 20, cancelAfterThree));
        assertEquals(3, reports[0]);
    }

    @Test
    void zeroSigmaKeepsTheImageAndBadInputIsRefused() {
        float[] plane = {1, 2, 3, 4, 5, 6};
        NonLocalMeans nlm = new NonLocalMeans();
        assertArrayEquals(plane, nlm.denoise(plane, 2, 3, 0, Progress.NONE));
        assertThrows(IllegalArgumentException.class, () -> nlm.denoise(new float[] {1, Float.NaN}, 1, 2, 1, Progress.NONE));
        assertThrows(IllegalArgumentException.class, () -> nlm.denoise(plane, 2, 3, -1, Progress.NONE));
        assertThrows(IllegalArgumentException.class, () -> new NonLocalMeans(5, 0, 0.8));
        assertThrows(IllegalArgumentException.class, () -> new NonLocalMeans(5, 6, 0));
    }

    @Test
    void reflectionMatchesNumpyBeyondOnePeriod() {
        // numpy.pad(np.arange(4), 9, mode='reflect')
        int[] numpy = {3, 2, 1, 0, 1, 2, 3, 2, 1, 0, 1, 2, 3, 2, 1, 0, 1, 2, 3, 2, 1, 0};
        for (int i = 0; i < numpy.length; i++) {
            assertEquals(numpy[i], NonLocalMeans.reflect(i - 9, 4), "index " + (i - 9));
        }
        assertEquals(0, NonLocalMeans.reflect(-5, 1));
    }

    private static double range(float[] v) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (float x : v) {
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        return max - min;
    }
}
