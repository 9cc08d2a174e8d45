package org.yax.core;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yax.core.noise.NoiseEstimator;
import org.yax.core.op.Downsample;
import org.yax.core.op.Identity;
import org.yax.core.op.LinearOperator;
import org.yax.core.op.Mask;
import org.yax.core.solve.SolverResult;
import org.yax.core.solve.StoppingRule;
import org.yax.core.solve.TikhonovCg;
import org.yax.core.solve.TvPdhg;
import org.yax.core.task.Method;
import org.yax.core.task.Task;

/**
 * The facade every front end calls: builds y = A x + e for each 2-D plane of an image, solves for x on
 * the chosen DJL device, and returns the result with a {@link Derivation} for the writer.
 *
 * <p>Missing pixels (NaN) are not measurements: they are masked out of A. They stay missing in the
 * result (for super-resolution: every high-resolution pixel over a missing one) unless the task is
 * inpainting, which fills them.
 */
public final class Reconstruction implements AutoCloseable {
    /** TV weight per unit of noise sigma for denoising (best of 0.5..1.3 on skimage camera at sigma 25). */
    static final double TV_WEIGHT_DENOISE = 0.9;
    /** TV weight per unit of noise sigma for super-resolution and inpainting (best of 0.15..1 on camera, x2). */
    static final double TV_WEIGHT_INVERSE = 0.2;
    /** Smallest regularisation relative to the plane's value range, so noiseless data still gets a stable solve. */
    static final double MIN_WEIGHT_OF_RANGE = 0.001;

    private final NDManager manager;

    /** On the engine's default device: the GPU when one is present, else the CPU. */
    public Reconstruction() {
        this(Engine.getInstance().defaultDevice());
    }

    public Reconstruction(Device device) {
        this.manager = NDManager.newBaseManager(device);
    }

    public Device device() {
        return manager.getDevice();
    }

    /** The result of {@link #run}. */
    public record Result(Image image, Derivation derivation, double[] sigmas, int iterations) { }

    public Result run(Image input, ReconstructionSettings settings, Progress progress) {
        if (settings.task() == Task.MRI) {
            throw new IllegalArgumentException("task mri reconstructs from k-space, which image files do not hold: "
                    + "use yax eval --task mri to simulate undersampled acquisitions");
        }
        Method method = settings.method() == Method.AUTO ? Method.TV : settings.method();
        int s = settings.scale();
        int outH = input.height() * s;
        int outW = input.width() * s;
        float[] out = new float[input.planeCount() * outH * outW];
        double[] sigmas = new double[input.planeCount()];
        int iterations = 0;
        for (int c = 0; c < input.channels(); c++) {
            for (int z = 0; z < input.depth(); z++) {
                int index = c * input.depth() + z;
                Progress planeProgress = progress.range((double) index / input.planeCount(),
                        (double) (index + 1) / input.planeCount());
                PlaneResult r = solvePlane(input.plane(c, z), input.height(), input.width(), settings, method,
                        planeProgress);
                System.arraycopy(r.pixels, 0, out, index * outH * outW, outH * outW);
                sigmas[index] = r.sigma;
                iterations += r.iterations;
            }
        }
        progress.report(1, "done");
        Map<String, String> params = new LinkedHashMap<>();
        params.put("sigma", settings.sigma() == null ? "auto" : format(settings.sigma()));
        if (settings.sigma() == null) {
            params.put("sigma_estimated", formatAll(sigmas));
        }
        Derivation derivation = new Derivation(settings.task().cliName(), method.cliName(), s, params, Version.get());
        return new Result(input.withPixels(out, outH, outW), derivation, sigmas, iterations);
    }

    private record PlaneResult(float[] pixels, double sigma, int iterations) { }

    private PlaneResult solvePlane(float[] plane, int h, int w, ReconstructionSettings settings, Method method,
                                   Progress progress) {
        Task task = settings.task();
        int s = settings.scale();
        boolean[] observed = new boolean[plane.length];
        int observedCount = 0;
        double sum = 0;
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < plane.length; i++) {
            float v = plane[i];
            if (Float.isInfinite(v)) {
                throw new IllegalArgumentException("pixel " + i + " is infinite: only NaN may mark missing data");
            }
            if (!Float.isNaN(v)) {
                observed[i] = true;
                observedCount++;
                sum += v;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        float[] result = new float[plane.length * s * s];
        if (observedCount == 0) {
            java.util.Arrays.fill(result, Float.NaN);
            return new PlaneResult(result, Double.NaN, 0);
        }
        float fill = (float) (sum / observedCount);
        float[] y = new float[plane.length];
        float[] maskValues = new float[plane.length];
        for (int i = 0; i < plane.length; i++) {
            y[i] = observed[i] ? plane[i] : 0f;
            maskValues[i] = observed[i] ? 1f : 0f;
        }
        double sigma = settings.sigma() != null ? settings.sigma() : NoiseEstimator.estimateGaussianSigma(plane, w, h);
        double range = Math.max(max - min, Float.MIN_NORMAL);
        boolean anyMissing = observedCount < plane.length;

        try (NDManager m = manager.newSubManager()) {
            Shape low = new Shape(h, w);
            NDArray yArr = m.create(y, low);
            LinearOperator a = switch (task) {
                case DENOISE -> new Identity(low);
                case SUPER_RESOLUTION -> Downsample.toLowRes(low, s);
                case INPAINT -> new Mask(m.create(maskValues, low));
                case MRI -> throw new IllegalStateException("rejected in run()");
            };
            if (anyMissing && task != Task.INPAINT) {
                a = new Mask(m.create(maskValues, low)).after(a);
            }
            // Start from y (missing pixels at the mean), replicated up for super-resolution.
            float[] start = y.clone();
            for (int i = 0; i < start.length; i++) {
                if (!observed[i]) {
                    start[i] = fill;
                }
            }
            NDArray x0 = m.create(start, low);
            if (s > 1) {
                x0 = x0.repeat(0, s).repeat(1, s);
            }
            SolverResult r = switch (method) {
                case TV -> new TvPdhg(tvWeight(task, sigma, range), stoppingFor(task)).solve(a, yArr, x0, progress);
                case TIKHONOV -> new TikhonovCg(tikhonovWeight(task, sigma, range), StoppingRule.of(500, 1e-5))
                        .solve(a, yArr, x0, progress);
                case AUTO -> throw new IllegalStateException("AUTO is resolved before solving");
            };
            float[] x = r.estimate().toFloatArray();
            int outW = w * s;
            for (int i = 0; i < x.length; i++) {
                int lowIndex = (i / outW / s) * w + (i % outW) / s;
                result[i] = observed[lowIndex] || task == Task.INPAINT ? x[i] : Float.NaN;
            }
            return new PlaneResult(result, sigma, r.iterations());
        }
    }

    private static StoppingRule stoppingFor(Task task) {
        return task == Task.DENOISE ? StoppingRule.of(300, 1e-4) : StoppingRule.of(1000, 1e-4);
    }

    static double tvWeight(Task task, double sigma, double range) {
        double perSigma = task == Task.DENOISE ? TV_WEIGHT_DENOISE : TV_WEIGHT_INVERSE;
        return Math.max(perSigma * sigma, MIN_WEIGHT_OF_RANGE * range);
    }

    /** mu for ||Ax - y||^2 + mu ||Dx||^2: grows with the noise-to-range ratio; dimensionless. */
    static double tikhonovWeight(Task task, double sigma, double range) {
        double ratio = Math.max(sigma / range, MIN_WEIGHT_OF_RANGE);
        return (task == Task.DENOISE ? 100 : 10) * ratio * ratio;
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    private static String formatAll(double[] values) {
        List<String> parts = new ArrayList<>();
        for (double v : values) {
            parts.add(format(v));
        }
        return String.join(",", parts);
    }

    @Override
    public void close() {
        manager.close();
    }
}
