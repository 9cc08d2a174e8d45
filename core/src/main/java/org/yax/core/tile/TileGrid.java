package org.yax.core.tile;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Overlapping square tiles that cover a (height, width) plane, and the smooth weights that blend their
 * results back into one plane.
 *
 * <p>Along each axis a tile is {@code tileSize} pixels (or the whole axis when that is shorter). Next to an
 * edge shared with a neighbour (not an edge of the plane) a tile has two bands:
 * <ul>
 *   <li>the <b>halo</b>: {@code halo} pixels whose results are unreliable (an operator of support r sees
 *       past the tile there), weight 0;</li>
 *   <li>the <b>blend</b> band: {@code blend} pixels where the weight rises as a raised cosine from 0 to 1.</li>
 * </ul>
 * Neighbours overlap by {@link #overlap()} = 2 halo + blend, so one tile's falling ramp lies exactly on the
 * next one's rising ramp and the two weights sum to 1; the last tile along an axis is shifted back to end
 * at the plane's edge (it overlaps its neighbour more) and {@link TiledSolver} divides by the weight sum,
 * so weights are normalised everywhere. A pixel only ever takes values from tiles that saw at least
 * {@code halo} pixels around it, which makes tiling exact for operators of support <= halo.
 */
public final class TileGrid {
    /** One tile: a window of the plane, origin (y, x), size height x width, in input pixels. */
    public record Tile(int y, int x, int height, int width) { }

    private final int height;
    private final int width;
    private final int tileSize;
    private final int halo;
    private final int blend;
    private final int[] rowOrigins;
    private final int[] columnOrigins;

    /**
     * @param tileSize side of a tile in input pixels, at least {@link #minimumTileSize(int, int)} unless the
     *                 plane fits in one tile
     * @param halo     pixels next to a shared edge whose results are discarded (>= 0)
     * @param blend    width of the weight ramp (>= 1)
     */
    public TileGrid(int height, int width, int tileSize, int halo, int blend) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("plane size must be positive, got " + height + "x" + width);
        }
        if (halo < 0 || blend < 1) {
            throw new IllegalArgumentException("halo must be >= 0 and blend >= 1, got halo " + halo + ", blend " + blend);
        }
        boolean fitsInOne = height <= tileSize && width <= tileSize;
        if (tileSize < 1 || !fitsInOne && tileSize < minimumTileSize(halo, blend)) {
            throw new IllegalArgumentException("tile size " + tileSize + " is too small for halo " + halo + " and blend "
                    + blend + ": needs at least " + minimumTileSize(halo, blend));
        }
        this.height = height;
        this.width = width;
        this.tileSize = tileSize;
        this.halo = halo;
        this.blend = blend;
        this.rowOrigins = origins(height);
        this.columnOrigins = origins(width);
    }

    /** Halo plus ramp on both sides and one pixel in the middle that is fully the tile's own. */
    public static int minimumTileSize(int halo, int blend) {
        return 2 * (halo + blend) + 1;
    }

    public int height() { return height; }
    public int width() { return width; }
    public int tileSize() { return tileSize; }
    public int halo() { return halo; }
    public int blend() { return blend; }

    /** How many pixels neighbouring tiles share along an axis (more for the last, shifted tile). */
    public int overlap() {
        return 2 * halo + blend;
    }

    /** Whether the plane is split at all. */
    public boolean isTiled() {
        return rowOrigins.length > 1 || columnOrigins.length > 1;
    }

    /** All tiles, row by row. */
    public List<Tile> tiles() {
        List<Tile> tiles = new ArrayList<>();
        for (int y : rowOrigins) {
            for (int x : columnOrigins) {
                tiles.add(new Tile(y, x, Math.min(tileSize, height), Math.min(tileSize, width)));
            }
        }
        return Collections.unmodifiableList(tiles);
    }

    /** A copy of the tile's window of a row-major (height, width) plane. */
    public float[] extract(float[] plane, Tile tile) {
        if (plane.length != height * width) {
            throw new IllegalArgumentException("plane has " + plane.length + " values, the grid expects "
                    + height + "x" + width);
        }
        float[] out = new float[tile.height() * tile.width()];
        for (int r = 0; r < tile.height(); r++) {
            System.arraycopy(plane, (tile.y() + r) * width + tile.x(), out, r * tile.width(), tile.width());
        }
        return out;
    }

    /**
     * Blending weights of a tile's result at {@code scale} times the input resolution, row-major
     * (height * scale, width * scale); halo and blend bands scale with it.
     */
    public float[] weights(Tile tile, int scale) {
        float[] wy = axisWeights(tile.y(), tile.height(), height, scale);
        float[] wx = axisWeights(tile.x(), tile.width(), width, scale);
        float[] w = new float[wy.length * wx.length];
        for (int r = 0; r < wy.length; r++) {
            for (int c = 0; c < wx.length; c++) {
                w[r * wx.length + c] = wy[r] * wx[c];
            }
        }
        return w;
    }

    private float[] axisWeights(int origin, int length, int planeLength, int scale) {
        boolean sharedStart = origin > 0;
        boolean sharedEnd = origin + length < planeLength;
        int n = length * scale;
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            float fromStart = sharedStart ? ramp(i, halo * scale, blend * scale) : 1f;
            float fromEnd = sharedEnd ? ramp(n - 1 - i, halo * scale, blend * scale) : 1f;
            w[i] = fromStart * fromEnd;
        }
        return w;
    }

    /** 0 inside the halo, then a raised cosine sampled at pixel centres (so ramp(k) + ramp(blend-1-k) = 1). */
    private static float ramp(int distance, int halo, int blend) {
        int k = distance - halo;
        if (k < 0) {
            return 0f;
        }
        if (k >= blend) {
            return 1f;
        }
        return (float) (0.5 - 0.5 * Math.cos(Math.PI * (k + 0.5) / blend));
    }

    private int[] origins(int n) {
        if (n <= tileSize) {
            return new int[] {0};
        }
        int step = tileSize - overlap();
        List<Integer> list = new ArrayList<>();
        for (int o = 0; ; o += step) {
            if (o + tileSize >= n) {
                list.add(n - tileSize);
                break;
            }
            list.add(o);
        }
        return list.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public String toString() {
        return "TileGrid(" + height + "x" + width + ", tile " + tileSize + ", halo " + halo + ", blend " + blend + ", "
                + rowOrigins.length + "x" + columnOrigins.length + " tiles)";
    }
}
