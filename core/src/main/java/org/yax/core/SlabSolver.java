package org.yax.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.util.Arrays;
import java.util.TreeMap;
import org.yax.core.noise.NoiseEstimator;
import org.yax.core.op.Identity;
import org.yax.core.op.LinearOperator;
import org.yax.core.op.Mask;
import org.yax.core.solve.SolverResult;
import org.yax.core.solve.TvPdhg;
import org.yax.core.task.Task;

/**
 * 3-D TV over a {@link SliceStack}, slab by slab along z: each slab of at most {@code slabVoxels} voxels
 * (halo included) is solved on the device, its core slices are handed to the sink and forgotten, so host
 * and device memory are bounded by the slab, not the volume. Neighbouring slabs overlap by {@link #Z_HALO}
 * slices on each side, which are solved but not kept (their values are pulled by data outside the slab).
 * Noise sigma, value range and fill value are the whole stack's (a first pass over the slices), so every
 * slab solves the same problem the whole volume would.
 */
final class SlabSolver {
    /**
     * Slices of halo on each side of a slab. On SlabSolverTest's 24 x 64 x 64 phantom (sigma 60 HU, range
     * 2000 HU, z weight 0.3, Reconstruction's stopping rule) slabs of 4 core + 2 x 4 halo slices differ from the
     * whole-volume solve by at most 4.2 HU (0.2 % of the range); that test allows 1 %.
     */
    static final int Z_HALO = 4;

    private final NDManager manager;
    private final long slabVoxels;

    SlabSolver(NDManager manager, long slabVoxels) {
        this.manager = manager;
        this.slabVoxels = slabVoxels;
    }

    /** What the whole stack shares: noise sigma (given or the median of per-slice estimates), range, fill. */
    private record StackStatistics(double sigma, double range, float fill, boolean anyObserved) { }

    Reconstruction.VolumeResult run(SliceStack stack, ReconstructionSettings settings, double zWeight, SliceSink sink,
                                    Progress progress) throws IOException {
        int d = stack.depth();
        int h = stack.height();
        int w = stack.width();
        int plane = Math.multiplyExact(h, w);
        StackStatistics stats = measure(stack, settings, progress.range(0, 0.05));
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
        TreeMap<Integer, float[]> cache = new TreeMap<>();
        int iterations = 0;
        int slabs = 0;
        Progress solving = progress.range(0.05, 1);
        for (int start = 0; start < d; start += core) {
            int end = Math.min(d, start + core);
            int lo = Math.max(0, start - halo);
            int hi = Math.min(d, end + halo);
            cache.headMap(lo).clear();
            float[] slab = new float[(hi - lo) * plane];
            for (int z = lo; z < hi; z++) {
                float[] s = cache.get(z);
                if (s == null) {
                    s = checked(stack.slice(z), plane, z);
                    cache.put(z, s);
                }
                System.arraycopy(s, 0, slab, (z - lo) * plane, plane);
            }
            Progress slabProgress = solving.range((double) start / d, (double) end / d);
            SolverOutcome r = solveSlab(slab, hi - lo, h, w, settings.task(), stats, zWeight, slabProgress);
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

    private static StackStatistics measure(SliceStack stack, ReconstructionSettings settings, Progress progress)
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
            if (settings.sigma() == null && sliceObserved > 0) {
                try {
                    sigmas[estimated++] = NoiseEstimator.estimateGaussianSigma(s, stack.width(), stack.height());
                } catch (IllegalArgumentException tooFewPixels) {
                    estimated--; // too much of this slice is missing to estimate from: the others decide
                }
            }
            progress.report((double) (z + 1) / d, "measuring slice " + (z + 1));
        }
        if (observed == 0) {
            return new StackStatistics(Double.NaN, 0, Float.NaN, false);
        }
        double sigma;
        if (settings.sigma() != null) {
            sigma = settings.sigma();
        } else if (estimated == 0) {
            throw new IllegalArgumentException("too many missing pixels to estimate the noise: give --sigma");
        } else {
            // the median: robust to a few slices of pure air or of bone
            double[] sorted = Arrays.copyOf(sigmas, estimated);
            Arrays.sort(sorted);
            sigma = estimated % 2 == 1 ? sorted[estimated / 2]
                    : (sorted[estimated / 2 - 1] + sorted[estimated / 2]) / 2;
        }
        return new StackStatistics(sigma, Math.max(max - min, Float.MIN_NORMAL), (float) (sum / observed), true);
    }

    private record SolverOutcome(float[] pixels, int iterations) { }

    private SolverOutcome solveSlab(float[] slab, int depth, int h, int w, Task task, StackStatistics stats,
                                    double zWeight, Progress progress) {
        int n = slab.length;
        int observed = 0;
        for (float v : slab) {
            if (!Float.isNaN(v)) {
                observed++;
            }
        }
        if (observed == 0) {
            float[] result = new float[n];
            Arrays.fill(result, task == Task.INPAINT ? stats.fill() : Float.NaN);
            return new SolverOutcome(result, 0);
        }
        boolean anyMissing = observed < n;
        try (NDManager m = manager.newSubManager()) {
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
                yArr = m.create(slab, shape); // the solver copies x0: y serves as both, no host copies
                x0 = yArr;
            }
            LinearOperator a = switch (task) {
                case DENOISE -> new Identity(shape);
                case INPAINT -> new Mask(mask != null ? mask : m.ones(shape));
                default -> throw new IllegalArgumentException("the volume path solves denoise and inpaint only, not "
                        + task.cliName());
            };
            if (mask != null && task != Task.INPAINT) {
                a = new Mask(mask).after(a);
            }
            SolverResult r = new TvPdhg(Reconstruction.tvWeight(task, stats.sigma(), stats.range()),
                    Reconstruction.stoppingFor(task)).withAxisWeights(zWeight, 1, 1).solve(a, yArr, x0, progress);
            float[] x = r.estimate().toFloatArray();
            if (anyMissing && task != Task.INPAINT) {
                for (int i = 0; i < n; i++) {
                    if (Float.isNaN(slab[i])) {
                        x[i] = Float.NaN; // missing stays missing unless the task fills it
                    }
                }
            }
            return new SolverOutcome(x, r.iterations());
        }
    }
}
