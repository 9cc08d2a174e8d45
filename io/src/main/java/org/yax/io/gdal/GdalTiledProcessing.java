package org.yax.io.gdal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gdal.gdal.Band;
import org.gdal.gdal.Dataset;
import org.gdal.gdal.Driver;
import org.gdal.gdal.gdal;
import org.gdal.gdalconst.gdalconst;
import org.yax.core.Derivation;
import org.yax.core.Image;
import org.yax.core.Progress;
import org.yax.core.tile.TileGrid;
import org.yax.io.ImageFileException;

/**
 * Processes a GDAL raster of any size with bounded memory: overlapping windows (the core's {@link TileGrid})
 * are read one at a time, handed to a function, and blended back with the grid's smooth weights, exactly as
 * {@link org.yax.core.tile.TiledSolver} blends in memory. Java heap holds a few windows, never the raster.
 *
 * <p>How: pass 1 reads each window (all bands, nodata as NaN, with the grid's halo as context), applies
 * the function and adds weight x result into a float32 accumulator GeoTIFF (uncompressed, tiled, next to
 * the target, deleted afterwards) by windowed read-add-write. For a super-resolved result (scale s, from
 * the {@link Derivation}) a window's result and its place in the accumulator are s times the input window,
 * and the weights are the grid's weights at scale s. The weight sum at (y, x) is the product of the
 * per-axis sums (the tiles form a product grid), so pass 2 reads the accumulator strip by strip, divides,
 * and writes the derived file through {@link GdalWriter} (same metadata, geotransform scaling, options,
 * NaN policy and atomic replace as the in-memory path; a COG is copied from a GeoTIFF at the end).
 * One thread, one Dataset per file.
 */
public final class GdalTiledProcessing {
    /** Computes a window's result: same channels as the window, scale times its size; NaN where missing. */
    @FunctionalInterface
    public interface WindowFunction {
        Image apply(Image window, Progress progress);
    }

    /**
     * @param tileSize   window side in pixels, halo included
     * @param halo       pixels next to a shared window edge whose results are discarded (>= the method's reach)
     * @param blend      width of the weight ramp between windows
     * @param cacheBytes GDAL's block cache cap (native memory outside the heap); global to the process, so it
     *                   only ever lowers the cap, and a GDAL_CACHEMAX the user set wins
     */
    public record Settings(int tileSize, int halo, int blend, long cacheBytes) {
        public Settings {
            if (tileSize < TileGrid.minimumTileSize(halo, blend)) {
                throw new IllegalArgumentException("tile size " + tileSize + " is below the minimum "
                        + TileGrid.minimumTileSize(halo, blend) + " for halo " + halo + " and blend " + blend);
            }
            if (cacheBytes < 1 << 20) {
                throw new IllegalArgumentException("GDAL cache must be at least 1 MiB, got " + cacheBytes);
            }
        }

        /** 1024-pixel windows like core's Reconstruction, the given halo as blend, a 64 MiB GDAL cache. */
        public static Settings of(int halo) {
            return of(halo, 1);
        }

        /**
         * As {@link #of(int)} for results {@code scale} times larger: input windows of 1024 / scale pixels
         * (at least the grid's minimum), so a window's result stays about 1024 x 1024 per band.
         */
        public static Settings of(int halo, int scale) {
            int blend = Math.max(halo, 1);
            return new Settings(Math.max(TileGrid.minimumTileSize(halo, blend), 1024 / scale), halo, blend, 64L << 20);
        }
    }

    private static final int STRIP_VALUES = 1 << 20;

    private GdalTiledProcessing() { }

    /**
     * Reads {@code input} window by window, applies {@code function}, and writes the blended result to
     * {@code target} as a derived raster (metadata, georeferencing, provenance and scale from
     * {@code derivation}). The input is never modified; the target appears atomically or not at all.
     */
    public static void run(Path input, Path target, WindowFunction function, Derivation derivation,
                           Settings settings, GdalWriteOptions options, Progress progress) throws ImageFileException {
        if (!GdalRuntime.available()) {
            throw new ImageFileException(input, GdalRuntime.problem());
        }
        GdalRuntime.capCache(settings.cacheBytes());
        GdalRuntime.pushQuiet();
        Path accumulator = null;
        try {
            Dataset in = gdal.OpenEx(input.toString(), gdalconst.OF_RASTER | gdalconst.OF_READONLY);
            if (in == null) {
                throw new ImageFileException(input, "GDAL cannot open it as a raster: "
                        + GdalRuntime.lastError("no GDAL raster driver recognises it"));
            }
            try {
                if (in.GetRasterCount() == 0) {
                    throw new ImageFileException(input, "it has no raster bands");
                }
                GdalSource source = GdalReader.describe(input, in);
                GdalWriter.Plan plan = GdalWriter.plan(source, derivation, options, target);
                TileGrid grid = new TileGrid(source.height(), source.width(), settings.tileSize(), settings.halo(),
                        settings.blend());
                Path targetDir = Files.createDirectories(target.toAbsolutePath().getParent());
                accumulator = Files.createTempFile(targetDir, ".yax-accumulate-", ".tif");
                accumulate(input, in, source, plan, grid, accumulator, function, progress.range(0, 0.9));
                Path acc = accumulator;
                GdalWriter.writeAtomically(target, plan, (ds, p) -> normalise(in, source, grid, acc, ds, p, target,
                        progress.range(0.9, 1)));
            } finally {
                in.delete();
            }
        } catch (IOException e) {
            throw new ImageFileException(target, "tiled processing failed: " + e.getMessage(), e);
        } finally {
            GdalRuntime.popQuiet();
            if (accumulator != null) {
                GdalWriter.deleteQuietly(accumulator);
                GdalWriter.deleteQuietly(accumulator.resolveSibling(accumulator.getFileName() + ".aux.xml"));
            }
        }
        progress.report(1, "written " + target.getFileName());
    }

    private static void accumulate(Path input, Dataset in, GdalSource source, GdalWriter.Plan plan, TileGrid grid,
                                   Path accumulator, WindowFunction function, Progress progress)
            throws IOException, ImageFileException {
        int bands = source.bandCount();
        int s = plan.derivation().scale();
        Driver gtiff = gdal.GetDriverByName("GTiff");
        // Uncompressed tiles are rewritten in place; BIGTIFF for rasters past 4 GiB of float32.
        Dataset acc = gtiff.Create(accumulator.toString(), plan.width(), plan.height(), bands,
                gdalconst.GDT_Float32, new String[] {"TILED=YES", "BLOCKXSIZE=256", "BLOCKYSIZE=256",
                        "BIGTIFF=IF_SAFER", "SPARSE_OK=YES", "INTERLEAVE=BAND"});
        if (acc == null) {
            throw new IOException("creating the accumulator " + accumulator + " failed: "
                    + GdalRuntime.lastError("no reason given"));
        }
        try {
            List<TileGrid.Tile> tiles = grid.tiles();
            for (int t = 0; t < tiles.size(); t++) {
                progress.checkCancelled();
                TileGrid.Tile tile = tiles.get(t);
                int th = tile.height();
                int tw = tile.width();
                int n = th * tw;
                float[] window = new float[bands * n];
                for (int b = 0; b < bands; b++) {
                    GdalReader.readWindow(input, in.GetRasterBand(b + 1), source.bands().get(b), tile.x(), tile.y(),
                            tw, th, window, b * n);
                }
                Image result = function.apply(new Image(window, bands, 1, th, tw, source),
                        progress.range((double) t / tiles.size(), (double) (t + 1) / tiles.size()));
                int oh = th * s;
                int ow = tw * s;
                int on = oh * ow;
                if (result.channels() != bands || result.depth() != 1 || result.height() != oh
                        || result.width() != ow) {
                    throw new IOException("the window function returned " + result + " for a window of " + bands
                            + " bands, " + th + "x" + tw + " at scale " + s);
                }
                float[] w = grid.weights(tile, s);
                float[] sum = new float[on];
                int ox = tile.x() * s;
                int oy = tile.y() * s;
                for (int b = 0; b < bands; b++) {
                    Band band = acc.GetRasterBand(b + 1);
                    check(band.ReadRaster(ox, oy, ow, oh, ow, oh, gdalconst.GDT_Float32, sum), "reading");
                    float[] r = result.pixels();
                    for (int i = 0; i < on; i++) {
                        if (w[i] > 0) {
                            sum[i] += w[i] * r[b * on + i];
                        }
                    }
                    check(band.WriteRaster(ox, oy, ow, oh, ow, oh, gdalconst.GDT_Float32, sum), "writing");
                }
                progress.report((double) (t + 1) / tiles.size(), "window " + (t + 1) + " of " + tiles.size());
            }
            gdal.ErrorReset();
            acc.FlushCache();
            GdalWriter.failIfError("flushing the accumulator of");
        } finally {
            acc.delete();
        }
    }

    /**
     * Pass 2: accumulated sums divided by the weight sums, written into the derived file in chunks of whole
     * output blocks, all bands of a chunk together (see {@link GdalWriter#forEachChunk}).
     */
    private static long[] normalise(Dataset in, GdalSource source, TileGrid grid, Path accumulator, Dataset out,
                                    GdalWriter.Plan plan, Path target, Progress progress) throws IOException {
        int s = plan.derivation().scale();
        float[] rowWeights = axisWeightSums(new TileGrid(grid.height(), 1, grid.tileSize(), grid.halo(),
                grid.blend()), s);
        float[] columnWeights = axisWeightSums(new TileGrid(1, grid.width(), grid.tileSize(), grid.halo(),
                grid.blend()), s);
        boolean countFilled = plan.inpainting() && s == 1; // pixel-to-pixel correspondence with the source
        long[] filled = countFilled ? new long[source.bandCount()] : null;
        Dataset acc = gdal.Open(accumulator.toString(), gdalconst.GA_ReadOnly);
        if (acc == null) {
            throw new IOException("reopening the accumulator failed: " + GdalRuntime.lastError("no reason given"));
        }
        try {
            int bands = source.bandCount();
            float[] chunk = new float[GdalWriter.chunkCapacity(plan, STRIP_VALUES)];
            float[] original = countFilled ? new float[chunk.length] : null;
            double[] buffer = new double[chunk.length];
            long total = (long) plan.width() * plan.height();
            long[] done = {0};
            GdalWriter.forEachChunk(plan, STRIP_VALUES, (x0, y0, w, h) -> {
                progress.checkCancelled();
                int n = w * h;
                for (int b = 0; b < bands; b++) {
                    check(acc.GetRasterBand(b + 1).ReadRaster(x0, y0, w, h, w, h, gdalconst.GDT_Float32, chunk),
                            "reading");
                    for (int r = 0; r < h; r++) {
                        float wy = rowWeights[y0 + r];
                        for (int c = 0; c < w; c++) {
                            chunk[r * w + c] /= wy * columnWeights[x0 + c];
                        }
                    }
                    int bad = GdalWriter.firstForbiddenNaN(plan, b, chunk, 0, n);
                    if (bad >= 0) {
                        throw new IOException(GdalWriter.nanError(plan, b, x0 + bad % w, y0 + bad / w, target)
                                .getMessage());
                    }
                    if (countFilled) {
                        try {
                            GdalReader.readWindow(source.file(), in.GetRasterBand(b + 1), source.bands().get(b), x0,
                                    y0, w, h, original, 0);
                        } catch (ImageFileException e) {
                            throw new IOException(e.getMessage(), e);
                        }
                        for (int i = 0; i < n; i++) {
                            if (Float.isNaN(original[i]) && !Float.isNaN(chunk[i])) {
                                filled[b]++;
                            }
                        }
                    }
                    GdalWriter.writeWindow(out.GetRasterBand(b + 1), plan, b, chunk, 0, x0, y0, w, h, buffer);
                }
                done[0] += n;
                progress.report((double) done[0] / total, "writing");
            });
        } finally {
            acc.delete();
        }
        return filled;
    }

    /**
     * Per-output-pixel sum of the weights (at {@code scale}) of all tiles along one axis (the grid has one
     * tile along the other).
     */
    private static float[] axisWeightSums(TileGrid line, int scale) {
        boolean alongX = line.height() == 1;
        float[] sums = new float[(alongX ? line.width() : line.height()) * scale];
        for (TileGrid.Tile tile : line.tiles()) {
            // (scale x n) weights along x, (n x scale) along y: the single-pixel axis has weight 1
            float[] w = line.weights(tile, scale);
            int origin = (alongX ? tile.x() : tile.y()) * scale;
            int n = (alongX ? tile.width() : tile.height()) * scale;
            for (int i = 0; i < n; i++) {
                sums[origin + i] += w[alongX ? i : i * scale];
            }
        }
        return sums;
    }

    private static void check(int err, String what) throws IOException {
        if (err != gdalconst.CE_None) {
            throw new IOException(what + " the accumulator failed: " + GdalRuntime.lastError("GDAL gave no reason"));
        }
    }
}
