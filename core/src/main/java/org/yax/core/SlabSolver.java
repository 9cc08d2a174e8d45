package org.yax.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.util.Arrays;
import java.util.function.Supplier;
import org.yax.core.noise.NoiseLevel;
import org.yax.core.op.LinearOperator;
import org.yax.core.solve.HostTvPdhg;
import org.yax.core.solve.SolverResult;
import org.yax.core.solve.TvPdhg;
import org.yax.core.task.TaskRecipe;

/**
 * 3-D TV over a {@link SliceStack}, slab by slab along z: each slab of at most {@code slabVoxels} voxels
 * (halo included) is solved on the device, its core slices are handed to the sink and forgotten, so host
 * and device memory are bounded by the slab, not the volume. Neighbouring slabs overlap by {@link #Z_HALO}
 * slices on each side, which are solved but not kept (their values are pulled by data outside the slab).
 * Noise sigma, value range and fill value are the whole stack's (a first pass over the slices), so every
 * slab solves the same problem the whole volume would. On the CPU a slab is solved by {@link HostTvPdhg} in one
 * workspace reused for every slab (no engine, no temporaries); on another device by {@link TvPdhg}, with the
 * same result up to float rounding (SlabSolverTest).
 */
final class SlabSolver {
    /**
     * Slices of halo on each side of a slab. On SlabSolverTest's 24 x 64 x 64 phantom (sigma 60 HU, range
     * 2000 HU, z weight 0.3, Reconstruction's stopping rule) slabs of 4 core + 2 x 4 halo slices differ from the
     * whole-volume solve by at most 4.2 HU (0.2 % of the range); that test allows 1 %.
     */
    static final int Z_HALO = 4;

    private final Supplier<NDManager> manager;
    private final boolean onHost;
    private final long slabVoxels;

    /**
     * @param manager the device's manager, asked for only when slabs are solved on the engine
     * @param onHost  solve slabs with {@link HostTvPdhg} (the device is the CPU): no engine, no temporaries
     */
    SlabSolver(Supplier<NDManager> manager, boolean onHost, long slabVoxels) {
        this.manager = manager;
        this.onHost = onHost;
        this.slabVoxels = slabVoxels;
    }

    /** What the whole stack shares: noise sigma (given or the median of per-slice estimates), range, fill. */
    record StackStatistics(double sigma, double range, float fill, boolean anyObserved) { }

    Reconstruction.VolumeResult run(SliceStack stack, ReconstructionSettings settings, double zWeight, SliceSink sink,
                                    Progress progress) throws IOException {
        int d = stack.depth();
        int h = stack.height();
        int w = stack.width();
        int plane = Math.multiplyExact(h, w);
        TaskRecipe recipe = TaskRecipe.of(settings);
        StackStatistics stats = measure(stack, settings.noise(), progress.range(0, 0.05));
        if (!stats.anyObserved()) {
            float[] missing = new float[plane];
            Arrays.fill(missing, Float.NaN);
            for (int z = 0; z < d; z++) {
                sink.accept(z, missing.clone());
            }
            return new Reconstruction.VolumeResult(Double.NaN, 0, 0);
        }
        int slabDepth = (int) Math.max(1, Math.min(d, slabVoxels / plane));
        int halo = slabDepth >= d ? 0 : Math.min(Z_HALO, (slabDepth - 1) / 2);
        int core = Math.max(1, slabDepth - 2 * halo);
        // one slab buffer and one host workspace sized for the largest slab, allocated once: the halo slices shared
        // with the previous slab are moved to the buffer's front instead of read again, so every slice is read
        // once here (once more by measure) and nothing slab-sized becomes garbage
        int largest = Math.min(d, core + 2 * halo);
        float[] slab = new float[largest * plane];
        int slabLo = 0;
        int slabHi = 0;
        HostTvPdhg.Workspace workspace = onHost ? new HostTvPdhg.Workspace(largest * plane, 3) : null;
        int iterations = 0;
        int slabs = 0;
        Progress solving = progress.range(0.05, 1);
        for (int start = 0; start < d; start += core) {
            int end = Math.min(d, start + core);
            int lo = Math.max(0, start - halo);
            int hi = Math.min(d, end + halo);
            int kept = Math.max(0, slabHi - lo);
            if (kept > 0) {
                System.arraycopy(slab, (lo - slabLo) * plane, slab, 0, kept * plane);
            }
            for (int z = lo + kept; z < hi; z++) {
                System.arraycopy(checked(stack.slice(z), plane, z), 0, slab, (z - lo) * plane, plane);
            }
            slabLo = lo;
            slabHi = hi;
            Progress slabProgress = solving.range((double) start / d, (double) end / d);
            SolverOutcome r = solveSlab(slab, hi - lo, h, w, recipe, stats, zWeight, workspace, slabProgress);
            iterations = Math.max(iterations, r.iterations());
            slabs++;
            for (int z = start; z < end; z++) {
                sink.accept(z, Arrays.copyOfRange(r.pixels(), (z - lo) * plane, (z - lo + 1) * plane));
            }
        }
        progress.report(1, "done");
        return new Reconstruction.VolumeResult(stats.sigma(), iterations, slabs);
    }

    private static float[] checked(float[] slice, int plane, int z) {
        if (slice == null || slice.length != plane) {
            throw new IllegalArgumentException("slice " + z + " has " + (slice == null ? "no" : slice.length)
                    + " values, the stack's planes " + plane);
        }
        return slice;
    }

    static StackStatistics measure(SliceStack stack, NoiseLevel noise, Progress progress)
            throws IOException {
        int d = stack.depth();
        int plane = stack.height() * stack.width();
        double[] sigmas = new double[d];
        int estimated = 0;
        long observed = 0;
        double sum = 0;
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int z = 0; z < d; z++) {
            progress.checkCancelled();
            float[] s = checked(stack.slice(z), plane, z);
            long sliceObserved = 0;
            for (int i = 0; i < s.length; i++) {
                float v = s[i];
                if (Float.isInfinite(v)) {
                    throw new IllegalArgumentException("slice " + z + ", pixel " + i
                            + " is infinite: only NaN may mark missing data");
                }
                if (!Float.isNaN(v)) {
                    sliceObserved++;
                    sum += v;
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
            observed += sliceObserved;
            if (noise.isAuto() && sliceObserved > 0) {
                try {
                    sigmas[estimated++] = noise.sigmaOf(s, stack.width(), stack.height());
                } catch (IllegalArgumentException tooFewPixels) {
                    estimated--; // too much of this slice is missing to estimate from: the others decide
                }
            }
            progress.report((double) (z + 1) / d, "measuring slice " + (z + 1));
        }
        if (observed == 0) {
            return new StackStatistics(Double.NaN, 0, Float.NaN, false);
        }
        if (noise.isAuto() && estimated == 0) {
            throw new IllegalArgumentException("too many missing pixels to estimate the noise: give --sigma");
        }
        double sigma = noise.isAuto() ? NoiseLevel.median(Arrays.copyOf(sigmas, estimated)) : noise.value();
        return new StackStatistics(sigma, Math.max(max - min, Float.MIN_NORMAL), (float) (sum / observed), true);
    }

    private record SolverOutcome(float[] pixels, int iterations) { }

    /**
     * @param slab      the slab's voxels: the first depth * h * w values
     * @param workspace the host solver's iterates, reused from slab to slab (null on the engine path)
     * @return the estimate: its first depth * h * w values
     */
    private SolverOutcome solveSlab(float[] slab, int depth, int h, int w, TaskRecipe recipe, StackStatistics stats,
                                    double zWeight, HostTvPdhg.Workspace workspace, Progress progress) {
        int n = depth * h * w;
        int observed = 0;
        for (int i = 0; i < n; i++) {
            if (!Float.isNaN(slab[i])) {
                observed++;
            }
        }
        if (observed == 0) {
            float[] result = new float[n];
            Arrays.fill(result, recipe.fillsMissing() ? stats.fill() : Float.NaN);
            return new SolverOutcome(result, 0);
        }
        boolean anyMissing = observed < n;
        if (onHost) {
            return solveOnHost(slab, depth, h, w, recipe, stats, zWeight, anyMissing, workspace, progress);
        }
        try (NDManager m = manager.get().newSubManager()) {
            Shape shape = new Shape(depth, h, w);
            NDArray yArr;
            NDArray x0;
            NDArray mask = null;
            if (anyMissing) {
                // y is 0 where missing (masked out of A); the start fills those voxels with the stack's mean
                float[] y = new float[n];
                float[] maskValues = new float[n];
                float[] start = new float[n];
                for (int i = 0; i < n; i++) {
                    boolean seen = !Float.isNaN(slab[i]);
                    y[i] = seen ? slab[i] : 0f;
                    maskValues[i] = seen ? 1f : 0f;
                    start[i] = seen ? slab[i] : stats.fill();
                }
                yArr = m.create(y, shape);
                x0 = m.create(start, shape);
                mask = m.create(maskValues, shape);
            } else {
                // the solver copies x0: y serves as both
                yArr = m.create(slab.length == n ? slab : Arrays.copyOf(slab, n), shape);
                x0 = yArr;
            }
            LinearOperator a = recipe.operator(shape, mask == null && recipe.fillsMissing() ? m.ones(shape) : mask);
            SolverResult r = new TvPdhg(recipe.tvWeight(stats.sigma(), stats.range()), recipe.tvStopping())
                    .withAxisWeights(zWeight, 1, 1).solve(a, yArr, x0, progress);
            float[] x = r.estimate().toFloatArray();
            if (anyMissing && !recipe.fillsMissing()) {
                for (int i = 0; i < n; i++) {
                    if (Float.isNaN(slab[i])) {
                        x[i] = Float.NaN; // missing stays missing unless the task fills it
                    }
                }
            }
            return new SolverOutcome(x, r.iterations());
        }
    }

    /**
     * The same problem as the engine path above with {@link HostTvPdhg}: A = I for denoising without missing
     * voxels, else the mask of observed voxels (y = 0 and x0 = the stack's mean where missing).
     */
    private static SolverOutcome solveOnHost(float[] slab, int depth, int h, int w, TaskRecipe recipe, StackStatistics stats,
                                             double zWeight, boolean anyMissing, HostTvPdhg.Workspace workspace,
                                             Progress progress) {
        int n = depth * h * w;
        float[] y = slab;
        float[] start = slab;
        boolean[] observed = null;
        if (anyMissing || recipe.fillsMissing()) {
            observed = new boolean[n];
            if (anyMissing) {
                y = new float[n];
                start = new float[n];
            }
            for (int i = 0; i < n; i++) {
                boolean seen = !Float.isNaN(slab[i]);
                observed[i] = seen;
                if (anyMissing) {
                    y[i] = seen ? slab[i] : 0f;
                    start[i] = seen ? slab[i] : stats.fill();
                }
            }
        }
        HostTvPdhg.Result r = new HostTvPdhg(recipe.tvWeight(stats.sigma(), stats.range()), recipe.tvStopping(),
                zWeight, 1, 1).solve(y, observed, start, depth, h, w, workspace, progress);
        float[] x = r.estimate();
        if (anyMissing && !recipe.fillsMissing()) {
            for (int i = 0; i < n; i++) {
                if (Float.isNaN(slab[i])) {
                    x[i] = Float.NaN; // missing stays missing unless the task fills it
                }
            }
        }
        return new SolverOutcome(x, r.iterations());
    }
}
