package org.yax.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.yax.core.noise.NoiseLevel;
import org.yax.core.noise.NoiseEstimator;
import org.yax.core.task.Method;
import org.yax.core.task.Task;

/** A window solved with given plane statistics: the plane's own give the plain result, others change it. */
class PlaneStatisticsTest {
    private static Image noisyRamp(int side, long seed) {
        Random rng = new Random(seed);
        float[] px = new float[side * side];
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) (i % side + 3 * (i / side) + 10 * rng.nextGaussian());
        }
        px[5 * side + 7] = Float.NaN;
        return new Image(px, 1, 1, side, side, null);
    }

    @Test
    void thePlanesOwnStatisticsGiveTheSameResultAsMeasuringThem() {
        Image image = noisyRamp(48, 1);
        float[] px = image.pixels();
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        double sum = 0;
        int n = 0;
        for (float v : px) {
            if (!Float.isNaN(v)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
                sum += v;
                n++;
            }
        }
        double sigma = NoiseEstimator.estimateGaussianSigma(px, 48, 48);
        ReconstructionSettings auto = new ReconstructionSettings(Task.INPAINT, 1, NoiseLevel.AUTO, Method.TIKHONOV);
        try (Reconstruction r = new Reconstruction()) {
            float[] measured = r.run(image, auto, Progress.NONE).image().pixels();
            float[] given = r.run(image, auto, List.of(new PlaneStatistics(sigma, min, max, sum / n)), Progress.NONE)
                    .image().pixels();
            assertArrayEquals(measured, given);
            // a wider range (as a whole plane may have) raises Tikhonov's weight floor: a different answer
            float[] wider = r.run(image, auto, List.of(new PlaneStatistics(sigma, min, max + 1e5, sum / n)),
                    Progress.NONE).image().pixels();
            assertFalse(Arrays.equals(measured, wider));
        }
    }

    @Test
    void anAllMissingWindowOfAnObservedPlaneIsFilledWithThePlaneMeanWhenInpainting() {
        float[] px = new float[16 * 16];
        Arrays.fill(px, Float.NaN);
        Image window = new Image(px, 1, 1, 16, 16, null);
        try (Reconstruction r = new Reconstruction()) {
            float[] filled = r.run(window, new ReconstructionSettings(Task.INPAINT, 1, NoiseLevel.given(1.0), Method.TV),
                    List.of(new PlaneStatistics(1, 0, 10, 4.5)), Progress.NONE).image().pixels();
            for (float v : filled) {
                assertEquals(4.5f, v);
            }
            float[] denoised = r.run(window, new ReconstructionSettings(Task.DENOISE, 1, NoiseLevel.given(1.0), Method.TV),
                    List.of(new PlaneStatistics(1, 0, 10, 4.5)), Progress.NONE).image().pixels();
            assertTrue(Float.isNaN(denoised[0]), "other tasks leave missing pixels missing");
        }
    }

    @Test
    void statisticsMustMatchThePlanesAndBeValid() {
        Image image = noisyRamp(16, 2);
        try (Reconstruction r = new Reconstruction()) {
            ReconstructionSettings s = new ReconstructionSettings(Task.DENOISE, 1, NoiseLevel.given(1.0), Method.TV);
            PlaneStatistics p = new PlaneStatistics(1, 0, 1, 0.5);
            assertThrows(IllegalArgumentException.class, () -> r.run(image, s, List.of(p, p), Progress.NONE));
        }
        assertThrows(IllegalArgumentException.class, () -> new PlaneStatistics(-1, 0, 1, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new PlaneStatistics(1, 2, 1, 1.5));
        assertTrue(new PlaneStatistics(0, Double.NaN, Double.NaN, Double.NaN).empty());
    }
}
