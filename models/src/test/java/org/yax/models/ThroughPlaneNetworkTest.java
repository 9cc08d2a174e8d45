package org.yax.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yax.core.Progress;
import org.yax.core.SliceStack;
import org.yax.core.ThroughPlaneReconstruction;
import org.yax.core.noise.NoiseLevel;
import org.yax.core.op.SliceProfile;
import org.yax.core.task.Method;
import org.yax.core.task.ThroughPlaneRecipe;

/**
 * The learned through-plane method with the shipped model: adapted on the volume's own slices, applied to coronal
 * and sagittal planes; its thin slices reproduce the thick ones (projection onto A x = y), the stored model is not
 * changed by the adaptation, and the adaptation's time is reported.
 */
class ThroughPlaneNetworkTest {
    private static LearnedModel model;

    @BeforeAll
    static void load() throws Exception {
        model = ModelRegistry.load(ModelRegistry.DEFAULT_MODEL, ai.djl.Device.cpu());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** Rings moving along z, and a step across x. */
    private static float[] rings(int depth, int h, int w) {
        float[] thick = new float[depth * h * w];
        for (int z = 0; z < depth; z++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double r = Math.hypot(x - 26, y - 24) + 3 * z;
                    thick[(z * h + y) * w + x] = (float) (200 + 100 * Math.cos(r / 4.0) + (x > 30 ? 80 : 0));
                }
            }
        }
        return thick;
    }

    private static SliceStack stack(float[] thick, int depth, int h, int w) {
        return new SliceStack() {
            @Override public int depth() { return depth; }
            @Override public int height() { return h; }
            @Override public int width() { return w; }
            @Override public float[] slice(int z) {
                return java.util.Arrays.copyOfRange(thick, z * h * w, (z + 1) * h * w);
            }
        };
    }

    @Test
    void adaptedHeadRefinesAlongZAndKeepsTheThickSlices(@TempDir Path dir) throws Exception {
        int depth = 8;
        int h = 48;
        int w = 52;
        float[] thick = rings(depth, h, w);
        SliceStack stack = stack(thick, depth, h, w);
        ThroughPlaneRecipe recipe = new ThroughPlaneRecipe(3, SliceProfile.Shape.BOX,
                new ThroughPlaneRecipe.Geometry(3, 3, 1));
        float[] before = model.refineOnGrid(org.yax.models.net.Head.SR2, new float[24 * 24], 24, 24, 0);
        float[] fine = new float[depth * 3 * h * w];
        ThroughPlaneReconstruction.Result r = ThroughPlaneReconstruction.run(stack, recipe, Method.NETWORK,
                NoiseLevel.AUTO, model, 2, dir, (j, s) -> System.arraycopy(s, 0, fine, j * h * w, h * w),
                Progress.NONE);
        assertEquals(Method.NETWORK, r.method());
        assertTrue(r.adaptSeconds() > 0, "the adaptation's time is reported");
        float[] again = new float[depth * h * w];
        recipe.operator(depth, null).applyHost(fine, again, h * w);
        for (int i = 0; i < again.length; i++) {
            assertEquals(thick[i], again[i], 0.05, "voxel " + i);
        }
        assertTrue(java.util.Arrays.equals(before,
                model.refineOnGrid(org.yax.models.net.Head.SR2, new float[24 * 24], 24, 24, 0)),
                "adaptation works on a copy: the loaded model is unchanged");
        try (var left = Files.list(dir)) {
            assertEquals(0, left.count());
        }
    }

    /**
     * The learned path streams through bands of columns (sagittal planes) and rows (coronal planes): as every plane
     * is refined whole, small bands give the whole volume's answer bit for bit.
     */
    @Test
    void bandsGiveTheWholeVolumesAnswer(@TempDir Path dir) throws Exception {
        int depth = 6;
        int h = 44;
        int w = 40;
        float[] thick = rings(depth, h, w);
        thick[3 * h * w + 5] = Float.NaN;
        ThroughPlaneRecipe recipe = new ThroughPlaneRecipe(2, SliceProfile.Shape.BOX,
                new ThroughPlaneRecipe.Geometry(2, 2, 1));
        int fine = depth * 2;
        long[] sizes = {Long.MAX_VALUE, (long) fine * h * 3}; // whole; bands of 3 columns, then of 3 rows
        int[] bands = new int[2];
        float[][] out = new float[2][fine * h * w];
        for (int k = 0; k < 2; k++) {
            float[] o = out[k];
            bands[k] = ThroughPlaneReconstruction.run(stack(thick, depth, h, w), recipe, Method.NETWORK,
                    NoiseLevel.given(0), model, 0, dir, (j, s) -> System.arraycopy(s, 0, o, j * h * w, h * w),
                    Progress.NONE, sizes[k]).bands();
        }
        assertEquals(1, bands[0]);
        assertEquals(15, bands[1], "44 rows in bands of 3");
        assertTrue(Float.isNaN(out[1][6 * h * w + 5]), "a missing pixel stays missing");
        assertTrue(java.util.Arrays.equals(out[0], out[1]), "bands change nothing but memory");
    }

    /**
     * Wide planes are refined in tiles of columns with the network's halo: the kept columns get the whole plane's
     * values up to float rounding, also where the last tile is padded to the size multiple (302 columns).
     */
    @Test
    void tilesGiveTheWholePlanesAnswer() {
        int rows = 36;
        int columns = 302;
        float[] plane = new float[rows * columns];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                double d = Math.hypot(c - 150, 3 * r - 40);
                plane[r * columns + c] = (float) (0.5 + 0.3 * Math.cos(d / 5.0) + (c % 97 < 9 ? 0.15 : 0));
            }
        }
        float[] whole = model.refineOnGrid(org.yax.models.net.Head.SR2, plane, rows, columns, 0.01, Integer.MAX_VALUE);
        // 64 kept columns and 40 of context on each side per tile: 5 tiles
        float[] tiled = model.refineOnGrid(org.yax.models.net.Head.SR2, plane, rows, columns, 0.01,
                rows * (64 + 2 * LearnedModel.HALO));
        double worst = 0;
        double change = 0;
        for (int i = 0; i < plane.length; i++) {
            worst = Math.max(worst, Math.abs(whole[i] - tiled[i]));
            change = Math.max(change, Math.abs(whole[i] - plane[i]));
        }
        assertTrue(change > 1e-2, "the head changes the plane: " + change);
        assertTrue(worst < 1e-5, "tiles differ from the whole plane by " + worst);
    }
}
