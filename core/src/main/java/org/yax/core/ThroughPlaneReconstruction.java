package org.yax.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.yax.core.noise.NoiseLevel;
import org.yax.core.op.SliceProfile;
import org.yax.core.solve.CubicBSpline;
import org.yax.core.solve.RestorationNetwork;
import org.yax.core.solve.ThroughPlaneTv;
import org.yax.core.task.Method;
import org.yax.core.task.ThroughPlaneRecipe;

/**
 * Through-plane super-resolution of an equally spaced stack: depth thick slices in, depth * scale thin slices out,
 * y = A x + e with A the recipe's {@link SliceProfile} along z. The thick stack is read once and held (it is the
 * smaller side); the fine volume is solved in bands of rows (all slices, all columns; 3-D TV with a halo of rows)
 * and each band is written to a scratch file beside the outputs, from which the thin slices are handed to the sink
 * in order. Memory: the thick stack plus one band's work, whatever the output's size.
 *
 * <p>Missing pixels (NaN) are filled with the stack's mean for the solve and stay missing where the thick slice
 * whose profile is centred nearest to a thin slice misses them.
 */
public final class ThroughPlaneReconstruction {
    /** Fine voxels per band (halo included): 2 Mi, i.e. 8 MiB per float array; TV holds 6 such and 3 thick ones. */
    static final long BAND_VOXELS = 2L << 20;
    /**
     * Rows of halo on each side of a TV band (solved, not kept): TV couples neighbouring rows. As SlabSolver's z halo
     * (4 slices: within 0.2 % of the range of the whole-volume solve there).
     */
    static final int TV_HALO_ROWS = 4;

    private ThroughPlaneReconstruction() { }

    /**
     * The method run, the noise sigma of the thick slices, the most TV iterations of a band, the bands, and the
     * seconds the network's adaptation on this volume took (0 without).
     */
    public record Result(Method method, double sigma, int iterations, int bands, double adaptSeconds) { }

    /**
     * @param method     cubic, tv or network ({@link ThroughPlaneRecipe#method} resolves auto)
     * @param scratchDir where the fine volume waits until it is handed out (deleted before returning)
     * @param sink       takes thin slice j (0..depth*scale-1, increasing position along the normal)
     */
    public static Result run(SliceStack stack, ThroughPlaneRecipe recipe, Method method, NoiseLevel noise,
                             RestorationNetwork network, int adaptSteps, Path scratchDir, SliceSink sink,
                             Progress progress) throws IOException {
        return run(stack, recipe, method, noise, network, adaptSteps, scratchDir, sink, progress, BAND_VOXELS);
    }

    /** As above with bands of at most {@code bandVoxels} fine voxels (halo included; tests). */
    static Result run(SliceStack stack, ThroughPlaneRecipe recipe, Method method, NoiseLevel noise,
                      RestorationNetwork network, int adaptSteps, Path scratchDir, SliceSink sink,
                      Progress progress, long bandVoxels) throws IOException {
        int depth = stack.depth();
        int h = stack.height();
        int w = stack.width();
        if (depth < 2) {
            throw new IllegalArgumentException("a single slice has no through-plane direction to refine");
        }
        int plane = Math.multiplyExact(h, w);
        int scale = recipe.scale();
        int fine = depth * scale;
        SlabSolver.StackStatistics stats = SlabSolver.measure(stack, noise, progress.range(0, 0.05));
        float[] thick = new float[Math.multiplyExact(depth, plane)];
        boolean[] missing = null;
        for (int z = 0; z < depth; z++) {
            float[] s = stack.slice(z);
            for (int i = 0; i < plane; i++) {
                float v = s[i];
                if (Float.isNaN(v)) {
                    if (missing == null) {
                        missing = new boolean[thick.length];
                    }
                    missing[z * plane + i] = true;
                    v = stats.anyObserved() ? stats.fill() : 0f;
                }
                thick[z * plane + i] = v;
            }
        }
        if (method == Method.NETWORK) {
            return learned(thick, missing, depth, h, w, recipe, stats, network, adaptSteps, sink, progress);
        }
        SliceProfile a = recipe.operator(depth, null);
        int halo = method == Method.TV ? TV_HALO_ROWS : 0;
        int bandRows = (int) Math.max(1, Math.min(h, bandVoxels / ((long) fine * w) - 2L * halo));
        Path scratch = Files.createTempFile(scratchDir, ".yax-sr-z-", ".f32");
        int iterations = 0;
        int bands = 0;
        // one set of band arrays for the largest band, reused: the bands make no garbage
        int largestRows = Math.min(h, bandRows + 2 * halo);
        float[] y = new float[depth * largestRows * w];
        float[] x = new float[fine * largestRows * w];
        ThroughPlaneTv.Workspace work = method == Method.TV
                ? new ThroughPlaneTv.Workspace(fine * largestRows * w, depth * largestRows * w) : null;
        try (FileChannel channel = FileChannel.open(scratch, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            Progress solving = progress.range(0.05, 0.9);
            for (int r0 = 0; r0 < h; r0 += bandRows) {
                int r1 = Math.min(h, r0 + bandRows);
                int lo = Math.max(0, r0 - halo);
                int hi = Math.min(h, r1 + halo);
                int rows = hi - lo;
                int bandPlane = rows * w;
                for (int z = 0; z < depth; z++) {
                    System.arraycopy(thick, z * plane + lo * w, y, z * bandPlane, bandPlane);
                }
                CubicBSpline.alongAxis(y, depth, bandPlane, scale, x);
                Progress bandProgress = solving.range((double) r0 / h, (double) r1 / h);
                switch (method) {
                    case CUBIC -> { }
                    case TV -> {
                        ThroughPlaneTv.Result r = new ThroughPlaneTv(recipe.tvWeight(stats.sigma(), stats.range()),
                                recipe.zWeight(), recipe.tvStopping()).solve(a, y, x, rows, w, work, bandProgress);
                        iterations = Math.max(iterations, r.iterations());
                    }
                    default -> throw new IllegalArgumentException("through-plane super-resolution runs cubic, tv or "
                            + "network, not " + method.cliName());
                }
                bands++;
                writeBand(channel, x, fine, rows, w, r0 - lo, r1 - r0, r0, plane);
                bandProgress.report(1, "band " + bands);
            }
            Progress emitting = progress.range(0.9, 1);
            ByteBuffer bytes = ByteBuffer.allocate(plane * Float.BYTES).order(ByteOrder.nativeOrder());
            for (int j = 0; j < fine; j++) {
                progress.checkCancelled();
                bytes.clear();
                readFully(channel, bytes, (long) j * plane * Float.BYTES);
                float[] slice = new float[plane];
                bytes.flip();
                bytes.asFloatBuffer().get(slice);
                if (missing != null) {
                    int nearest = Math.min(depth - 1, Math.max(0, (int) Math.round(SliceProfile.fineCentre(j, scale))));
                    for (int i = 0; i < plane; i++) {
                        if (missing[nearest * plane + i]) {
                            slice[i] = Float.NaN;
                        }
                    }
                }
                sink.accept(j, slice);
                emitting.report((double) (j + 1) / fine, "slice " + (j + 1));
            }
        } finally {
            Files.deleteIfExists(scratch);
        }
        progress.report(1, "done");
        return new Result(method, stats.sigma(), iterations, bands, 0);
    }

    /**
     * The learned method: the network's sr head (adapted on the volume's own in-plane data when adaptSteps > 0)
     * refines every coronal and every sagittal plane of the cubic-interpolated fine volume along z; the two estimates
     * of each voxel are averaged and projected onto A x = y. Holds the thick stack and the fine estimate once (the
     * network needs whole planes across the slices, so this path is not banded).
     */
    private static Result learned(float[] thick, boolean[] missing, int depth, int h, int w, ThroughPlaneRecipe recipe,
                                  SlabSolver.StackStatistics stats, RestorationNetwork network, int adaptSteps,
                                  SliceSink sink, Progress progress) throws IOException {
        if (network == null) {
            throw new IllegalArgumentException("method network needs a learned model (--model)");
        }
        int plane = h * w;
        int scale = recipe.scale();
        int fine = depth * scale;
        float low = Float.POSITIVE_INFINITY;
        for (float v : thick) {
            low = Math.min(low, v);
        }
        double range = stats.range();
        // normalised in place: the thick stack is this call's own copy
        float[] normalised = thick;
        for (int i = 0; i < thick.length; i++) {
            normalised[i] = (float) ((thick[i] - low) / range);
        }
        double sigma = Double.isFinite(stats.sigma()) ? stats.sigma() / range : 0;
        progress.report(0.05, adaptSteps > 0 ? "adapting the network on the volume" : "network");
        float[] fused = new float[fine * plane];
        double adaptSeconds;
        try (org.yax.core.solve.ThroughPlaneNetwork head = network.throughPlane(recipe, normalised, depth, h, w, sigma,
                adaptSteps)) {
            adaptSeconds = head.adaptSeconds();
            Progress planes = progress.range(0.3, 0.95);
            // each plane across the slices is brought to the fine grid by cubic interpolation as it is needed, so the
            // fine volume is held once (the fused estimate)
            float[] thickPlane = new float[depth * w];
            float[] coronal = new float[fine * w];
            for (int r = 0; r < h; r++) {
                progress.checkCancelled();
                for (int k = 0; k < depth; k++) {
                    System.arraycopy(normalised, k * plane + r * w, thickPlane, k * w, w);
                }
                CubicBSpline.alongAxis(thickPlane, depth, w, scale, coronal);
                float[] refined = head.refine(coronal, fine, w, sigma);
                for (int j = 0; j < fine; j++) {
                    for (int c = 0; c < w; c++) {
                        fused[j * plane + r * w + c] = 0.5f * refined[j * w + c];
                    }
                }
                planes.report(0.5 * (r + 1) / h, "coronal plane " + (r + 1));
            }
            thickPlane = new float[depth * h];
            float[] sagittal = new float[fine * h];
            for (int c = 0; c < w; c++) {
                progress.checkCancelled();
                for (int k = 0; k < depth; k++) {
                    for (int r = 0; r < h; r++) {
                        thickPlane[k * h + r] = normalised[k * plane + r * w + c];
                    }
                }
                CubicBSpline.alongAxis(thickPlane, depth, h, scale, sagittal);
                float[] refined = head.refine(sagittal, fine, h, sigma);
                for (int j = 0; j < fine; j++) {
                    for (int r = 0; r < h; r++) {
                        fused[j * plane + r * w + c] += 0.5f * refined[j * h + r];
                    }
                }
                planes.report(0.5 + 0.5 * (c + 1) / w, "sagittal plane " + (c + 1));
            }
        }
        // the estimate reproduces the thick slices exactly (their noise is averaged over scale thin slices)
        recipe.operator(depth, null).project(fused, normalised, plane);
        for (int j = 0; j < fine; j++) {
            progress.checkCancelled();
            float[] slice = new float[plane];
            int nearest = Math.min(depth - 1, Math.max(0, (int) Math.round(SliceProfile.fineCentre(j, scale))));
            for (int i = 0; i < plane; i++) {
                slice[i] = missing != null && missing[nearest * plane + i] ? Float.NaN
                        : (float) (fused[j * plane + i] * range + low);
            }
            sink.accept(j, slice);
        }
        progress.report(1, "done");
        return new Result(Method.NETWORK, stats.sigma(), 1, 1, adaptSeconds);
    }

    /** Rows [keepFrom, keepFrom + keep) of every fine slice of the band go to rows [row0, ...) of the scratch volume. */
    private static void writeBand(FileChannel channel, float[] x, int fine, int rows, int w, int keepFrom, int keep,
                                  int row0, int plane) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(keep * w * Float.BYTES).order(ByteOrder.nativeOrder());
        FloatBuffer floats = bytes.asFloatBuffer();
        for (int j = 0; j < fine; j++) {
            floats.clear();
            floats.put(x, (j * rows + keepFrom) * w, keep * w);
            bytes.clear();
            long at = ((long) j * plane + (long) row0 * w) * Float.BYTES;
            while (bytes.hasRemaining()) {
                at += channel.write(bytes, at);
            }
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer bytes, long at) throws IOException {
        while (bytes.hasRemaining()) {
            int n = channel.read(bytes, at);
            if (n < 0) {
                throw new IOException("scratch volume ended early");
            }
            at += n;
        }
    }
}
