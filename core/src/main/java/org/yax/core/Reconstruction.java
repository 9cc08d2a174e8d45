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
import org.yax.core.solve.NonLocalMeans;
import org.yax.core.op.Psf;
import org.yax.core.solve.PnpHqs;
import org.yax.core.solve.RestorationNetwork;
import org.yax.core.solve.SolverResult;
import org.yax.core.solve.StoppingRule;
import org.yax.core.solve.TikhonovCg;
import org.yax.core.solve.TvPdhg;
import org.yax.core.task.Method;
import org.yax.core.task.Task;
import org.yax.core.tile.TileGrid;
import org.yax.core.tile.TiledSolver;

/**
 * The facade every front end calls: builds y = A x + e for each 2-D plane of an image, solves for x on
 * the chosen DJL device, and returns the result with a {@link Derivation} for the writer.
 *
 * <p>Missing pixels (NaN) are not measurements: they are masked out of A. They stay missing in the
 * result (for super-resolution: every high-resolution pixel over a missing one) unless the task is
 * inpainting, which fills them.
 *
 * <p>Planes larger than {@link #tileSize()} are solved in overlapping tiles ({@link TiledSolver}) with the
 * plane's own noise sigma, value range and fill value, so device memory is bounded by the tile.
 */
public final class Reconstruction implements AutoCloseable {
    /** TV weight per unit of noise sigma for denoising (best of 0.5..1.3 on skimage camera at sigma 25). */
    static final double TV_WEIGHT_DENOISE = 0.9;
    /** TV weight per unit of noise sigma for super-resolution and inpainting (best of 0.15..1 on camera, x2). */
    static final double TV_WEIGHT_INVERSE = 0.2;
    /**
     * TV weight per unit of noise sigma for deblurring. Best of 0.05..0.4 (PSNR, 1000 iterations, tolerance 1e-4)
     * on the centre 256 x 256 of skimage camera and 160 x 160 of BrainProtonDensitySlice, gaussian:1.5, box:5 and
     * motion:9:30 at sigma 1% and 2% of the range (e.g. camera gaussian:1.5 at 2%: 0.07 28.97, 0.1 28.98, 0.14
     * 28.91, 0.2 28.82 dB; blurred 25.96). At 5% noise 0.14..0.2 is best and 0.1 loses 0.2..0.7 dB. Below 1%
     * the floor {@link #MIN_WEIGHT_OF_RANGE} takes over.
     */
    static final double TV_WEIGHT_DEBLUR = 0.1;
    /**
     * Tikhonov mu per squared noise-to-range ratio for deblurring: best of 3..1000 on the camera crop above
     * (gaussian:1.5 and box:5 at 2% and 5%); on the MRI crop 30 would be 0.3..0.6 dB better.
     */
    static final double TIKHONOV_WEIGHT_DEBLUR = 100;
    /** Smallest regularisation relative to the plane's value range, so noiseless data still gets a stable solve. */
    static final double MIN_WEIGHT_OF_RANGE = 0.001;
    /** Non-local means with scikit-image's fast-mode recommendations: 5x5 patches, search radius 6, h = 0.8 sigma. */
    static final NonLocalMeans NLM = new NonLocalMeans();

    /** Planes larger than this (height or width, input pixels) are solved in overlapping tiles by default. */
    public static final int DEFAULT_TILE_SIZE = 1024;
    /** Tile size that never tiles: every plane is solved whole. */
    public static final int NO_TILING = Integer.MAX_VALUE;

    /** Plug-and-play iterations (DPIR uses 8 for super-resolution and deblurring). */
    static final int PNP_ITERATIONS = 8;
    /** Plug-and-play iterations for undersampled MRI, whose aliasing needs more prior steps. */
    static final int PNP_ITERATIONS_MRI = 40;
    /** First plug-and-play denoiser strength, normalised (DPIR: 49/255). */
    static final double PNP_SIGMA_START = 50.0 / 255;
    /**
     * Plug-and-play from the task's head (super-resolution, inpainting): iterations and first denoiser strength,
     * chosen on validation images that are neither training nor held-out images (docs/MODELS.md).
     */
    static final int PNP_ITERATIONS_FROM_HEAD = 12;
    static final double PNP_SIGMA_START_FROM_HEAD = 15.0 / 255;
    /** Smallest noise level plug-and-play assumes, normalised: noiseless data still needs a prior step. */
    static final double PNP_SIGMA_FLOOR = 1.0 / 255;

    /** The device asked for, or null for the engine's default (resolved when the engine is first needed). */
    private final Device requestedDevice;
    /** Created on first use, so work that runs on the host (NLM, the CPU volume path) never loads the engine. */
    private NDManager manager;
    private boolean closed;
    private int tileSize = DEFAULT_TILE_SIZE;
    private RestorationNetwork network;

    /**
     * On the engine's default device: the GPU when one is present, else the CPU. The engine is loaded when a
     * solve first needs it, not here.
     */
    public Reconstruction() {
        this.requestedDevice = null;
    }

    public Reconstruction(Device device) {
        this.requestedDevice = java.util.Objects.requireNonNull(device, "device");
    }

    /** The device solves run on (loads the engine if this is the first question that needs it). */
    public Device device() {
        return manager().getDevice();
    }

    private synchronized NDManager manager() {
        if (closed) {
            throw new IllegalStateException("this reconstruction is closed");
        }
        if (manager == null) {
            manager = NDManager.newBaseManager(requestedDevice != null ? requestedDevice
                    : Engine.getInstance().defaultDevice());
        }
        return manager;
    }

    /**
     * Whether the volume path's 3-D TV runs on the host ({@link org.yax.core.solve.HostTvPdhg}) rather than on
     * the engine: when the device is the CPU. Without a device asked for and without a CUDA GPU on the machine
     * the engine's default is the CPU, so this is known without loading the engine.
     */
    synchronized boolean volumeOnHost() {
        if (manager != null) {
            return Device.Type.CPU.equals(manager.getDevice().getDeviceType());
        }
        if (requestedDevice != null) {
            return Device.Type.CPU.equals(requestedDevice.getDeviceType());
        }
        return ai.djl.util.cuda.CudaUtils.getGpuCount() == 0 || Device.Type.CPU.equals(device().getDeviceType());
    }

    /**
     * Solves planes larger than {@code tileSize} (height or width) in overlapping tiles of tileSize x tileSize
     * input pixels (halo included), so device memory is bounded by the tile, not the image; smaller planes
     * are solved whole, as before. Configures this instance and returns it, for chaining.
     *
     * @param tileSize input pixels per tile side, or {@link #NO_TILING}; must leave room for the solver's halo
     *                 (at least {@link TileGrid#minimumTileSize} of it, 129 for TV), checked when a plane is tiled
     */
    public Reconstruction withTileSize(int tileSize) {
        if (tileSize < 1) {
            throw new IllegalArgumentException("tile size must be positive, got " + tileSize);
        }
        this.tileSize = tileSize;
        return this;
    }

    public int tileSize() {
        return tileSize;
    }

    /**
     * Makes a learned network available to the NETWORK, PNP and AUTO methods (the caller keeps ownership).
     * Returns this instance, for chaining.
     */
    public Reconstruction withNetwork(RestorationNetwork network) {
        this.network = network;
        return this;
    }

    /** The learned network, or null. */
    public RestorationNetwork network() {
        return network;
    }

    /** Elements of the largest array alive on this reconstruction's device manager (for memory tests). */
    long largestLiveArray() {
        return manager().getManagedArrays().stream().mapToLong(a -> a.getShape().size()).max().orElse(0);
    }

    /** Arrays alive on this reconstruction's device manager (and its sub-managers): 0 between runs. */
    int liveArrayCount() {
        return manager().getManagedArrays().size();
    }

    /**
     * The result of {@link #run}. {@code iterations} is summed over planes; for a plane solved in tiles it
     * counts the most iterations any one tile ran.
     */
    public record Result(Image image, Derivation derivation, double[] sigmas, int iterations) { }

    /**
     * The result of {@link #runVolume}: the noise sigma used (given, or the median of per-slice estimates), the
     * most iterations any slab ran, and how many slabs the stack was solved in.
     */
    public record VolumeResult(double sigma, int iterations, int slabs) { }

    /**
     * Voxels per slab (halo included) of {@link #runVolume}: 4 Mi voxels, i.e. 16 MiB per float32 array (16
     * slices of 512 x 512, 8 of them kept per slab). On the CPU the host solver holds the slab and five such
     * arrays (x, x-bar, a 3-component dual field), allocated once per volume: 96 MiB.
     */
    public static final long DEFAULT_SLAB_VOXELS = 4L << 20;

    private long slabVoxels = DEFAULT_SLAB_VOXELS;

    /** Solves volumes in slabs of at most this many voxels (halo included); for chaining. */
    public Reconstruction withSlabVoxels(long voxels) {
        if (voxels < 1) {
            throw new IllegalArgumentException("slab size must be positive, got " + voxels);
        }
        this.slabVoxels = voxels;
        return this;
    }

    /**
     * Reconstructs an equally spaced stack as one volume with 3-D TV (denoise and inpaint), the differences
     * along z weighted by {@code zWeight} = in-plane pixel spacing / slice spacing, so slices further apart
     * than pixels are coupled less. Slices are read from {@code stack} and the results handed to {@code sink}
     * slab by slab along z (see {@link SlabSolver}), so memory is bounded by the slab, not the volume. Planes
     * are not tiled in-plane: a slab holds at least one whole slice. On the CPU the slabs are solved by
     * {@link org.yax.core.solve.HostTvPdhg} (the same iterations as TvPdhg, in place, without loading the engine);
     * on other devices by TvPdhg.
     */
    public VolumeResult runVolume(SliceStack stack, ReconstructionSettings settings, double zWeight, SliceSink sink,
                                  Progress progress) throws java.io.IOException {
        if (settings.task() != Task.DENOISE && settings.task() != Task.INPAINT) {
            throw new IllegalArgumentException("the volume path solves denoise and inpaint, not "
                    + settings.task().cliName() + " (super-resolution is in-plane: use run per slice)");
        }
        if (effectiveMethod(settings.method()) != Method.TV) {
            throw new IllegalArgumentException("the volume path is 3-D TV; method " + settings.method().cliName()
                    + " runs per slice (run)");
        }
        if (!(zWeight > 0) || Double.isInfinite(zWeight)) {
            throw new IllegalArgumentException("z weight must be positive and finite, got " + zWeight);
        }
        return new SlabSolver(this::manager, volumeOnHost(), slabVoxels).run(stack, settings, zWeight, sink, progress);
    }

    /** The method {@code requested} stands for without a network: AUTO is TV. */
    public static Method effectiveMethod(Method requested) {
        return requested == Method.AUTO ? Method.TV : requested;
    }

    /**
     * The method the settings stand for with this reconstruction's network: AUTO is what the network's
     * validation preferred for the task and scale (its head, or plug-and-play with it), else TV.
     *
     * @throws IllegalArgumentException when a learned method is asked for and cannot run
     */
    public Method effectiveMethod(ReconstructionSettings settings) {
        return effectiveMethod(settings, network);
    }

    /** {@link #effectiveMethod(ReconstructionSettings)} with a given network (or null). */
    public static Method effectiveMethod(ReconstructionSettings settings, RestorationNetwork network) {
        Method m = settings.method();
        if (m == Method.AUTO) {
            Method preferred = network == null ? null : network.preferredMethod(settings.task(), settings.scale());
            m = preferred != null ? preferred : Method.TV;
        }
        if (m.isLearned() && network == null) {
            throw new IllegalArgumentException("method " + m.cliName() + " needs a learned model (--model)");
        }
        if (m == Method.NETWORK && !network.hasHead(settings.task(), settings.scale())) {
            throw new IllegalArgumentException("model " + network.name() + " has no head for " + settings.task().cliName()
                    + (settings.task() == Task.SUPER_RESOLUTION ? " x" + settings.scale() : "")
                    + ": use --method pnp (the model as a prior with the exact operator) or a classical method");
        }
        if (settings.adaptSteps() > 0 && m != Method.NETWORK) {
            throw new IllegalArgumentException("test-time adaptation applies to the network's direct head (method "
                    + "network), not to " + m.cliName());
        }
        return m;
    }

    /**
     * The halo (input pixels) for these settings with this reconstruction's network, for tiles here and for
     * front ends that stream windows.
     */
    public int haloFor(ReconstructionSettings settings) {
        return haloFor(effectiveMethod(settings), settings.psf());
    }

    /** The method's reach plus twice the PSF's radius for deblurring (A^H A spreads a pixel over its full width). */
    private int haloFor(Method method, Psf psf) {
        int reach = switch (method) {
            case NETWORK -> network.halo();
            case PNP -> Math.max(network.halo(), TvPdhg.EMPIRICAL_HALO);
            default -> halo(method);
        };
        return reach + (psf == null ? 0 : 2 * psf.radius());
    }

    public Result run(Image input, ReconstructionSettings settings, Progress progress) {
        return run(input, settings, null, progress);
    }

    /**
     * Solves an image whose planes are windows of larger planes (a raster streamed from disk): each
     * window is solved with its whole plane's {@link PlaneStatistics} (one per plane, channel-major;
     * their sigma replaces {@code settings.sigma()}) instead of statistics of the window alone.
     *
     * @param planes the whole planes' statistics, or null to measure each plane of {@code input}
     */
    public Result run(Image input, ReconstructionSettings settings, List<PlaneStatistics> planes, Progress progress) {
        if (planes != null && planes.size() != input.planeCount()) {
            throw new IllegalArgumentException(planes.size() + " plane statistics for " + input.planeCount() + " planes");
        }
        if (settings.task() == Task.MRI) {
            throw new IllegalArgumentException("task mri reconstructs from k-space, which image files do not hold: "
                    + "use yax eval --task mri to simulate undersampled acquisitions");
        }
        Method method = effectiveMethod(settings);
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
                        planes == null ? null : planes.get(index), planeProgress);
                System.arraycopy(r.pixels, 0, out, index * outH * outW, outH * outW);
                sigmas[index] = r.sigma;
                iterations += r.iterations;
            }
        }
        progress.report(1, "done");
        Map<String, String> params = new LinkedHashMap<>();
        if (settings.psf() != null) {
            params.put("psf", settings.psf().toString());
        }
        params.put("sigma", settings.sigma() == null ? "auto" : format(settings.sigma()));
        if (settings.sigma() == null) {
            params.put("sigma_estimated", formatAll(sigmas));
        }
        if (method.isLearned()) {
            params.put("model", network.name());
        }
        if (settings.adaptSteps() > 0) {
            params.put("adapt", Integer.toString(settings.adaptSteps()));
        }
        Derivation derivation = new Derivation(settings.task().cliName(), method.cliName(), s, params, Version.get());
        return new Result(input.withPixels(out, outH, outW), derivation, sigmas, iterations);
    }

    private record PlaneResult(float[] pixels, double sigma, int iterations) { }

    /**
     * What every tile of a plane shares, so tiles solve the same problem the whole plane would: a learned
     * network sees (value - low) / range, and an adapted copy of it when test-time adaptation is on.
     */
    private record PlaneProblem(Task task, Method method, int scale, double sigma, double range, float fill, Psf psf,
                                double low, RestorationNetwork network) { }

    private record WindowResult(float[] pixels, int iterations) { }

    private PlaneResult solvePlane(float[] plane, int h, int w, ReconstructionSettings settings, Method method,
                                  PlaneStatistics known, Progress progress) {
        int s = settings.scale();
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
                observedCount++;
                sum += v;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        if (known == null ? observedCount == 0 : known.empty()) {
            float[] result = new float[plane.length * s * s];
            java.util.Arrays.fill(result, Float.NaN);
            return new PlaneResult(result, Double.NaN, 0);
        }
        if (known == null) {
            double sigma = settings.sigma() != null ? settings.sigma()
                    : NoiseEstimator.estimateGaussianSigma(plane, w, h);
            known = new PlaneStatistics(sigma, min, max, sum / observedCount);
        }
        double sigma = known.sigma();
        double range = Math.max(known.max() - known.min(), Float.MIN_NORMAL);
        RestorationNetwork planeNetwork = network;
        if (settings.adaptSteps() > 0) {
            planeNetwork = adapt(plane, h, w, settings, known.min(), range, sigma / range);
        }
        PlaneProblem problem = new PlaneProblem(settings.task(), method, s, sigma, range, (float) known.mean(),
                settings.psf(), known.min(), planeNetwork);
        try {
            return solveWholeOrTiled(plane, h, w, problem, progress);
        } finally {
            if (planeNetwork != network) {
                planeNetwork.close();
            }
        }
    }

    private RestorationNetwork adapt(float[] plane, int h, int w, ReconstructionSettings settings, double low,
                                     double range, double sigma) {
        float[] normalised = new float[plane.length];
        boolean[] observed = new boolean[plane.length];
        boolean anyMissing = false;
        for (int i = 0; i < plane.length; i++) {
            observed[i] = !Float.isNaN(plane[i]);
            anyMissing |= !observed[i];
            normalised[i] = observed[i] ? (float) ((plane[i] - low) / range) : 0f;
        }
        return network.adaptedTo(settings.task(), settings.scale(), normalised, anyMissing ? observed : null, h, w,
                sigma, settings.adaptSteps());
    }

    private PlaneResult solveWholeOrTiled(float[] plane, int h, int w, PlaneProblem problem, Progress progress) {
        double sigma = problem.sigma();
        int s = problem.scale();
        if (h <= tileSize && w <= tileSize) {
            WindowResult r = solveWindow(plane, h, w, problem, progress);
            return new PlaneResult(r.pixels, sigma, r.iterations);
        }
        int halo = haloFor(problem.method(), problem.psf());
        TileGrid grid = new TileGrid(h, w, tileSize, halo, Math.max(halo, 1));
        int[] iterations = {0};
        float[] result = new TiledSolver(grid, s).run(plane, (pixels, tile, tileProgress) -> {
            WindowResult r = solveWindow(pixels, tile.height(), tile.width(), problem, tileProgress);
            iterations[0] = Math.max(iterations[0], r.iterations);
            return r.pixels;
        }, progress);
        return new PlaneResult(result, sigma, iterations[0]);
    }

    /**
     * Halo (input pixels) that keeps a tiled classical solve close to the whole-plane one: the solver's
     * measured reach (non-local means: its exact reach, so tiles give the whole plane's values). Every task's
     * forward operator (Identity, Mask, area Downsample) but the blur has support 0, so it adds nothing.
     */
    public static int halo(Method method) {
        return switch (effectiveMethod(method)) {
            case TIKHONOV -> TikhonovCg.EMPIRICAL_HALO;
            case NLM -> NLM.reach();
            case TV, AUTO -> TvPdhg.EMPIRICAL_HALO;
            case NETWORK, PNP -> throw new IllegalArgumentException("the halo of a learned method depends on the "
                    + "network: use haloFor");
        };
    }


    /** Solves one (h, w) window (the whole plane, or a tile) with the plane's shared parameters. */
    private WindowResult solveWindow(float[] plane, int h, int w, PlaneProblem problem, Progress progress) {
        Task task = problem.task();
        int s = problem.scale();
        boolean[] observed = new boolean[plane.length];
        int observedCount = 0;
        for (int i = 0; i < plane.length; i++) {
            if (!Float.isNaN(plane[i])) {
                observed[i] = true;
                observedCount++;
            }
        }
        float[] result = new float[plane.length * s * s];
        if (observedCount == 0) {
            // a tile with no data: inpainting's TV/Tikhonov solve would stay at its start, the plane's mean
            java.util.Arrays.fill(result, task == Task.INPAINT ? problem.fill() : Float.NaN);
            return new WindowResult(result, 0);
        }
        float[] y = new float[plane.length];
        float[] maskValues = new float[plane.length];
        for (int i = 0; i < plane.length; i++) {
            y[i] = observed[i] ? plane[i] : 0f;
            maskValues[i] = observed[i] ? 1f : 0f;
        }
        double sigma = problem.sigma();
        double range = problem.range();
        boolean anyMissing = observedCount < plane.length;
        // Start from y (missing pixels at the plane's mean), replicated up for super-resolution.
        float[] start = y.clone();
        for (int i = 0; i < start.length; i++) {
            if (!observed[i]) {
                start[i] = problem.fill();
            }
        }
        if (problem.method() == Method.NLM) { // a host-side denoiser (denoise only): no operator, no device arrays
            float[] x = NLM.denoise(start, h, w, sigma, progress);
            for (int i = 0; i < x.length; i++) {
                result[i] = observed[i] ? x[i] : Float.NaN;
            }
            return new WindowResult(result, 0);
        }

        try (NDManager m = manager().newSubManager()) {
            Shape low = new Shape(h, w);
            NDArray yArr = m.create(y, low);
            LinearOperator a = switch (task) {
                case DENOISE -> new Identity(low);
                case SUPER_RESOLUTION -> Downsample.toLowRes(low, s);
                case INPAINT -> new Mask(m.create(maskValues, low));
                case DEBLUR -> problem.psf().operator(low);
                case MRI -> throw new IllegalStateException("rejected in run()");
            };
            if (anyMissing && task != Task.INPAINT) {
                a = new Mask(m.create(maskValues, low)).after(a);
            }
            NDArray x0 = m.create(start, low);
            if (s > 1) {
                x0 = x0.repeat(0, s).repeat(1, s);
            }
            if (problem.method().isLearned()) {
                float[] x = solveLearned(a, yArr, x0, observed, anyMissing, h, w, problem, progress, m);
                int outW = w * s;
                for (int i = 0; i < x.length; i++) {
                    int lowIndex = (i / outW / s) * w + (i % outW) / s;
                    result[i] = observed[lowIndex] || task == Task.INPAINT ? x[i] : Float.NaN;
                }
                return new WindowResult(result, problem.method() == Method.PNP
                        ? pnpIterations(problem.network().hasHead(task, s)) : 1);
            }
            SolverResult r = switch (problem.method()) {
                case TV -> new TvPdhg(tvWeight(task, sigma, range), stoppingFor(task)).solve(a, yArr, x0, progress);
                case TIKHONOV -> new TikhonovCg(tikhonovWeight(task, sigma, range), StoppingRule.of(500, 1e-5))
                        .solve(a, yArr, x0, progress);
                case NLM -> throw new IllegalStateException("solved on the host above");
                case AUTO, NETWORK, PNP -> throw new IllegalStateException("resolved before solving");
            };
            float[] x = r.estimate().toFloatArray();
            int outW = w * s;
            for (int i = 0; i < x.length; i++) {
                int lowIndex = (i / outW / s) * w + (i % outW) / s;
                result[i] = observed[lowIndex] || task == Task.INPAINT ? x[i] : Float.NaN;
            }
            return new WindowResult(result, r.iterations());
        }
    }

    /**
     * The network's head, or plug-and-play with its denoiser and the exact A, on the window mapped to the
     * plane's normalised units; returns the estimate in image units.
     */
    private static float[] solveLearned(LinearOperator a, NDArray y, NDArray x0, boolean[] observed, boolean anyMissing,
                                        int h, int w, PlaneProblem problem, Progress progress, NDManager m) {
        double low = problem.low();
        double range = problem.range();
        double sigma = problem.sigma() / range;
        RestorationNetwork network = problem.network();
        boolean hasHead = network.hasHead(problem.task(), problem.scale());
        // noiseless measurements are exact: the estimate keeps them (projection onto A x = y)
        NDArray gram = a.gramDiagonal(m);
        boolean exact = sigma == 0 && gram != null;
        // x = low + range * xn, so A x = range * A xn + low * A 1: the measurement of xn follows
        NDArray yn = y.sub(a.apply(x0.onesLike()).mul(low)).div(range);
        NDArray head = null;
        if (problem.method() == Method.NETWORK || hasHead) {
            NDArray mask = null;
            if (anyMissing || problem.task() == Task.INPAINT) {
                float[] mv = new float[observed.length];
                for (int i = 0; i < mv.length; i++) {
                    mv[i] = observed[i] ? 1f : 0f;
                }
                mask = m.create(mv, new Shape(h, w));
            }
            head = network.restore(problem.task(), problem.scale(), y.sub(low).div(range), mask, sigma);
        }
        NDArray estimate;
        if (problem.method() == Method.NETWORK) {
            estimate = exact ? PnpHqs.project(a, gram, yn, head) : head;
            progress.report(1, "network");
        } else {
            // from the task's head when there is one: a good start needs only the prior's weaker steps
            double sigmaN = Math.max(sigma, PNP_SIGMA_FLOOR);
            double start = hasHead ? PNP_SIGMA_START_FROM_HEAD : PNP_SIGMA_START;
            estimate = new PnpHqs(network, pnpIterations(hasHead))
                    .solve(a, yn, hasHead ? head : x0.sub(low).div(range), sigmaN, Math.max(start, sigmaN), exact,
                            progress)
                    .estimate();
        }
        return estimate.mul(range).add(low).toFloatArray();
    }

    static int pnpIterations(boolean fromHead) {
        return fromHead ? PNP_ITERATIONS_FROM_HEAD : PNP_ITERATIONS;
    }

    static StoppingRule stoppingFor(Task task) {
        return task == Task.DENOISE ? StoppingRule.of(300, 1e-4) : StoppingRule.of(1000, 1e-4);
    }

    static double tvWeight(Task task, double sigma, double range) {
        double perSigma = switch (task) {
            case DENOISE -> TV_WEIGHT_DENOISE;
            case DEBLUR -> TV_WEIGHT_DEBLUR;
            default -> TV_WEIGHT_INVERSE;
        };
        return Math.max(perSigma * sigma, MIN_WEIGHT_OF_RANGE * range);
    }

    /** mu for ||Ax - y||^2 + mu ||Dx||^2: grows with the noise-to-range ratio; dimensionless. */
    static double tikhonovWeight(Task task, double sigma, double range) {
        double ratio = Math.max(sigma / range, MIN_WEIGHT_OF_RANGE);
        double perRatioSquared = switch (task) {
            case DENOISE -> 100;
            case DEBLUR -> TIKHONOV_WEIGHT_DEBLUR;
            default -> 10;
        };
        return perRatioSquared * ratio * ratio;
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
    public synchronized void close() {
        closed = true;
        if (manager != null) {
            manager.close();
        }
    }
}
