package org.yax.core.noise;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The promise of {@code --sigma auto} (docs/MODELS.md, "Noise estimate") on the held-out images that javax.imageio
 * reads, each scaled to [0, 1] by its range, at full resolution and area-downsampled by 2 (what a super-resolution
 * input looks like): with Gaussian noise of 5, 15, 25 and 50/255 it lands within 10% of the truth; clean, it stays
 * below 0.5% of the range on at least three quarters of these planes and below 1.5% on every one (measured: 0-0.6%,
 * microaneurysms 0.9% and 1.35%; the wavelet estimate read up to 2%). BrainT1Slice is left out: its air background holds real acquisition noise
 * (standard deviation 1.2% of the range, measured there), which the estimate rightly reports.
 */
class NoiseEstimatorHeldOutTest {
    private static final String[] CLEAN = {"camera.png", "moon.png", "coins.png", "clock_motion.png",
        "microaneurysms.png", "horse.png"};
    private static final double[] SIGMAS = {5 / 255.0, 15 / 255.0, 25 / 255.0, 50 / 255.0};

    private record Plane(String label, float[] pixels, int width, int height) { }

    @Test
    void doesNotInventNoiseAndFindsAddedNoise() throws IOException {
        List<String> failures = new ArrayList<>();
        StringBuilder table = new StringBuilder();
        int below = 0;
        int count = 0;
        for (Plane p : planes()) {
            double clean = NoiseEstimator.estimateGaussianSigma(p.pixels(), p.width(), p.height());
            table.append(String.format(Locale.ROOT, "%-26s clean %.3f%%", p.label(), 100 * clean));
            below += clean < 0.005 ? 1 : 0;
            count++;
            if (!(clean < 0.015)) {
                failures.add(p.label() + " clean: " + clean);
            }
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
                double e = NoiseEstimator.estimateGaussianSigma(noisy, p.width(), p.height());
                table.append(String.format(Locale.ROOT, "  %.0f/255: %+.1f%%", s * 255, 100 * (e / s - 1)));
                if (!(Math.abs(e / s - 1) <= 0.10)) {
                    failures.add(p.label() + " sigma " + s * 255 + "/255: " + e * 255 + "/255");
                }
            }
            table.append('\n');
        }
        System.out.print(table);
        if (4 * below < 3 * count) {
            failures.add("clean below 0.5% on only " + below + " of " + count + " planes");
        }
        assertTrue(failures.isEmpty(), String.join("; ", failures) + "\n" + table);
    }

    private static List<Plane> planes() throws IOException {
        Path held = Path.of(System.getProperty("yax.sampleData", "../sample-data/data"), "heldout");
        List<Plane> out = new ArrayList<>();
        for (String name : CLEAN) {
            File f = held.resolve(name).toFile();
            assertTrue(f.isFile(), f + " is missing: run scripts/setup.sh");
            BufferedImage image = ImageIO.read(f);
            int w = image.getWidth();
            int h = image.getHeight();
            float[] px = new float[w * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    px[y * w + x] = luminance(image, x, y);
                }
            }
            Plane full = normalised(new Plane(name, px, w, h));
            out.add(full);
            out.add(normalised(halved(full)));
        }
        return out;
    }

    private static float luminance(BufferedImage image, int x, int y) {
        var raster = image.getRaster();
        if (raster.getNumBands() < 3) {
            return raster.getSample(x, y, 0);
        }
        return (float) (0.2125 * raster.getSample(x, y, 0) + 0.7154 * raster.getSample(x, y, 1)
                + 0.0721 * raster.getSample(x, y, 2));
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
