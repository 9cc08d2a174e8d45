package org.yax.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.yax.core.metric.ImageQuality;
import org.yax.core.noise.GaussianNoise;
import org.yax.core.noise.NoiseLevel;
import org.yax.core.op.FourierSampling;
import org.yax.core.op.LinearOperator;
import org.yax.core.op.Psf;
import org.yax.core.op.SamplingMask;
import org.yax.core.solve.Interpolation;
import org.yax.core.solve.RestorationNetwork;
import org.yax.core.task.Method;
import org.yax.core.task.MriRecipe;
import org.yax.core.task.Solvers;
import org.yax.core.task.Task;
import org.yax.core.task.TaskRecipe;

/**
 * Simulates y = A x + e from a clean image with the same operators reconstruction uses, runs each
 * method on y, and scores the estimates against x (PSNR, SSIM, time). Every evaluation scores its task's naive
 * baseline first ({@link #baselineFor}: what a user gets without any solver), so no method's result is read
 * without it. Baselines: the measurement itself ("noisy", "blurred"), "nearest" and "bicubic" upsampling, "filled"
 * missing pixels (normalised convolution), the "zero-filled" inverse Fourier transform.
 */
public final class Evaluation {
    /**
     * @param task            what to simulate
     * @param sigma           noise standard deviation: image units, or a fraction of the clean image's data
     *                        range when {@code sigmaIsFraction}
     * @param sigmaIsFraction see sigma
     * @param scale           super-resolution factor (1 otherwise)
     * @param missingFraction share of pixels removed for inpainting (0..1)
     * @param acceleration    undersampling factor for MRI (2..8; ignored otherwise)
     * @param seed            seed of the noise and of the missing-pixel pattern
     * @param methods         methods and baselines to run, by name ({@link #methodsFor})
     * @param psf             the blur of {@link Task#DEBLUR} (required there, null otherwise)
     * @param adaptSteps      test-time adaptation steps of the "adapted" method (the network's head after that
     *                        many self-supervised steps on the measurement)
     * @param estimateSigma   the solvers estimate the noise from the measurement, as {@code yax reconstruct} does by
     *                        default ({@link NoiseLevel#AUTO}), instead of being told the simulated sigma; not for
     *                        MRI, whose measurements no user run reads
     */
    public record Settings(Task task, double sigma, boolean sigmaIsFraction, int scale, double missingFraction,
                           int acceleration, long seed, List<String> methods, Psf psf, int adaptSteps,
                           boolean estimateSigma) {
        /** Settings without test-time adaptation whose solvers are told the simulated sigma. */
        public Settings(Task task, double sigma, boolean sigmaIsFraction, int scale, double missingFraction,
                        int acceleration, long seed, List<String> methods, Psf psf) {
            this(task, sigma, sigmaIsFraction, scale, missingFraction, acceleration, seed, methods, psf, 0, false);
        }

        public Settings {
            if (estimateSigma && task == Task.MRI) {
                throw new IllegalArgumentException("an estimated sigma applies to tasks run on images, not "
                        + task.cliName() + " (its measurements are simulated k-space)");
            }
            if (adaptSteps < 0) {
                throw new IllegalArgumentException("adaptation steps must be >= 0, got " + adaptSteps);
            }
            if ((task == Task.DEBLUR) != (psf != null)) {
                throw new IllegalArgumentException(task == Task.DEBLUR ? "task deblur needs a psf"
                        : "a psf applies to task deblur only, not " + task.cliName());
            }
            if (!(sigma >= 0) || Double.isInfinite(sigma)) {
                throw new IllegalArgumentException("sigma must be a finite number >= 0, got " + sigma);
            }
            if (!(missingFraction >= 0 && missingFraction < 1)) {
                throw new IllegalArgumentException("missing fraction must be in [0, 1), got " + missingFraction);
            }
            for (String m : methods) {
                if (!methodsFor(task).contains(m)) {
                    throw new IllegalArgumentException("method '" + m + "' does not apply to task " + task.cliName()
                            + " (available: " + String.join(", ", methodsFor(task)) + ")");
                }
            }
            List<String> withBaseline = new ArrayList<>(List.of(baselineFor(task)));
            methods.stream().filter(m -> !m.equals(baselineFor(task))).distinct().forEach(withBaseline::add);
            methods = List.copyOf(withBaseline);
        }

        /** Settings of a task without a PSF (every task but deblur). */
        public Settings(Task task, double sigma, boolean sigmaIsFraction, int scale, double missingFraction,
                        int acceleration, long seed, List<String> methods) {
            this(task, sigma, sigmaIsFraction, scale, missingFraction, acceleration, seed, methods, null);
        }
    }

    /**
     * One method's score on one image, and its estimate (the truth's grid; for a baseline that is the
     * measurement itself, the measurement's grid). {@code sigma} is the noise the method was told: the simulated
     * one, or with {@link Settings#estimateSigma} the median of its per-plane estimates (baselines: the simulated).
     */
    public record Row(String method, double psnr, double ssim, double seconds, double sigma, Image estimate) {
        public Row(String method, double psnr, double ssim, double seconds, double sigma) {
            this(method, psnr, ssim, seconds, sigma, null);
        }
    }

    /**
     * The simplest thing a user could do instead of reconstructing, which every evaluation scores first and which
     * {@code --method auto} must beat (docs/MODELS.md): the noisy or blurred input itself, bicubic interpolation,
     * missing pixels filled by normalised convolution, the zero-filled inverse Fourier transform.
     */
    public static String baselineFor(Task task) {
        return switch (task) {
            case DENOISE -> "noisy";
            case SUPER_RESOLUTION -> "bicubic";
            case INPAINT -> "filled";
            case DEBLUR -> "blurred";
            case MRI -> "zero-filled";
        };
    }

    /** Everything that can be run for a task: its baselines first, then the classical and learned solvers. */
    public static List<String> methodsFor(Task task) {
        List<String> all = new ArrayList<>(classicalMethodsFor(task));
        all.addAll(learnedMethodsFor(task));
        return all;
    }

    /** Baselines and classical solvers: what runs without a learned model. */
    public static List<String> classicalMethodsFor(Task task) {
        return switch (task) {
            case DENOISE -> List.of("noisy", "tikhonov", "tv", "nlm");
            case SUPER_RESOLUTION -> List.of("nearest", "bicubic", "tikhonov", "tv");
            case INPAINT -> List.of("filled", "tikhonov", "tv");
            case DEBLUR -> List.of("blurred", "tikhonov", "tv");
            case MRI -> List.of("zero-filled", "tikhonov", "tv");
        };
    }

    /**
     * Methods that need a learned model: its direct head ("network"), plug-and-play with it as the prior
     * ("pnp"), and the head after test-time adaptation ("adapted"). MRI and deblurring have no head:
     * plug-and-play only.
     */
    public static List<String> learnedMethodsFor(Task task) {
        return task == Task.MRI || task == Task.DEBLUR ? List.of("pnp") : List.of("network", "pnp", "adapted");
    }

    private final Reconstruction reconstruction;

    public Evaluation(Reconstruction reconstruction) {
        this.reconstruction = reconstruction;
    }

    public List<Row> run(Image clean, Settings settings, Progress progress) {
        Image truth = cropToMultiple(clean, settings.scale());
        double range = ImageQuality.dataRange(truth.pixels());
        if (!(range > 0)) {
            throw new IllegalArgumentException("the clean image is constant: nothing to evaluate");
        }
        double sigma = settings.sigmaIsFraction() ? settings.sigma() * range : settings.sigma();
        if (settings.task() == Task.MRI) {
            return runMri(truth, settings, sigma, range, progress);
        }
        Image measured = simulate(truth, settings, sigma);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < settings.methods().size(); i++) {
            String method = settings.methods().get(i);
            Progress p = progress.range((double) i / settings.methods().size(), (double) (i + 1) / settings.methods().size());
            long t0 = System.nanoTime();
            Estimate estimate = estimate(method, measured, settings, sigma, p);
            double seconds = (System.nanoTime() - t0) / 1e9;
            double[] q = ImageQuality.measure(truth, estimate.image());
            rows.add(new Row(method, q[0], q[1], seconds, estimate.sigma(), estimate.image()));
        }
        return rows;
    }

    /**
     * The simulated measurement y = A x + e that {@link #run} scores the methods on (the clean image cropped
     * to a multiple of the scale). MRI measures k-space, not an image: its "zero-filled" row shows it instead.
     */
    public static Image measurement(Image clean, Settings settings) {
        if (settings.task() == Task.MRI) {
            throw new IllegalArgumentException("an MRI measurement is k-space, not an image: see the zero-filled row");
        }
        Image truth = cropToMultiple(clean, settings.scale());
        double sigma = settings.sigmaIsFraction() ? settings.sigma() * ImageQuality.dataRange(truth.pixels())
                : settings.sigma();
        return simulate(truth, settings, sigma);
    }

    /**
     * MRI measurements are k-space, not an image, so this path builds y = M F x + e per plane itself
     * (variable-density random lines, fully sampled centre, complex Gaussian noise on acquired samples).
     */
    private List<Row> runMri(Image truth, Settings s, double sigma, double range, Progress progress) {
        List<String> methods = s.methods();
        float[][] estimates = new float[methods.size()][truth.pixels().length];
        double[] seconds = new double[methods.size()];
        Random random = new Random(s.seed());
        int h = truth.height();
        int w = truth.width();
        SamplingMask mask = SamplingMask.variableDensity(h, w, s.acceleration(), 0.08, s.seed());
        MriRecipe recipe = (MriRecipe) TaskRecipe.of(Task.MRI, 1, null);
        FourierSampling a = recipe.operator(mask);
        try (NDManager m = NDManager.newBaseManager(reconstruction.device())) {
            for (int p = 0; p < truth.planeCount(); p++) {
                float[] plane = truth.plane(p / truth.depth(), p % truth.depth());
                float[] noise = new float[h * w * 2];
                for (int i = 0; i < noise.length; i++) {
                    noise[i] = mask.isSampled(i / 2 / w) ? (float) (sigma * random.nextGaussian()) : 0f;
                }
                try (NDManager pm = m.newSubManager()) {
                    NDArray y = a.forward(pm.create(plane, a.inputShape())).add(pm.create(noise, a.outputShape()));
                    NDArray zeroFilled = a.adjoint(y);
                    for (int k = 0; k < methods.size(); k++) {
                        long t0 = System.nanoTime();
                        NDArray x = methods.get(k).equals("zero-filled") ? zeroFilled
                                : solveMri(Method.fromName(methods.get(k)), recipe, a, y, zeroFilled, sigma, range,
                                        progress);
                        System.arraycopy(x.toFloatArray(), 0, estimates[k], p * h * w, h * w);
                        seconds[k] += (System.nanoTime() - t0) / 1e9;
                    }
                }
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int k = 0; k < methods.size(); k++) {
            double[] q = ImageQuality.measure(truth, truth.withPixels(estimates[k], h, w));
            rows.add(new Row(methods.get(k), q[0], q[1], seconds[k], sigma, truth.withPixels(estimates[k], h, w)));
        }
        return rows;
    }

    /**
     * A method on y = M F x + e from the zero-filled start. Plug-and-play works in the network's normalised units,
     * where the image's low end is 0: the operator is linear, so the normalised measurement is
     * (y - A lo) / range with lo the zero-filled image's minimum (a measured quantity; CT values in HU or a
     * photograph whose darkest grey is 99 would otherwise reach the network far outside its [0, 1]).
     */
    private NDArray solveMri(Method method, MriRecipe recipe, FourierSampling a, NDArray y, NDArray zeroFilled,
                             double sigma, double range, Progress progress) {
        if (!method.isLearned()) {
            return Solvers.of(method, recipe, sigma, range, null, null, false).solve(a, y, zeroFilled, progress)
                    .estimate();
        }
        RestorationNetwork network = reconstruction.network();
        if (network == null) {
            throw new IllegalArgumentException("method pnp needs a learned model (--model)");
        }
        float lo = zeroFilled.min().getFloat();
        NDArray normalised = y.sub(a.forward(zeroFilled.getManager().full(a.inputShape(), lo))).div(range);
        return Solvers.of(method, recipe, sigma, range, network, null, false)
                .solve(a, normalised, a.adjoint(normalised), progress).estimate().mul(range).add(lo);
    }

    /** A method's estimate and the noise sigma it was told. */
    private record Estimate(Image image, double sigma) { }

    private Estimate estimate(String method, Image y, Settings s, double sigma, Progress progress) {
        Image baseline = switch (method) {
            case "noisy", "blurred" -> y;
            case "nearest" -> upsample(y, s.scale(), false);
            case "bicubic" -> upsample(y, s.scale(), true);
            case "filled" -> filled(y);
            default -> null;
        };
        if (baseline != null) {
            return new Estimate(baseline, sigma);
        }
        NoiseLevel told = s.estimateSigma() ? NoiseLevel.AUTO : NoiseLevel.given(sigma);
        ReconstructionSettings solve = method.equals("adapted")
                ? new ReconstructionSettings(s.task(), s.scale(), told, Method.NETWORK, s.psf(),
                        Math.max(1, s.adaptSteps()))
                : new ReconstructionSettings(s.task(), s.scale(), told, Method.fromName(method), s.psf());
        Reconstruction.Result solved = reconstruction.run(y, solve, progress);
        return new Estimate(solved.image(), NoiseLevel.median(solved.sigmas()));
    }

    /**
     * y = A x + e per plane: A from the task's recipe (the same operators reconstruction inverts), e Gaussian;
     * inpainting's A, the missing pixels, is drawn after the noise.
     */
    static Image simulate(Image truth, Settings s, double sigma) {
        TaskRecipe recipe = TaskRecipe.of(s.task(), s.scale(), s.psf());
        Random random = new Random(s.seed());
        GaussianNoise noise = new GaussianNoise(sigma);
        int f = s.scale();
        int h = truth.height() / f;
        int w = truth.width() / f;
        float[] out = new float[truth.planeCount() * h * w];
        try (NDManager m = NDManager.newBaseManager()) {
            for (int c = 0; c < truth.channels(); c++) {
                for (int z = 0; z < truth.depth(); z++) {
                    float[] plane = truth.plane(c, z);
                    if (!recipe.fillsMissing()) {
                        LinearOperator a = recipe.operator(new Shape(h, w), null);
                        try (NDArray x = m.create(plane, a.inputShape()); NDArray ax = a.forward(x)) {
                            plane = ax.toFloatArray();
                        }
                    }
                    float[] y = noise.sample(plane, random);
                    if (recipe.fillsMissing()) {
                        for (int i = 0; i < y.length; i++) {
                            if (random.nextDouble() < s.missingFraction()) {
                                y[i] = Float.NaN;
                            }
                        }
                    }
                    System.arraycopy(y, 0, out, (c * truth.depth() + z) * h * w, h * w);
                }
            }
        }
        return new Image(out, truth.channels(), truth.depth(), h, w, truth.source());
    }

    private static Image cropToMultiple(Image img, int f) {
        int h = img.height() / f * f;
        int w = img.width() / f * f;
        if (h == img.height() && w == img.width()) {
            return img;
        }
        if (h == 0 || w == 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "image %dx%d is smaller than the scale factor %d", img.width(), img.height(), f));
        }
        float[] out = new float[img.planeCount() * h * w];
        for (int p = 0; p < img.planeCount(); p++) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(img.pixels(), (p * img.height() + y) * img.width(), out, (p * h + y) * w, w);
            }
        }
        return new Image(out, img.channels(), img.depth(), h, w, img.source());
    }

    private static Image upsample(Image y, int f, boolean bicubic) {
        int outH = y.height() * f;
        int outW = y.width() * f;
        float[] out = new float[y.planeCount() * outH * outW];
        for (int p = 0; p < y.planeCount(); p++) {
            float[] plane = y.plane(p / y.depth(), p % y.depth());
            float[] up = bicubic ? Interpolation.bicubic(plane, y.height(), y.width(), f) : nearest(plane, y.height(),
                    y.width(), f);
            System.arraycopy(up, 0, out, p * outH * outW, outH * outW);
        }
        return y.withPixels(out, outH, outW);
    }

    private static float[] nearest(float[] plane, int h, int w, int f) {
        float[] out = new float[h * w * f * f];
        for (int y = 0; y < h * f; y++) {
            for (int x = 0; x < w * f; x++) {
                out[y * w * f + x] = plane[(y / f) * w + x / f];
            }
        }
        return out;
    }

    /** Each plane's missing (NaN) pixels filled by normalised convolution, as the network's input is. */
    private static Image filled(Image y) {
        float[] out = new float[y.pixels().length];
        int n = y.planeSize();
        for (int p = 0; p < y.planeCount(); p++) {
            float[] plane = y.plane(p / y.depth(), p % y.depth());
            boolean[] observed = new boolean[n];
            for (int i = 0; i < n; i++) {
                observed[i] = !Float.isNaN(plane[i]);
            }
            System.arraycopy(Interpolation.fillMissing(plane, observed, y.height(), y.width()), 0, out, p * n, n);
        }
        return y.withPixels(out, y.height(), y.width());
    }
}
