package org.yax.io.gdal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yax.core.Derivation;
import org.yax.core.Image;
import org.yax.io.ImageFileException;

/**
 * Every kind of raster the reader promises, made by python3-gdal in the test and compared with what
 * python3-gdal reads: each GDAL data type, ENVI, JPEG 2000 (JP2OpenJPEG), colour interpretation and
 * palettes, metadata domains, RPCs, and the refusals: complex types, subdatasets without a choice,
 * vector-only files, corrupt data.
 */
class GdalFormatKindsTest {
    @TempDir
    static Path dir;

    private static boolean jp2Driver;
    private final GdalFormat format = new GdalFormat();

    static final String MAKE = """
            import sys, os
            import numpy as np
            from osgeo import gdal, osr
            gdal.UseExceptions()
            d = sys.argv[1]
            rng = np.random.default_rng(3)
            gt = gdal.GetDriverByName('GTiff')
            def srs(epsg):
                s = osr.SpatialReference(); s.ImportFromEPSG(epsg); return s.ExportToWkt()
            ranges = {'Byte': (0, 255, np.uint8), 'UInt16': (0, 65535, np.uint16), 'Int16': (-32768, 32767, np.int16),
                      'UInt32': (0, 4294967295, np.uint32), 'Int32': (-2147483648, 2147483647, np.int32),
                      'Int64': (-2**63, 2**63 - 1, np.int64), 'UInt64': (0, 2**64 - 1, np.uint64),
                      'Float32': (-3.0e38, 3.0e38, np.float32), 'Float64': (-1.0e300, 1.0e300, np.float64)}
            for name, (lo, hi, dt) in ranges.items():
                ds = gt.Create(os.path.join(d, 'type_%s.tif' % name), 23, 17, 2, gdal.GetDataTypeByName(name))
                ds.SetGeoTransform([1000.0, 2.0, 0.0, 3000.0, 0.0, -2.0]); ds.SetProjection(srs(32630))
                for b in (1, 2):
                    if dt in (np.float32, np.float64):
                        a = (rng.standard_normal((17, 23)) * 1000).astype(dt)
                        a[1, 1] = 1.0e-30; a[1, 2] = np.nan
                    else:
                        a = rng.integers(lo, hi, (17, 23), dtype=dt, endpoint=True)
                    # nodata next to the minimum; Int64's must be exact in float64, which yax reads nodata as
                    nd = -9999.0 if dt in (np.float32, np.float64) else -(2**53) if dt == np.int64 else lo + 1
                    a[0, 0] = lo; a[0, 1] = hi; a[0, 2] = nd
                    band = ds.GetRasterBand(b); band.WriteArray(a); band.SetNoDataValue(nd)
                ds = None
            for name in ('CInt16', 'CInt32', 'CFloat32', 'CFloat64'):
                ds = gt.Create(os.path.join(d, 'complex_%s.tif' % name), 8, 8, 1, gdal.GetDataTypeByName(name)); ds = None

            # ENVI: 3-band Int16 band-interleaved with map info, band names and wavelengths
            mem = gdal.GetDriverByName('MEM').Create('', 31, 19, 3, gdal.GDT_Int16)
            mem.SetGeoTransform([350000.0, 30.0, 0.0, 5800000.0, 0.0, -30.0]); mem.SetProjection(srs(32633))
            for b in (1, 2, 3):
                mem.GetRasterBand(b).WriteArray(rng.integers(-500, 5000, (19, 31)).astype(np.int16))
                mem.GetRasterBand(b).SetDescription('band %d (%d nm)' % (b, 450 + 100 * b))
                mem.GetRasterBand(b).SetNoDataValue(-999)
            gdal.Translate(os.path.join(d, 'scene.img'), mem, format='ENVI', creationOptions=['INTERLEAVE=BIL'])

            # JPEG 2000, lossless, UInt16 with a geotransform (GeoJP2 box), when the driver exists
            if gdal.GetDriverByName('JP2OpenJPEG') is not None:
                mem = gdal.GetDriverByName('MEM').Create('', 40, 33, 2, gdal.GDT_UInt16)
                mem.SetGeoTransform([600000.0, 10.0, 0.0, 4000000.0, 0.0, -10.0]); mem.SetProjection(srs(32631))
                for b in (1, 2):
                    mem.GetRasterBand(b).WriteArray(rng.integers(0, 4096, (33, 40)).astype(np.uint16))
                gdal.Translate(os.path.join(d, 'scene.jp2'), mem, format='JP2OpenJPEG',
                               creationOptions=['REVERSIBLE=YES', 'QUALITY=100'])

            # RGBA with colour interpretation, and a palette band
            ds = gt.Create(os.path.join(d, 'rgba.tif'), 16, 12, 4, gdal.GDT_Byte, ['PHOTOMETRIC=RGB', 'ALPHA=YES'])
            for b in range(1, 5):
                ds.GetRasterBand(b).WriteArray(rng.integers(0, 256, (12, 16)).astype(np.uint8))
            ds = None
            ds = gt.Create(os.path.join(d, 'palette.tif'), 16, 12, 1, gdal.GDT_Byte)
            ct = gdal.ColorTable()
            for i in range(4):
                ct.SetColorEntry(i, (60 * i, 255 - 60 * i, 7 * i, 255))
            ds.GetRasterBand(1).SetRasterColorTable(ct); ds.GetRasterBand(1).SetRasterColorInterpretation(gdal.GCI_PaletteIndex)
            ds.GetRasterBand(1).WriteArray(rng.integers(0, 4, (12, 16)).astype(np.uint8))
            ds = None

            # RPCs, several metadata domains (incl. an xml: one), band scale/offset/unit
            ds = gt.Create(os.path.join(d, 'rpc.tif'), 30, 20, 1, gdal.GDT_UInt16)
            rpc = {'LINE_OFF': '10', 'SAMP_OFF': '15', 'LAT_OFF': '45.5', 'LONG_OFF': '7.25', 'HEIGHT_OFF': '500',
                   'LINE_SCALE': '10', 'SAMP_SCALE': '15', 'LAT_SCALE': '0.01', 'LONG_SCALE': '0.01', 'HEIGHT_SCALE': '100',
                   'LINE_NUM_COEFF': ' '.join(['0.01'] * 20), 'LINE_DEN_COEFF': ' '.join(['1'] + ['0'] * 19),
                   'SAMP_NUM_COEFF': ' '.join(['0.02'] * 20), 'SAMP_DEN_COEFF': ' '.join(['1'] + ['0'] * 19)}
            ds.SetMetadata(rpc, 'RPC')
            ds.SetMetadata({'PLATFORM': 'synthetic-sat', 'PROCESSING': 'L1B'})
            ds.SetMetadata({'SUN_ELEVATION': '41.2'}, 'IMAGERY')
            ds.SetMetadata(['<root><item>kept</item></root>'], 'xml:YAX')
            band = ds.GetRasterBand(1)
            band.WriteArray(rng.integers(0, 4000, (20, 30)).astype(np.uint16))
            band.SetScale(2.0e-5); band.SetOffset(-0.1); band.SetUnitType('reflectance'); band.SetDescription('NIR')
            band.SetMetadata({'CENTRAL_WAVELENGTH_NM': '842'}); band.SetMetadata({'GAIN': '1.5'}, 'CALIBRATION')
            ds = None

            # netCDF with two variables: subdatasets and no bands of its own
            nc = gdal.GetDriverByName('netCDF').CreateMultiDimensional(os.path.join(d, 'two_vars.nc'))
            rg = nc.GetRootGroup()
            dy = rg.CreateDimension('y', None, None, 6); dx = rg.CreateDimension('x', None, None, 5)
            for v in ('temperature', 'humidity'):
                arr = rg.CreateMDArray(v, [dy, dx], gdal.ExtendedDataType.Create(gdal.GDT_Float32))
                arr.Write(np.ones((6, 5), dtype=np.float32))
            nc = None

            # a vector-only file (GeoJSON): GDAL opens it, but not as a raster
            with open(os.path.join(d, 'points.geojson'), 'w') as f:
                f.write('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},'
                        ' "geometry": {"type": "Point", "coordinates": [1, 2]}}]}')

            # corrupt: a DEFLATE GeoTIFF whose compressed tiles were overwritten (header intact)
            ds = gt.Create(os.path.join(d, 'corrupt.tif'), 256, 256, 1, gdal.GDT_Float32, ['TILED=YES', 'COMPRESS=DEFLATE'])
            ds.GetRasterBand(1).WriteArray(rng.standard_normal((256, 256)).astype(np.float32)); ds = None
            ds = gdal.Open(os.path.join(d, 'corrupt.tif'))
            off = int(ds.GetRasterBand(1).GetMetadataItem('BLOCK_OFFSET_0_0', 'TIFF'))
            size = int(ds.GetRasterBand(1).GetMetadataItem('BLOCK_SIZE_0_0', 'TIFF')); ds = None
            with open(os.path.join(d, 'corrupt.tif'), 'r+b') as f:
                f.seek(off); f.write(bytes(rng.integers(0, 256, size, dtype=np.uint8)))
            print('jp2' if gdal.GetDriverByName('JP2OpenJPEG') is not None else 'no-jp2')
            """;

    @BeforeAll
    static void make() {
        jp2Driver = GdalTestSupport.python(MAKE, dir).strip().equals("jp2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Byte", "UInt16", "Int16", "UInt32", "Int32", "Int64", "UInt64", "Float32", "Float64"})
    void everyRealDataTypeReadsAsPythonGdalReadsIt(String type) throws Exception {
        Path file = dir.resolve("type_" + type + ".tif");
        Image image = format.read(file);
        GdalTestSupport.assertSamePixels(GdalTestSupport.pythonPixels(file, dir.resolve(type + ".f32")),
                image.pixels(), type);
        GdalSource source = (GdalSource) image.source();
        assertEquals(type, source.bands().get(0).dataTypeName());
        assertTrue(Float.isNaN(image.get(0, 0, 0, 2)), "nodata is missing");
        checkSource(file, source);
    }

    @ParameterizedTest
    @ValueSource(strings = {"CInt16", "CInt32", "CFloat32", "CFloat64"})
    void complexTypesAreRefusedWithTheTypeNamed(String type) {
        Path file = dir.resolve("complex_" + type + ".tif");
        ImageFileException e = assertThrows(ImageFileException.class, () -> format.read(file));
        assertEquals("band 1 has complex type " + type + ", which yax does not reconstruct yet", e.reason());
    }

    @Test
    void enviReadsWithItsMapInfoAndBandNames() throws Exception {
        Path file = dir.resolve("scene.img");
        assertTrue(format.canRead(file));
        Image image = format.read(file);
        GdalSource source = (GdalSource) image.source();
        assertEquals("ENVI", source.driver());
        assertEquals(3, image.channels());
        assertEquals(List.of("band 1 (550 nm)", "band 2 (650 nm)", "band 3 (750 nm)"),
                source.bands().stream().map(GdalBand::description).toList());
        assertEquals(30.0, source.geoTransform()[1]);
        GdalTestSupport.assertSamePixels(GdalTestSupport.pythonPixels(file, dir.resolve("envi.f32")), image.pixels(),
                "ENVI");
        checkSource(file, source);
        assertEquals("scene.tif", format.outputFileName("scene.img"));
        Path out = dir.resolve("envi-out.tif");
        format.write(image, new Derivation("denoise", "identity", 1, Map.of(), "test"), out);
        assertEquals(GdalTestSupport.cornerCoordinates(file), GdalTestSupport.cornerCoordinates(out));
    }

    @Test
    void jpeg2000ReadsLosslesslyWithItsGeoreferencing() throws Exception {
        Assumptions.assumeTrue(jp2Driver, () -> {
            System.out.println("skipped: this libgdal has no JP2OpenJPEG driver");
            return "no JP2OpenJPEG driver in this libgdal";
        });
        Path file = dir.resolve("scene.jp2");
        assertTrue(format.canRead(file));
        Image image = format.read(file);
        GdalSource source = (GdalSource) image.source();
        assertEquals("JP2OpenJPEG", source.driver());
        assertEquals(2, image.channels());
        assertEquals("UInt16", source.bands().get(0).dataTypeName());
        GdalTestSupport.assertSamePixels(GdalTestSupport.pythonPixels(file, dir.resolve("jp2.f32")), image.pixels(),
                "JP2");
        checkSource(file, source);
        Path out = dir.resolve("jp2-out.tif");
        format.write(image, new Derivation("denoise", "identity", 1, Map.of(), "test"), out);
        assertEquals(GdalTestSupport.cornerCoordinates(file), GdalTestSupport.cornerCoordinates(out));
    }

    @Test
    void colourInterpretationAndPalettesAreReadAndWrittenBack() throws Exception {
        for (String name : List.of("rgba.tif", "palette.tif")) {
            Path file = dir.resolve(name);
            Image image = format.read(file);
            checkSource(file, (GdalSource) image.source());
            Path out = dir.resolve("out-" + name);
            Derivation d = new Derivation("denoise", "identity", 1, Map.of(), "test");
            format.write(image, d, out);
            GdalTestSupport.checkDerivedIgnoringStructure(file, out, d.describe());
        }
        GdalSource rgba = (GdalSource) format.read(dir.resolve("rgba.tif")).source();
        assertEquals(List.of("Red", "Green", "Blue", "Alpha"),
                rgba.bands().stream().map(GdalBand::colorInterpretationName).toList());
        GdalBand palette = ((GdalSource) format.read(dir.resolve("palette.tif")).source()).bands().get(0);
        assertEquals("Palette", palette.colorInterpretationName());
        assertEquals(new Color(120, 135, 14, 255).getRGB(), palette.colorTable().get(2));
    }

    @Test
    void rpcsAndMetadataDomainsPassThroughAndRpcsAreDroppedWhenTheGridChanges() throws Exception {
        Path file = dir.resolve("rpc.tif");
        Image image = format.read(file);
        GdalSource source = (GdalSource) image.source();
        checkSource(file, source);
        assertEquals("7.25", source.metadataItems("RPC").get("LONG_OFF"));
        assertEquals(List.of("<root><item>kept</item></root>"), source.metadata().get("xml:YAX"));
        Derivation same = new Derivation("denoise", "identity", 1, Map.of(), "test");
        Path out = dir.resolve("rpc-out.tif");
        format.write(image, same, out);
        GdalTestSupport.checkDerivedIgnoringStructure(file, out, same.describe()); // every domain, RPC included
        String rpcs = """
                import sys
                from osgeo import gdal
                a = gdal.Open(sys.argv[1]).GetMetadata('RPC'); b = gdal.Open(sys.argv[2]).GetMetadata('RPC')
                print(len(a), a == b)
                """;
        assertEquals("16 True", GdalTestSupport.python(rpcs, file, out).strip(), "14 items + ERR_BIAS, ERR_RAND");
        // at scale 2 the RPC model (pixel-grid based) would be wrong: it is dropped, the other domains stay
        Path sr = dir.resolve("rpc-x2.tif");
        float[] px = new float[4 * image.planeSize()];
        format.write(new Image(px, 1, 1, 40, 60, source), new Derivation("sr", "identity", 2, Map.of(), "test"), sr);
        assertEquals("16 False", GdalTestSupport.python(rpcs, file, sr).strip());
        assertEquals("41.2", GdalTestSupport.python("""
                import sys
                from osgeo import gdal
                print(gdal.Open(sys.argv[1]).GetMetadataItem('SUN_ELEVATION', 'IMAGERY'))
                """, sr).strip());
    }

    @Test
    void netcdfSubdatasetsWithoutAChoiceAreNamed() {
        Path file = dir.resolve("two_vars.nc");
        ImageFileException e = assertThrows(ImageFileException.class, () -> format.read(file));
        assertTrue(e.reason().startsWith("it holds 2 subdatasets and no bands of its own"), e.reason());
        assertTrue(e.reason().contains("NETCDF:\"" + file + "\":temperature")
                && e.reason().contains("NETCDF:\"" + file + "\":humidity"), e.reason());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void vectorOnlyFilesAreNotRasters() throws Exception {
        Path file = dir.resolve("points.geojson");
        assertFalse(format.canRead(file), "GeoJSON has no raster driver");
        ImageFileException e = assertThrows(ImageFileException.class, () -> format.read(file));
        assertTrue(e.reason().startsWith("GDAL cannot open it as a raster"), e.reason());
    }

    @Test
    void corruptCompressedTilesFailWithGdalsReason() {
        Path file = dir.resolve("corrupt.tif");
        assertTrue(format.canRead(file), "the header is intact");
        ImageFileException e = assertThrows(ImageFileException.class, () -> format.read(file));
        assertTrue(e.reason().startsWith("reading band 1 window"), e.reason());
        assertFalse(e.reason().contains("GDAL gave no reason"), e.reason());
        assertFalse(e.getMessage().contains("\n"));
    }

    /** python3-gdal compares everything the reader recorded about {@code file} (not the pixels). */
    static void checkSource(Path file, GdalSource source) throws Exception {
        Path json = Files.createTempFile(dir, "source-", ".json");
        Files.writeString(json, toJson(source));
        String out = GdalTestSupport.python(COMPARE_SOURCE, file, json);
        assertEquals("OK", out.strip(), "python3-gdal vs GdalSource for " + file);
    }

    static final String COMPARE_SOURCE = """
            import sys, json, math
            from osgeo import gdal, osr
            gdal.UseExceptions()
            ds = gdal.Open(sys.argv[1]); j = json.load(open(sys.argv[2]))
            bad = []
            def chk(c, m):
                if not c: bad.append(m)
            def same(a, b):
                return a == b or (isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b))
            def domains(o):
                r = {}
                for d in [''] + [x for x in (o.GetMetadataDomainList() or []) if x]:
                    if d in ('IMAGE_STRUCTURE', 'SUBDATASETS', 'DERIVED_SUBDATASETS') or d in r: continue
                    e = o.GetMetadata_List(d) or []
                    if not d.startswith('xml:'): e = [x for x in e if not x.startswith('STATISTICS_')]
                    if e: r[d] = list(e)
                return r
            chk(j['driver'] == ds.GetDriver().ShortName, 'driver')
            chk((j['width'], j['height']) == (ds.RasterXSize, ds.RasterYSize), 'size')
            g = ds.GetGeoTransform(can_return_null=True)
            chk(j['geotransform'] == (list(g) if g is not None else None), 'geotransform %r vs %r' % (j['geotransform'], g))
            chk(j['wkt'] == (ds.GetProjectionRef() or ''), 'CRS')
            chk(j['metadata'] == domains(ds), 'metadata %r vs %r' % (j['metadata'], domains(ds)))
            gc = [[p.GCPPixel, p.GCPLine, p.GCPX, p.GCPY, p.GCPZ] for p in ds.GetGCPs()]
            chk(j['gcps'] == gc, 'gcps')
            chk(len(j['bands']) == ds.RasterCount, 'band count')
            for i, jb in enumerate(j['bands']):
                b = ds.GetRasterBand(i + 1)
                chk(jb['type'] == gdal.GetDataTypeName(b.DataType), 'band %d type' % (i + 1))
                chk(same(jb['nodata'], b.GetNoDataValue()), 'band %d nodata %r vs %r' % (i + 1, jb['nodata'], b.GetNoDataValue()))
                chk(jb['description'] == b.GetDescription(), 'band %d description' % (i + 1))
                chk(jb['ci'] == gdal.GetColorInterpretationName(b.GetColorInterpretation()), 'band %d colour interpretation' % (i + 1))
                chk(jb['scale'] == b.GetScale() and jb['offset'] == b.GetOffset(), 'band %d scale/offset %r %r vs %r %r' % (i + 1, jb['scale'], jb['offset'], b.GetScale(), b.GetOffset()))
                chk(jb['unit'] == b.GetUnitType(), 'band %d unit' % (i + 1))
                chk(jb['metadata'] == domains(b), 'band %d metadata %r vs %r' % (i + 1, jb['metadata'], domains(b)))
                ct = b.GetColorTable()
                want = None if ct is None else [list(ct.GetColorEntry(k)) for k in range(ct.GetCount())]
                chk(jb['palette'] == want, 'band %d palette' % (i + 1))
            print('OK' if not bad else '\\n'.join(bad))
            """;

    /** The reader's view of a raster as JSON, in python3-gdal's terms. */
    static String toJson(GdalSource s) {
        StringBuilder j = new StringBuilder("{");
        j.append("\"driver\":").append(str(s.driver())).append(",\"width\":").append(s.width())
                .append(",\"height\":").append(s.height()).append(",\"geotransform\":");
        double[] gt = s.geoTransform();
        j.append(gt == null ? "null" : numbers(gt));
        j.append(",\"wkt\":").append(str(s.projectionWkt())).append(",\"metadata\":").append(domains(s.metadata()));
        List<String> gcps = new ArrayList<>();
        s.gcps().forEach(g -> gcps.add(numbers(new double[] {g.pixel(), g.line(), g.x(), g.y(), g.z()})));
        j.append(",\"gcps\":[").append(String.join(",", gcps)).append("],\"bands\":[");
        List<String> bands = new ArrayList<>();
        for (GdalBand b : s.bands()) {
            String palette = "null";
            if (b.colorTable() != null) {
                List<String> entries = new ArrayList<>();
                for (int argb : b.colorTable()) {
                    Color c = new Color(argb, true);
                    entries.add("[" + c.getRed() + "," + c.getGreen() + "," + c.getBlue() + "," + c.getAlpha() + "]");
                }
                palette = "[" + String.join(",", entries) + "]";
            }
            bands.add("{\"type\":" + str(b.dataTypeName()) + ",\"nodata\":" + num(b.noData())
                    + ",\"description\":" + str(b.description()) + ",\"ci\":" + str(b.colorInterpretationName())
                    + ",\"scale\":" + num(b.scale()) + ",\"offset\":" + num(b.offset())
                    + ",\"unit\":" + str(b.unit()) + ",\"metadata\":" + domains(b.metadata())
                    + ",\"palette\":" + palette + "}");
        }
        return j.append(String.join(",", bands)).append("]}").toString();
    }

    private static String domains(Map<String, List<String>> d) {
        List<String> parts = new ArrayList<>();
        d.forEach((k, v) -> parts.add(str(k) + ":[" + String.join(",", v.stream().map(GdalFormatKindsTest::str)
                .toList()) + "]"));
        return "{" + String.join(",", parts) + "}";
    }

    private static String numbers(double[] values) {
        List<String> parts = new ArrayList<>();
        for (double v : values) {
            parts.add(num(v));
        }
        return "[" + String.join(",", parts) + "]";
    }

    private static String num(Double v) {
        return v == null ? "null" : Double.isNaN(v) ? "NaN" : Double.toString(v);
    }

    private static String str(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
