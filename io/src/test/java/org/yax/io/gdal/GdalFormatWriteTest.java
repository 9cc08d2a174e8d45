package org.yax.io.gdal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yax.core.Derivation;
import org.yax.core.Image;
import org.yax.io.AtomicFiles;
import org.yax.io.ImageFileException;

class GdalFormatWriteTest {
    @TempDir
    static Path dir;

    private final GdalFormat format = new GdalFormat();

    @BeforeAll
    static void makeRasters() {
        GdalTestSupport.makeEdgeCases(dir);
    }

    static Derivation derivation(String task, int scale) {
        return new Derivation(task, "test", scale, Map.of("sigma", "1.5"), "0.1.0-test");
    }

    @ParameterizedTest
    @ValueSource(strings = {"rotated_f32.tif", "int16_nodata.tif", "uint16.tif", "f32_nan.tif", "gcps.tif", "int8.tif"})
    void roundTripKeepsGeoreferencingMetadataAndValues(String name) throws Exception {
        Path source = dir.resolve(name);
        Image image = format.read(source);
        Path out = dir.resolve("out-" + name);
        Derivation d = derivation("denoise", 1);
        format.write(image, d, out);
        GdalTestSupport.checkDerived(source, out, 1, d.describe());
        GdalTestSupport.assertSamePixels(image.pixels(), GdalTestSupport.pythonPixels(out, dir.resolve(name + ".out.f32")),
                "re-read " + name);
        assertNoTemporaryFilesIn(dir);
    }

    @Test
    void realLandsatRoundTripAndInputUntouched() throws Exception {
        Path source = GdalTestSupport.sampleFile("archive/raster/L7_ETMs.tif");
        String hash = GdalFormatReadTest.sha256(source);
        List<Path> listing = GdalFormatReadTest.listing(source.getParent());
        Image image = format.read(source);
        Path out = dir.resolve("landsat").resolve(format.outputFileName(source.getFileName().toString()));
        Derivation d = derivation("denoise", 1);
        format.write(image, d, out);
        GdalTestSupport.checkDerived(source, out, 1, d.describe());
        GdalTestSupport.assertSamePixels(image.pixels(), GdalTestSupport.pythonPixels(out, dir.resolve("l7.out.f32")),
                "re-read Landsat");
        assertEquals(GdalTestSupport.cornerCoordinates(source), GdalTestSupport.cornerCoordinates(out));
        assertEquals(hash, GdalFormatReadTest.sha256(source));
        assertEquals(listing, GdalFormatReadTest.listing(source.getParent()), "files appeared next to the input");
        assertFalse(Files.exists(out.resolveSibling(out.getFileName() + ".aux.xml")), "everything fits in the TIFF");
    }

    @Test
    void pngBecomesRgbGeoTiff() throws Exception {
        Path source = GdalTestSupport.sampleFile("archive/mri/BrainT1Slice.png");
        Image image = format.read(source);
        Path out = dir.resolve(format.outputFileName("BrainT1Slice.png"));
        assertEquals("BrainT1Slice.tif", out.getFileName().toString());
        Derivation d = derivation("denoise", 1);
        format.write(image, d, out);
        GdalTestSupport.checkDerived(source, out, 1, d.describe());
        GdalTestSupport.assertSamePixels(image.pixels(), GdalTestSupport.pythonPixels(out, dir.resolve("brain.out.f32")),
                "re-read PNG");
    }

    /** Nearest-neighbour upscaling: each source pixel becomes an s x s block. */
    static Image upscale(Image image, int s) {
        int h = image.height() * s;
        int w = image.width() * s;
        float[] px = new float[image.channels() * h * w];
        for (int c = 0; c < image.channels(); c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    px[(c * h + y) * w + x] = image.get(c, 0, y / s, x / s);
                }
            }
        }
        return image.withPixels(px, h, w);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rotated_f32.tif", "int16_nodata.tif", "gcps.tif"})
    void superResolutionScalesTheGridAndKeepsTheFootprint(String name) throws Exception {
        Path source = dir.resolve(name);
        Image big = upscale(format.read(source), 2);
        Path out = dir.resolve("sr2-" + name);
        Derivation d = derivation("sr", 2);
        format.write(big, d, out);
        // geotransform exactly {gt0, gt1/2, gt2/2, gt3, gt4/2, gt5/2}; GCP pixel/line doubled
        GdalTestSupport.checkDerived(source, out, 2, d.describe());
        if (name.equals("gcps.tif")) {
            // no geotransform (gdalinfo's corners are pixel positions): map the corners through the GCPs
            String drift = GdalTestSupport.python("""
                    import sys
                    from osgeo import gdal
                    def corners(path):
                        ds = gdal.Open(path); t = gdal.Transformer(ds, None, [])
                        w, h = ds.RasterXSize, ds.RasterYSize
                        return [t.TransformPoint(0, x, y)[1][:2] for x, y in ((0, 0), (w, 0), (0, h), (w, h))]
                    print(max(abs(p - q) for u, v in zip(corners(sys.argv[1]), corners(sys.argv[2])) for p, q in zip(u, v)))
                    """, source, out).strip();
            assertTrue(Double.parseDouble(drift) < 1e-9, "corner drift through the GCPs: " + drift + " degrees");
        } else {
            assertEquals(GdalTestSupport.cornerCoordinates(source), GdalTestSupport.cornerCoordinates(out),
                    "the new grid must cover the same footprint");
        }
        GdalTestSupport.assertSamePixels(big.pixels(), GdalTestSupport.pythonPixels(out, dir.resolve(name + ".sr.f32")),
                "re-read SR " + name);
    }

    @Test
    void superResolutionByThreeOnTheRealLandsat() throws Exception {
        Path source = GdalTestSupport.sampleFile("archive/raster/L7_ETMs.tif");
        Image big = upscale(format.read(source), 3);
        Path out = dir.resolve("sr3-L7_ETMs.tif");
        Derivation d = derivation("sr", 3);
        format.write(big, d, out);
        GdalTestSupport.checkDerived(source, out, 3, d.describe());
        String check = GdalTestSupport.python("""
                import sys
                from osgeo import gdal
                a = gdal.Open(sys.argv[1]); b = gdal.Open(sys.argv[2])
                def corners(ds):
                    g = ds.GetGeoTransform(); w = ds.RasterXSize; h = ds.RasterYSize
                    return [(g[0] + x * g[1] + y * g[2], g[3] + x * g[4] + y * g[5]) for x, y in ((0, 0), (w, 0), (0, h), (w, h))]
                err = max(abs(p - q) for u, v in zip(corners(a), corners(b)) for p, q in zip(u, v))
                # centre of the new top-left pixel lies a third of an old pixel inside the old top-left pixel
                g = b.GetGeoTransform(); c = (g[0] + 0.5 * g[1] + 0.5 * g[2], g[3] + 0.5 * g[4] + 0.5 * g[5])
                o = a.GetGeoTransform(); want = (o[0] + o[1] / 6 + o[2] / 6, o[3] + o[4] / 6 + o[5] / 6)
                print('%.3e %.3e' % (err, max(abs(c[0] - want[0]), abs(c[1] - want[1]))))
                """, source, out).strip();
        String[] errs = check.split(" ");
        assertTrue(Double.parseDouble(errs[0]) < 1e-6, "corner drift " + errs[0] + " m");
        assertTrue(Double.parseDouble(errs[1]) < 1e-6, "pixel centre off by " + errs[1] + " m");
    }

    @Test
    void integerBandsAreRoundedClampedAndNaNBecomesNoData() throws Exception {
        Image image = format.read(dir.resolve("int16_nodata.tif"));
        float[] px = image.pixels();
        px[1] = 1.4f;        // -> 1
        px[2] = 1.6f;        // -> 2
        px[3] = -2.5f;       // half up -> -2
        px[4] = 40000f;      // clamped -> 32767
        px[5] = -1e9f;       // clamped -> -32767: -32768 is nodata, a valid pixel must not become nodata
        px[6] = Float.NaN;   // -> nodata -32768, read back as NaN
        Path out = dir.resolve("rounded.tif");
        format.write(image, derivation("denoise", 1), out);
        float[] back = GdalTestSupport.pythonPixels(out, dir.resolve("rounded.f32"));
        assertEquals(1f, back[1]);
        assertEquals(2f, back[2]);
        assertEquals(-2f, back[3]);
        assertEquals(32767f, back[4]);
        assertEquals(-32767f, back[5]);
        assertTrue(Float.isNaN(back[6]));
    }

    @Test
    void uint16ClampsAtZeroAndTheTop() throws Exception {
        Image image = format.read(dir.resolve("uint16.tif"));
        image.pixels()[2] = -7.2f;
        image.pixels()[3] = 65535.6f;
        Path out = dir.resolve("clamped.tif");
        format.write(image, derivation("denoise", 1), out);
        float[] back = GdalTestSupport.pythonPixels(out, dir.resolve("clamped.f32"));
        assertEquals(0f, back[2]);
        assertEquals(65535f, back[3]);
    }

    @Test
    void nanInAnIntegerBandWithoutNoDataFailsLoudly() throws Exception {
        Image image = format.read(dir.resolve("uint16.tif"));
        image.pixels()[40] = Float.NaN;
        Path out = dir.resolve("must-not-exist.tif");
        ImageFileException e = assertThrows(ImageFileException.class,
                () -> format.write(image, derivation("denoise", 1), out));
        assertEquals(out, e.file());
        assertTrue(e.reason().contains("NaN") && e.reason().contains("x=7, y=1"), e.getMessage());
        assertFalse(Files.exists(out));
        assertNoTemporaryFilesIn(dir);
    }

    @Test
    void floatBandWithoutNoDataKeepsNaN() throws Exception {
        Image image = format.read(dir.resolve("f32_nan.tif"));
        assertTrue(Float.isNaN(image.get(0, 0, 2, 3)));
        image.pixels()[0] = Float.NaN;
        Path out = dir.resolve("nan.tif");
        format.write(image, derivation("denoise", 1), out);
        float[] back = GdalTestSupport.pythonPixels(out, dir.resolve("nan.f32"));
        assertTrue(Float.isNaN(back[0]));
        assertTrue(Float.isNaN(back[2 * 12 + 3]));
    }

    @Test
    void wrongShapeOrForeignSourceIsRefused() throws Exception {
        Image image = format.read(dir.resolve("uint16.tif"));
        Path out = dir.resolve("refused.tif");
        ImageFileException shape = assertThrows(ImageFileException.class,
                () -> format.write(image, derivation("sr", 2), out));
        assertTrue(shape.reason().contains("scale 2"), shape.getMessage());
        Image foreign = new Image(new float[4], 1, 1, 2, 2, () -> "DICOM");
        ImageFileException other = assertThrows(ImageFileException.class,
                () -> format.write(foreign, derivation("denoise", 1), out));
        assertTrue(other.reason().contains("no GDAL source metadata"), other.getMessage());
        assertFalse(Files.exists(out));
    }

    @Test
    void bandsThatDisagreeOnNoDataAreRefused() throws Exception {
        Image image = format.read(dir.resolve("mixed_nodata.vrt"));
        Path out = dir.resolve("mixed.tif");
        ImageFileException e = assertThrows(ImageFileException.class,
                () -> format.write(image, derivation("denoise", 1), out));
        assertTrue(e.reason().contains("one nodata value"), e.getMessage());
        assertFalse(Files.exists(out));
    }

    @Test
    void signedByteValuesAreClampedToTheSignedRange() throws Exception {
        Image image = format.read(dir.resolve("int8.tif"));
        image.pixels()[3] = 300f;
        image.pixels()[4] = -127.6f; // rounds to -128 = nodata: moved to -127
        Path out = dir.resolve("int8-clamped.tif");
        format.write(image, derivation("denoise", 1), out);
        float[] back = GdalTestSupport.pythonPixels(out, dir.resolve("int8.f32"));
        assertEquals(127f, back[3]);
        assertEquals(-127f, back[4]);
    }

    @Test
    void overwritingReplacesTheFileAtomically() throws Exception {
        Image image = format.read(dir.resolve("int16_nodata.tif"));
        Path out = dir.resolve("overwrite.tif");
        Files.writeString(out, "old content");
        format.write(image, derivation("denoise", 1), out);
        GdalTestSupport.checkDerived(dir.resolve("int16_nodata.tif"), out, 1, derivation("denoise", 1).describe());
        assertNoTemporaryFilesIn(dir);
    }

    static void assertNoTemporaryFilesIn(Path directory) throws Exception {
        for (Path p : GdalFormatReadTest.listing(directory)) {
            assertFalse(p.getFileName().toString().startsWith(AtomicFiles.TEMP_PREFIX), "left behind: " + p);
        }
    }
}
