package org.yax.core;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.yax.core.metric.ImageQuality;
import org.yax.core.noise.NoiseLevel;
import org.yax.core.op.SliceProfile;
import org.yax.core.solve.RestorationNetwork;
import org.yax.core.task.Method;
import org.yax.core.task.ThroughPlaneRecipe;

/**
 * {@code yax eval --task sr-z}: thick slices simulated from a volume of thin ones with the slice profile
 * reconstruct inverts (contiguous slices: thickness = spacing = scale thin slices), then each method's thin
 * slices scored against the volume (PSNR over all voxels, SSIM averaged over the thin slices). Methods: cubic,
 * tv, network (the shipped sr head, no adaptation), adapted (the head adapted on the volume's own in-plane data).
 */
public final class ThroughPlaneEvaluation {
    public static final List<String> METHODS = List.of("cubic", "tv", "network", "adapted");
    public static final List<String> CLASSICAL = List.of("cubic", "tv");

    private ThroughPlaneEvaluation() { }

    /** One method's score; adaptSeconds is the adaptation's share of seconds. */
    public record Row(String method, double psnr, double ssim, double seconds, double adaptSeconds) { }

    /**
     * @param thin        fineDepth * h * w values of the clean thin-slice volume; slices beyond a multiple of scale
     *                    are left out
     * @param thinSpacing the thin slices' spacing (mm); pixelSpacing the in-plane one
     */
    public static List<Row> run(float[] thin, int fineDepth, int h, int w, double thinSpacing, double pixelSpacing,
                                int scale, SliceProfile.Shape shape, List<String> methods, RestorationNetwork network,
                                int adaptSteps, Path scratch, Progress progress) throws IOException {
        int depth = fineDepth / scale;
        if (depth < 2) {
            throw new IllegalArgumentException(fineDepth + " slices give fewer than 2 thick slices at x" + scale);
        }
        int plane = h * w;
        int fine = depth * scale;
        float[] truth = java.util.Arrays.copyOf(thin, fine * plane);
        ThroughPlaneRecipe recipe = new ThroughPlaneRecipe(scale, shape,
                new ThroughPlaneRecipe.Geometry(thinSpacing * scale, thinSpacing * scale, pixelSpacing));
        SliceProfile a = recipe.operator(depth, null);
        float[] thick = new float[depth * plane];
        a.applyHost(truth, thick, plane);
        SliceStack stack = new SliceStack() {
            @Override public int depth() { return depth; }
            @Override public int height() { return h; }
            @Override public int width() { return w; }
            @Override public float[] slice(int z) {
                return java.util.Arrays.copyOfRange(thick, z * plane, (z + 1) * plane);
            }
        };
        Image reference = new Image(truth, 1, fine, h, w, null);
        List<Row> rows = new ArrayList<>();
        for (String name : methods) {
            if (!METHODS.contains(name)) {
                throw new IllegalArgumentException("unknown method '" + name + "' for sr-z (available: "
                        + String.join(", ", METHODS) + ")");
            }
            Method method = name.equals("adapted") ? Method.NETWORK : Method.fromName(name);
            int steps = name.equals("adapted") ? adaptSteps : 0;
            if (name.equals("adapted") && steps < 1) {
                throw new IllegalArgumentException("method adapted needs --adapt >= 1");
            }
            float[] estimate = new float[fine * plane];
            long t0 = System.nanoTime();
            ThroughPlaneReconstruction.Result r = ThroughPlaneReconstruction.run(stack, recipe, method,
                    NoiseLevel.AUTO, network, steps, scratch,
                    (j, slice) -> System.arraycopy(slice, 0, estimate, j * plane, plane), progress);
            double seconds = (System.nanoTime() - t0) / 1e9;
            double[] score = ImageQuality.measure(reference, new Image(estimate, 1, fine, h, w, null));
            rows.add(new Row(name, score[0], score[1], seconds, r.adaptSeconds()));
        }
        return rows;
    }
}
