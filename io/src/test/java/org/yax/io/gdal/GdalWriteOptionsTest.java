package org.yax.io.gdal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.yax.core.Derivation;
import org.yax.core.Image;
import org.yax.io.gdal.GdalWriteOptions.Compression;
import org.yax.io.gdal.GdalWriteOptions.DataType;
import org.yax.io.gdal.GdalWriteOptions.Layout;

/** Encoding options, checked with gdalinfo and python3-gdal (GDAL's own COG validator included). */
class GdalWriteOptionsTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void makeRasters() {
        GdalTestSupport.makeEdgeCases(dir);
    }

    private static final String IMAGE_STRUCTURE = """
            import sys
            from osgeo import gdal
            gdal.UseExceptions()
            ds = gdal.Open(sys.argv[1])
            ist = ds.GetMetadata('IMAGE_STRUCTURE')
            b = ds.GetRasterBand(1)
            print(ist.get('COMPRESSION'), ist.get('PREDICTOR'), gdal.GetDataTypeName(b.DataType), b.GetNoDataValue(),
                  b.GetBlockSize()[0], b.GetOverviewCount(), sep=';')
            """;

    @Test
    void cogOutputIsValidCloudOptimizedAndKeepsEverything() throws Exception {
        Path source = GdalTestSupport.sampleFile("archive/raster/L7_ETMs.tif");
        GdalFormat format = new GdalFormat(GdalWriteOptions.DEFAULT.withLayout(Layout.COG));
        Image image = format.read(source);
        Path out = dir.resolve("cog").resolve("L7_ETMs.tif");
        Derivation d = GdalFormatWriteTest.derivation("denoise", 1);
        format.write(image, d, out);
        String info = GdalTestSupport.run(java.util.List.of("gdalinfo", out.toString()));
        assertTrue(info.contains("LAYOUT=COG"), "gdalinfo shows no LAYOUT=COG:\n" + info);
        String valid = GdalTestSupport.python("""
                import sys
                from osgeo_utils.samples.validate_cloud_optimized_geotiff import validate
                warnings, errors, details = validate(sys.argv[1], full_check=True)
                print('errors=%r' % (errors,))
                """, out);
        assertEquals("errors=[]", valid.strip(), "GDAL's COG validator");
        GdalTestSupport.checkDerived(source, out, 1, d.describe());
        GdalTestSupport.assertSamePixels(image.pixels(), GdalTestSupport.pythonPixels(out, dir.resolve("cog.f32")),
                "COG re-read");
        String[] st = GdalTestSupport.python(IMAGE_STRUCTURE, out).strip().split(";");
        assertTrue(Integer.parseInt(st[5]) >= 1, "349x352 at 256-pixel blocks gets an overview: " + st[5]);
        try (var files = Files.list(out.getParent())) {
            assertEquals(java.util.List.of(out), files.toList(), "intermediate GeoTIFF left behind");
        }
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"ZSTD", "LZW", "NONE"})
    void codecsRoundTripExactly(Compression codec) throws Exception {
        Path source = dir.resolve("int16_nodata.tif");
        GdalFormat format = new GdalFormat(GdalWriteOptions.DEFAULT.withCompression(codec).withBlockSize(512));
        Image image = format.read(source);
        Path out = dir.resolve("codec-" + codec + ".tif");
        format.write(image, GdalFormatWriteTest.derivation("denoise", 1), out);
        String[] st = GdalTestSupport.python(IMAGE_STRUCTURE, out).strip().split(";");
        assertEquals(codec == Compression.NONE ? "None" : codec.name(), st[0], "compression");
        assertEquals(codec == Compression.NONE ? "None" : "2", st[1], "integer predictor");
        assertEquals("Int16", st[2]);
        assertEquals("512", st[4], "block size");
        GdalTestSupport.assertSamePixels(image.pixels(),
                GdalTestSupport.pythonPixels(out, dir.resolve("codec-" + codec + ".f32")), "re-read " + codec);
    }

    @Test
    void float32OnRequestKeepsFractionsAndNoData() throws Exception {
        Path source = dir.resolve("int16_nodata.tif");
        GdalFormat format = new GdalFormat(GdalWriteOptions.DEFAULT.withDataType(DataType.FLOAT32)
                .withCompression(Compression.ZSTD));
        Image image = format.read(source);
        float[] px = image.pixels().clone();
        int nans = 0;
        for (int i = 0; i < px.length; i++) {
            if (Float.isNaN(px[i])) {
                nans++;
            } else {
                px[i] = px[i] * 1.5f + 0.375f + 70000f; // fractions, and far outside Int16
            }
        }
        assertTrue(nans > 0, "the int16 test raster has nodata pixels");
        Image result = image.withPixels(px, image.height(), image.width());
        Path out = dir.resolve("float32.tif");
        format.write(result, GdalFormatWriteTest.derivation("denoise", 1), out);
        String[] st = GdalTestSupport.python(IMAGE_STRUCTURE, out).strip().split(";");
        assertEquals("Float32", st[2]);
        assertEquals("3", st[1], "floating-point predictor");
        assertEquals(String.valueOf(image.source() instanceof GdalSource s ? s.bands().get(0).noData() : null),
                st[3], "nodata kept");
        GdalTestSupport.assertSamePixels(px, GdalTestSupport.pythonPixels(out, dir.resolve("float32.f32")),
                "float32 re-read");

        // the default keeps Int16: rounded and clamped
        Path kept = dir.resolve("kept.tif");
        new GdalFormat().write(result, GdalFormatWriteTest.derivation("denoise", 1), kept);
        float[] back = GdalTestSupport.pythonPixels(kept, dir.resolve("kept.f32"));
        for (int i = 0; i < px.length; i++) {
            assertEquals(Float.isNaN(px[i]) ? Float.NaN : 32767f, back[i], "value " + i + " clamped to Int16");
        }
    }

    @Test
    void inpaintingRecordsFilledPixelsAndOtherTasksKeepNoData() throws Exception {
        Path source = dir.resolve("int16_nodata.tif");
        GdalFormat format = new GdalFormat();
        Image image = format.read(source);
        float[] px = image.pixels().clone();
        int[] missing = new int[image.channels()];
        for (int i = 0; i < px.length; i++) {
            if (Float.isNaN(px[i])) {
                missing[i / image.planeSize()]++;
                px[i] = 7f;
            }
        }
        Path out = dir.resolve("inpainted.tif");
        format.write(image.withPixels(px, image.height(), image.width()),
                GdalFormatWriteTest.derivation("inpaint", 1), out);
        String counts = GdalTestSupport.python("""
                import sys
                from osgeo import gdal
                gdal.UseExceptions()
                ds = gdal.Open(sys.argv[1])
                print(','.join(ds.GetRasterBand(b).GetMetadataItem('YAX_FILLED_PIXELS') or 'none'
                               for b in range(1, ds.RasterCount + 1)))
                """, out).strip();
        StringBuilder want = new StringBuilder();
        for (int m : missing) {
            want.append(want.length() == 0 ? "" : ",").append(m);
        }
        assertEquals(want.toString(), counts);
        GdalTestSupport.assertSamePixels(px, GdalTestSupport.pythonPixels(out, dir.resolve("inpainted.f32")),
                "filled pixels hold values");

        Path denoised = dir.resolve("denoised.tif");
        format.write(image, GdalFormatWriteTest.derivation("denoise", 1), denoised);
        GdalTestSupport.assertSamePixels(image.pixels(), GdalTestSupport.pythonPixels(denoised,
                dir.resolve("denoised.f32")), "masked pixels stay nodata");
        assertEquals("None", GdalTestSupport.python("""
                import sys
                from osgeo import gdal
                ds = gdal.Open(sys.argv[1])  # keep the dataset alive while its band is used
                print(ds.GetRasterBand(1).GetMetadataItem('YAX_FILLED_PIXELS'))
                """, denoised).strip(), "only inpainting records fills");
    }

    @Test
    void bigTiffOnRequest() throws Exception {
        Path source = dir.resolve("uint16.tif");
        GdalFormat format = new GdalFormat(GdalWriteOptions.DEFAULT.withBigTiff(GdalWriteOptions.BigTiff.YES));
        Image image = format.read(source);
        Path out = dir.resolve("big.tif");
        format.write(image, GdalFormatWriteTest.derivation("denoise", 1), out);
        byte[] head;
        try (InputStream in = Files.newInputStream(out)) {
            head = in.readNBytes(4);
        }
        assertEquals(43, head[2], "BigTIFF magic number 43 (classic TIFF is 42)");
        GdalTestSupport.assertSamePixels(image.pixels(), GdalTestSupport.pythonPixels(out, dir.resolve("big.f32")),
                "BigTIFF re-read");
    }
}
