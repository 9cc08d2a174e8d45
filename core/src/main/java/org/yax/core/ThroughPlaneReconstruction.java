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
import org.yax.core.solve.SliceRows;
import org.yax.core.solve.ThroughPlaneTv;
import org.yax.core.task.Method;
import org.yax.core.task.ThroughPlaneRecipe;

/**
 * Through-plane super-resolution of an equally spaced stack: depth thick slices in, depth * scale thin slices out,
 * y = A x + e with A the recipe's {@link SliceProfile} along z. The thick stack is read once and held (it is the
 * smaller side; {@link ThickSlices}: 16-bit where its values allow); the fine volume is solved in bands of rows (all
 * slices, all columns; 3-D TV with a halo of rows) and each band is written to a scratch file beside the outputs,
 * from which the thin slices are handed to the sink in order. The learned method streams through the same scratch
 * volume by bands of columns, then of rows. Memory:
 * the thick stack plus one band's work, whatever the output's size.
 *
 * <p>Missing pixels (NaN) are filled with the stack's mean for the solve and stay missing where the thick slice
 * whose profile is centred nearest to a thin slice misses them.
 */
public final class ThroughPlaneReconstruction {
    /** Fine voxels per band (halo included): 2 Mi, i.e. 8 MiB per float array; TV holds 5 such and 2 thick ones. */
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
    public static Result run(SliceStack stack, ThroughPlaneRecipe recipe, Method method, NoiseLevel noise,
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
        ThickSlices thick = new ThickSlices(depth, plane, true);
        boolean[] missing = null;
        float[] filled = new float[plane];
        for (int z = 0; z < depth; z++) {
            float[] s = stack.slice(z);
            for (int i = 0; i < plane; i++) {
                float v = s[i];
                if (Float.isNaN(v)) {
                    if (missing == null) {
                        missing = new boolean[Math.multiplyExact(depth, plane)];
                    }
                    missing[z * plane + i] = true;
                    v = stats.anyObserved() ? stats.fill() : 0f;
                }
                filled[i] = v;
            }
            thick.set(z, filled);
        }
        if (method == Method.NETWORK) {
            return learned(thick, missing, depth, h, w, recipe, stats, network, adaptSteps, scratchDir, sink,
                    progress, bandVoxels);
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
                    thick.copy(z, lo * w, y, z * bandPlane, bandPlane);
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
            emit(channel, depth, plane, scale, missing, 1, 0f, sink, progress.range(0.9, 1), progress);
        } finally {
            Files.deleteIfExists(scratch);
        }
        progress.report(1, "done");
        return new Result(method, stats.sigma(), iterations, bands, 0);
    }

    /**
     * The learned method: the network's sr head (adapted on the volume's own in-plane data when adaptSteps > 0)
     * refines every sagittal and every coronal plane of the cubic-interpolated fine volume along z; the two estimates
     * of each voxel are averaged and projected onto A x = y. Streams through the scratch volume so that only the
     * thick stack and one band are held: sagittal planes in bands of columns (their halves written into the scratch
     * volume), then coronal planes in bands of rows (read back, the other half added, projected, written back).
     * Each plane is refined whole (or in tiles with the network's halo, the same values), so bands change nothing but
     * memory. The thick stack stays as {@link ThickSlices} holds it (16-bit where it can), read normalised.
     */
    private static Result learned(ThickSlices thick, boolean[] missing, int depth, int h, int w,
                                  ThroughPlaneRecipe recipe, SlabSolver.StackStatistics stats,
                                  RestorationNetwork network, int adaptSteps, Path scratchDir, SliceSink sink,
                                  Progress progress, long bandVoxels)
            throws IOException {
        if (network == null) {
            throw new IllegalArgumentException("method network needs a learned model (--model)");
        }
        int plane = h * w;
        int scale = recipe.scale();
        int fine = depth * scale;
        float low = thick.min();
        double range = stats.range();
        // read normalised from here on (16-bit values stay 16-bit: mapped as they are read)
        thick.normalise(low, range);
        SliceRows normalised = thick;
        double sigma = Double.isFinite(stats.sigma()) ? stats.sigma() / range : 0;
        progress.report(0.05, adaptSteps > 0 ? "adapting the network on the volume" : "network");
        SliceProfile a = recipe.operator(depth, null);
        int bandColumns = (int) Math.max(1, Math.min(w, bandVoxels / ((long) fine * h)));
        int bandRows = (int) Math.max(1, Math.min(h, bandVoxels / ((long) fine * w)));
        int bands = 0;
        double adaptSeconds;
        Path scratch = Files.createTempFile(scratchDir, ".yax-sr-z-", ".f32");
        try (FileChannel channel = FileChannel.open(scratch, StandardOpenOption.READ, StandardOpenOption.WRITE);
             org.yax.core.solve.ThroughPlaneNetwork head = network.throughPlane(recipe, normalised, depth, h, w, sigma,
                     adaptSteps)) {
            adaptSeconds = head.adaptSeconds();
            Progress planes = progress.range(0.3, 0.9);
            // each plane across the slices is brought to the fine grid by cubic interpolation as it is needed
            float[] thickPlane = new float[depth * h];
            // the band's columns of every thick row, read once per band (a third of the band's fine values at x3)
            float[] thickBand = new float[depth * h * bandColumns];
            float[] sagittal = new float[fine * h];
            float[] half = new float[fine * h * bandColumns];
            ByteBuffer run = ByteBuffer.allocateDirect(bandColumns * Float.BYTES).order(ByteOrder.nativeOrder());
            FloatBuffer floats = run.asFloatBuffer();
            for (int c0 = 0; c0 < w; c0 += bandColumns) {
                int columns = Math.min(bandColumns, w - c0);
                for (int k = 0; k < depth; k++) {
                    for (int r = 0; r < h; r++) {
                        normalised.copy(k, r * w + c0, thickBand, (k * h + r) * columns, columns);
                    }
                }
                for (int c = c0; c < c0 + columns; c++) {
                    progress.checkCancelled();
                    for (int i = 0; i < depth * h; i++) {
                        thickPlane[i] = thickBand[i * columns + c - c0];
                    }
                    CubicBSpline.alongAxis(thickPlane, depth, h, scale, sagittal);
                    float[] refined = head.refine(sagittal, fine, h, sigma);
                    for (int j = 0; j < fine; j++) {
                        for (int r = 0; r < h; r++) {
                            half[(j * h + r) * columns + c - c0] = 0.5f * refined[j * h + r];
                        }
                    }
                    planes.report(0.5 * (c + 1) / w, "sagittal plane " + (c + 1));
                }
                // one short run of columns per fine row: the scratch volume is laid out slice by slice
                for (int j = 0; j < fine; j++) {
                    for (int r = 0; r < h; r++) {
                        floats.clear();
                        floats.put(half, (j * h + r) * columns, columns);
                        run.clear().limit(columns * Float.BYTES);
                        long at = ((long) j * plane + (long) r * w + c0) * Float.BYTES;
                        while (run.hasRemaining()) {
                            at += channel.write(run, at);
                        }
                    }
                }
            }
            half = null;
            thickPlane = new float[depth * w];
            float[] coronal = new float[fine * w];
            float[] x = new float[fine * bandRows * w];
            float[] y = new float[depth * bandRows * w];
            ByteBuffer bytes = ByteBuffer.allocate(bandRows * w * Float.BYTES).order(ByteOrder.nativeOrder());
            for (int r0 = 0; r0 < h; r0 += bandRows) {
                int rows = Math.min(bandRows, h - r0);
                int bandPlane = rows * w;
                if (rows < bandRows) {
                    // the last, shorter band: the projection works on whole arrays
                    x = new float[fine * bandPlane];
                    y = new float[depth * bandPlane];
                }
                for (int j = 0; j < fine; j++) {
                    bytes.clear().limit(bandPlane * Float.BYTES);
                    readFully(channel, bytes, ((long) j * plane + (long) r0 * w) * Float.BYTES);
                    bytes.flip();
                    bytes.asFloatBuffer().get(x, j * bandPlane, bandPlane);
                }
                for (int r = r0; r < r0 + rows; r++) {
                    progress.checkCancelled();
                    for (int k = 0; k < depth; k++) {
                        normalised.copy(k, r * w, thickPlane, k * w, w);
                    }
                    CubicBSpline.alongAxis(thickPlane, depth, w, scale, coronal);
                    float[] refined = head.refine(coronal, fine, w, sigma);
                    for (int j = 0; j < fine; j++) {
                        int at = j * bandPlane + (r - r0) * w;
                        for (int c = 0; c < w; c++) {
                            x[at + c] = 0.5f * refined[j * w + c] + x[at + c];
                        }
                    }
                    planes.report(0.5 + 0.5 * (r + 1) / h, "coronal plane " + (r + 1));
                }
                for (int k = 0; k < depth; k++) {
                    normalised.copy(k, r0 * w, y, k * bandPlane, bandPlane);
                }
                // the estimate reproduces the thick slices exactly (their noise is averaged over scale thin slices)
                a.project(x, y, bandPlane);
                writeBand(channel, x, fine, rows, w, 0, rows, r0, plane);
                bands++;
            }
            emit(channel, depth, plane, scale, missing, range, low, sink, progress.range(0.9, 1), progress);
        } finally {
            Files.deleteIfExists(scratch);
        }
        progress.report(1, "done");
        return new Result(Method.NETWORK, stats.sigma(), 1, bands, adaptSeconds);
    }

    /**
     * Hands the thin slices out of the scratch volume in order, each value v as v * range + low (the learned path
     * works normalised; the others pass 1 and 0), NaN where the thick slice centred nearest misses the pixel.
     */
    private static void emit(FileChannel channel, int depth, int plane, int scale, boolean[] missing, double range,
                             float low, SliceSink sink, Progress emitting, Progress progress) throws IOException {
        int fine = depth * scale;
        ByteBuffer bytes = ByteBuffer.allocate(plane * Float.BYTES).order(ByteOrder.nativeOrder());
        boolean identity = range == 1 && low == 0;
        for (int j = 0; j < fine; j++) {
            progress.checkCancelled();
            bytes.clear();
            readFully(channel, bytes, (long) j * plane * Float.BYTES);
            float[] slice = new float[plane];
            bytes.flip();
            bytes.asFloatBuffer().get(slice);
            if (!identity) {
                for (int i = 0; i < plane; i++) {
                    slice[i] = (float) (slice[i] * range + low);
                }
            }
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
