package org.yax.io.gdal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yax.core.noise.NoiseLevel;
import org.yax.core.Image;
import org.yax.core.PlaneStatistics;
import org.yax.core.Progress;
import org.yax.core.Reconstruction;
import org.yax.core.ReconstructionSettings;
import org.yax.core.noise.NoiseEstimator;
import org.yax.core.solve.TikhonovCg;
import org.yax.core.task.Method;
import org.yax.core.task.Task;

/**
 * A raster streamed window by window with its bands' whole-plane statistics gives the in-memory result:
 * super-resolution (windows scale times larger, geotransform exactly scaled), Tikhonov (whose weight
 * follows the value range), sigma auto (sampled windows), and the statistics pass itself.
 */
class GdalStreamedReconstructionTest {
    @TempDir
    Path dir;

    /** Float32 texture + noise (sigma 5), 2 bands, nodata (-9999) rectangle in band 1, rotated geotransform. */
    static final String MAKE_RASTER = """
            import sys
            import numpy as np
            from osgeo import gdal, osr
            gdal.UseExceptions()
            path, w, h = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
            ds = gdal.GetDriverByName('GTiff').Create(path, w, h, 2, gdal.GDT_Float32, ['TILED=YES'])
            ds.SetGeoTransform([500000.0, 10.0, 1.5, 4600000.0, 2.5, -10.0])
            srs = osr.SpatialReference(); srs.ImportFromEPSG(32633); ds.SetProjection(srs.ExportToWkt())
            rng = np.random.default_rng(11)
            xs = np.arange(w, dtype=np.float32)[None, :]; ys = np.arange(h, dtype=np.float32)[:, None]
            for b in (1, 2):
                a = (0.3 * xs + 0.2 * ys * b + 100 * np.sin(xs / 37.0) * np.cos(ys / 23.0)).astype(np.float32)
                a += rng.normal(0, 5, a.shape).astype(np.float32)
                if b == 1:
                    a[h // 3:h // 3 + 20, w // 4:w // 4 + 40] = -9999
                band = ds.GetRasterBand(b); band.WriteArray(a); band.SetNoDataValue(-9999)
                band.SetDescription('band %d' % b)
            ds = None
            """;

    private static final GdalWriteOptions FLOAT32 =
            GdalWriteOptions.DEFAULT.withDataType(GdalWriteOptions.DataType.FLOAT32);

    private Path raster(String name, int width, int height) {
        Path file = dir.resolve(name);
        GdalTestSupport.python(MAKE_RASTER, file, width, height);
        return file;
    }

    /** In-memory (tiles of {@code tile}) and streamed (windows of {@code tile}) results, as read back. */
    private float[][] bothWays(Path input, ReconstructionSettings settings, int tile, int halo, Path streamed)
            throws Exception {
        GdalFormat format = new GdalFormat(FLOAT32);
        Reconstruction.Result whole;
        try (Reconstruction r = new Reconstruction().withTileSize(tile)) {
            whole = r.run(format.read(input), settings, Progress.NONE);
        }
        List<PlaneStatistics> planes = GdalPlaneStatistics.measure(input, settings.noise(), Progress.NONE);
        int s = settings.scale();
        try (Reconstruction perWindow = new Reconstruction().withTileSize(Reconstruction.NO_TILING)) {
            GdalTiledProcessing.run(input, streamed, (window, p) -> {
                Image result = perWindow.run(window, settings, planes, p).image();
                assertEquals(window.height() * s, result.height());
                return result;
            }, whole.derivation(), new GdalTiledProcessing.Settings(tile, halo, halo, 16L << 20), FLOAT32,
                    Progress.NONE);
        }
        GdalTestSupport.checkDerived(input, streamed, s, whole.derivation().describe());
        return new float[][] {whole.image().pixels(), format.read(streamed).pixels()};
    }

    @Test
    void superResolutionStreamsWindowsScaleTimesLargerWithTheSameResult() throws Exception {
        Path input = raster("sr.tif", 260, 220);
        // Tikhonov (CG) rather than TV: same tiling, a tenth of TV's time for super-resolution
        ReconstructionSettings settings = new ReconstructionSettings(Task.SUPER_RESOLUTION, 2, NoiseLevel.given(5.0), Method.TIKHONOV);
        Path streamed = dir.resolve("sr-streamed.tif");
        // 160-pixel windows overlapping by 2 x 16 + 16 = 48: 2 x 2 windows, results 320 x 320
        float[][] r = bothWays(input, settings, 160, TikhonovCg.EMPIRICAL_HALO, streamed);
        assertEquals(2 * 520 * 440, r[0].length);
        assertEquals(20 * 40 * 4, GdalTiledProcessingTest.countNaN(r[1]), "every pixel over nodata stays nodata");
        double diff = GdalTiledProcessingTest.maxDifference(r[0], r[1], "streamed x2");
        System.out.println("streamed vs in-memory Tikhonov x2: max |diff| = " + diff);
        assertTrue(diff < 1e-3, "streamed super-resolution differs from in-memory by " + diff);
        // corners as gdalinfo computes them: the scaled rotated geotransform covers the same ground
        assertEquals(GdalTestSupport.cornerCoordinates(input), GdalTestSupport.cornerCoordinates(streamed));
    }

    @Test
    void tikhonovUsesThePlaneRangeInEveryWindow() throws Exception {
        Path input = raster("tik.tif", 420, 380);
        ReconstructionSettings settings = new ReconstructionSettings(Task.DENOISE, 1, NoiseLevel.given(5.0), Method.TIKHONOV);
        float[][] r = bothWays(input, settings, 200, TikhonovCg.EMPIRICAL_HALO, dir.resolve("tik-streamed.tif"));
        double diff = GdalTiledProcessingTest.maxDifference(r[0], r[1], "streamed Tikhonov");
        System.out.println("streamed vs in-memory Tikhonov: max |diff| = " + diff);
        // with each window's own range the weight changed per window (up to 1.7 apart on a raster like this)
        assertTrue(diff < 1e-2, "streamed Tikhonov differs from in-memory by " + diff);
    }

    @Test
    void sigmaAutoIsTheMedianOfSampledWindowsAndCloseToTheWholePlaneEstimate() throws Exception {
        Path input = raster("auto.tif", 1300, 1100);
        Image image = new GdalFormat().read(input);
        List<PlaneStatistics> planes = GdalPlaneStatistics.measure(input, NoiseLevel.AUTO, Progress.NONE);
        for (int b = 0; b < 2; b++) {
            double whole = NoiseEstimator.estimateGaussianSigma(image.plane(b, 0), image.width(), image.height());
            double sampled = planes.get(b).sigma();
            System.out.printf("band %d sigma: whole plane %.4f, median of sampled windows %.4f%n", b + 1, whole,
                    sampled);
            assertTrue(Math.abs(sampled - whole) < 0.02 * whole, "band " + (b + 1) + ": " + sampled + " vs " + whole);
        }
        // the sample: 3 x 3 windows of 512 (1300 and 1100 need 3 along each axis), corners included
        assertEquals(List.of(0, 394, 788), java.util.Arrays.stream(GdalPlaneStatistics.origins(1300)).boxed().toList());
        assertEquals(List.of(0, 294, 588), java.util.Arrays.stream(GdalPlaneStatistics.origins(1100)).boxed().toList());
        assertEquals(List.of(0), java.util.Arrays.stream(GdalPlaneStatistics.origins(512)).boxed().toList());
        assertEquals(6, GdalPlaneStatistics.origins(12000).length);
    }

    @Test
    void statisticsAreExactAndNothingIsWrittenNextToTheInput() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("input"));
        Path input = folder.resolve("stats.tif");
        GdalTestSupport.python(MAKE_RASTER, input, 200, 150);
        // a stale sidecar with wrong statistics: must be neither trusted nor rewritten
        GdalTestSupport.python("""
                import sys
                from osgeo import gdal
                ds = gdal.Open(sys.argv[1]); ds.GetRasterBand(1).SetStatistics(-1, 1, 12345, 1); ds = None
                """, input);
        Path sidecar = folder.resolve("stats.tif.aux.xml");
        assertTrue(Files.readString(sidecar).contains("12345"), "python3-gdal wrote the stale sidecar");
        String inputSha = GdalFormatReadTest.sha256(input);
        String sidecarSha = GdalFormatReadTest.sha256(sidecar);
        List<Path> listing = GdalFormatReadTest.listing(folder);
        List<PlaneStatistics> planes = GdalPlaneStatistics.measure(input, NoiseLevel.given(2.5), Progress.NONE);
        String numpy = GdalTestSupport.python("""
                import sys
                import numpy as np
                from osgeo import gdal
                ds = gdal.Open(sys.argv[1])
                for b in (1, 2):
                    a = ds.GetRasterBand(b).ReadAsArray().astype(np.float64); a = a[a != -9999]
                    print(repr(a.min()), repr(a.max()), repr(a.mean()))
                """, input);
        String[] lines = numpy.strip().split("\n");
        for (int b = 0; b < 2; b++) {
            String[] v = lines[b].split(" ");
            PlaneStatistics p = planes.get(b);
            assertEquals(2.5, p.sigma(), "a given sigma is used as is");
            assertEquals(Double.parseDouble(v[0]), p.min(), "band " + (b + 1) + " min");
            assertEquals(Double.parseDouble(v[1]), p.max(), "band " + (b + 1) + " max");
            assertEquals(Double.parseDouble(v[2]), p.mean(), 1e-9 * Math.abs(p.mean()), "band " + (b + 1) + " mean");
        }
        assertEquals(inputSha, GdalFormatReadTest.sha256(input));
        assertEquals(sidecarSha, GdalFormatReadTest.sha256(sidecar), "the input's sidecar was rewritten");
        assertEquals(listing, GdalFormatReadTest.listing(folder), "files appeared next to the input");
    }

    @Test
    void aBandWithoutDataHasEmptyStatistics() throws Exception {
        Path input = dir.resolve("all-nodata.tif");
        GdalTestSupport.python("""
                import sys
                from osgeo import gdal
                ds = gdal.GetDriverByName('GTiff').Create(sys.argv[1], 64, 48, 1, gdal.GDT_Int16)
                b = ds.GetRasterBand(1); b.SetNoDataValue(-1); b.Fill(-1); ds = None
                """, input);
        PlaneStatistics p = GdalPlaneStatistics.measure(input, NoiseLevel.AUTO, Progress.NONE).get(0);
        assertTrue(p.empty(), p.toString());
    }
}
