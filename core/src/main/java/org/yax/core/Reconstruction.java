package org.yax.core;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.yax.core.noise.NoiseLevel;
import org.yax.core.op.LinearOperator;
import org.yax.core.solve.PnpHqs;
import org.yax.core.solve.RestorationNetwork;
import org.yax.core.solve.SolverResult;
import org.yax.core.task.Method;
import org.yax.core.task.MethodResolver;
import org.yax.core.task.Solvers;
import org.yax.core.task.Task;
import org.yax.core.task.TaskRecipe;
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
    /** Planes larger than this (height or width, input pixels) are solved in overlapping tiles by default. */
    public static final int DEFAULT_TILE_SIZE = 1024;
    /** Tile size that never tiles: every plane is solved whole. */
    public static final int NO_TILING = Integer.MAX_VALUE;

    /** The device asked for, or null for the engine's default (resolved when the engine is first needed). */
    private final Device requestedDevice;
    /** Created on first use, so work that runs on the host (the CPU volume path) never loads the engine. */
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
        MethodResolver.forVolume(settings);
        if (!(zWeight > 0) || Double.isInfinite(zWeight)) {
            throw new IllegalArgumentException("z weight must be positive and finite, got " + zWeight);
        }
        return new SlabSolver(this::manager, volumeOnHost(), slabVoxels).run(stack, settings, zWeight, sink, progress);
    }

    /**
     * The method the settings stand for with this reconstruction's network ({@link MethodResolver#forPlanes}).
     *
     * @throws IllegalArgumentException when a learned method is asked for and cannot run
     */
    public Method effectiveMethod(ReconstructionSettings settings) {
        return MethodResolver.forPlanes(settings, network);
    }

    /**
     * The halo (input pixels) for these settings with this reconstruction's network, for tiles here and for
     * front ends that stream windows.
     */
    public int haloFor(ReconstructionSettings settings) {
        return haloFor(effectiveMethod(settings), TaskRecipe.of(settings));
    }

    /** The solver's reach plus the task operator's (A^H A spreads a blurred pixel over twice the PSF's radius). */
    private int haloFor(Method method, TaskRecipe recipe) {
        return Solvers.reach(method, network) + recipe.operatorHalo();
    }

    /**
     * What {@link #run} measures on each plane of {@code input} before solving it (channel-major): for a caller that
     * needs the noise estimates first (a DICOM series records them in its provenance before any slice is written)
     * and then passes them to {@link #run(Image, ReconstructionSettings, List, Progress)}.
     */
    public static List<PlaneStatistics> planeStatistics(Image input, NoiseLevel noise) {
        List<PlaneStatistics> planes = new ArrayList<>();
        for (int c = 0; c < input.channels(); c++) {
            for (int z = 0; z < input.depth(); z++) {
                planes.add(PlaneStatistics.measure(input.plane(c, z), input.width(), input.height(), noise));
            }
        }
        return planes;
    }

    /**
     * The noise sigma {@link #runVolume} uses for a stack: the given one, or the median of the per-slice estimates
     * (NaN when no voxel is observed). A caller that needs it first passes it back as the given noise level.
     */
    public static double volumeSigma(SliceStack stack, NoiseLevel noise, Progress progress) throws java.io.IOException {
        return SlabSolver.measure(stack, noise, progress).sigma();
    }

    public Result run(Image input, ReconstructionSettings settings, Progress progress) {
        return run(input, settings, null, progress);
    }

    /**
     * Solves an image whose planes are windows of larger planes (a raster streamed from disk): each
     * window is solved with its whole plane's {@link PlaneStatistics} (one per plane, channel-major;
     * their sigma replaces {@code settings.noise()}) instead of statistics of the window alone.
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
        Derivation derivation = Provenance.of(settings, method, network)
                .estimated(NoiseLevel.Estimate.PER_PLANE, sigmas).derivation();
        return new Result(input.withPixels(out, outH, outW), derivation, sigmas, iterations);
    }

    private record PlaneResult(float[] pixels, double sigma, int iterations) { }

    /**
     * What every tile of a plane shares, so tiles solve the same problem the whole plane would: a learned
     * network sees (value - low) / range, and an adapted copy of it when test-time adaptation is on.
     */
    private record PlaneProblem(TaskRecipe recipe, Method method, double sigma, double range, float fill, double low,
                                RestorationNetwork network) { }

    private record WindowResult(float[] pixels, int iterations) { }

    private PlaneResult solvePlane(float[] plane, int h, int w, ReconstructionSettings settings, Method method,
                                  PlaneStatistics known, Progress progress) {
        int s = settings.scale();
        if (known == null) {
            known = PlaneStatistics.measure(plane, w, h, settings.noise());
        } else {
            PlaneStatistics.checkFinite(plane);
        }
        if (known.empty()) {
            float[] result = new float[plane.length * s * s];
            java.util.Arrays.fill(result, Float.NaN);
            return new PlaneResult(result, Double.NaN, 0);
        }
        double sigma = known.sigma();
        double range = Math.max(known.max() - known.min(), Float.MIN_NORMAL);
        RestorationNetwork planeNetwork = network;
        if (settings.adaptSteps() > 0) {
            planeNetwork = adapt(plane, h, w, settings, known.min(), range, sigma / range);
        }
        PlaneProblem problem = new PlaneProblem(TaskRecipe.of(settings), method, sigma, range, (float) known.mean(),
                known.min(), planeNetwork);
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
        int s = problem.recipe().scale();
        if (h <= tileSize && w <= tileSize) {
            WindowResult r = solveWindow(plane, h, w, problem, progress);
            return new PlaneResult(r.pixels, sigma, r.iterations);
        }
        int halo = haloFor(problem.method(), problem.recipe());
        TileGrid grid = new TileGrid(h, w, tileSize, halo, Math.max(halo, 1));
        int[] iterations = {0};
        float[] result = new TiledSolver(grid, s).run(plane, (pixels, tile, tileProgress) -> {
            WindowResult r = solveWindow(pixels, tile.height(), tile.width(), problem, tileProgress);
            iterations[0] = Math.max(iterations[0], r.iterations);
            return r.pixels;
        }, progress);
        return new PlaneResult(result, sigma, iterations[0]);
    }

    /** Solves one (h, w) window (the whole plane, or a tile) with the plane's shared parameters. */
    private WindowResult solveWindow(float[] plane, int h, int w, PlaneProblem problem, Progress progress) {
        TaskRecipe recipe = problem.recipe();
        int s = recipe.scale();
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
            java.util.Arrays.fill(result, recipe.fillsMissing() ? problem.fill() : Float.NaN);
            return new WindowResult(result, 0);
        }
        float[] y = new float[plane.length];
        float[] maskValues = new float[plane.length];
        for (int i = 0; i < plane.length; i++) {
            y[i] = observed[i] ? plane[i] : 0f;
            maskValues[i] = observed[i] ? 1f : 0f;
        }
        boolean anyMissing = observedCount < plane.length;
        // Start from y (missing pixels at the plane's mean), replicated up for super-resolution.
        float[] start = y.clone();
        for (int i = 0; i < start.length; i++) {
            if (!observed[i]) {
                start[i] = problem.fill();
            }
        }
        try (NDManager m = manager().newSubManager()) {
            Shape low = new Shape(h, w);
            NDArray yArr = m.create(y, low);
            NDArray mask = anyMissing || recipe.fillsMissing() ? m.create(maskValues, low) : null;
            LinearOperator a = recipe.operator(low, mask);
            NDArray x0 = m.create(start, low);
            if (s > 1) {
                x0 = x0.repeat(0, s).repeat(1, s);
            }
            float[] x;
            int iterations;
            if (problem.method().isLearned()) {
                x = solveLearned(a, yArr, x0, mask, problem, progress, m);
                iterations = problem.method() == Method.PNP
                        ? Solvers.pnpSchedule(recipe, problem.network()).iterations() : 1;
            } else {
                SolverResult r = Solvers.of(problem.method(), recipe, problem.sigma(), problem.range(), null, null,
                        false).solve(a, yArr, x0, progress);
                x = r.estimate().toFloatArray();
                iterations = r.iterations();
            }
            int outW = w * s;
            for (int i = 0; i < x.length; i++) {
                int lowIndex = (i / outW / s) * w + (i % outW) / s;
                result[i] = observed[lowIndex] || recipe.fillsMissing() ? x[i] : Float.NaN;
            }
            return new WindowResult(result, iterations);
        }
    }

    /**
     * The network's head, or plug-and-play with its denoiser and the exact A, on the window mapped to the
     * plane's normalised units; returns the estimate in image units.
     *
     * @param mask the observed pixels (1) when some are missing or the task fills them, else null
     */
    private static float[] solveLearned(LinearOperator a, NDArray y, NDArray x0, NDArray mask, PlaneProblem problem,
                                        Progress progress, NDManager m) {
        double low = problem.low();
        double range = problem.range();
        TaskRecipe recipe = problem.recipe();
        RestorationNetwork network = problem.network();
        boolean hasHead = network.hasHead(recipe.task(), recipe.scale());
        // where A A^H is diagonal, noiseless measurements are kept (projection onto A x = y), and plug-and-play, whose
        // prior stops at a floor, ends on a data step with the measurements' own noise below it
        NDArray gram = a.gramDiagonal(m);
        boolean diagonalGram = gram != null;
        // x = low + range * xn, so A x = range * A xn + low * A 1: the measurement of xn follows
        NDArray yn = y.sub(a.apply(x0.onesLike()).mul(low)).div(range);
        NDArray head = null;
        if (problem.method() == Method.NETWORK || hasHead) {
            head = Solvers.of(Method.NETWORK, recipe, problem.sigma(), range, network, mask, diagonalGram)
                    .solve(a, y.sub(low).div(range), x0, progress).estimate();
        }
        NDArray estimate;
        if (problem.method() == Method.NETWORK) {
            // the head is told the measurements' noise itself (no floor): only noiseless ones add the projection
            estimate = diagonalGram && problem.sigma() == 0 ? PnpHqs.project(a, gram, yn, head) : head;
            progress.report(1, "network");
        } else {
            // from the task's head when there is one: a good start needs only the prior's weaker steps
            estimate = Solvers.of(Method.PNP, recipe, problem.sigma(), range, network, mask, diagonalGram)
                    .solve(a, yn, hasHead ? head : x0.sub(low).div(range), progress).estimate();
        }
        return estimate.mul(range).add(low).toFloatArray();
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (manager != null) {
            manager.close();
        }
    }
}
