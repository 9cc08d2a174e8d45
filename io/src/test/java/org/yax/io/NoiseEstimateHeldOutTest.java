package org.yax.io;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yax.core.Image;
import org.yax.core.noise.NoiseEstimator;

/**
 * The promise of {@code --sigma auto} (issue #18 point 3, docs/MODELS.md "Noise estimate") on the 12 held-out
 * images, read by yax's own readers (PNG and the Landsat crops through GDAL, CT through the DICOM reader), each as
 * grey (luminance of colour), scaled to [0, 1] by its range, at full resolution and area-downsampled by 2 (what a
 * super-resolution input looks like): clean, the estimate stays below 0.5% of the range; with Gaussian noise of 5,
 * 15, 25 and 50/255 it lands within 10% of the truth. The Landsat crops are the held-out ones of
 * scripts/eval-models.sh: bands 1-3, rows 0-175 of L7_ETMs.tif.
 *
 * <p>The targets are not met everywhere yet (issue #18 point 3 stays open): {@link #KNOWN_MISSES} lists each miss as
 * measured, with a bound a little above it, so a new miss or a known one getting worse fails while the suite stays
 * usable. BrainT1Slice and clock_motion are not clean (magnitude noise of 1.8-1.9% of the range in the MR slice's air
 * corners, white sensor noise of 0.64-0.67% in the photograph's background; docs/MODELS.md), the others are texture
 * read as noise.
 */
class NoiseEstimateHeldOutTest {
    private static final double[] SIGMAS = {5 / 255.0, 15 / 255.0, 25 / 255.0, 50 / 255.0};
    private static final double CLEAN_LIMIT = 0.005;
    private static final double RELATIVE_ERROR_LIMIT = 0.10;

    /** Misses measured on 2026-12-06 (docs/MODELS.md), each with the most it may read: clean in % of the range, noisy as relative error in %. */
    private static final java.util.Map<String, Double> KNOWN_MISSES = java.util.Map.ofEntries(
            java.util.Map.entry("BrainT1Slice.png clean", 1.30),
            java.util.Map.entry("BrainT1Slice.png 5/255", 25.0),
            java.util.Map.entry("BrainT1Slice.png /2 clean", 0.75),
            java.util.Map.entry("clock_motion.png clean", 0.65),
            java.util.Map.entry("microaneurysms.png clean", 0.65),
            java.util.Map.entry("microaneurysms.png /2 clean", 1.25),
            java.util.Map.entry("microaneurysms.png /2 15/255", 15.0),
            java.util.Map.entry("L7_ETMs band 1 north /2 clean", 0.60),
            java.util.Map.entry("L7_ETMs band 2 north /2 clean", 0.55),
            java.util.Map.entry("L7_ETMs band 3 north /2 5/255", 11.5),
            java.util.Map.entry("L7_ETMs band 3 north /2 15/255", 12.5));

    private record Plane(String label, float[] pixels, int width, int height) { }

    @Test
    void doesNotInventNoiseAndFindsAddedNoise() throws IOException {
        List<String> failures = new ArrayList<>();
        List<String> known = new ArrayList<>();
        StringBuilder table = new StringBuilder();
        for (Plane p : planes()) {
            double clean = NoiseEstimator.estimateGaussianSigma(p.pixels(), p.width(), p.height());
            table.append(String.format(Locale.ROOT, "%-32s clean %.3f%%", p.label(), 100 * clean));
            miss(p.label() + " clean", 100 * clean, 100 * CLEAN_LIMIT, failures, known);
            Random random = new Random(7);
            float[] noise = new float[p.pixels().length];
            for (int i = 0; i < noise.length; i++) {
                noise[i] = (float) random.nextGaussian();
            }
            for (double s : SIGMAS) {
                float[] noisy = new float[noise.length];
                for (int i = 0; i < noisy.length; i++) {
                    noisy[i] = (float) (p.pixels()[i] + s * noise[i]);
                }
                double error = NoiseEstimator.estimateGaussianSigma(noisy, p.width(), p.height()) / s - 1;
                table.append(String.format(Locale.ROOT, "  %2.0f/255 %+5.1f%%", s * 255, 100 * error));
                miss(String.format(Locale.ROOT, "%s %.0f/255", p.label(), s * 255), 100 * Math.abs(error),
                        100 * RELATIVE_ERROR_LIMIT, failures, known);
            }
            table.append('\n');
        }
        System.out.print(table);
        System.out.println(known.size() + " known misses of the targets (issue #18 point 3): " + String.join("; ", known));
        assertTrue(failures.isEmpty(), failures.size() + " misses: " + String.join("; ", failures) + "\n" + table);
    }

    /** A value (%) against its target: a miss not known, or worse than its known bound, is a failure. */
    private static void miss(String key, double value, double target, List<String> failures, List<String> known) {
        if (value <= target) {
            return;
        }
        Double bound = KNOWN_MISSES.get(key);
        String line = String.format(Locale.ROOT, "%s %.3f%% (target %.1f%%)", key, value, target);
        if (bound != null && value <= bound) {
            known.add(line);
        } else {
            failures.add(line + (bound == null ? "" : String.format(Locale.ROOT, ", worse than the known %.2f%%", bound)));
        }
    }

    private static List<Plane> planes() throws IOException {
        Path data = Path.of(System.getProperty("yax.sampleData", "../sample-data/data"));
        Path heldOut = data.resolve("heldout");
        List<Plane> grey = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(heldOut)) {
            files = s.filter(f -> !f.getFileName().toString().equals("phantom.png")).sorted().toList();
        }
        for (Path f : files) {
            Image image = Formats.detect(f).orElseThrow(() -> new AssertionError(f + ": no reader")).read(f);
            grey.add(new Plane(f.getFileName().toString(), luminance(image), image.width(), image.height()));
        }
        Path landsat = data.resolve("archive/raster/L7_ETMs.tif");
        Image scene = Formats.detect(landsat).orElseThrow(() -> new AssertionError(landsat + ": no reader"))
                .read(landsat);
        int rows = scene.height() / 2;
        for (int band = 0; band < 3; band++) {
            float[] north = new float[rows * scene.width()];
            System.arraycopy(scene.plane(band, 0), 0, north, 0, north.length);
            grey.add(new Plane("L7_ETMs band " + (band + 1) + " north", north, scene.width(), rows));
        }
        assertTrue(grey.size() == 12, "12 held-out images expected, found " + grey.size() + ": run scripts/setup.sh");
        List<Plane> out = new ArrayList<>();
        for (Plane p : grey) {
            out.add(normalised(p));
            out.add(normalised(halved(p)));
        }
        return out;
    }

    /** One grey plane: the image itself, or the luminance of its first three channels (skimage's weights). */
    private static float[] luminance(Image image) {
        if (image.channels() < 3) {
            return image.plane(0, 0);
        }
        float[] r = image.plane(0, 0);
        float[] g = image.plane(1, 0);
        float[] b = image.plane(2, 0);
        float[] out = new float[r.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (0.2125 * r[i] + 0.7154 * g[i] + 0.0721 * b[i]);
        }
        return out;
    }

    private static Plane halved(Plane p) {
        int w = p.width() / 2;
        int h = p.height() / 2;
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = 2 * y * p.width() + 2 * x;
                out[y * w + x] = (p.pixels()[i] + p.pixels()[i + 1] + p.pixels()[i + p.width()]
                        + p.pixels()[i + p.width() + 1]) / 4;
            }
        }
        return new Plane(p.label() + " /2", out, w, h);
    }

    private static Plane normalised(Plane p) {
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float v : p.pixels()) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        float[] out = new float[p.pixels().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (p.pixels()[i] - lo) / (hi - lo);
        }
        return new Plane(p.label(), out, p.width(), p.height());
    }
}
