package org.yax.models;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yax.core.Evaluation;
import org.yax.core.Image;
import org.yax.core.Progress;
import org.yax.core.Reconstruction;
import org.yax.core.task.Task;

/**
 * What {@code --method auto} ships, guarded per head and per method on 128 x 128 crops of four held-out images
 * (camera, coins, BrainT1Slice, clock_motion; never trained on), with the same simulation as scripts/eval-models.sh
 * and, as there, the solvers estimating sigma as users' runs do (but MRI's, told the simulated one).
 * Each assertion is a documented target (docs/MODELS.md, "Quality guards"): a learned method beats the task's naive
 * baseline and the stated classical method by the stated margin on every crop. Crops keep the run short; the
 * full-image figures are scripts/eval-models.sh's.
 */
class HeldOutQualityTest {
    private static final String[] IMAGES = {"camera.png", "coins.png", "BrainT1Slice.png", "clock_motion.png"};
    private static final int CROP = 128;
    private static LearnedModel model;
    private static List<Image> crops;

    @BeforeAll
    static void load() throws IOException {
        model = ModelRegistry.load(ModelRegistry.DEFAULT_MODEL, ai.djl.Device.cpu());
        crops = new ArrayList<>();
        for (String name : IMAGES) {
            int[] size = new int[2];
            float[] px = LearnedModelTest.heldOut(name, size);
            int y0 = (size[0] - CROP) / 2;
            int x0 = (size[1] - CROP) / 2;
            float[] crop = new float[CROP * CROP];
            for (int y = 0; y < CROP; y++) {
                System.arraycopy(px, (y0 + y) * size[1] + x0, crop, y * CROP, CROP);
            }
            crops.add(new Image(crop, 1, 1, CROP, CROP, null));
        }
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** Settings of an image task scored as users run it: the solvers estimate sigma from the measurement. */
    private static Evaluation.Settings asRun(Task task, double sigmaOfRange, int scale, double missing,
                                             List<String> methods) {
        return new Evaluation.Settings(task, sigmaOfRange, true, scale, missing, 4, 0, methods, null, 0, true);
    }

    /** PSNR per method and crop. */
    private static Map<String, double[]> run(Evaluation.Settings s) {
        Map<String, double[]> psnr = new HashMap<>();
        try (Reconstruction r = new Reconstruction(ai.djl.Device.cpu()).withNetwork(model)) {
            for (int i = 0; i < crops.size(); i++) {
                for (Evaluation.Row row : new Evaluation(r).run(crops.get(i), s, Progress.NONE)) {
                    psnr.computeIfAbsent(row.method(), k -> new double[crops.size()])[i] = row.psnr();
                }
            }
        }
        StringBuilder line = new StringBuilder(s.task().cliName() + (s.scale() > 1 ? " x" + s.scale() : ""));
        psnr.forEach((m, v) -> line.append(String.format(Locale.ROOT, "  %s %s", m, java.util.Arrays.toString(
                java.util.Arrays.stream(v).map(p -> Math.round(p * 100) / 100.0).toArray()))));
        System.out.println(line);
        return psnr;
    }

    /** {@code method} beats {@code other} by at least {@code margin} dB on every crop. */
    private static void beats(Map<String, double[]> psnr, String method, String other, double margin) {
        for (int i = 0; i < crops.size(); i++) {
            double gain = psnr.get(method)[i] - psnr.get(other)[i];
            assertTrue(gain >= margin, String.format(Locale.ROOT, "%s over %s on %s: %+.2f dB, target %+.2f",
                    method, other, IMAGES[i], gain, margin));
        }
    }

    @Test
    void denoiseHeadAtSigma25() {
        Map<String, double[]> p = run(asRun(Task.DENOISE, 25 / 255.0, 1, 0, List.of("tv", "nlm", "network")));
        beats(p, "network", "noisy", 6);
        beats(p, "network", "tv", 0.5);
        beats(p, "network", "nlm", 0.2);
    }

    @Test
    void superResolutionHeadsAndPlugAndPlay() {
        for (int scale : new int[] {2, 4}) {
            Map<String, double[]> p = run(asRun(Task.SUPER_RESOLUTION, 0, scale, 0, List.of("network", "pnp")));
            // as run (sigma estimated), measured 2026-12-06: head worst +1.33 (x2) / +1.18 (x4), plug-and-play worst
            // +0.90 / +1.29; told the true sigma 0 plug-and-play's x2 worst was above +1 (its target before)
            beats(p, "network", "bicubic", 1);
            beats(p, "pnp", "bicubic", 0.5);
        }
    }

    @Test
    void inpaintingHeadAndPlugAndPlay() {
        Map<String, double[]> p = run(asRun(Task.INPAINT, 0, 1, 0.5, List.of("tv", "network", "pnp")));
        beats(p, "network", "filled", 3);
        beats(p, "network", "tv", 0.5);
        // as run, measured 2026-12-06: plug-and-play (auto's inpainting) worst +1.89 over the fill; against TV
        // -0.08 on the BrainT1Slice crop (whose half-missing estimate reads few blocks), so no TV margin is promised
        beats(p, "pnp", "filled", 1.5);
    }

    @Test
    void plugAndPlayMri() {
        // auto's MRI entry is the evaluation script's decision on the 12 held-out images (mri:pnp); this guards
        // the method on the crops: measured +0.48 (clock_motion) to +1.64 dB over TV since plug-and-play subtracts
        // the zero-filled minimum (before, clock_motion's grey floor of 99 put the network outside [0, 1]: -0.8 dB)
        Map<String, double[]> p = run(new Evaluation.Settings(Task.MRI, 0.01, true, 1, 0, 4, 0, List.of("tv", "pnp")));
        beats(p, "pnp", "zero-filled", 3);
        beats(p, "pnp", "tv", 0.3);
    }
}
