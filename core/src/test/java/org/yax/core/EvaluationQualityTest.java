package org.yax.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yax.core.task.Task;

/**
 * The quality the classical solvers must reach on real images (the MRI slices of the sample data and
 * scikit-image's camera), measured through {@link Evaluation} exactly as {@code yax eval} does.
 */
class EvaluationQualityTest {
    private static Reconstruction reconstruction;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        reconstruction = new Reconstruction();
    }

    @AfterAll
    static void stop() {
        reconstruction.close();
    }

    static Image grey(Path png) throws Exception {
        assertTrue(Files.isRegularFile(png), "missing " + png + ": run scripts/setup.sh");
        BufferedImage img = ImageIO.read(png.toFile());
        int w = img.getWidth();
        int h = img.getHeight();
        float[] px = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                px[y * w + x] = img.getRGB(x, y) & 0xff; // grey images: R = G = B (also for palette PNGs)
            }
        }
        return new Image(px, 1, 1, h, w, null);
    }

    static List<Image> realImages() throws Exception {
        Path data = Path.of(System.getProperty("yax.sampleData", "../sample-data/data"));
        return List.of(grey(data.resolve("archive/mri/BrainProtonDensitySlice.png")),
                grey(data.resolve("archive/mri/BrainT1Slice.png")),
                grey(Path.of("/usr/lib/python3/dist-packages/skimage/data/camera.png")));
    }

    private static Evaluation.Settings settings(Task task, double sigmaFraction, List<String> methods) {
        return new Evaluation.Settings(task, sigmaFraction, true, 1, 0, 4, 7, methods);
    }

    @Test
    void tvDenoisingGainsFourDecibelsAndIsWithinHalfADecibelOfTunedScikitImage() throws Exception {
        for (Image clean : realImages()) {
            Evaluation.Settings s = settings(Task.DENOISE, 0.1, List.of("noisy", "tv"));
            List<Evaluation.Row> rows = new Evaluation(reconstruction).run(clean, s, Progress.NONE);
            double noisy = rows.get(0).psnr();
            double tv = rows.get(1).psnr();
            assertTrue(tv - noisy >= 4, String.format(Locale.ROOT, "TV gain %.2f dB < 4", tv - noisy));
            double best = bestScikitImageTv(clean, Evaluation.simulate(clean, s, rows.get(0).sigma()));
            System.out.printf(Locale.ROOT, "denoise sigma=10%%: noisy %.2f dB, yax TV %.2f dB, best skimage TV %.2f dB%n",
                    noisy, tv, best);
            assertTrue(tv >= best - 0.5, String.format(Locale.ROOT,
                    "yax TV %.2f dB vs best-tuned denoise_tv_chambolle %.2f dB", tv, best));
        }
    }

    @Test
    void tvMriAtFourfoldAccelerationGainsThreeDecibelsOverZeroFilled() throws Exception {
        for (Image clean : realImages().subList(0, 2)) { // the MRI slices
            List<Evaluation.Row> rows = new Evaluation(reconstruction).run(clean,
                    settings(Task.MRI, 0.01, List.of("zero-filled", "tv")), Progress.NONE);
            double gain = rows.get(1).psnr() - rows.get(0).psnr();
            System.out.printf(Locale.ROOT, "mri 4x: zero-filled %.2f dB, TV %.2f dB%n", rows.get(0).psnr(),
                    rows.get(1).psnr());
            assertTrue(gain >= 3, String.format(Locale.ROOT, "MRI 4x TV gain %.2f dB < 3", gain));
        }
    }

    @Test
    void simulationIsReproducibleFromTheSeed() throws Exception {
        Image clean = realImages().get(0);
        Evaluation.Settings s = settings(Task.DENOISE, 0.1, List.of("noisy"));
        float[] a = Evaluation.simulate(clean, s, 25).pixels();
        float[] b = Evaluation.simulate(clean, s, 25).pixels();
        assertEquals(java.util.Arrays.hashCode(a), java.util.Arrays.hashCode(b));
    }

    /** The best PSNR of skimage's denoise_tv_chambolle over a fine grid of weights, on the same noisy array. */
    private double bestScikitImageTv(Image clean, Image noisy) throws Exception {
        Path c = tmp.resolve("clean.f32");
        Path n = tmp.resolve("noisy.f32");
        write(c, clean.pixels());
        write(n, noisy.pixels());
        String code = String.join("\n",
                "import sys, numpy as np",
                "from skimage.restoration import denoise_tv_chambolle",
                "from skimage.metrics import peak_signal_noise_ratio as psnr",
                "h, w = int(sys.argv[3]), int(sys.argv[4])",
                "c = np.fromfile(sys.argv[1], dtype='<f4').reshape(h, w).astype(np.float64)",
                "n = np.fromfile(sys.argv[2], dtype='<f4').reshape(h, w).astype(np.float64)",
                "r = c.max() - c.min()",
                "best = max(psnr(c, denoise_tv_chambolle(n, weight=k * r), data_range=r)",
                "           for k in np.arange(0.01, 0.301, 0.01))",
                "print(best)");
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", code, c.toString(), n.toString(),
                "" + clean.height(), "" + clean.width()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "scikit-image timed out");
        assertEquals(0, p.exitValue(), out);
        return Double.parseDouble(out.substring(out.lastIndexOf('\n') + 1));
    }

    private static void write(Path file, float[] v) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        Files.write(file, b.array());
    }
}
