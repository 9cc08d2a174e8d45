package org.yax.core.solve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.File;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.yax.core.Progress;
import org.yax.core.metric.TestImages;
import org.yax.core.op.Blur;
import org.yax.core.op.DataProximal;
import org.yax.core.op.Downsample;
import org.yax.core.op.FourierSampling;
import org.yax.core.op.HostDataProximal;
import org.yax.core.op.HostOperator;
import org.yax.core.op.HostPool;
import org.yax.core.op.Identity;
import org.yax.core.op.KernelDownsample;
import org.yax.core.op.LinearOperator;
import org.yax.core.op.Mask;
import org.yax.core.op.SamplingMask;

/**
 * The host kernels (ComputePath.HOST) against the engine's solvers and operators (ComputePath.DJL) on a real image
 * (scikit-image's camera, held out): the same iterations, and every pixel equal to float rounding, measured relative
 * to the image's range. No timing.
 */
class HostKernelsTest {
    /** Largest allowed |host - engine| / range. */
    static final double TOLERANCE = 1e-5;
    static final File CAMERA = new File("../sample-data/data/heldout/camera.png");

    @AfterEach
    void reset() {
        ComputePath.set(ComputePath.AUTO);
        HostPool.setThreads(Runtime.getRuntime().availableProcessors());
    }

    static TestImages.Plane camera(int size) {
        File f = CAMERA.isFile() ? CAMERA : new File(TestImages.SKIMAGE_DATA, "camera.png");
        TestImages.Plane full = TestImages.grey(f);
        return size == full.width() ? full : full.crop(0, 0, size, size);
    }

    /** Solves with each path; returns {engine, host} estimates after checking iterations agree. */
    static float[][] bothPaths(Function<NDManager, SolverResult> solve) {
        float[][] out = new float[2][];
        int[] iterations = new int[2];
        ComputePath[] paths = {ComputePath.DJL, ComputePath.HOST};
        for (int k = 0; k < 2; k++) {
            ComputePath.set(paths[k]);
            try (NDManager m = NDManager.newBaseManager()) {
                SolverResult r = solve.apply(m);
                out[k] = r.estimate().toFloatArray();
                iterations[k] = r.iterations();
            }
        }
        assertEquals(iterations[0], iterations[1], "iterations");
        return out;
    }

    static double worst(float[] expected, float[] actual, double range) {
        assertEquals(expected.length, actual.length);
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]) / range);
        }
        return worst;
    }

    static void assertClose(String what, float[][] both, double range) {
        double w = worst(both[0], both[1], range);
        System.out.printf("%s: max |host - engine| / range = %.2e%n", what, w);
        assertTrue(w < TOLERANCE, what + ": host differs from the engine by " + w + " of the range");
    }

    static Mask randomMask(NDManager m, Shape shape, double missing, long seed) {
        Random r = new Random(seed);
        float[] v = new float[(int) shape.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextDouble() < missing ? 0f : 1f;
        }
        return new Mask(m.create(v, shape));
    }

    @Test
    void pdhgDenoiseOnTheFullCameraMatchesTheEngine() {
        TestImages.Plane noisy = camera(512).withNoise(20, 1);
        Shape s = new Shape(512, 512);
        float[][] both = bothPaths(m -> new TvPdhg(18, StoppingRule.of(100, 0))
                .solve(new Identity(s), m.create(noisy.pixels(), s), m.create(noisy.pixels(), s), Progress.NONE));
        assertClose("pdhg denoise 512", both, 255);
    }

    /**
     * Wide planes: the row kernels (PlaneTvPdhg, PlaneTvProx) take a line whole, the masked path stages lines wider
     * than LineScratch.SEGMENT in several segments.
     */
    @Test
    void linesWiderThanOneSegmentMatchTheEngine() {
        TestImages.Plane cam = camera(512).withNoise(20, 7);
        int h = 40;
        int w = 2 * LineScratch.SEGMENT + 77;
        float[] wide = new float[h * w];
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                wide[r * w + c] = cam.pixels()[(r + 200) * 512 + (c % 512)];
            }
        }
        Shape s = new Shape(h, w);
        float[][] pdhg = bothPaths(m -> new TvPdhg(18, StoppingRule.of(50, 0))
                .solve(new Identity(s), m.create(wide, s), m.create(wide, s), Progress.NONE));
        assertClose("pdhg denoise, wide lines", pdhg, 255);
        float[][] fista = bothPaths(m -> new FistaTv(18, StoppingRule.of(10, 0))
                .solve(new Identity(s), m.create(wide, s), m.create(wide, s), Progress.NONE));
        assertClose("fista denoise, wide lines", fista, 255);
        float[][] inpaint = bothPaths(m -> {
            Mask a = randomMask(m, s, 0.4, 8);
            NDArray y = a.apply(m.create(wide, s));
            return new TvPdhg(5, StoppingRule.of(40, 0)).solve(a, y, y, Progress.NONE);
        });
        assertClose("pdhg inpaint, wide lines", inpaint, 255);
    }

    /**
     * The row kernels of planes (PlaneTvPdhg, PlaneTvProx) on shapes whose borders meet: one row, one column, two
     * rows, odd sizes; PDHG and FISTA against the engine.
     */
    @Test
    void planeKernelsOnThinAndOddShapesMatchTheEngine() {
        TestImages.Plane cam = camera(512).withNoise(20, 11);
        int[][] shapes = {{1, 37}, {29, 1}, {2, 5}, {3, 2}, {33, 17}, {1, 1}};
        for (int[] hw : shapes) {
            float[] pixels = cam.crop(100, 150, hw[1], hw[0]).pixels();
            Shape s = new Shape(hw[0], hw[1]);
            float[][] pdhg = bothPaths(m -> new TvPdhg(18, StoppingRule.of(30, 0))
                    .solve(new Identity(s), m.create(pixels, s), m.create(pixels, s), Progress.NONE));
            assertClose("pdhg denoise " + s, pdhg, 255);
            float[][] fista = bothPaths(m -> new FistaTv(18, StoppingRule.of(8, 0))
                    .solve(new Identity(s), m.create(pixels, s), m.create(pixels, s), Progress.NONE));
            assertClose("fista denoise " + s, fista, 255);
        }
    }

    /**
     * The row kernels on one thread (plain loops), in bands of rows on 2 and 4 threads (RowBands), and in passes of
     * several iterations split over the threads (RowPipeline, which small planes take here with
     * PlaneSchedule.cachedPixels at 0), with heights smaller than the number of iterations in a pass or than the
     * threads: the same bits.
     */
    @Test
    void planeKernelsGiveTheSameBitsOnOneTwoAndFourThreadsInBandsAndInThePipeline() {
        TestImages.Plane cam = camera(512).withNoise(20, 13);
        ComputePath.set(ComputePath.HOST);
        int[][] shapes = {{5, 67}, {7, 1}, {2, 40}, {61, 33}, {1, 9}};
        long cached = PlaneSchedule.cachedPixels;
        try {
            for (int[] hw : shapes) {
                float[] pixels = cam.crop(60, 70, hw[1], hw[0]).pixels();
                Shape s = new Shape(hw[0], hw[1]);
                float[] plain = null;
                for (long cachedPixels : new long[] {cached, 0}) {
                    PlaneSchedule.cachedPixels = cachedPixels;
                    for (int threads : new int[] {1, 2, 4}) {
                        HostPool.setThreads(threads);
                        String schedule = PlaneSchedule.of(hw[0], hw[1]).name();
                        float[] out = pdhgThenFista(pixels, s);
                        if (plain == null) {
                            assertEquals("PLAIN", schedule, "1 thread, " + s);
                            plain = out;
                        } else {
                            assertArrayEquals(plain, out, threads + " threads (" + schedule + ") against 1, " + s);
                        }
                    }
                }
            }
        } finally {
            PlaneSchedule.cachedPixels = cached;
        }
    }

    /** TvPdhg's, FistaTv's and masked FistaTv's estimates one after the other. */
    private static float[] pdhgThenFista(float[] pixels, Shape s) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray y = m.create(pixels, s);
            float[] a = new TvPdhg(18, StoppingRule.of(25, 1e-9)).solve(new Identity(s), y, y, Progress.NONE)
                    .estimate().toFloatArray();
            float[] b = new FistaTv(18, StoppingRule.of(6, 1e-9)).solve(new Identity(s), y, y, Progress.NONE)
                    .estimate().toFloatArray();
            // A not I: the prox alone on the rows (PlaneTvProx.iterate)
            Mask mask = randomMask(m, s, 0.6, 5);
            NDArray observed = mask.apply(y);
            float[] c = new FistaTv(5, StoppingRule.of(4, 1e-9)).solve(mask, observed, observed, Progress.NONE)
                    .estimate().toFloatArray();
            float[] out = new float[a.length + b.length + c.length];
            System.arraycopy(a, 0, out, 0, a.length);
            System.arraycopy(b, 0, out, a.length, b.length);
            System.arraycopy(c, 0, out, a.length + b.length, c.length);
            return out;
        }
    }

    /**
     * Passes longer than RowPipeline.MAX_STAGES (small planes sent through the pipeline): PDHG checking every 40
     * iterations (passes of 16, 16 and 8) and FISTA with 20 inner iterations (its per-stage rings reused) against the
     * engine, and 1 and 2 threads give the same bits.
     */
    @Test
    void passesLongerThanThePipelineMatchTheEngine() {
        TestImages.Plane cam = camera(512).withNoise(20, 17);
        float[] pixels = cam.crop(10, 20, 45, 38).pixels();
        Shape s = new Shape(38, 45);
        float[][][] byThreads = new float[2][][];
        long cached = PlaneSchedule.cachedPixels;
        PlaneSchedule.cachedPixels = 0;
        try {
            for (int threads = 1; threads <= 2; threads++) {
                HostPool.setThreads(threads);
                float[][] pdhg = bothPaths(m -> new TvPdhg(18, new StoppingRule(40, 0, 40))
                        .solve(new Identity(s), m.create(pixels, s), m.create(pixels, s), Progress.NONE));
                assertClose("pdhg denoise, passes of 16 (" + threads + " threads)", pdhg, 255);
                float[][] fista = bothPaths(m -> new FistaTv(18, StoppingRule.of(5, 0), 20)
                        .solve(new Identity(s), m.create(pixels, s), m.create(pixels, s), Progress.NONE));
                assertClose("fista denoise, 20 inner iterations (" + threads + " threads)", fista, 255);
                byThreads[threads - 1] = new float[][] {pdhg[1], fista[1]};
            }
        } finally {
            PlaneSchedule.cachedPixels = cached;
        }
        assertArrayEquals(byThreads[0][0], byThreads[1][0], "pdhg, 1 and 2 threads");
        assertArrayEquals(byThreads[0][1], byThreads[1][1], "fista, 1 and 2 threads");
    }

    @Test
    void pdhgInpaintAndSuperResolutionAndBlurMatchTheEngine() {
        TestImages.Plane img = camera(128);
        Shape s = new Shape(128, 128);
        float[][] inpaint = bothPaths(m -> {
            Mask a = randomMask(m, s, 0.5, 3);
            NDArray y = a.apply(m.create(img.withNoise(5, 2).pixels(), s));
            return new TvPdhg(5, StoppingRule.of(80, 0)).solve(a, y, y, Progress.NONE);
        });
        assertClose("pdhg inpaint", inpaint, 255);
        float[][] sr = bothPaths(m -> {
            LinearOperator a = Downsample.toLowRes(new Shape(64, 64), 2);
            NDArray y = a.apply(m.create(img.pixels(), s));
            NDArray x0 = a.applyAdjoint(y).mul(4);
            return new TvPdhg(2, StoppingRule.of(80, 0)).solve(a, y, x0, Progress.NONE);
        });
        assertClose("pdhg sr x2", sr, 255);
        float[][] maskedSr = bothPaths(m -> {
            LinearOperator a = randomMask(m, new Shape(32, 32), 0.2, 4).after(Downsample.toLowRes(new Shape(32, 32), 4));
            NDArray y = a.apply(m.create(img.pixels(), s));
            return new TvPdhg(2, StoppingRule.of(60, 0)).solve(a, y, a.applyAdjoint(y).mul(16), Progress.NONE);
        });
        assertClose("pdhg masked sr x4", maskedSr, 255);
        float[][] deblur = bothPaths(m -> {
            LinearOperator a = Blur.gaussian(s, 1.5);
            NDArray y = a.apply(m.create(img.pixels(), s)).add(m.create(img.withNoise(2, 5).pixels(), s)
                    .sub(m.create(img.pixels(), s)));
            return new TvPdhg(2, StoppingRule.of(60, 0)).solve(a, y, y, Progress.NONE);
        });
        assertClose("pdhg deblur", deblur, 255);
    }

    /** MRI (Fourier sampling, the host FFT) and the bicubic SR operator through every solver. */
    @Test
    void mriAndBicubicSuperResolutionMatchTheEngine() {
        TestImages.Plane img = camera(128);
        Shape s = new Shape(128, 128);
        SamplingMask sampling = SamplingMask.variableDensity(128, 128, 4, 0.08, 3);
        Function<NDManager, NDArray> kspace = m -> FourierSampling.ofRealImage(sampling).apply(m.create(img.pixels(), s));
        float[][] tv = bothPaths(m -> {
            FourierSampling a = FourierSampling.ofRealImage(sampling);
            NDArray y = kspace.apply(m);
            return new TvPdhg(3, StoppingRule.of(60, 0)).solve(a, y, a.applyAdjoint(y), Progress.NONE);
        });
        assertClose("pdhg mri", tv, 255);
        float[][] cg = bothPaths(m -> {
            FourierSampling a = FourierSampling.ofRealImage(sampling);
            NDArray y = kspace.apply(m);
            return new TikhonovCg(0.05, StoppingRule.of(30, 1e-6)).solve(a, y, a.applyAdjoint(y), Progress.NONE);
        });
        assertClose("tikhonov mri", cg, 255);
        float[][] fista = bothPaths(m -> {
            FourierSampling a = FourierSampling.ofRealImage(sampling);
            NDArray y = kspace.apply(m);
            return new FistaTv(3, StoppingRule.of(20, 0)).solve(a, y, a.applyAdjoint(y), Progress.NONE);
        });
        assertClose("fista mri", fista, 255);
        float[][] bicubic = bothPaths(m -> {
            KernelDownsample a = KernelDownsample.bicubic(s, 2);
            NDArray y = a.apply(m.create(img.pixels(), s));
            return new TvPdhg(2, StoppingRule.of(60, 0)).solve(a, y, a.applyAdjoint(y).mul(4), Progress.NONE);
        });
        assertClose("pdhg bicubic sr x2", bicubic, 255);
        float[][] bicubicCg = bothPaths(m -> {
            KernelDownsample a = KernelDownsample.bicubic(s, 4);
            NDArray y = a.apply(m.create(img.pixels(), s));
            return new TikhonovCg(0.05, StoppingRule.of(30, 1e-6)).solve(a, y, a.applyAdjoint(y).mul(16), Progress.NONE);
        });
        assertClose("tikhonov bicubic sr x4", bicubicCg, 255);
    }

    @Test
    void fistaMatchesTheEngineOnPlanesAndVolumes() {
        TestImages.Plane noisy = camera(256).withNoise(20, 1);
        Shape s = new Shape(256, 256);
        float[][] denoise = bothPaths(m -> new FistaTv(18, StoppingRule.of(20, 0), 10)
                .solve(new Identity(s), m.create(noisy.pixels(), s), m.create(noisy.pixels(), s), Progress.NONE));
        assertClose("fista denoise", denoise, 255);
        TestImages.Plane img = camera(128);
        Shape hr = new Shape(128, 128);
        float[][] sr = bothPaths(m -> {
            LinearOperator a = Downsample.toLowRes(new Shape(64, 64), 2);
            NDArray y = a.apply(m.create(img.pixels(), hr));
            return new FistaTv(2, StoppingRule.of(30, 0)).solve(a, y, a.applyAdjoint(y).mul(4), Progress.NONE);
        });
        assertClose("fista sr x2", sr, 255);
        float[][] deblur = bothPaths(m -> {
            LinearOperator a = Blur.motion(hr, 7, 30);
            NDArray y = a.apply(m.create(img.pixels(), hr));
            return new FistaTv(1, StoppingRule.of(20, 0)).solve(a, y, y, Progress.NONE);
        });
        assertClose("fista deblur", deblur, 255);
        // a volume: 8 slices of the camera's crops, 3-D TV
        Shape v = new Shape(8, 64, 64);
        float[] volume = new float[8 * 64 * 64];
        TestImages.Plane big = camera(512).withNoise(15, 9);
        for (int z = 0; z < 8; z++) {
            System.arraycopy(big.crop(40 * z, 100, 64, 64).pixels(), 0, volume, z * 4096, 4096);
        }
        float[][] vol = bothPaths(m -> new FistaTv(10, StoppingRule.of(15, 0))
                .solve(new Identity(v), m.create(volume, v), m.create(volume, v), Progress.NONE));
        assertClose("fista 3-D denoise", vol, 255);
        float[][] volPdhg = bothPaths(m -> new TvPdhg(10, StoppingRule.of(40, 0)).withAxisWeights(0.5, 1, 1)
                .solve(new Identity(v), m.create(volume, v), m.create(volume, v), Progress.NONE));
        assertClose("pdhg 3-D denoise, z weight 0.5", volPdhg, 255);
    }

    @Test
    void tikhonovCgMatchesTheEngine() {
        TestImages.Plane img = camera(128);
        Shape s = new Shape(128, 128);
        float[][] denoise = bothPaths(m -> new TikhonovCg(0.5, StoppingRule.of(40, 1e-6))
                .solve(new Identity(s), m.create(img.withNoise(10, 3).pixels(), s), m.zeros(s), Progress.NONE));
        assertClose("tikhonov denoise", denoise, 255);
        float[][] sr = bothPaths(m -> {
            LinearOperator a = Downsample.toLowRes(new Shape(64, 64), 2);
            NDArray y = a.apply(m.create(img.pixels(), s));
            return new TikhonovCg(0.05, StoppingRule.of(40, 1e-6)).solve(a, y, a.applyAdjoint(y).mul(4), Progress.NONE);
        });
        assertClose("tikhonov sr x2", sr, 255);
        // CG in float32 carries rounding differences through its scalars; a weakly regularised deblur (mu 0.01)
        // amplifies them to ~4e-5 of the range after 30 iterations on either path, so this case is conditioned
        float[][] deblur = bothPaths(m -> {
            LinearOperator a = Blur.gaussian(s, 2);
            NDArray y = a.apply(m.create(img.pixels(), s));
            return new TikhonovCg(0.2, StoppingRule.of(30, 1e-6)).solve(a, y, y, Progress.NONE);
        });
        assertClose("tikhonov deblur", deblur, 255);
    }

    @Test
    void hostOperatorsMatchTheEngineForwardAndAdjoint() {
        TestImages.Plane img = camera(64);
        try (NDManager m = NDManager.newBaseManager()) {
            Shape s = new Shape(64, 64);
            float[][] psf = new float[9][15];
            Random r = new Random(4);
            for (float[] row : psf) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = r.nextFloat();
                }
            }
            Shape tiny = new Shape(5, 7);
            LinearOperator[] ops = {new Identity(s), randomMask(m, s, 0.3, 1), Downsample.toLowRes(new Shape(16, 16), 4),
                Blur.gaussian(s, 2.5), Blur.motion(s, 9, 20), Blur.withPsf(s, psf), Blur.box(tiny, 9),
                randomMask(m, new Shape(32, 32), 0.4, 2).after(Downsample.toLowRes(new Shape(32, 32), 2)),
                KernelDownsample.bicubic(s, 2), KernelDownsample.bicubic(s, 4), KernelDownsample.gaussian(new Shape(48, 36), 3, 1.2),
                // a power of two (radix 2) and lengths that are not (Bluestein), in both axes
                FourierSampling.ofRealImage(SamplingMask.variableDensity(64, 64, 4, 0.08, 1)),
                FourierSampling.ofRealImage(SamplingMask.equispaced(48, 40, 3, 0.1)),
                FourierSampling.ofRealImage(SamplingMask.variableDensity(30, 64, 2, 0.1, 2))};
            for (LinearOperator a : ops) {
                HostOperator h = HostOperator.of(a);
                int n = (int) a.inputShape().size();
                float[] x = new float[n];
                for (int i = 0; i < n; i++) {
                    x[i] = img.pixels()[i % img.pixels().length];
                }
                float[] y = new float[(int) a.outputShape().size()];
                for (int i = 0; i < y.length; i++) {
                    y[i] = (float) r.nextGaussian() * 100;
                }
                float[] ax = new float[y.length];
                float[] ahy = new float[n];
                h.apply(x, ax);
                h.applyAdjoint(y, ahy);
                double fw = worst(a.apply(m.create(x, a.inputShape())).toFloatArray(), ax, 255);
                double ad = worst(a.applyAdjoint(m.create(y, a.outputShape())).toFloatArray(), ahy, 255);
                assertTrue(fw < 1e-5 && ad < 1e-5, a.describe() + ": forward " + fw + ", adjoint " + ad);
                if (a instanceof DataProximal d) {
                    float[] v = new float[n];
                    for (int i = 0; i < n; i++) {
                        v[i] = (float) r.nextGaussian() * 50 + 100;
                    }
                    float[] correction = new float[n];
                    ((HostDataProximal) h).proximal(ax).correction(v, 0.7, correction);
                    float[] hostProx = new float[n];
                    for (int i = 0; i < n; i++) {
                        hostProx[i] = v[i] - correction[i];
                    }
                    double px = worst(d.dataProximal(m.create(v, a.inputShape()), m.create(ax, a.outputShape()), 0.7)
                            .toFloatArray(), hostProx, 255);
                    assertTrue(px < 1e-5, a.describe() + ": data proximal step " + px);
                }
            }
        }
    }

    @Test
    void hostResultsDoNotDependOnTheThreadCount() {
        TestImages.Plane noisy = camera(128).withNoise(20, 1);
        Shape s = new Shape(128, 128);
        ComputePath.set(ComputePath.HOST);
        float[][] out = new float[2][];
        int[] threads = {1, 3};
        for (int k = 0; k < 2; k++) {
            HostPool.setThreads(threads[k]);
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray y = m.create(noisy.pixels(), s);
                LinearOperator sr = Downsample.toLowRes(new Shape(64, 64), 2);
                NDArray low = sr.apply(y);
                float[] a = new TvPdhg(18, StoppingRule.of(30, 0)).solve(new Identity(s), y, y, Progress.NONE)
                        .estimate().toFloatArray();
                float[] b = new FistaTv(18, StoppingRule.of(5, 0)).solve(new Identity(s), y, y, Progress.NONE)
                        .estimate().toFloatArray();
                float[] c = new TikhonovCg(0.1, StoppingRule.of(20, 0)).solve(sr, low, sr.applyAdjoint(low),
                        Progress.NONE).estimate().toFloatArray();
                float[] all = new float[a.length + b.length + c.length];
                System.arraycopy(a, 0, all, 0, a.length);
                System.arraycopy(b, 0, all, a.length, b.length);
                System.arraycopy(c, 0, all, a.length + b.length, c.length);
                out[k] = all;
            }
        }
        assertArrayEquals(out[0], out[1], "1 and 3 threads");
    }
}
