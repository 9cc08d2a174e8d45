package org.yax.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yax.core.noise.NoiseLevel;
import org.yax.core.Image;
import org.yax.core.Progress;
import org.yax.core.Reconstruction;
import org.yax.core.ReconstructionSettings;
import org.yax.core.metric.Psnr;
import org.yax.core.solve.RestorationNetwork;
import org.yax.core.task.Method;
import org.yax.core.task.Task;

/** The shipped model as reconstruction uses it: loading, tiling, memory, adaptation that leaves it untouched, bad files. */
class LearnedModelTest {
    private static LearnedModel model;

    @TempDir
    Path tmp;

    @BeforeAll
    static void load() throws IOException {
        model = ModelRegistry.load(ModelRegistry.DEFAULT_MODEL, ai.djl.Device.cpu());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** A held-out real image (never trained on), normalised to [0, 1]. */
    static float[] heldOut(String name, int[] size) throws IOException {
        Path png = Path.of(System.getProperty("yax.sampleData", "../sample-data/data")).resolve("heldout").resolve(name);
        assertTrue(Files.isRegularFile(png), "missing " + png + ": run scripts/setup.sh");
        BufferedImage img = ImageIO.read(png.toFile());
        size[0] = img.getHeight();
        size[1] = img.getWidth();
        float[] px = new float[size[0] * size[1]];
        for (int y = 0; y < size[0]; y++) {
            for (int x = 0; x < size[1]; x++) {
                px[y * size[1] + x] = (img.getRGB(x, y) & 0xff) / 255f;
            }
        }
        return px;
    }

    @Test
    void builtinCardDescribesItsHeadsAndTheWeightsStayUnderTwentyMegabytes() throws IOException {
        ModelCard card = model.card();
        assertEquals(ModelRegistry.DEFAULT_MODEL, card.name());
        for (Task t : new Task[] {Task.DENOISE, Task.INPAINT}) {
            assertTrue(model.hasHead(t, 1), t.cliName());
        }
        assertTrue(model.hasHead(Task.SUPER_RESOLUTION, 2) && model.hasHead(Task.SUPER_RESOLUTION, 4));
        assertFalse(model.hasHead(Task.SUPER_RESOLUTION, 3));
        long bytes = 0;
        for (String name : ModelRegistry.builtinNames()) {
            try (var in = ModelRegistry.class.getResourceAsStream("/org/yax/models/builtin/" + name + ".params")) {
                bytes += in.readAllBytes().length;
            }
        }
        assertTrue(bytes <= 20L << 20, "shipped weights take " + bytes + " bytes");
    }

    @Test
    void tiledNetworkMatchesTheWholePlaneAndLeavesNoArraysBehind() throws IOException {
        int[] size = new int[2];
        float[] clean = heldOut("camera.png", size);
        int h = 200;
        int w = 232;
        float[] crop = noisyCrop(clean, size[1], h, w, 255, 20);
        Image noisy = new Image(crop, 1, 1, h, w, null);
        ReconstructionSettings s = new ReconstructionSettings(Task.DENOISE, 1, NoiseLevel.given(20.0), Method.NETWORK);
        try (Reconstruction whole = new Reconstruction(ai.djl.Device.cpu()).withNetwork(model).withTileSize(Reconstruction.NO_TILING);
             Reconstruction tiled = new Reconstruction(ai.djl.Device.cpu()).withNetwork(model).withTileSize(176)) {
            float[] a = whole.run(noisy, s, Progress.NONE).image().pixels();
            float[] b = tiled.run(noisy, s, Progress.NONE).image().pixels();
            double worst = 0;
            for (int i = 0; i < a.length; i++) {
                worst = Math.max(worst, Math.abs(a[i] - b[i]));
            }
            assertTrue(worst < 0.01 * 255, "tiled differs from whole by " + worst);
        }
        try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            NDArray x = m.create(crop, new Shape(h, w)).div(255);
            int before = m.getManagedArrays().size();
            for (int k = 0; k < 5; k++) {
                model.denoise(x, 20.0 / 255).close();
                model.restore(Task.SUPER_RESOLUTION, 2, x, null, 0).close();
            }
            assertEquals(before, m.getManagedArrays().size(), "arrays left behind by the network");
        }
    }

    @Test
    void adaptationReturnsACopyAndLeavesTheShippedWeightsAlone() throws IOException {
        int[] size = new int[2];
        float[] clean = heldOut("moon.png", size);
        int h = 128;
        int w = 128;
        float[] y = new float[h * w];
        Random random = new Random(4);
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                y[r * w + c] = clean[(r + 200) * size[1] + c + 200] + (float) (0.1 * random.nextGaussian());
            }
        }
        try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            NDArray x = m.create(y, new Shape(h, w));
            float[] before = model.denoise(x, 0.1).toFloatArray();
            RestorationNetwork adapted = model.adaptedTo(Task.DENOISE, 1, y, null, h, w, 0.1, 3);
            try {
                float[] changed = adapted.denoise(x, 0.1).toFloatArray();
                assertFalse(java.util.Arrays.equals(before, changed), "adaptation changed nothing");
            } finally {
                adapted.close();
            }
            assertArrayEquals(before, model.denoise(x, 0.1).toFloatArray(), "the shipped model was modified");
        }
    }

    @Test
    void filesThatAreNotModelsGiveReasons() throws IOException {
        IOException unknown = assertThrows(IOException.class, () -> ModelRegistry.load("no-such-model", ai.djl.Device.cpu()));
        assertTrue(unknown.getMessage().contains("not a built-in"), unknown.getMessage());
        Path junk = tmp.resolve("junk.params");
        byte[] bytes = new byte[4096];
        new Random(1).nextBytes(bytes);
        Files.write(junk, bytes);
        IOException noCard = assertThrows(IOException.class, () -> ModelRegistry.load(junk.toString(), ai.djl.Device.cpu()));
        assertTrue(noCard.getMessage().contains("no model card"), noCard.getMessage());
        Files.writeString(ModelFiles.cardPath(junk), model.card().toJson());
        IOException notParams = assertThrows(IOException.class, () -> ModelRegistry.load(junk.toString(), ai.djl.Device.cpu()));
        assertTrue(notParams.getMessage().contains("is not a yax"), notParams.getMessage());
        Path text = tmp.resolve("model.onnx");
        Files.writeString(text, "hello");
        IOException wrongKind = assertThrows(IOException.class, () -> ModelRegistry.load(text.toString(), ai.djl.Device.cpu()));
        assertTrue(wrongKind.getMessage().contains("not a yax model"), wrongKind.getMessage());
    }

    @Test
    void networkDenoisingGainsOnAHeldOutImage() throws IOException {
        int[] size = new int[2];
        float[] clean = heldOut("camera.png", size);
        Random random = new Random(5);
        float[] noisy = new float[clean.length];
        for (int i = 0; i < clean.length; i++) {
            noisy[i] = clean[i] + (float) (25 / 255.0 * random.nextGaussian());
        }
        try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            float[] x = model.denoise(m.create(noisy, new Shape(size[0], size[1])), 25 / 255.0).toFloatArray();
            double before = Psnr.psnr(clean, noisy, 1);
            double after = Psnr.psnr(clean, x, 1);
            assertTrue(after > before + 6, "network denoising: " + before + " -> " + after + " dB");
        }
    }

    @Test
    void adaptationGainsOnTheOutOfDomainPhantom() throws IOException {
        int[] size = new int[2];
        float[] clean = heldOut("phantom.png", size);
        Image truth = new Image(clean, 1, 1, size[0], size[1], null);
        org.yax.core.Evaluation.Settings s = new org.yax.core.Evaluation.Settings(Task.DENOISE, 25 / 255.0, true, 1, 0,
                4, 0, java.util.List.of("network", "adapted"), null, 20, false);
        try (Reconstruction r = new Reconstruction(ai.djl.Device.cpu()).withNetwork(model)) {
            java.util.List<org.yax.core.Evaluation.Row> rows = new org.yax.core.Evaluation(r).run(truth, s, Progress.NONE);
            // rows.get(0) is the baseline (the noisy input), which every evaluation scores first
            double head = rows.get(1).psnr();
            double adapted = rows.get(2).psnr();
            System.out.printf(java.util.Locale.ROOT, "phantom sigma 25: network %.2f dB, adapted (20 steps) %.2f dB%n",
                    head, adapted);
            assertTrue(adapted >= head + 0.2, "adaptation gained " + (adapted - head) + " dB");
        }
    }

    @Test
    void tilesOfALargePlaneGiveTheWholePlanesAnswer() throws IOException {
        int[] size = new int[2];
        float[] camera = heldOut("camera.png", size);
        int h = 200;
        int w = 236;
        float[] planes = java.util.Arrays.copyOf(noisyCrop(camera, size[1], h, w, 1, 0.05), 3 * h * w);
        java.util.Arrays.fill(planes, h * w, 2 * h * w, 0.05f);
        java.util.Arrays.fill(planes, 2 * h * w, 3 * h * w, 1f);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(planes, new Shape(1, 3, h, w));
            float[] whole = model.run(x, org.yax.models.net.Head.DENOISE, m, 1024, 1024).toFloatArray();
            // 64 x 64 kept pixels with 40 of context on each side: 4 x 4 tiles, the last ones cut by the edges
            float[] tiled = model.run(x, org.yax.models.net.Head.DENOISE, m, 64, 64).toFloatArray();
            double worst = 0;
            double change = 0;
            for (int i = 0; i < whole.length; i++) {
                worst = Math.max(worst, Math.abs(whole[i] - tiled[i]));
                change = Math.max(change, Math.abs(whole[i] - planes[i]));
            }
            assertTrue(change > 0.05, "the head changes the plane: " + change);
            assertTrue(worst < 1e-5, "tiles differ from the whole plane by " + worst);
        }
        // as few tiles as 512 pixels a side allows, equal, on the size multiple
        assertEquals(512, LearnedModel.balanced(1024));
        assertEquals(352, LearnedModel.balanced(704));
        assertEquals(500, LearnedModel.balanced(2000));
        assertEquals(300, LearnedModel.balanced(300));
    }

    /**
     * The h x w crop at row 100, column 150 of an image {@code width} pixels wide, times {@code scale}, plus Gaussian
     * noise of {@code sigma} (seed 3).
     */
    /**
     * sr x2 of a clean crop with the measurements' noise at 0, half and all of plug-and-play's floor (1/255 of the
     * range): the iterations are the same (the prior stops at the floor), and plug-and-play's estimate ends on the
     * projection, half the projection's step (alpha = 1/4 against A A^H = 1/4) and no step; the head's on the
     * projection when noiseless. So a clean image whose noise reads a little above 0 keeps part of its measurements
     * (docs/MODELS.md, "sr x2 and x4 as users run them").
     */
    @Test
    void noiseBelowTheFloorKeepsTheMeasurementsInProportion() throws IOException {
        int[] size = new int[2];
        float[] clean = heldOut("moon.png", size);
        int h = 48;
        int w = 64;
        float[] low = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (2 * y + 200) * size[1] + 2 * x + 200;
                low[y * w + x] = 255 * (clean[i] + clean[i + 1] + clean[i + size[1]] + clean[i + size[1] + 1]) / 4;
            }
        }
        float range = 0;
        float least = Float.MAX_VALUE;
        for (float v : low) {
            range = Math.max(range, v);
            least = Math.min(least, v);
        }
        range -= least;
        Image input = new Image(low, 1, 1, h, w, null);
        for (Method method : new Method[] {Method.NETWORK, Method.PNP}) {
            double[] residual = new double[3];
            double[] noise = {0, 0.5 * range / 255, range / 255};
            try (Reconstruction r = new Reconstruction(ai.djl.Device.cpu()).withNetwork(model)) {
                for (int k = 0; k < 3; k++) {
                    float[] x = r.run(input, new ReconstructionSettings(Task.SUPER_RESOLUTION, 2,
                            NoiseLevel.given(noise[k]), method), Progress.NONE).image().pixels();
                    for (int y = 0; y < h; y++) {
                        for (int xx = 0; xx < w; xx++) {
                            int i = 2 * y * 2 * w + 2 * xx;
                            double mean = (x[i] + x[i + 1] + x[i + 2 * w] + x[i + 2 * w + 1]) / 4.0;
                            residual[k] += (mean - low[y * w + xx]) * (mean - low[y * w + xx]);
                        }
                    }
                }
            }
            double none = Math.sqrt(residual[2]);
            assertTrue(none > 1e-3 * range * h, method + ": the estimate without a final step already fits, " + none);
            assertEquals(0, Math.sqrt(residual[0]) / none, 1e-3, method + ": noiseless, the projection");
            if (method == Method.PNP) {
                // the head's own output depends on the noise it is told, so only plug-and-play's is the same before
                // its last step (measured 0.49999)
                assertEquals(0.5, Math.sqrt(residual[1]) / none, 1e-3, method + ": half the floor, half the step");
            }
        }
    }

    private static float[] noisyCrop(float[] image, int width, int h, int w, float scale, double sigma) {
        float[] crop = new float[h * w];
        Random random = new Random(3);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                crop[y * w + x] = scale * image[(y + 100) * width + x + 150] + (float) (sigma * random.nextGaussian());
            }
        }
        return crop;
    }
}
