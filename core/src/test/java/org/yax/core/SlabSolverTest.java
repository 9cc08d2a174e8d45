package org.yax.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.yax.core.noise.NoiseLevel;
import org.yax.core.task.Method;
import org.yax.core.task.Task;

/** runVolume: 3-D TV slab by slab gives (nearly) the whole-volume result, reads and writes every slice in order. */
class SlabSolverTest {
    static final int D = 24;
    static final int N = 64;

    /** Nested ellipsoids whose cross-sections change from slice to slice, in HU-like units. */
    static float[] ellipsoids() {
        float[] v = new float[D * N * N];
        for (int z = 0; z < D; z++) {
            for (int y = 0; y < N; y++) {
                for (int x = 0; x < N; x++) {
                    double u = (x - N / 2.0) / (N * 0.42);
                    double t = (y - N / 2.0) / (N * 0.36);
                    double s = (z - D / 2.0) / (D * 0.55);
                    double value = -1000;
                    if (u * u + t * t + s * s < 1) {
                        value = 40;
                        double a = (x - N * 0.4) / (N * 0.12);
                        double b = (y - N * 0.55) / (N * 0.2);
                        double c = (z - D * 0.45) / (D * 0.3);
                        if (a * a + b * b + c * c < 1) {
                            value = 1000;
                        }
                    }
                    v[(z * N + y) * N + x] = (float) value;
                }
            }
        }
        return v;
    }

    static float[] noisy(float[] clean, double sigma, long seed) {
        Random r = new Random(seed);
        float[] out = clean.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] += (float) (sigma * r.nextGaussian());
        }
        return out;
    }

    record Stack(float[] v, int depth) implements SliceStack {
        @Override public int depth() { return depth; }
        @Override public int height() { return N; }
        @Override public int width() { return N; }
        @Override public float[] slice(int z) {
            float[] s = new float[N * N];
            System.arraycopy(v, z * N * N, s, 0, N * N);
            return s;
        }
    }

    static float[] solve(Reconstruction r, float[] volume, ReconstructionSettings settings, double zWeight)
            throws IOException {
        float[] out = new float[volume.length];
        int[] next = {0};
        r.runVolume(new Stack(volume, D), settings, zWeight, (z, slice) -> {
            assertEquals(next[0]++, z, "slices arrive once each, in order");
            System.arraycopy(slice, 0, out, z * N * N, N * N);
        }, Progress.NONE);
        assertEquals(D, next[0]);
        return out;
    }

    @Test
    void slabsGiveNearlyTheWholeVolumeResult() throws IOException {
        float[] truth = ellipsoids();
        float[] y = noisy(truth, 60, 5);
        ReconstructionSettings settings = new ReconstructionSettings(Task.DENOISE, 1, NoiseLevel.given(60.0), Method.TV);
        try (Reconstruction whole = new Reconstruction();
             Reconstruction slabs = new Reconstruction().withSlabVoxels(12L * N * N)) {
            float[] a = solve(whole, y, settings, 0.3);
            float[] b = solve(slabs, y, settings, 0.3);
            double worst = 0;
            for (int i = 0; i < a.length; i++) {
                worst = Math.max(worst, Math.abs(a[i] - b[i]));
            }
            // relative to the 2000 HU range; slabs of 12 slices = 4 core + 2 x 4 halo
            assertTrue(worst / 2000 < 0.01, "slab vs whole differs by " + worst + " HU");
            System.out.println("SlabSolverTest: slab vs whole max |diff| " + worst + " HU (halo " + SlabSolver.Z_HALO
                    + ")");
        }
    }

    /** runVolume through a SlabSolver on the host (HostTvPdhg) or on the engine (TvPdhg). */
    static float[] solveWith(boolean onHost, float[] volume, ReconstructionSettings settings, double zWeight)
            throws IOException {
        float[] out = new float[volume.length];
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager(ai.djl.Device.cpu())) {
            new SlabSolver(() -> m, onHost, 12L * N * N).run(new Stack(volume, D), settings, zWeight,
                    (z, slice) -> System.arraycopy(slice, 0, out, z * N * N, N * N), Progress.NONE);
        }
        return out;
    }

    @Test
    void hostSlabsGiveTheEngineSlabsResult() throws IOException {
        // the CPU volume path runs HostTvPdhg; the same slabs on the engine must give the same voxels, for
        // denoising and for inpainting, with missing voxels (NaN), across slabs of different depths (8, 12, ..., 12, 8 slices)
        float[] y = noisy(ellipsoids(), 60, 7);
        java.util.Random r = new java.util.Random(8);
        for (int i = 0; i < y.length; i++) {
            if (r.nextDouble() < 0.05) {
                y[i] = Float.NaN;
            }
        }
        for (Task task : new Task[] {Task.DENOISE, Task.INPAINT}) {
            ReconstructionSettings settings = new ReconstructionSettings(task, 1, NoiseLevel.given(60.0), Method.TV);
            float[] host = solveWith(true, y, settings, 0.3);
            float[] engine = solveWith(false, y, settings, 0.3);
            double worst = 0;
            for (int i = 0; i < host.length; i++) {
                assertEquals(Float.isNaN(engine[i]), Float.isNaN(host[i]), "missing stays missing alike at " + i);
                if (!Float.isNaN(host[i])) {
                    worst = Math.max(worst, Math.abs(host[i] - engine[i]));
                }
            }
            assertTrue(worst / 2000 < 1e-6, task + ": host vs engine differs by " + worst + " HU");
        }
    }

    @Test
    void superResolutionAndTikhonovAreRefused() {
        try (Reconstruction r = new Reconstruction()) {
            Stack s = new Stack(new float[D * N * N], D);
            assertThrows(IllegalArgumentException.class, () -> r.runVolume(s,
                    new ReconstructionSettings(Task.SUPER_RESOLUTION, 2, NoiseLevel.given(1.0), Method.TV), 1, (z, p) -> { },
                    Progress.NONE));
            assertThrows(IllegalArgumentException.class, () -> r.runVolume(s,
                    new ReconstructionSettings(Task.DENOISE, 1, NoiseLevel.given(1.0), Method.TIKHONOV), 1, (z, p) -> { },
                    Progress.NONE));
        }
    }
}
