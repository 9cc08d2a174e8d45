package org.yax.core.tile;

import org.yax.core.Progress;

/**
 * Runs a per-tile solve over a plane, tile by tile, and blends the results with the grid's smooth weights.
 * Only one tile's data is handed to the solve at a time, so device memory is bounded by the tile size;
 * the whole plane exists only as host float[] input and output (plus one host float[] of weight sums).
 *
 * <p>NaN results (missing pixels) stay NaN: a pixel's tiles agree on whether it is missing, and tiles
 * whose weight there is 0 are skipped so they cannot spread a NaN.
 */
public final class TiledSolver {
    /** Solves one tile; returns a row-major (height * scale, width * scale) result. */
    @FunctionalInterface
    public interface TileFunction {
        float[] solve(float[] pixels, TileGrid.Tile tile, Progress progress);
    }

    private final TileGrid grid;
    private final int scale;

    /** @param scale output pixels per input pixel along each axis (1, or the super-resolution factor) */
    public TiledSolver(TileGrid grid, int scale) {
        if (scale < 1) {
            throw new IllegalArgumentException("scale must be >= 1, got " + scale);
        }
        this.grid = grid;
        this.scale = scale;
    }

    public TileGrid grid() { return grid; }
    public int scale() { return scale; }

    /** @return the blended (height * scale, width * scale) result for a row-major (height, width) plane */
    public float[] run(float[] plane, TileFunction function, Progress progress) {
        int outW = grid.width() * scale;
        float[] sum = new float[grid.height() * scale * outW];
        float[] weightSum = new float[sum.length];
        var tiles = grid.tiles();
        for (int t = 0; t < tiles.size(); t++) {
            progress.checkCancelled();
            TileGrid.Tile tile = tiles.get(t);
            float[] result = function.solve(grid.extract(plane, tile), tile,
                    progress.range((double) t / tiles.size(), (double) (t + 1) / tiles.size()));
            int th = tile.height() * scale;
            int tw = tile.width() * scale;
            if (result.length != th * tw) {
                throw new IllegalStateException("tile " + tile + " gave " + result.length + " values, expected "
                        + th + "x" + tw);
            }
            float[] w = grid.weights(tile, scale);
            for (int r = 0; r < th; r++) {
                int row = (tile.y() * scale + r) * outW + tile.x() * scale;
                for (int c = 0; c < tw; c++) {
                    float wi = w[r * tw + c];
                    if (wi > 0) {
                        sum[row + c] += wi * result[r * tw + c];
                        weightSum[row + c] += wi;
                    }
                }
            }
        }
        for (int i = 0; i < sum.length; i++) {
            if (weightSum[i] == 0) {
                throw new IllegalStateException("no tile covers output pixel " + i + " of " + grid);
            }
            sum[i] /= weightSum[i];
        }
        progress.report(1, "tiles done");
        return sum;
    }
}
