package org.yax.io.gdal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yax.core.Image;

class GdalFormatReadTest {
    @TempDir
    static Path dir;

    private final GdalFormat format = new GdalFormat();

    @BeforeAll
    static void makeRasters() {
        GdalTestSupport.makeEdgeCases(dir);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rotated_f32.tif", "int16_nodata.tif", "uint16.tif", "f32_nan.tif", "gcps.tif", "int8.tif",
            "mixed_nodata.vrt"})
    void pixelsEqualPythonGdalWithNoDataAsNaN(String name) throws Exception {
        Path file = dir.resolve(name);
        Image image = format.read(file);
        float[] expected = GdalTestSupport.pythonPixels(file, dir.resolve(name + ".f32"));
        GdalTestSupport.assertSamePixels(expected, image.pixels(), name);
        assertEquals(1, image.depth());
    }

    @Test
    void realLandsatPixelsEqualPythonGdal() throws Exception {
        Path file = GdalTestSupport.sampleFile("archive/raster/L7_ETMs.tif");
        Image image = format.read(file);
        assertEquals(6, image.channels());
        assertEquals(352, image.height());
        assertEquals(349, image.width());
        GdalTestSupport.assertSamePixels(GdalTestSupport.pythonPixels(file, dir.resolve("l7.f32")),
                image.pixels(), "L7_ETMs.tif");
    }

    @Test
    void realPngSliceReadsAsItsThreeBands() throws Exception {
        Path file = GdalTestSupport.sampleFile("archive/mri/BrainT1Slice.png");
        assertTrue(format.canRead(file));
        Image image = format.read(file);
        assertEquals(3, image.channels());
        GdalTestSupport.assertSamePixels(GdalTestSupport.pythonPixels(file, dir.resolve("brain.f32")),
                image.pixels(), "BrainT1Slice.png");
        GdalSource source = (GdalSource) image.source();
        assertEquals("PNG", source.driver());
        assertNull(source.geoTransform(), "a PNG has no geotransform");
        assertEquals(List.of("Red", "Green", "Blue"),
                source.bands().stream().map(GdalBand::colorInterpretationName).toList());
    }

    @Test
    void sourceMetadataMatchesPythonGdal() throws Exception {
        Path file = dir.resolve("rotated_f32.tif");
        GdalSource s = (GdalSource) format.read(file).source();
        assertEquals("GDAL", s.format());
        assertEquals("GTiff", s.driver());
        assertEquals(40, s.width());
        assertEquals(30, s.height());
        assertArrayEquals(new double[] {500000.0, 10.0, 2.5, 9000000.0, 1.5, -10.0}, s.geoTransform());
        String pyWkt = GdalTestSupport.python("""
                import sys
                from osgeo import gdal
                print(gdal.Open(sys.argv[1]).GetProjectionRef(), end='')
                """, file);
        assertEquals(pyWkt, s.projectionWkt());
        assertEquals(Map.of("SENSOR", "synthetic", "ACQUIRED", "2020-01-02", "AREA_OR_POINT", "Area"),
                s.metadataItems(""));
        assertEquals(Map.of("KEY", "value in a custom domain"), s.metadataItems("YAX_TEST"));
        assertFalse(s.metadata().containsKey("IMAGE_STRUCTURE"));
        assertEquals(3, s.bandCount());
        for (int b = 0; b < 3; b++) {
            GdalBand band = s.bands().get(b);
            assertEquals("Float32", band.dataTypeName());
            assertEquals(-9999.0, band.noData());
            assertEquals("band " + (b + 1) + " reflectance", band.description());
            assertEquals(Map.of("WAVELENGTH", String.valueOf(500 + 100 * b)), GdalSource.items(band.metadata().get("")),
                    "band metadata without STATISTICS_*");
        }
        assertEquals("Gray", s.bands().get(0).colorInterpretationName());
        assertEquals(0.01, s.bands().get(0).scale());
        assertEquals(5.0, s.bands().get(0).offset());
        assertEquals("K", s.bands().get(0).unit());
        assertNull(s.bands().get(1).scale());
    }

    @Test
    void valuesAreRawNumbersNotScaled() throws Exception {
        Image image = format.read(dir.resolve("rotated_f32.tif"));
        float[] python = GdalTestSupport.pythonPixels(dir.resolve("rotated_f32.tif"), dir.resolve("raw.f32"));
        // band 1 has scale 0.01 / offset 5: the reader must not apply it
        assertEquals(python[0], image.get(0, 0, 0, 0));
        assertTrue(Math.abs(image.get(0, 0, 0, 0)) > 50, "raw value expected, got " + image.get(0, 0, 0, 0));
    }

    @Test
    void signedBytesAreReadAsSigned() throws Exception {
        Image image = format.read(dir.resolve("int8.tif"));
        GdalSource s = (GdalSource) image.source();
        assertTrue(s.bands().get(0).signedByte());
        assertTrue(Float.isNaN(image.get(0, 0, 0, 0)), "-128 is nodata");
        assertEquals(127f, image.get(0, 0, 0, 1));
        assertEquals(-1f, image.get(0, 0, 0, 2));
    }

    @Test
    void gcpsAndTheirCrsAreRecorded() throws Exception {
        GdalSource s = (GdalSource) format.read(dir.resolve("gcps.tif")).source();
        assertNull(s.geoTransform());
        assertEquals(4, s.gcps().size());
        GdalGcp lr = s.gcps().get(3);
        assertEquals("4", lr.id(), "GeoTIFF tie points carry no ids: GDAL numbers them");
        assertEquals(20.0, lr.pixel());
        assertEquals(10.0, lr.line());
        assertEquals(10.21, lr.x());
        assertEquals(49.89, lr.y());
        assertTrue(s.gcpProjectionWkt().contains("WGS 84"), s.gcpProjectionWkt());
    }

    @Test
    void readingLeavesTheInputUntouchedAndWritesNoSidecar() throws Exception {
        Path real = GdalTestSupport.sampleFile("archive/raster/L7_ETMs.tif");
        Path copy = dir.resolve("sidecar-check").resolve("L7_ETMs.tif");
        Files.createDirectories(copy.getParent());
        Files.copy(real, copy);
        String before = sha256(copy);
        String realBefore = sha256(real);
        List<Path> listingBefore = listing(copy.getParent());
        boolean realSidecar = Files.exists(real.resolveSibling("L7_ETMs.tif.aux.xml"));
        assertTrue(format.canRead(copy));
        format.read(copy);
        format.read(real);
        assertEquals(before, sha256(copy));
        assertEquals(realBefore, sha256(real));
        assertEquals(listingBefore, listing(copy.getParent()), "reading created files next to the input");
        assertEquals(realSidecar, Files.exists(real.resolveSibling("L7_ETMs.tif.aux.xml")));
    }

    @Test
    void concurrentReadsEachUseTheirOwnDataset() throws Exception {
        Path file = dir.resolve("rotated_f32.tif");
        float[] reference = format.read(file).pixels();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[]>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                results.add(pool.submit(() -> format.read(file).pixels()));
            }
            for (Future<float[]> f : results) {
                GdalTestSupport.assertSamePixels(reference, f.get(), "concurrent read");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void canReadRastersButNotDicomOrText() throws Exception {
        assertTrue(format.canRead(dir.resolve("int16_nodata.tif")));
        assertTrue(format.canRead(GdalTestSupport.sampleFile("archive/raster/L7_ETMs.tif")));
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "hello, this is not a raster\n");
        assertFalse(format.canRead(text));
        Path dicom = dir.resolve("looks-like.dcm");
        byte[] bytes = new byte[400];
        System.arraycopy("DICM".getBytes(), 0, bytes, 128, 4);
        Files.write(dicom, bytes);
        assertFalse(format.canRead(dicom), "a file with a DICOM preamble belongs to the DICOM reader");
        assertFalse(format.canRead(dir.resolve("missing.tif")));
        assertFalse(format.canRead(dir));
    }

    @Test
    void outputNamesAreGeoTiff() {
        assertEquals("L7_ETMs.tif", format.outputFileName("L7_ETMs.tif"));
        assertEquals("scene.TIFF", format.outputFileName("scene.TIFF"));
        assertEquals("x.Tif", format.outputFileName("x.Tif"));
        assertEquals("BrainT1Slice.tif", format.outputFileName("BrainT1Slice.png"));
        assertEquals("dem.v2.tif", format.outputFileName("dem.v2.img"));
        assertEquals("raster.tif", format.outputFileName("raster"));
        assertEquals("GDAL", format.name());
    }

    static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    static List<Path> listing(Path directory) throws Exception {
        try (Stream<Path> s = Files.list(directory)) {
            return s.sorted().toList();
        }
    }
}
