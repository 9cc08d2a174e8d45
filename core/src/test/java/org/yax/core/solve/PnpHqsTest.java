package org.yax.core.solve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.yax.core.Progress;
import org.yax.core.op.Downsample;
import org.yax.core.op.Identity;
import org.yax.core.op.Mask;
import org.yax.core.op.Blur;

/** Plug-and-play's orientation cycling and its projection for exact measurements. */
class PnpHqsTest {

    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextFloat();
        }
        return v;
    }

    /** The k-th orientation of an (h, w) plane, written out by index: k % 4 quarter turns, then a mirror if k >= 4. */
    private static float[] oriented(float[] v, int h, int w, int k) {
        float[] cur = v.clone();
        int ch = h;
        int cw = w;
        for (int t = 0; t < k % 4; t++) { // one counter-clockwise quarter turn, as numpy's rot90
            float[] next = new float[cur.length];
            for (int r = 0; r < cw; r++) {
                for (int c = 0; c < ch; c++) {
                    next[r * ch + c] = cur[c * cw + (cw - 1 - r)];
                }
            }
            cur = next;
            int tmp = ch;
            ch = cw;
            cw = tmp;
        }
        if (k % 8 >= 4) {
            float[] next = new float[cur.length];
            for (int r = 0; r < ch; r++) {
                for (int c = 0; c < cw; c++) {
                    next[r * cw + c] = cur[r * cw + (cw - 1 - c)];
                }
            }
            cur = next;
        }
        return cur;
    }

    @Test
    void iterationKDenoisesTheKthOrientationAndTurnsItBack() {
        int h = 6;
        int w = 10; // not square: odd turns must hand the denoiser a (w, h) plane
        float[] y = random(h * w, 1);
        List<float[]> seen = new ArrayList<>();
        List<Shape> shapes = new ArrayList<>();
        Denoiser recordingIdentity = (x, sigma) -> {
            seen.add(x.toFloatArray());
            shapes.add(x.getShape());
            return x.duplicate();
        };
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray ys = m.create(y, new Shape(h, w));
            // A = I and x0 = y: every x_k is y, so the denoiser must see exactly the k-th orientation of y
            SolverResult r = new PnpHqs(recordingIdentity, 9).solve(new Identity(new Shape(h, w)), ys, ys, 0.01, 0.1,
                    Progress.NONE);
            assertEquals(9, seen.size());
            for (int k = 0; k < 9; k++) {
                Shape expected = k % 2 == 0 ? new Shape(h, w) : new Shape(w, h);
                assertEquals(expected, shapes.get(k), "iteration " + k);
                assertArrayEquals(oriented(y, h, w, k), seen.get(k), 1e-4f, "iteration " + k); // Woodbury rounding
            }
            // and the result is turned back: an identity prior leaves y as it is
            assertArrayEquals(y, r.estimate().toFloatArray(), 1e-4f);
        }
    }

    @Test
    void exactMeasurementsAreKeptByTheProjection() {
        int n = 16;
        Denoiser smoothing = (x, sigma) -> x.mul(0.5).add(x.mean().mul(0.5)); // changes every pixel
        try (NDManager m = NDManager.newBaseManager()) {
            Shape grid = new Shape(n, n);
            float[] truth = random(n * n, 2);
            // inpainting: measured pixels keep their values, the others are the prior's
            float[] observed = new float[n * n];
            for (int i = 0; i < observed.length; i += 3) {
                observed[i] = 1;
            }
            Mask mask = new Mask(m.create(observed, grid));
            NDArray y = mask.apply(m.create(truth, grid));
            float[] x = new PnpHqs(smoothing, 4).solve(mask, y, y, 1.0 / 255, 0.2, 0.0, Progress.NONE)
                    .estimate().toFloatArray();
            float[] free = new PnpHqs(smoothing, 4).solve(mask, y, y, 1.0 / 255, 0.2, 1.0 / 255, Progress.NONE)
                    .estimate().toFloatArray();
            for (int i = 0; i < x.length; i++) {
                assertEquals(observed[i] > 0 ? truth[i] : free[i], x[i], 1e-6, "pixel " + i);
            }
            // super-resolution: the block means of the estimate are the measurement
            Downsample down = new Downsample(grid, 2);
            NDArray low = down.apply(m.create(truth, grid));
            NDArray start = low.repeat(0, 2).repeat(1, 2);
            NDArray sr = new PnpHqs(smoothing, 4).solve(down, low, start, 1.0 / 255, 0.2, 0.0, Progress.NONE)
                    .estimate();
            assertArrayEquals(low.toFloatArray(), down.apply(sr).toFloatArray(), 1e-6f);
        }
    }

    /**
     * Noise below the prior's floor: the estimate steps part of the way toward the measurements, by
     * gram / (gram + alpha) with alpha = (noise / floor)^2, so the residual of the block means shrinks by
     * alpha / (gram + alpha) against ending on the denoiser (continuous from the projection at noise 0).
     */
    @Test
    void noiseBelowTheFloorStepsPartWayTowardTheMeasurements() {
        int n = 16;
        double floor = 1.0 / 255;
        Denoiser smoothing = (x, sigma) -> x.mul(0.5).add(x.mean().mul(0.5));
        try (NDManager m = NDManager.newBaseManager()) {
            Shape grid = new Shape(n, n);
            Downsample down = new Downsample(grid, 2);
            NDArray low = down.apply(m.create(random(n * n, 4), grid));
            NDArray start = low.repeat(0, 2).repeat(1, 2);
            float[] free = down.apply(new PnpHqs(smoothing, 4).solve(down, low, start, floor, 0.2, floor,
                    Progress.NONE).estimate()).sub(low).toFloatArray();
            for (double noise : new double[] {0.25 * floor, 0.5 * floor, 0.9 * floor}) {
                float[] partial = down.apply(new PnpHqs(smoothing, 4).solve(down, low, start, floor, 0.2, noise,
                        Progress.NONE).estimate()).sub(low).toFloatArray();
                double alpha = (noise / floor) * (noise / floor);
                double shrink = alpha / (0.25 + alpha); // A A^H = 1/4 for 2 x 2 means
                for (int i = 0; i < free.length; i++) {
                    assertEquals(shrink * free[i], partial[i], 1e-5, "noise " + noise + ", block " + i);
                }
            }
        }
    }

    @Test
    void exactNeedsAnOperatorWithDiagonalGram() {
        try (NDManager m = NDManager.newBaseManager()) {
            Shape grid = new Shape(8, 8);
            Blur blur = Blur.gaussian(grid, 1.0);
            NDArray y = m.create(random(64, 3), grid);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new PnpHqs((x, s) -> x.duplicate(), 2).solve(blur, y, y, 0.01, 0.1, 0.0, Progress.NONE));
            assertEquals(true, e.getMessage().contains("diagonal"), e.getMessage());
        }
    }
}
