package org.yax.core.solve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.yax.core.Progress;
import org.yax.core.op.Identity;
import org.yax.core.op.LinearOperator;
import org.yax.core.op.Mask;

/**
 * The host solver is TvPdhg's exact-data-proximal path without the engine: on the same input it must run the
 * same iterations and give the same voxels up to float rounding (the engine's sums and fused kernels round
 * differently, and those differences are carried through the iterations).
 */
class HostTvPdhgTest {
    /** Largest allowed difference relative to the range (measured: 6e-8..9e-8, 2-3 float ulps at 1000). */
    static final double TOLERANCE = 1e-6;

    static final int D = 10;
    static final int H = 48;
    static final int W = 40;

    /** Phantom slices that change along z, plus Gaussian noise; a range of about 2000 (HU-like). */
    static float[] noisyVolume(int depth, long seed) {
        Random r = new Random(seed);
        float[] v = new float[depth * H * W];
        for (int z = 0; z < depth; z++) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    double u = (x - W / 2.0) / (W * 0.4);
                    double t = (y - H / 2.0) / (H * 0.35);
                    double s = (z - depth / 2.0) / (depth * 0.6);
                    double value = u * u + t * t + s * s < 1 ? (x > W / 2 && y > H / 2 ? 1000 : 40) : -1000;
                    v[(z * H + y) * W + x] = (float) (value + 60 * r.nextGaussian());
                }
            }
        }
        return v;
    }

    static boolean[] randomMask(int n, double missing, long seed) {
        Random r = new Random(seed);
        boolean[] observed = new boolean[n];
        for (int i = 0; i < n; i++) {
            observed[i] = r.nextDouble() >= missing;
        }
        return observed;
    }

    /** TvPdhg on the engine: A = I (observed null) or A = the mask, y zero where missing, x0 = start. */
    static SolverResultOnHost engine(float[] y, boolean[] observed, float[] x0, Shape shape, double lambda,
                                     StoppingRule rule, double... weights) {
        try (NDManager m = NDManager.newBaseManager()) {
            LinearOperator a = new Identity(shape);
            if (observed != null) {
                float[] mv = new float[observed.length];
                for (int i = 0; i < mv.length; i++) {
                    mv[i] = observed[i] ? 1f : 0f;
                }
                a = new Mask(m.create(mv, shape));
            }
            NDArray yArr = m.create(y, shape);
            NDArray start = m.create(x0, shape);
            SolverResult r = new TvPdhg(lambda, rule).withAxisWeights(weights).solve(a, yArr, start, Progress.NONE);
            return new SolverResultOnHost(r.estimate().toFloatArray(), r.iterations());
        }
    }

    record SolverResultOnHost(float[] estimate, int iterations) { }

    static void assertSame(SolverResultOnHost expected, HostTvPdhg.Result actual, double range) {
        assertEquals(expected.iterations(), actual.iterations(), "iterations");
        double worst = 0;
        for (int i = 0; i < expected.estimate().length; i++) {
            worst = Math.max(worst, Math.abs(expected.estimate()[i] - actual.estimate()[i]));
        }
        assertTrue(worst <= TOLERANCE * range, "largest difference " + worst + " (" + worst / range
                + " of the range), allowed " + TOLERANCE);
    }

    @Test
    void volumeDenoisingMatchesTheEngineSolver() {
        float[] y = noisyVolume(D, 1);
        double lambda = 0.9 * 60;
        StoppingRule rule = StoppingRule.of(300, 1e-4);
        SolverResultOnHost expected = engine(y, null, y, new Shape(D, H, W), lambda, rule, 0.5, 1, 1);
        HostTvPdhg.Result actual = new HostTvPdhg(lambda, rule, 0.5, 1, 1).solve(y, null, y, D, H, W, Progress.NONE);
        assertTrue(actual.iterations() > 10 && actual.converged(), "a real solve: " + actual.iterations());
        assertSame(expected, actual, 2000);
    }

    @Test
    void maskedVolumeMatchesTheEngineSolver() {
        // inpainting (and denoising with missing voxels): A is a mask, y is 0 where missing, x0 the fill value
        float[] noisy = noisyVolume(D, 2);
        boolean[] observed = randomMask(noisy.length, 0.3, 3);
        float[] y = new float[noisy.length];
        float[] x0 = new float[noisy.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = observed[i] ? noisy[i] : 0f;
            x0[i] = observed[i] ? noisy[i] : -200f;
        }
        double lambda = 0.2 * 60;
        StoppingRule rule = StoppingRule.of(400, 1e-4);
        SolverResultOnHost expected = engine(y, observed, x0, new Shape(D, H, W), lambda, rule, 0.3, 1, 1);
        HostTvPdhg.Result actual = new HostTvPdhg(lambda, rule, 0.3, 1, 1).solve(y, observed, x0, D, H, W,
                Progress.NONE);
        assertSame(expected, actual, 2000);
    }

    @Test
    void planeMatchesTheEngineSolverAndStopsAtTheIterationCap() {
        float[] y = noisyVolume(1, 4);
        double lambda = 0.9 * 60;
        StoppingRule rule = StoppingRule.of(25, 0); // never converges: both run exactly the cap
        SolverResultOnHost expected = engine(y, null, y, new Shape(H, W), lambda, rule, 1, 1);
        HostTvPdhg.Result actual = new HostTvPdhg(lambda, rule, 1, 1).solve(y, null, y, 1, H, W, Progress.NONE);
        assertEquals(25, actual.iterations());
        assertSame(expected, actual, 2000);
    }

    @Test
    void inputsAreNotModifiedAndResultsDoNotDependOnThreads() throws Exception {
        float[] y = noisyVolume(D, 5);
        float[] copy = y.clone();
        StoppingRule rule = StoppingRule.of(60, 1e-4);
        HostTvPdhg solver = new HostTvPdhg(54, rule, 0.5, 1, 1);
        float[] parallel = solver.solve(y, null, y, D, H, W, Progress.NONE).estimate();
        assertEquals(java.util.Arrays.toString(copy), java.util.Arrays.toString(y), "y untouched");
        // one pool thread (and three): the same lines, the same sums in the same order, so the same bits
        int before = org.yax.core.op.HostPool.threads();
        try {
            org.yax.core.op.HostPool.setThreads(1);
            float[] serial = solver.solve(y, null, y, D, H, W, Progress.NONE).estimate().clone();
            org.yax.core.op.HostPool.setThreads(3);
            float[] three = solver.solve(y, null, y, D, H, W, Progress.NONE).estimate();
            assertTrue(java.util.Arrays.equals(parallel, serial), "1 thread and the default pool agree bit for bit");
            assertTrue(java.util.Arrays.equals(serial, three), "1 and 3 threads agree bit for bit");
        } finally {
            org.yax.core.op.HostPool.setThreads(before);
        }
    }

    @Test
    void cancellationStopsTheSolve() {
        float[] y = noisyVolume(D, 6);
        Progress cancelled = new Progress() {
            @Override public void report(double fraction, String message) { }
            @Override public boolean isCancelled() { return true; }
        };
        assertThrows(RuntimeException.class, () -> new HostTvPdhg(54, StoppingRule.of(300, 1e-4), 0.5, 1, 1)
                .solve(y, null, y, D, H, W, cancelled));
    }

    @Test
    void rejectsShapesThatDoNotFit() {
        float[] y = new float[10];
        assertThrows(IllegalArgumentException.class,
                () -> new HostTvPdhg(1, StoppingRule.of(5, 0), 1, 1, 1).solve(y, null, y, 2, 2, 3, Progress.NONE));
        assertThrows(IllegalArgumentException.class,
                () -> new HostTvPdhg(1, StoppingRule.of(5, 0), 1, 1).solve(y, null, y, 2, 1, 5, Progress.NONE));
    }
}
