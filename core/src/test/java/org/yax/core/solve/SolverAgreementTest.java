package org.yax.core.solve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yax.core.Progress;
import org.yax.core.op.Downsample;
import org.yax.core.op.Identity;
import org.yax.core.op.LinearOperator;
import org.yax.core.op.Mask;

/**
 * Independent solvers of the same convex problem must reach the same objective; each must clearly
 * beat its starting point on a phantom with known truth.
 */
class SolverAgreementTest {
    private static final int N = 96;
    private static NDManager manager;
    private static float[] truth;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager();
        truth = phantom(N);
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    /** Piecewise-constant discs and a smooth ramp, values 0..100. */
    static float[] phantom(int n) {
        float[] f = new float[n * n];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                double v = 20 + 20.0 * x / n;
                if (Math.hypot(x - 0.35 * n, y - 0.4 * n) < 0.22 * n) {
                    v = 80;
                }
                if (Math.hypot(x - 0.7 * n, y - 0.65 * n) < 0.15 * n) {
                    v = 5;
                }
                f[y * n + x] = (float) v;
            }
        }
        return f;
    }

    static float[] noisy(float[] clean, double sigma, long seed) {
        Random r = new Random(seed);
        float[] out = clean.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] += (float) (sigma * r.nextGaussian());
        }
        return out;
    }

    static double objective(LinearOperator a, float[] x, NDArray y, double lambda) {
        NDArray xa = manager.create(x, a.inputShape());
        float[] ax = a.forward(xa).toFloatArray();
        float[] yy = y.toFloatArray();
        double data = 0;
        for (int i = 0; i < ax.length; i++) {
            data += 0.5 * (ax[i] - yy[i]) * (ax[i] - yy[i]);
        }
        int h = (int) a.inputShape().get(0);
        int w = (int) a.inputShape().get(1);
        double tv = 0;
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                double dy = i + 1 < h ? x[(i + 1) * w + j] - x[i * w + j] : 0;
                double dx = j + 1 < w ? x[i * w + j + 1] - x[i * w + j] : 0;
                tv += Math.sqrt(dy * dy + dx * dx);
            }
        }
        return data + lambda * tv;
    }

    static double psnr(float[] ref, float[] x) {
        double s = 0;
        for (int i = 0; i < ref.length; i++) {
            s += (ref[i] - x[i]) * (ref[i] - x[i]);
        }
        return 10 * Math.log10(100.0 * 100.0 / (s / ref.length));
    }

    @Test
    void pdhgAndFistaReachTheSameTvObjective() {
        try (NDManager m = manager.newSubManager()) {
            Shape shape = new Shape(N, N);
            NDArray truthArr = m.create(truth, shape);
            float[] holes = new float[N * N];
            Random r = new Random(5);
            for (int i = 0; i < holes.length; i++) {
                holes[i] = r.nextDouble() < 0.7 ? 1 : 0;
            }
            LinearOperator[] ops = {
                new Identity(shape),
                new Downsample(shape, 2),
                new Mask(m.create(holes, shape)),
            };
            for (LinearOperator a : ops) {
                NDArray clean = a.forward(truthArr);
                NDArray y = m.create(noisy(clean.toFloatArray(), 5, 11), a.outputShape());
                NDArray x0 = a.adjoint(y);
                double lambda = 4;
                StoppingRule tight = StoppingRule.of(3000, 1e-7);
                float[] pdhg = new TvPdhg(lambda, tight).solve(a, y, x0, Progress.NONE).estimate().toFloatArray();
                float[] fista = new FistaTv(lambda, tight, 20).solve(a, y, x0, Progress.NONE).estimate().toFloatArray();
                double fp = objective(a, pdhg, y, lambda);
                double ff = objective(a, fista, y, lambda);
                assertEquals(fp, ff, 2e-3 * fp, a.describe() + ": PDHG " + fp + " vs FISTA " + ff);
                assertTrue(objective(a, x0.toFloatArray(), y, lambda) > fp, a.describe());
            }
        }
    }

    @Test
    void fullyDualPathReachesTheSameObjectiveAsTheExactProximalPath() {
        try (NDManager m = manager.newSubManager()) {
            Shape shape = new Shape(N, N);
            Downsample a = new Downsample(shape, 2);
            NDArray y = m.create(noisy(a.forward(m.create(truth, shape)).toFloatArray(), 3, 12), a.outputShape());
            NDArray x0 = a.adjoint(y);
            double lambda = 2;
            StoppingRule tight = StoppingRule.of(4000, 1e-7);
            TvPdhg solver = new TvPdhg(lambda, tight);
            float[] exact = solver.solve(a, y, x0, Progress.NONE).estimate().toFloatArray();
            // the same operator without its diagonal A A^H: TvPdhg dualises the data term too
            LinearOperator opaque = new LinearOperator() {
                @Override public Shape inputShape() { return a.inputShape(); }
                @Override public Shape outputShape() { return a.outputShape(); }
                @Override public NDArray apply(NDArray x) { return a.apply(x); }
                @Override public NDArray applyAdjoint(NDArray v) { return a.applyAdjoint(v); }
            };
            float[] dual = solver.solve(opaque, y, x0, Progress.NONE).estimate().toFloatArray();
            double fe = objective(a, exact, y, lambda);
            double fd = objective(a, dual, y, lambda);
            assertEquals(fe, fd, 2e-3 * fe, "exact prox " + fe + " vs fully dual " + fd);
        }
    }

    @Test
    void plugAndPlayWithTvDenoiserBeatsTheStartingPoint() {
        try (NDManager m = manager.newSubManager()) {
            Shape shape = new Shape(N, N);
            Downsample a = new Downsample(shape, 2);
            NDArray y = m.create(noisy(a.forward(m.create(truth, shape)).toFloatArray(), 2, 3), a.outputShape());
            NDArray x0 = y.repeat(0, 2).repeat(1, 2);
            SolverResult r = new PnpHqs(new TvDenoiser(0.9, 30), 12).solve(a, y, x0, 2, 25, Progress.NONE);
            double before = psnr(truth, x0.toFloatArray());
            double after = psnr(truth, r.estimate().toFloatArray());
            assertTrue(after > before + 2, "PnP-HQS " + after + " dB vs replicated " + before + " dB");
        }
    }

    @Test
    void badParametersAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new FistaTv(-1, StoppingRule.of(10, 0)));
        assertTrue(e.getMessage().contains("lambda") && e.getMessage().contains("-1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TvPdhg(0, StoppingRule.of(10, 0)));
        assertThrows(IllegalArgumentException.class, () -> StoppingRule.of(0, 1e-3));
        assertThrows(IllegalArgumentException.class, () -> new PnpHqs(new TvDenoiser(0.9, 10), 0));
    }
}
