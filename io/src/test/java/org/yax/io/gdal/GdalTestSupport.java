package org.yax.io.gdal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Real files for the GDAL tests: sample data, rasters made by python3-gdal, and python3-gdal checks. */
final class GdalTestSupport {
    static final String PYTHON = "/usr/bin/python3";

    private GdalTestSupport() { }

    static Path sampleFile(String relative) {
        String root = System.getProperty("yax.sampleData");
        assertTrue(root != null, "system property yax.sampleData is not set (run the tests through Maven)");
        Path file = Path.of(root, relative);
        assertTrue(Files.isRegularFile(file), "sample file " + file + " is missing: run scripts/setup.sh");
        return file;
    }

    /** Runs a Python script with Debian's python3-gdal and returns its stdout; fails the test on exit != 0. */
    static String python(String script, Object... args) {
        List<String> cmd = new ArrayList<>(List.of(PYTHON, "-c", script));
        for (Object a : args) {
            cmd.add(String.valueOf(a));
        }
        return run(cmd);
    }

    static String run(List<String> cmd) {
        try {
            Path out = Files.createTempFile("yax-gdal-test-", ".out");
            Path err = Files.createTempFile("yax-gdal-test-", ".err");
            try {
                Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    fail("timed out: " + cmd.get(0));
                }
                String stdout = Files.readString(out);
                if (p.exitValue() != 0) {
                    fail(cmd.get(0) + " exited " + p.exitValue() + "\nstdout:\n" + stdout + "\nstderr:\n"
                            + Files.readString(err));
                }
                return stdout;
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + cmd.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * Edge-case rasters, written by python3-gdal (not by the code under test) into {@code dir}:
     * rotated float32 with nodata and rich metadata, int16 with nodata, uint16 without nodata,
     * float32 with NaN nodata, byte with GCPs, a complex raster and a two-table GeoPackage.
     */
    static void makeEdgeCases(Path dir) {
        python(MAKE_EDGE_CASES, dir);
    }

    private static final String MAKE_EDGE_CASES = """
            import sys, os
            import numpy as np
            from osgeo import gdal, osr
            gdal.UseExceptions()
            d = sys.argv[1]
            rng = np.random.default_rng(42)
            gt_drv = gdal.GetDriverByName('GTiff')
            def srs(epsg):
                s = osr.SpatialReference(); s.ImportFromEPSG(epsg); return s.ExportToWkt()

            # rotated float32, 3 bands, nodata, descriptions, scale/offset, unit, metadata incl. STATISTICS_*
            ds = gt_drv.Create(os.path.join(d, 'rotated_f32.tif'), 40, 30, 3, gdal.GDT_Float32)
            ds.SetGeoTransform([500000.0, 10.0, 2.5, 9000000.0, 1.5, -10.0])
            ds.SetProjection(srs(32633))
            ds.SetMetadata({'SENSOR': 'synthetic', 'ACQUIRED': '2020-01-02'})
            ds.SetMetadata({'KEY': 'value in a custom domain'}, 'YAX_TEST')
            for b in range(1, 4):
                band = ds.GetRasterBand(b)
                a = (rng.standard_normal((30, 40)) * 100 + 250 * b).astype(np.float32)
                a[b:b + 3, 5:9] = -9999
                band.WriteArray(a)
                band.SetNoDataValue(-9999)
                band.SetDescription('band %d reflectance' % b)
                band.SetMetadata({'WAVELENGTH': str(400 + 100 * b)})
                band.ComputeStatistics(False)
            ds.GetRasterBand(1).SetScale(0.01)
            ds.GetRasterBand(1).SetOffset(5.0)
            ds.GetRasterBand(1).SetUnitType('K')
            ds = None

            # int16 with nodata and negative values, north-up geographic
            ds = gt_drv.Create(os.path.join(d, 'int16_nodata.tif'), 25, 20, 2, gdal.GDT_Int16)
            ds.SetGeoTransform([10.0, 0.01, 0.0, 50.0, 0.0, -0.01])
            ds.SetProjection(srs(4326))
            for b in range(1, 3):
                a = rng.integers(-2000, 2000, (20, 25)).astype(np.int16)
                a[0, 0] = -32768; a[19, 24] = -32768; a[5, 5] = 32767
                ds.GetRasterBand(b).WriteArray(a)
                ds.GetRasterBand(b).SetNoDataValue(-32768)
            ds = None

            # uint16 without nodata, full range
            ds = gt_drv.Create(os.path.join(d, 'uint16.tif'), 33, 17, 1, gdal.GDT_UInt16)
            ds.SetGeoTransform([300000.0, 30.0, 0.0, 6000000.0, 0.0, -30.0])
            ds.SetProjection(srs(32632))
            a = rng.integers(0, 65536, (17, 33)).astype(np.uint16)
            a[0, 0] = 0; a[0, 1] = 65535
            ds.GetRasterBand(1).WriteArray(a)
            ds = None

            # float32 whose nodata is NaN
            ds = gt_drv.Create(os.path.join(d, 'f32_nan.tif'), 12, 9, 1, gdal.GDT_Float32)
            ds.SetGeoTransform([0.5, 0.25, 0.0, 45.0, 0.0, -0.25])
            ds.SetProjection(srs(4326))
            a = rng.random((9, 12)).astype(np.float32); a[2, 3] = np.nan
            ds.GetRasterBand(1).WriteArray(a)
            ds.GetRasterBand(1).SetNoDataValue(float('nan'))
            ds = None

            # byte with GCPs and no geotransform
            ds = gt_drv.Create(os.path.join(d, 'gcps.tif'), 20, 10, 1, gdal.GDT_Byte)
            gcps = [gdal.GCP(10.0, 50.0, 0, 0.0, 0.0, 'ul', 'g1'), gdal.GCP(10.2, 50.0, 0, 20.0, 0.0, 'ur', 'g2'),
                    gdal.GCP(10.0, 49.9, 0, 0.0, 10.0, 'll', 'g3'), gdal.GCP(10.21, 49.89, 0, 20.0, 10.0, 'lr', 'g4')]
            ds.SetGCPs(gcps, srs(4326))
            ds.GetRasterBand(1).WriteArray(rng.integers(1, 255, (10, 20)).astype(np.uint8))
            ds = None

            # signed byte (GDAL 3.6 has no Int8 type) with nodata
            ds = gt_drv.Create(os.path.join(d, 'int8.tif'), 16, 8, 1, gdal.GDT_Byte, ['PIXELTYPE=SIGNEDBYTE'])
            ds.SetGeoTransform([100.0, 1.0, 0.0, 200.0, 0.0, -1.0])
            ds.SetProjection(srs(3857))
            a = rng.integers(-128, 128, (8, 16)).astype(np.int8); a[0, 0] = -128; a[0, 1] = 127; a[0, 2] = -1
            ds.GetRasterBand(1).WriteArray(a.view(np.uint8))
            ds.GetRasterBand(1).SetNoDataValue(-128)
            ds = None

            # a VRT whose bands disagree on nodata (GeoTIFF cannot hold that)
            vrt = gdal.Translate(os.path.join(d, 'mixed_nodata.vrt'), os.path.join(d, 'int16_nodata.tif'), format='VRT')
            vrt.GetRasterBand(2).SetNoDataValue(-1)
            vrt = None

            # complex
            ds = gt_drv.Create(os.path.join(d, 'complex.tif'), 8, 8, 1, gdal.GDT_CFloat32)
            ds = None

            # GeoPackage with two raster tables: subdatasets and no bands of its own
            src = gdal.GetDriverByName('MEM').Create('', 16, 16, 1, gdal.GDT_Byte)
            src.SetGeoTransform([0, 1, 0, 16, 0, -1]); src.SetProjection(srs(3857))
            src.GetRasterBand(1).Fill(7)
            gpkg = os.path.join(d, 'two_tables.gpkg')
            gdal.Translate(gpkg, src, format='GPKG', creationOptions=['RASTER_TABLE=first'])
            gdal.Translate(gpkg, src, format='GPKG', creationOptions=['RASTER_TABLE=second', 'APPEND_SUBDATASET=YES'])
            print('made')
            """;

    /**
     * What python3-gdal reads: each band's ReadAsArray as float64, nodata -> NaN, cast to float32,
     * bands in order, little-endian.
     */
    static float[] pythonPixels(Path file, Path dump) throws IOException {
        python("""
                import sys
                import numpy as np
                from osgeo import gdal
                gdal.UseExceptions()
                ds = gdal.Open(sys.argv[1])
                out = []
                for b in range(1, ds.RasterCount + 1):
                    band = ds.GetRasterBand(b)
                    a = band.ReadAsArray().astype(np.float64)
                    nd = band.GetNoDataValue()
                    if nd is not None and not np.isnan(nd):
                        a[a == nd] = np.nan
                    out.append(a.astype(np.float32))
                np.stack(out).astype('<f4').tofile(sys.argv[2])
                """, file, dump);
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(dump)).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[bytes.remaining() / 4];
        bytes.asFloatBuffer().get(values);
        return values;
    }

    /** Bit-exact equality, NaN equal to NaN. */
    static void assertSamePixels(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": value count");
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])
                    && !(Float.isNaN(expected[i]) && Float.isNaN(actual[i]))) {
                fail(what + ": value " + i + " expected " + expected[i] + " but was " + actual[i]);
            }
        }
    }

    /**
     * python3-gdal compares a written GeoTIFF with its source: CRS (osr IsSame), geotransform scaled
     * exactly by the scale factor, GCPs scaled, band count/types/nodata/descriptions/colour
     * interpretation/scale/offset/unit, metadata (source minus STATISTICS_*), no STATISTICS_* anywhere,
     * YAX_PROVENANCE, GTiff creation options. Prints OK or the mismatches (and exits 1).
     */
    static final String CHECK_DERIVED = """
            import sys
            from osgeo import gdal, osr
            gdal.UseExceptions()
            src = gdal.Open(sys.argv[1]); dst = gdal.Open(sys.argv[2]); s = int(sys.argv[3]); prov = sys.argv[4]
            bad = []
            def chk(cond, msg):
                if not cond: bad.append(msg)
            chk(dst.GetDriver().ShortName == 'GTiff', 'driver ' + dst.GetDriver().ShortName)
            chk(dst.RasterXSize == src.RasterXSize * s and dst.RasterYSize == src.RasterYSize * s, 'size')
            chk(dst.RasterCount == src.RasterCount, 'band count')
            def same_srs(a, b):
                if not a and not b: return True
                if not a or not b: return False
                x = osr.SpatialReference(); x.ImportFromWkt(a); y = osr.SpatialReference(); y.ImportFromWkt(b)
                return bool(x.IsSame(y))
            chk(same_srs(src.GetProjection(), dst.GetProjection()), 'CRS differs: %r vs %r' % (src.GetProjection(), dst.GetProjection()))
            sg = src.GetGeoTransform(can_return_null=True); dg = dst.GetGeoTransform(can_return_null=True)
            if sg is None:
                chk(dg is None, 'unexpected geotransform %r' % (dg,))
            else:
                want = (sg[0], sg[1] / s, sg[2] / s, sg[3], sg[4] / s, sg[5] / s)
                chk(dg == want, 'geotransform %r, want %r' % (dg, want))
            chk(len(src.GetGCPs()) == len(dst.GetGCPs()), 'GCP count')
            for a, b in zip(src.GetGCPs(), dst.GetGCPs()):
                chk((b.GCPPixel, b.GCPLine, b.GCPX, b.GCPY, b.Id) == (a.GCPPixel * s, a.GCPLine * s, a.GCPX, a.GCPY, a.Id), 'GCP ' + a.Id)
            if src.GetGCPCount():
                chk(same_srs(src.GetGCPProjection(), dst.GetGCPProjection()), 'GCP CRS')
            def nostats(md):
                return {k: v for k, v in md.items() if not k.startswith('STATISTICS_')}
            dmd = dst.GetMetadata()
            chk(dmd.get('YAX_PROVENANCE') == prov, 'YAX_PROVENANCE %r' % dmd.get('YAX_PROVENANCE'))
            dmd = {k: v for k, v in dmd.items() if k != 'YAX_PROVENANCE'}
            chk(nostats(src.GetMetadata()) == dmd, 'default metadata %r vs %r' % (src.GetMetadata(), dmd))
            for dom in (src.GetMetadataDomainList() or []):
                if dom in ('', 'IMAGE_STRUCTURE', 'DERIVED_SUBDATASETS', 'SUBDATASETS'): continue
                chk(src.GetMetadata(dom) == dst.GetMetadata(dom), 'domain ' + dom)
            ist = dst.GetMetadata('IMAGE_STRUCTURE')
            chk(ist.get('COMPRESSION') == 'DEFLATE', 'compression %r' % ist)
            want_pred = '3' if dst.GetRasterBand(1).DataType in (gdal.GDT_Float32, gdal.GDT_Float64) else '2'
            chk(ist.get('PREDICTOR') == want_pred, 'predictor %r' % ist)
            for i in range(1, src.RasterCount + 1):
                a = src.GetRasterBand(i); b = dst.GetRasterBand(i)
                chk(a.DataType == b.DataType, 'band %d type' % i)
                an, bn = a.GetNoDataValue(), b.GetNoDataValue()
                chk(an == bn or (an is not None and bn is not None and an != an and bn != bn), 'band %d nodata %r vs %r' % (i, an, bn))
                chk(a.GetDescription() == b.GetDescription(), 'band %d description %r vs %r' % (i, a.GetDescription(), b.GetDescription()))
                chk(a.GetColorInterpretation() == b.GetColorInterpretation(), 'band %d colour interpretation' % i)
                chk(a.GetScale() == b.GetScale() and a.GetOffset() == b.GetOffset(), 'band %d scale/offset' % i)
                chk(a.GetUnitType() == b.GetUnitType(), 'band %d unit' % i)
                chk(nostats(a.GetMetadata()) == b.GetMetadata(), 'band %d metadata %r vs %r' % (i, a.GetMetadata(), b.GetMetadata()))
                chk(b.GetBlockSize() == [256, 256], 'band %d not tiled: %r' % (i, b.GetBlockSize()))
            print('OK' if not bad else '\\n'.join(bad))
            sys.exit(0 if not bad else 1)
            """;

    static void checkDerived(Path source, Path derived, int scale, String provenance) {
        String out = python(CHECK_DERIVED, source, derived, scale, provenance);
        assertEquals("OK", out.strip(), "python3-gdal comparison of " + derived + " with " + source);
    }

    /** {@link #checkDerived} at scale 1 without its GeoTIFF-structure checks (codec, predictor, block size). */
    static void checkDerivedIgnoringStructure(Path source, Path derived, String provenance) {
        String script = CHECK_DERIVED
                .replace("chk(ist.get('COMPRESSION') == 'DEFLATE', 'compression %r' % ist)", "")
                .replace("chk(ist.get('PREDICTOR') == want_pred, 'predictor %r' % ist)", "")
                .replace("chk(b.GetBlockSize() == [256, 256], 'band %d not tiled: %r' % (i, b.GetBlockSize()))", "")
                .replace("chk(nostats(a.GetMetadata()) == b.GetMetadata(),",
                        "chk(nostats(a.GetMetadata()) == {k: v for k, v in b.GetMetadata().items() if k != 'YAX_FILLED_PIXELS'},");
        assertTrue(!script.contains("'DEFLATE'") && !script.contains("GetBlockSize") && script.contains("YAX_FILLED"),
                "CHECK_DERIVED changed: update checkDerivedIgnoringStructure");
        String out = python(script, source, derived, 1, provenance);
        assertEquals("OK", out.strip(), "python3-gdal comparison of " + derived + " with " + source);
    }

    /** gdalinfo -json's corner coordinates, as printed (upperLeft, lowerLeft, upperRight, lowerRight, center). */
    static String cornerCoordinates(Path file) {
        return python("""
                import sys, json, subprocess
                info = json.loads(subprocess.run(['gdalinfo', '-json', sys.argv[1]], check=True,
                                                 capture_output=True, text=True).stdout)
                c = info['cornerCoordinates']
                print(json.dumps([c[k] for k in ('upperLeft', 'lowerLeft', 'upperRight', 'lowerRight', 'center')]))
                """, file).strip();
    }
}
