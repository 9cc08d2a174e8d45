package org.yax.io.gdal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yax.io.ImageFileException;

class GdalFormatBadInputTest {
    @TempDir
    static Path dir;

    private final GdalFormat format = new GdalFormat();

    @BeforeAll
    static void makeRasters() {
        GdalTestSupport.makeEdgeCases(dir);
    }

    private ImageFileException readFails(Path file) {
        ImageFileException e = assertThrows(ImageFileException.class, () -> format.read(file));
        assertEquals(file, e.file());
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertFalse(e.reason().isBlank());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e;
    }

    @Test
    void textFile() throws Exception {
        Path file = dir.resolve("readme.txt");
        Files.writeString(file, "just some words\nnot a raster\n");
        assertFalse(format.canRead(file));
        ImageFileException e = readFails(file);
        assertTrue(e.reason().contains("not recognized as a supported file format"), e.reason());
    }

    @Test
    void randomBytesNamedTif() throws Exception {
        Path file = dir.resolve("noise.tif");
        byte[] bytes = new byte[4096];
        new Random(7).nextBytes(bytes);
        bytes[0] = 'X';
        Files.write(file, bytes);
        assertFalse(format.canRead(file));
        ImageFileException e = readFails(file);
        assertTrue(e.reason().contains("not recognized as a supported file format"), e.reason());
    }

    @Test
    void truncatedGeoTiff() throws Exception {
        // a file whose header and directory survive but whose pixel data is cut off
        Path file = dir.resolve("truncated.tif");
        GdalTestSupport.python("""
                import sys
                import numpy as np
                from osgeo import gdal
                gdal.UseExceptions()
                ds = gdal.GetDriverByName('GTiff').Create(sys.argv[1], 200, 200, 1, gdal.GDT_UInt16)
                ds.GetRasterBand(1).WriteArray(np.random.default_rng(1).integers(0, 65535, (200, 200)).astype(np.uint16))
                ds = None
                """, file);
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(whole, whole.length / 2));
        assertTrue(format.canRead(file), "the header is intact, so a content sniff accepts it");
        ImageFileException e = readFails(file);
        assertTrue(e.reason().contains("reading band 1"), e.reason());
        assertFalse(e.reason().contains("no reason"), "GDAL's own message expected: " + e.reason());
    }

    @Test
    void truncatedRealLandsat() throws Exception {
        Path real = GdalTestSupport.sampleFile("archive/raster/L7_ETMs.tif");
        byte[] whole = Files.readAllBytes(real);
        Path file = dir.resolve("L7_truncated.tif");
        Files.write(file, java.util.Arrays.copyOf(whole, whole.length / 3));
        ImageFileException e = readFails(file);
        assertFalse(e.reason().contains("no reason"), "GDAL's own message expected: " + e.reason());
    }

    @Test
    void emptyFileAndMissingFile() throws Exception {
        Path empty = dir.resolve("empty.tif");
        Files.write(empty, new byte[0]);
        assertFalse(format.canRead(empty));
        readFails(empty);
        ImageFileException missing = readFails(dir.resolve("nowhere.tif"));
        assertEquals("no such file", missing.reason());
    }

    @Test
    void complexDataIsRefusedClearly() {
        ImageFileException e = readFails(dir.resolve("complex.tif"));
        assertTrue(e.reason().contains("complex type CFloat32"), e.reason());
    }

    @Test
    void subdatasetsAreNamed() {
        Path file = dir.resolve("two_tables.gpkg");
        ImageFileException e = readFails(file);
        assertTrue(e.reason().contains("2 subdatasets"), e.reason());
        assertTrue(e.reason().contains("GPKG:" + file + ":first") && e.reason().contains("GPKG:" + file + ":second"),
                e.reason());
    }
}
