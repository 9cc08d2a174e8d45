package org.yax.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yax.core.metric.Psnr;
import org.yax.core.noise.NoiseLevel;
import org.yax.core.op.SliceProfile;
import org.yax.core.task.Method;
import org.yax.core.task.ThroughPlaneRecipe;

/** Thick slices simulated from a known thin volume with the same profile: what each method recovers. */
class ThroughPlaneReconstructionTest {
    private static final int FINE = 36;
    private static final int H = 40;
    private static final int W = 44;

    /** Two ellipsoids in a background: edges across z that thick slices blur. */
    private static float[] volume() {
        float[] v = new float[FINE * H * W];
        for (int z = 0; z < FINE; z++) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    double a = Math.pow((z - 17.5) / 13, 2) + Math.pow((y - 20) / 15.0, 2) + Math.pow((x - 22) / 17.0, 2);
                    double b = Math.pow((z - 21) / 5.5, 2) + Math.pow((y - 17) / 6.0, 2) + Math.pow((x - 25) / 7.0, 2);
                    v[(z * H + y) * W + x] = (float) (100 + (a < 1 ? 400 : 0) + (b < 1 ? 300 : 0) + 20 * Math.sin(x / 5.0));
                }
            }
        }
        return v;
    }

    private record Stack(float[] data, int depth) implements SliceStack {
        @Override public int depth() { return depth; }
        @Override public int height() { return H; }
        @Override public int width() { return W; }
        @Override public float[] slice(int z) {
            return java.util.Arrays.copyOfRange(data, z * H * W, (z + 1) * H * W);
        }
    }

    private static float[] solve(ThroughPlaneRecipe recipe, float[] thick, Method method, Path dir) throws Exception {
        float[] out = new float[FINE * H * W];
        boolean[] seen = new boolean[FINE];
        ThroughPlaneReconstruction.Result r = ThroughPlaneReconstruction.run(new Stack(thick, FINE / recipe.scale()),
                recipe, method, NoiseLevel.given(0), null, 0, dir, (j, slice) -> {
                    assertEquals(H * W, slice.length);
                    seen[j] = true;
                    System.arraycopy(slice, 0, out, j * H * W, H * W);
                }, Progress.NONE);
        assertEquals(method, r.method());
        for (boolean s : seen) {
            assertTrue(s);
        }
        try (var left = Files.list(dir)) {
            assertEquals(0, left.count(), "the scratch volume is deleted");
        }
        return out;
    }

    @Test
    void tvWithTheProfileBeatsCubicAndFitsTheThickSlices(@TempDir Path dir) throws Exception {
        float[] truth = volume();
        for (int scale : new int[] {2, 3}) {
            ThroughPlaneRecipe recipe = new ThroughPlaneRecipe(scale, SliceProfile.Shape.BOX,
                    new ThroughPlaneRecipe.Geometry(scale * 1.0, scale * 1.0, 1.0));
            SliceProfile a = recipe.operator(FINE / scale, null);
            float[] thick = new float[a.depth() * H * W];
            a.applyHost(truth, thick, H * W);
            float[] cubic = solve(recipe, thick, Method.CUBIC, dir);
            float[] tv = solve(recipe, thick, Method.TV, dir);
            double pCubic = Psnr.psnr(truth, cubic, 800);
            double pTv = Psnr.psnr(truth, tv, 800);
            assertTrue(pTv > pCubic + 1, "x" + scale + ": tv " + pTv + " dB vs cubic " + pCubic);
            float[] refit = new float[thick.length];
            a.applyHost(tv, refit, H * W);
            assertTrue(Psnr.psnr(thick, refit, 800) > 40, "TV's estimate reproduces the thick slices");
        }
    }

    @Test
    void bandsOfRowsGiveTheWholeVolumesAnswer(@TempDir Path dir) throws Exception {
        ThroughPlaneRecipe recipe = new ThroughPlaneRecipe(3, SliceProfile.Shape.BOX,
                new ThroughPlaneRecipe.Geometry(3, 3, 1));
        SliceProfile a = recipe.operator(FINE / 3, null);
        float[] thick = new float[a.depth() * H * W];
        a.applyHost(volume(), thick, H * W);
        float[][] out = new float[2][FINE * H * W];
        int[] bands = new int[2];
        long[] sizes = {Long.MAX_VALUE, (long) FINE * W * 14}; // whole; bands of 6 rows + 2 x 4 rows of halo
        for (int k = 0; k < 2; k++) {
            float[] o = out[k];
            bands[k] = ThroughPlaneReconstruction.run(new Stack(thick, FINE / 3), recipe, Method.TV,
                    NoiseLevel.given(0), null, 0, dir, (j, s) -> System.arraycopy(s, 0, o, j * H * W, H * W),
                    Progress.NONE, sizes[k]).bands();
        }
        assertEquals(1, bands[0]);
        assertEquals(7, bands[1]);
        double worst = 0;
        for (int i = 0; i < out[0].length; i++) {
            worst = Math.max(worst, Math.abs(out[0][i] - out[1][i]));
        }
        assertTrue(worst < 0.01 * 800, "bands differ from the whole volume by " + worst + " (range 800)");
    }

    @Test
    void missingPixelsStayMissing(@TempDir Path dir) throws Exception {
        ThroughPlaneRecipe recipe = new ThroughPlaneRecipe(3, SliceProfile.Shape.GAUSSIAN,
                new ThroughPlaneRecipe.Geometry(4.5, 6, 1.5));
        SliceProfile a = recipe.operator(FINE / 3, null);
        float[] thick = new float[a.depth() * H * W];
        a.applyHost(volume(), thick, H * W);
        thick[5 * H * W + 7] = Float.NaN;
        float[] out = solve(recipe, thick, Method.CUBIC, dir);
        assertTrue(Float.isNaN(out[15 * H * W + 7]), "the thin slice centred on thick slice 5 misses that pixel");
        assertTrue(!Float.isNaN(out[15 * H * W + 8]));
    }

    @Test
    void badStacksGetAReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ThroughPlaneRecipe(3,
                SliceProfile.Shape.BOX, new ThroughPlaneRecipe.Geometry(Double.NaN, 5, 1)));
        assertTrue(e.getMessage().contains("slice positions"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ThroughPlaneRecipe(7, SliceProfile.Shape.BOX,
                new ThroughPlaneRecipe.Geometry(5, 5, 1)));
        ThroughPlaneRecipe recipe = new ThroughPlaneRecipe(2, SliceProfile.Shape.BOX,
                new ThroughPlaneRecipe.Geometry(2, 2, 1));
        e = assertThrows(IllegalArgumentException.class, () -> ThroughPlaneReconstruction.run(
                new Stack(new float[H * W], 1), recipe, Method.CUBIC, NoiseLevel.given(0), null, 0,
                Path.of("."), (j, s) -> { }, Progress.NONE));
        assertTrue(e.getMessage().contains("single slice"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ThroughPlaneRecipe.method(Method.PNP, null, 0));
        assertEquals(Method.TV, ThroughPlaneRecipe.method(Method.AUTO, null, 0));
    }
}
