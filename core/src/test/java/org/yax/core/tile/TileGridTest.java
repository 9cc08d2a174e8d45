package org.yax.core.tile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Geometry and weights of the tile grid, without any solver. */
class TileGridTest {

    @Test
    void tilesCoverThePlaneAndStayInside() {
        int[][] cases = {{1000, 700, 256, 24, 24}, {257, 256, 256, 24, 24}, {300, 1000, 129, 32, 32},
            {97, 130, 40, 3, 5}, {512, 512, 256, 0, 1}};
        for (int[] c : cases) {
            TileGrid grid = new TileGrid(c[0], c[1], c[2], c[3], c[4]);
            int[] covered = new int[c[0] * c[1]];
            for (TileGrid.Tile t : grid.tiles()) {
                assertTrue(t.y() >= 0 && t.x() >= 0 && t.y() + t.height() <= c[0] && t.x() + t.width() <= c[1],
                        grid + ": " + t + " leaves the plane");
                assertEquals(Math.min(c[2], c[0]), t.height());
                assertEquals(Math.min(c[2], c[1]), t.width());
                for (int r = 0; r < t.height(); r++) {
                    for (int k = 0; k < t.width(); k++) {
                        covered[(t.y() + r) * c[1] + t.x() + k]++;
                    }
                }
            }
            for (int i = 0; i < covered.length; i++) {
                assertTrue(covered[i] > 0, grid + " misses pixel " + i);
            }
            assertTrue(grid.isTiled());
        }
    }

    @Test
    void aPlaneThatFitsIsOneTile() {
        TileGrid grid = new TileGrid(100, 80, 1024, 24, 24);
        assertEquals(1, grid.tiles().size());
        assertFalse(grid.isTiled());
        for (float w : grid.weights(grid.tiles().get(0), 3)) {
            assertEquals(1f, w);
        }
    }

    @Test
    void weightsAreZeroInTheHaloAndSumToOneEverywhere() {
        for (int scale : new int[] {1, 2, 3}) {
            int h = 700;
            int w = 451;
            int halo = 10;
            TileGrid grid = new TileGrid(h, w, 128, halo, 12);
            float[] sum = new float[h * scale * w * scale];
            float[] regularSum = new float[sum.length];
            for (TileGrid.Tile t : grid.tiles()) {
                float[] wt = grid.weights(t, scale);
                assertEquals(t.height() * scale * t.width() * scale, wt.length);
                boolean regular = t.y() + t.height() < h && t.x() + t.width() < w; // not shifted
                for (int r = 0; r < t.height() * scale; r++) {
                    for (int k = 0; k < t.width() * scale; k++) {
                        float v = wt[r * t.width() * scale + k];
                        assertTrue(v >= 0 && v <= 1);
                        boolean inSharedHalo = t.y() > 0 && r < halo * scale || t.x() > 0 && k < halo * scale;
                        if (inSharedHalo) {
                            assertEquals(0f, v, "weight inside the halo of " + t);
                        }
                        int i = (t.y() * scale + r) * w * scale + t.x() * scale + k;
                        sum[i] += v;
                        if (regular) {
                            regularSum[i] += v;
                        }
                    }
                }
            }
            for (int i = 0; i < sum.length; i++) {
                assertTrue(sum[i] > 0, "no weight at output pixel " + i);
            }
            // away from the shifted last row/column of tiles, complementary ramps sum to exactly 1
            int step = 128 - grid.overlap();
            int checked = 0;
            for (int r = 0; r < (h - 128) / step * step * scale; r++) {
                for (int k = 0; k < (w - 128) / step * step * scale; k++) {
                    assertEquals(1f, regularSum[r * w * scale + k], 1e-6f, "weight sum at " + r + "," + k);
                    checked++;
                }
            }
            assertTrue(checked > 100_000);
        }
    }

    @Test
    void extractCopiesTheWindow() {
        TileGrid grid = new TileGrid(6, 5, 3, 0, 1);
        float[] plane = new float[30];
        for (int i = 0; i < plane.length; i++) {
            plane[i] = i;
        }
        TileGrid.Tile last = grid.tiles().get(grid.tiles().size() - 1);
        assertEquals(new TileGrid.Tile(3, 2, 3, 3), last);
        float[] window = grid.extract(plane, last);
        assertEquals(17f, window[0]);
        assertEquals(29f, window[8]);
    }

    @Test
    void rejectsTilesTooSmallForTheHalo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TileGrid(1000, 1000, 96, 24, 24));
        assertTrue(e.getMessage().contains("at least 97"), e.getMessage());
        assertEquals(97, TileGrid.minimumTileSize(24, 24));
        assertThrows(IllegalArgumentException.class, () -> new TileGrid(100, 100, 64, 4, 0));
        assertThrows(IllegalArgumentException.class, () -> new TileGrid(0, 100, 64, 4, 4));
    }
}
