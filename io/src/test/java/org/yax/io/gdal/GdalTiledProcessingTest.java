package org.yax.io.gdal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yax.core.noise.NoiseLevel;
import org.yax.core.Derivation;
import org.yax.core.Image;
import org.yax.core.PlaneStatistics;
import org.yax.core.Progress;
import org.yax.core.Reconstruction;
import org.yax.core.ReconstructionSettings;
import org.yax.core.solve.TvPdhg;
import org.yax.core.task.Method;
import org.yax.core.task.Task;

/** Windowed processing of rasters on disk: same result as the in-memory tiled path, bounded memory. */
class GdalTiledProcessingTest {
    @TempDir
    Path dir;

    /** Float32 gradient + Gaussian noise (sigma 5) with a nodata (-9999) rectangle, written by python3-gdal in blocks. */
    static final String MAKE_RASTER = """
            import sys
            import numpy as np
            from osgeo import gdal, osr
            gdal.UseExceptions()
            path, w, h = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
            ds = gdal.GetDriverByName('GTiff').Create(path, w, h, 1, gdal.GDT_Float32, ['TILED=YES'])
            ds.SetGeoTransform([500000.0, 10.0, 0.0, 4600000.0, 0.0, -10.0])
            srs = osr.SpatialReference(); srs.ImportFromEPSG(32633); ds.SetProjection(srs.ExportToWkt())
            band = ds.GetRasterBand(1); band.SetNoDataValue(-9999); band.SetDescription('elevation')
            rng = np.random.default_rng(7)
            xs = np.arange(w, dtype=np.float32)
            for y0 in range(0, h, 512):
                rows = min(512, h - y0)
                ys = np.arange(y0, y0 + rows, dtype=np.float32)[:, None]
                a = (0.3 * xs[None, :] + 0.2 * ys + 100 * np.sin(xs[None, :] / 97.0) * np.cos(ys / 61.0)).astype(np.float32)
                a += rng.normal(0, 5, a.shape).astype(np.float32)
                lo, hi = max(y0, 600), min(y0 + rows, 640)
                if lo < hi:
                    a[lo - y0:hi - y0, 100:220] = -9999
                band.WriteArray(a, 0, y0)
            ds = None
            """;

    @Test
    void streamingEqualsInMemoryTiledReconstruction() throws Exception {
        Path input = dir.resolve("medium.tif");
        GdalTestSupport.python(MAKE_RASTER, input, 1500, 1300);
        ReconstructionSettings settings = new ReconstructionSettings(Task.DENOISE, 1, NoiseLevel.given(5.0), Method.TV);
        int tile = 512;
        int halo = TvPdhg.EMPIRICAL_HALO;
        GdalFormat format = new GdalFormat(GdalWriteOptions.DEFAULT.withDataType(GdalWriteOptions.DataType.FLOAT32));
        Image image = format.read(input);
        Reconstruction.Result whole;
        try (Reconstruction r = new Reconstruction().withTileSize(tile)) {
            whole = r.run(image, settings, Progress.NONE);
        }
        Path streamed = dir.resolve("streamed.tif");
        List<Double> reported = new ArrayList<>();
        Progress progress = new Progress() {
            @Override public void report(double fraction, String message) { reported.add(fraction); }
            @Override public boolean isCancelled() { return false; }
        };
        int[] windows = {0};
        List<PlaneStatistics> planes = GdalPlaneStatistics.measure(input, settings.noise(), Progress.NONE);
        try (Reconstruction perWindow = new Reconstruction().withTileSize(Reconstruction.NO_TILING)) {
            GdalTiledProcessing.run(input, streamed, (window, p) -> {
                windows[0]++;
                assertTrue(window.height() <= tile && window.width() <= tile, "window " + window);
                return perWindow.run(window, settings, planes, p).image();
            }, whole.derivation(), new GdalTiledProcessing.Settings(tile, halo, halo, 32L << 20),
                    GdalWriteOptions.DEFAULT.withDataType(GdalWriteOptions.DataType.FLOAT32), progress);
        }
        assertEquals(12, windows[0], "1500x1300 in 512-pixel windows overlapping by 72: 4 x 3");
        assertEquals(1.0, reported.get(reported.size() - 1), "progress ends at 1");
        for (int i = 1; i < reported.size(); i++) {
            assertTrue(reported.get(i) >= reported.get(i - 1) - 1e-12, "progress never goes back");
        }
        float[] expected = whole.image().pixels();
        float[] actual = format.read(streamed).pixels();
        // with the plane's statistics, masked pixels start at the plane's mean in both paths (with a window's
        // own mean they differed by up to 5.7 next to the nodata rectangle)
        double maxDiff = maxDifference(expected, actual, "streamed TV");
        assertEquals(40 * 120, countNaN(actual), "the nodata rectangle stays nodata");
        System.out.println("streamed vs in-memory tiled TV: max |diff| = " + maxDiff);
        assertTrue(maxDiff < 1e-3, "streamed result differs from the in-memory one by " + maxDiff
                + " (values span ~1000, noise sigma 5)");
        GdalTestSupport.checkDerived(input, streamed, 1, whole.derivation().describe());
    }

    @Test
    void streamedInpaintingToCogMatchesTheInMemoryWrite() throws Exception {
        Path input = dir.resolve("int16.tif");
        GdalTestSupport.python("""
                import sys
                import numpy as np
                from osgeo import gdal
                gdal.UseExceptions()
                ds = gdal.GetDriverByName('GTiff').Create(sys.argv[1], 700, 530, 2, gdal.GDT_Int16)
                ds.SetGeoTransform([10.0, 0.01, 0.0, 50.0, 0.0, -0.01])
                rng = np.random.default_rng(3)
                for b in (1, 2):
                    a = rng.integers(-3000, 3000, (530, 700)).astype(np.int16)
                    a[rng.random((530, 700)) < 0.01] = -32768
                    a[200:260, 250:400] = -32768
                    band = ds.GetRasterBand(b); band.WriteArray(a); band.SetNoDataValue(-32768)
                    band.SetDescription('band %d' % b); band.SetScale(0.5); band.SetOffset(10)
                ds = None
                """, input);
        GdalWriteOptions cog = GdalWriteOptions.DEFAULT.withLayout(GdalWriteOptions.Layout.COG)
                .withCompression(GdalWriteOptions.Compression.ZSTD);
        Derivation d = new Derivation("inpaint", "fill-then-mean", 1, Map.of(), "test");
        Path streamed = dir.resolve("streamed-cog.tif");
        GdalTiledProcessing.run(input, streamed, (w, p) -> BoxFilterStreamingMain.boxFilter(filled(w)), d,
                new GdalTiledProcessing.Settings(128, 2, 2, 8L << 20), cog, Progress.NONE);
        GdalFormat format = new GdalFormat(cog);
        Path inMemory = dir.resolve("in-memory-cog.tif");
        format.write(BoxFilterStreamingMain.boxFilter(filled(format.read(input))), d, inMemory);
        assertTrue(GdalTestSupport.run(List.of("gdalinfo", streamed.toString())).contains("LAYOUT=COG"));
        GdalTestSupport.checkDerivedIgnoringStructure(input, streamed, d.describe());
        GdalTestSupport.assertSamePixels(GdalTestSupport.pythonPixels(inMemory, dir.resolve("m.f32")),
                GdalTestSupport.pythonPixels(streamed, dir.resolve("s.f32")), "streamed vs in-memory COG");
        String fills = """
                import sys
                from osgeo import gdal
                ds = gdal.Open(sys.argv[1])
                print([ds.GetRasterBand(b).GetMetadataItem('YAX_FILLED_PIXELS') for b in (1, 2)])
                """;
        String counts = GdalTestSupport.python(fills, streamed).strip();
        assertEquals(GdalTestSupport.python(fills, inMemory).strip(), counts);
        assertTrue(counts.matches("\\['\\d{4,}', '\\d{4,}'\\]"), "both bands record their fills: " + counts);
    }

    @Test
    void cancellingLeavesNothingBehind() throws Exception {
        Path input = dir.resolve("small.tif");
        GdalTestSupport.python(MAKE_RASTER, input, 300, 300);
        Path target = dir.resolve("sub").resolve("cancelled.tif");
        int[] windows = {0};
        Progress cancelAfterOne = new Progress() {
            @Override public void report(double fraction, String message) { }
            @Override public boolean isCancelled() { return windows[0] >= 1; }
        };
        assertThrows(Progress.CancelledException.class, () -> GdalTiledProcessing.run(input, target, (w, p) -> {
            windows[0]++;
            return w;
        }, new Derivation("denoise", "identity", 1, Map.of(), "test"),
                new GdalTiledProcessing.Settings(128, 2, 2, 8L << 20), GdalWriteOptions.DEFAULT, cancelAfterOne));
        assertEquals(1, windows[0]);
        try (var files = Files.list(target.getParent())) {
            assertEquals(List.of(), files.toList(), "no accumulator or partial output left");
        }
    }

    /** Max |a - b| over pixels present in both; fails when they disagree on which pixels are missing. */
    static double maxDifference(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": value count");
        double max = 0;
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.isNaN(expected[i]), Float.isNaN(actual[i]), what + ": missing pixel " + i + " agrees");
            if (!Float.isNaN(expected[i])) {
                max = Math.max(max, Math.abs(expected[i] - actual[i]));
            }
        }
        return max;
    }

    static int countNaN(float[] values) {
        int n = 0;
        for (float v : values) {
            n += Float.isNaN(v) ? 1 : 0;
        }
        return n;
    }

    /** Inpainting at its crudest: every missing pixel becomes 7. */
    private static Image filled(Image in) {
        float[] px = in.pixels().clone();
        for (int i = 0; i < px.length; i++) {
            if (Float.isNaN(px[i])) {
                px[i] = 7f;
            }
        }
        return in.withPixels(px, in.height(), in.width());
    }

    @Test
    void rasterLargerThanTheHeapStreamsInAForkedJvm() throws Exception {
        int size = 6000; // 6000^2 float32 = 144 MB, more than the 128 MB heap the child gets
        Path input = dir.resolve("large.tif");
        GdalTestSupport.python(MAKE_RASTER, input, size, size);
        Path output = dir.resolve("large-box3.tif");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "-Djava.library.path=/usr/lib/jni", "-cp", System.getProperty("java.class.path"),
                BoxFilterStreamingMain.class.getName(), input.toString(), output.toString());
        Path log = dir.resolve("child.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "child JVM timed out");
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), "child JVM failed:\n" + out);
        System.out.println("6000x6000 float32 box filter, -Xmx128m: " + out.strip());
        long hwmKb = Long.parseLong(out.replaceAll("(?s).*vmhwm_kb=(\\d+).*", "$1"));
        assertTrue(hwmKb > 0 && hwmKb < 700_000, "peak RSS " + hwmKb + " kB");
        // python3-gdal recomputes the 3x3 mean with numpy on strips that cross window seams
        String check = GdalTestSupport.python("""
                import sys
                import numpy as np
                from osgeo import gdal
                gdal.UseExceptions()
                src = gdal.Open(sys.argv[1]); dst = gdal.Open(sys.argv[2])
                w, h = src.RasterXSize, src.RasterYSize
                assert (dst.RasterXSize, dst.RasterYSize) == (w, h)
                assert dst.GetGeoTransform() == src.GetGeoTransform()
                worst = 0.0
                for r0, r1 in ((0, 40), (480, 660), (h - 30, h)):
                    lo, hi = max(r0 - 1, 0), min(r1 + 1, h)
                    a = src.GetRasterBand(1).ReadAsArray(0, lo, w, hi - lo).astype(np.float64)
                    a[a == -9999] = np.nan
                    pad = np.pad(a, ((1 if r0 == 0 else 0, 1 if r1 == h else 0), (1, 1)), mode='edge')
                    want = sum(pad[dy:dy + r1 - r0, dx:dx + w] for dy in range(3) for dx in range(3)) / 9
                    got = dst.GetRasterBand(1).ReadAsArray(0, r0, w, r1 - r0).astype(np.float64)
                    got[got == -9999] = np.nan
                    assert (np.isnan(want) == np.isnan(got)).all(), 'nodata differs in rows %d..%d' % (r0, r1)
                    ok = ~np.isnan(want)
                    worst = max(worst, float(np.max(np.abs(want[ok] - got[ok]) / (1 + np.abs(want[ok])))))
                print(worst)
                """, input, output).strip();
        assertTrue(Double.parseDouble(check) < 1e-5, "relative error vs numpy " + check);
    }
}
